"""The published report, for anyone, with no log-in: the frozen edition as a page, its
PDF, Word document and open data, and how each figure was computed."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from safeguarding.core.permissions import public
from safeguarding.reports import assembly
from safeguarding.reports.models import Edition
from safeguarding.reports.outputs import report_csv
from safeguarding.reports.views.drafts import FORMATS, _figure_page, _markup


@public
def published_list(request):
    return render(
        request,
        "reports/published_list.html",
        {"title": "Published annual reports", "editions": Edition.objects.select_related("report")},
    )


@public
def edition(request, slug: str):
    edition = get_object_or_404(Edition.objects.select_related("report"), slug=slug)
    content = edition.content
    return render(
        request,
        "reports/edition.html",
        {
            "title": f"Annual report {content['year']}",
            "edition": edition,
            "content": content,
            "chapters": assembly.section_contents(content),
            "figure_url": lambda section, key: reverse(
                "reports:edition_figure", kwargs={"slug": slug, "section": section, "key": key}
            ),
            "markup": _markup,
        },
    )


@public
def edition_download(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    edition = get_object_or_404(Edition.objects.select_related("report"), slug=slug)
    data = {"pdf": lambda: edition.pdf, "docx": lambda: edition.docx, "csv": lambda: report_csv(edition.content)}[fmt]()
    if not data:
        raise Http404("Not kept for this edition.")
    response = HttpResponse(bytes(data), content_type=FORMATS[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="annual-report-{edition.report.year_start}.{fmt}"'
    return response


@public
def edition_figure(request, slug: str, section: str, key: str):
    edition = get_object_or_404(Edition, slug=slug)
    return _figure_page(request, edition.content, section, key, back=reverse("reports:edition", kwargs={"slug": slug}))
