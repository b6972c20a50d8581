"""The report while it is written: the list of years, one report with its chapters,
checklist, comments and status, editing a chapter's words, building the figures, review,
sign-off and publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import report_sections
from safeguarding.core.audit import record_event
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.reports import assembly, outputs, services
from safeguarding.reports.checklist import checklist
from safeguarding.reports.forms import CommentForm, NarrativeForm, PanelSentForm, ReportCreateForm, SignOffForm
from safeguarding.reports.markup import to_html
from safeguarding.reports.models import Comment, Report
from safeguarding.reports.tasklist import chapter_rows

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


def _report(year: int) -> Report:
    return get_object_or_404(Report, year_start=year)


def _chapter(report: Report, key: str):
    return redirect("reports:chapter", year=report.year_start, key=key)


def _back(report: Report, anchor: str = ""):
    response = redirect("reports:detail", year=report.year_start)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def report_list(request):
    return render(
        request,
        "reports/list.html",
        {
            "title": "Annual reports",
            "reports": Report.objects.select_related("edition"),
            "form": ReportCreateForm(initial={"year_start": timezone.localdate().year - 1})
            if has_perm(request.user, Perm.EDIT_REPORT)
            else None,
        },
    )


@permission_required(Perm.EDIT_REPORT)
def report_create(request):
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(year_start=form.cleaned_data["year_start"], actor=request.user)
        except ValidationError as error:
            form.add_error("year_start", error)
        else:
            return _back(report)
    return render(
        request, "reports/list.html", {"title": "Annual reports", "reports": Report.objects.all(), "form": form}
    )


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def report_detail(request, year: int):
    """The report's front page: where it stands, the figures, and the chapters as a task
    list, each opening its own page (the whole report reads on the preview)."""
    report = _report(year)
    content = assembly.report_content(report)
    partners = services.statutory_partners()
    signed = {s.organisation_id: s for s in report.sign_offs.select_related("person", "organisation")}
    sign_off_form = None
    if report.status == Report.Status.IN_REVIEW and has_perm(request.user, Perm.MANAGE_REPORT):
        unsigned = partners.exclude(pk__in=signed)
        sign_off_form = SignOffForm(lead_partner_posts=services.lead_partner_posts(unsigned, timezone.localdate()))
    return render(
        request,
        "reports/detail.html",
        {
            "title": f"Annual report {report.year_label}",
            "report": report,
            "content": content,
            "rows": chapter_rows(report, content),
            "checklist": checklist(content),
            "partners": partners,
            "signed": signed,
            "sign_off_form": sign_off_form,
            "panel_form": PanelSentForm() if hasattr(report, "edition") else None,
        },
    )


def _markup(text: str):
    return to_html(text, govuk=True)


def _figure_path(report: Report, section: str, key: str) -> str:
    return reverse("reports:figure", kwargs={"year": report.year_start, "section": section, "key": key})


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def build_progress(request, year: int):
    report = _report(year)
    template = "reports/_build_progress.html" if request.headers.get("HX-Request") else "reports/build_progress.html"
    return render(request, template, {"title": f"Building the {report.year_label} figures", "report": report})


@permission_required(Perm.EDIT_REPORT)
def build_start(request, year: int):
    report = _report(year)
    if request.method == "POST":
        try:
            services.report_build_start(report=report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        # No success message: it would stay on the page after the build; the progress
        # area says "Building…" while it runs and goes when it is done.
    return _back(report, "build")


@permission_required(Perm.EDIT_REPORT)
def section_edit(request, year: int, key: str):
    report = _report(year)
    chapter = report_sections.section(key)
    if chapter is None:
        raise Http404("No such chapter.")
    narrative = report.narratives.filter(section_key=key).first()
    form = NarrativeForm(request.POST or None, initial={"text": narrative.text if narrative else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(report=report, section_key=key, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{chapter.title}” saved.")
            return _chapter(report, key)
    return render(
        request,
        "reports/section_edit.html",
        {
            "title": f"Edit: {chapter.title}",
            "report": report,
            "chapter": chapter,
            "form": form,
            "versions": list(narrative.versions.all()[:20]) if narrative else [],
        },
    )


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def comment_add(request, year: int, key: str):
    report = _report(year)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_add(report=report, section_key=key, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Comment added.")
    return _chapter(report, key)


@permission_required(Perm.EDIT_REPORT)
def comment_resolve(request, year: int, pk: int):
    report = _report(year)
    comment = get_object_or_404(Comment, pk=pk, report=report)
    if request.method == "POST":
        services.comment_resolve(comment=comment, actor=request.user)
    return _chapter(report, comment.section_key)


@permission_required(Perm.MANAGE_REPORT)
def status_change(request, year: int):
    """Send for review, or back to draft."""
    report = _report(year)
    if request.method == "POST":
        try:
            if request.POST.get("to") == "in_review":
                services.report_submit_for_review(report=report, actor=request.user)
            elif request.POST.get("to") == "draft":
                services.report_return_to_draft(report=report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The report is now {report.get_status_display().lower()}.")
    return _back(report, "status")


@permission_required(Perm.MANAGE_REPORT)
def sign_off(request, year: int):
    report = _report(year)
    posts = services.lead_partner_posts(services.statutory_partners(), timezone.localdate())
    form = SignOffForm(request.POST or None, lead_partner_posts=posts)
    if request.method == "POST" and form.is_valid():
        post = form.cleaned_data["lead_partner"]
        try:
            services.sign_off_record(
                report=report,
                organisation=post.organisation,
                person=post.person,
                signed_on=form.cleaned_data["signed_on"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Sign-off recorded.")
    elif request.method == "POST":
        messages.error(request, "Choose the Lead Partner who signed, and give the date as day/month/year.")
    return _back(report, "status")


@permission_required(Perm.MANAGE_REPORT)
def panel_sent(request, year: int):
    report = _report(year)
    edition = getattr(report, "edition", None)
    form = PanelSentForm(request.POST or None)
    if edition is not None and request.method == "POST" and form.is_valid():
        try:
            services.panel_copy_sent(edition=edition, sent_on=form.cleaned_data["sent_on"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Recorded: the copy went to the National Panel.")
    return _back(report, "status")


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def figure(request, year: int, section: str, key: str):
    """How one figure of the draft was computed: from which records, for which window,
    when; and the page that shows the working."""
    report = _report(year)
    content = assembly.report_content(report)
    return _figure_page(request, content, section, key, back=_chapter(report, section)["Location"])


def _figure_page(request, content: dict, section: str, key: str, *, back: str):
    chapter = next((c for c in content["sections"] if c["key"] == section), None)
    found = None
    if chapter:
        found = next((f for f in chapter["content"]["figures"] if f["key"] == key), None)
    if found is None:
        raise Http404("No such figure.")
    return render(
        request,
        "reports/figure.html",
        {"title": found["label"], "chapter": chapter, "figure": found, "content": content, "back": back},
    )


@permission_required(Perm.VIEW_REPORT_DRAFTS)
def draft_download(request, year: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    report = _report(year)
    content = assembly.report_content(report)
    content["draft"] = True
    if fmt == "docx":
        from safeguarding.reports.word import report_docx  # python-docx is slow to load: only here

        data = report_docx(content)
    else:
        data = {"pdf": outputs.report_pdf, "csv": outputs.report_csv}[fmt](content)
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        instance=report,
        details={"format": fmt, "draft": True},
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="annual-report-{report.year_start}-draft.{fmt}"'
    return response
