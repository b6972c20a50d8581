"""Linkage pages: the overview (counts, model weights, runs), loading records, full
runs with their progress, and the review queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguarding.children import lookup_purpose, reads, selectors, services
from safeguarding.children import records as record_checks
from safeguarding.children.forms import LookupForm, RecordsUploadForm, ReviewDecisionForm, RunForm
from safeguarding.children.models import LinkageRun, MatchReview, Source
from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import Perm, Role, has_perm, permission_required, user_roles

REVIEWS_PAGE_SIZE = 50


@permission_required(Perm.VIEW_LINKAGE)
def overview(request):
    return render(
        request,
        "children/overview.html",
        {
            "title": "Children's records and linkage",
            "summary": selectors.linkage_summary(request.user),
            "run_form": RunForm() if has_perm(request.user, Perm.RUN_LINKAGE) else None,
            "columns": record_checks.COLUMNS,
            "involvement_columns": record_checks.INVOLVEMENT_COLUMNS,
            "field_label": selectors.field_label,
        },
    )


@permission_required(Perm.RUN_LINKAGE)
def run_start(request):
    form = RunForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return redirect("children:overview")
    try:
        run = services.linkage_run_start(
            actor=request.user, backend=form.cleaned_data["backend"], reuse_model=form.cleaned_data["reuse_model"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("children:overview")
    messages.success(request, "The linkage run has started; this page shows its progress.")
    return redirect("children:run", pk=run.pk)


@permission_required(Perm.VIEW_LINKAGE)
def run_detail(request, pk: int):
    run = get_object_or_404(LinkageRun.objects.select_related("model"), pk=pk)
    template = "children/_run_progress.html" if request.headers.get("HX-Request") else "children/run.html"
    return render(request, template, {"title": f"Linkage run {run.pk}", "run": run})


@permission_required(Perm.IMPORT_CHILD_RECORDS)
def records_upload(request):
    form = RecordsUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = record_checks.read_table(upload.name, upload.read())
            checked = record_checks.check_rows(
                upload.name,
                rows,
                known_sources=set(Source.objects.filter(is_active=True).values_list("code", flat=True)),
                today=timezone.localdate(),
            )
            _refuse_foreign_sources(upload.name, checked, request.user)
        except record_checks.RecordsRefused as refused:
            errors = refused.errors
        else:
            report = services.records_receive(
                checked,
                actor=request.user,
                origin="upload",
                file_name=upload.name,
                reason=form.cleaned_data["reason"],
            )
            counts, matched = report.imported.counts, report.matched
            messages.success(
                request,
                f"{upload.name}: {counts['created']} new records, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged; {matched.linked} linked to known children, "
                f"{matched.new_children} new children, {matched.queued_for_review} pairs for review.",
            )
            # The delivery's page lists the cells kept but flagged, by column with examples.
            return redirect("children:delivery", pk=report.imported.batch.pk)
    return render(
        request,
        "children/upload.html",
        {
            "title": "Load agency records",
            "form": form,
            "errors": errors,
            "columns": record_checks.COLUMNS,
            "involvement_columns": record_checks.INVOLVEMENT_COLUMNS,
            "unborn_columns": record_checks.UNBORN_COLUMNS,
        },
    )


def _refuse_foreign_sources(file_name: str, checked, user) -> None:
    """An upload writes only the uploader's own organisation's systems, as the API does
    for a token (administrators load for anyone): another agency's record re-sent with a
    new address would raise a false move alert or hide a real one."""
    allowed = selectors.sources_loadable_by(user)
    errors = [
        f"{file_name}, row {record.row}, column source: '{record.source}' is not one of your organisation's "
        f"systems; you may load only your own ({', '.join(sorted(allowed)) or 'none registered'})."
        for record in checked
        if record.source not in allowed
    ]
    if errors:
        raise record_checks.RecordsRefused(errors)


@permission_required(Perm.REVIEW_MATCHES)
def review_list(request):
    status = request.GET.get("status", MatchReview.Status.PENDING)
    if status not in MatchReview.Status.values:
        status = MatchReview.Status.PENDING
    page = Paginator(selectors.review_queue(request.user, status), REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "children/review_list.html",
        {"title": "Possible matches to review", "page": page, "status": status, "statuses": MatchReview.Status},
    )


@permission_required(Perm.REVIEW_MATCHES)
def review_detail(request, pk: int):
    # A pair the reader may not read both sides of is not found, rather than refused:
    # the answer must not say that another agency holds a record.
    review = get_object_or_404(selectors.reviews_for(request.user), pk=pk)
    form = ReviewDecisionForm(request.POST or None) if review.status == MatchReview.Status.PENDING else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.review_decide(
                review=review,
                same_child=form.cleaned_data["decision"] == "same",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded. It will hold in every later linkage run.")
            return redirect("children:reviews")
    comparison = reads.review_for_reader(user=request.user, review=review, ip_address=client_ip(request))
    return render(
        request,
        "children/review.html",
        {
            "title": "Are these the same child?",
            "review": review,
            "form": form,
            "field_label": selectors.field_label,
            **comparison,
        },
    )


@permission_required(Perm.VIEW_CHILD_RECORDS)
def lookup(request):
    """ "Is this child known to any agency?" Every search, and every child it finds, is
    recorded with the purpose given; the children it found open with that purpose
    (``lookup_purpose``), each opening recorded again."""
    form = LookupForm(request.POST or None)
    results, search_id = None, ""
    if request.method == "POST" and form.is_valid():
        results = reads.lookup_for_reader(
            user=request.user, details=form.details(), purpose=form.purpose_text(), ip_address=client_ip(request)
        )
        if results:
            search_id = lookup_purpose.remember_search(
                request.session, reason=form.reason_text(), references=[r.reference for r in results]
            )
    return render(
        request,
        "children/lookup.html",
        {
            "title": "Is this child known?",
            "form": form,
            "results": results,
            "search_id": search_id,
            "searched": request.method == "POST",
        },
    )


@permission_required(Perm.VIEW_CHILD_ACCESS_LOG)
def access_log(request):
    """Who looked at a child's record, when and why; opening it is itself recorded."""
    reference = request.GET.get("child", "").strip()
    seen = reads.access_log_for_reader(user=request.user, reference=reference, ip_address=client_ip(request))
    return render(
        request,
        "children/access_log.html",
        {
            "title": "Who looked at a child's record",
            "reference": reference,
            "child": seen.child,
            "log": seen.log,
            "scoped_to_agency": not (user_roles(request.user) & {Role.BUSINESS_MANAGER, Role.ADMINISTRATOR}),
        },
    )
