"""Sending data returns: the upload page and a blank template."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safeguarding.accounts.selectors import current_organisation
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.performance import returns, selectors
from safeguarding.performance.forms import UploadForm
from safeguarding.performance.models import BREAKDOWNS, Indicator


@permission_required(Perm.SUBMIT_RETURNS)
def upload(request):
    organisations = selectors.organisations_user_may_submit_for(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"organisation": organisations.first()},
    )
    errors, warnings = [], []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            rows = returns.read_upload(upload_file.name, upload_file.read())
            stored = returns.submit_return(
                organisation=form.cleaned_data["organisation"],
                rows=rows,
                file_name=upload_file.name,
                source="upload",
                actor=request.user,
                submitted_by=request.user.get_username(),
                confirm_unusual=form.cleaned_data["confirm_unusual"],
            )
        except returns.ReturnRefused as refused:
            errors = refused.errors
        except returns.NeedsConfirmation as query:
            warnings = query.warnings
        else:
            messages.success(
                request,
                f"Return for {stored.period} received (version {stored.version}, {stored.values.count()} figures).",
            )
            return redirect("performance:overview")
    return render(
        request,
        "performance/upload.html",
        {
            "title": "Send a data return",
            "form": form,
            "errors": errors,
            "warnings": warnings,
            "columns": returns.COLUMNS,
            "grid": selectors.return_grid(
                today=datetime.date.today(),
                quarters=4,
                own=current_organisation(request.user),
                organisations=organisations,
            ),
        },
    )


@permission_required(Perm.SUBMIT_RETURNS)
def template_csv(request):
    """A blank return for one of the user's organisations (``?organisation=code``, or
    their own): a line for each indicator it sends, and one per breakdown value allowed."""
    organisations = selectors.organisations_user_may_submit_for(request.user)
    code = request.GET.get("organisation")
    organisation = organisations.filter(code=code).first() if code else organisations.first()
    if organisation is None and code:
        raise Http404
    kinds = [organisation.kind] if organisation else []
    localities = sorted(organisation.areas.values_list("code", flat=True)) if organisation else []
    lines = [",".join(returns.COLUMNS)]
    for indicator in Indicator.objects.filter(is_active=True, owner_kind__in=kinds).order_by("code"):
        lines.append(f"{indicator.code},,,,,")
        for breakdown in indicator.breakdowns:
            for value in localities if breakdown == "locality" else BREAKDOWNS[breakdown]:
                lines.append(f"{indicator.code},,{breakdown},{value},,")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/csv")
    name = f"data-return-template-{organisation.code}" if organisation else "data-return-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
