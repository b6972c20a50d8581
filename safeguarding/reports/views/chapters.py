"""Each chapter of the report on its own page (its words, figures and comments), and the
whole report as one page to read through before sign-off."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reports import assembly
from safeguarding.reports.forms import CommentForm
from safeguarding.reports.tasklist import chapter_rows
from safeguarding.reports.views.drafts import _figure_path, _markup, _report


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def chapter(request, year: int, key: str):
    report = _report(year)
    content = assembly.report_content(report)
    chapters = assembly.section_contents(content)
    index = next((i for i, (c, _) in enumerate(chapters) if c["key"] == key), None)
    if index is None:
        raise Http404("No such chapter.")
    found, body = chapters[index]
    rows = chapter_rows(report, content)
    return render(
        request,
        "reports/chapter.html",
        {
            "title": f"{found['title']}: annual report {report.year_label}",
            "report": report,
            "content": content,
            "chapter": found,
            "body": body,
            "row": rows[index],
            "previous": rows[index - 1] if index > 0 else None,
            "next": rows[index + 1] if index + 1 < len(rows) else None,
            "comments": list(report.comments.filter(section_key=key).select_related("author")),
            "comment_form": CommentForm(),
            "figure_url": lambda section, figure: _figure_path(report, section, figure),
            "markup": _markup,
        },
    )


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def preview(request, year: int):
    report = _report(year)
    content = assembly.report_content(report)
    return render(
        request,
        "reports/preview.html",
        {
            "title": f"Preview: annual report {report.year_label}",
            "report": report,
            "content": content,
            "chapters": assembly.section_contents(content),
            "figure_url": lambda section, figure: _figure_path(report, section, figure),
            "markup": _markup,
        },
    )
