"""Publishing the report: a page that asks first (saying what will happen, and warning
when the data changed after the figures were built), then the worker publishes while a
page shows how far it has gone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reports import services
from safeguarding.reports.forms import PublishConfirmForm
from safeguarding.reports.freshness import changes_since_build, figures_as_of
from safeguarding.reports.models import Report
from safeguarding.reports.views.drafts import _back, _report


@permission_required(Perm.MANAGE_REPORT)
def publish(request, year: int):
    """GET asks "Are you sure?"; only the confirming POST starts publication."""
    report = _report(year)
    if report.publish_status in (Report.PublishStatus.QUEUED, Report.PublishStatus.RUNNING):
        return redirect("reports:publish_progress", year=report.year_start)
    if report.status != Report.Status.SIGNED_OFF:
        messages.error(request, "Only a report signed off by every Lead Partner can be published.")
        return _back(report, "status")
    changes = changes_since_build(report)
    form = PublishConfirmForm(request.POST if request.method == "POST" else None, out_of_date=bool(changes))
    if request.method == "POST" and form.is_valid():
        understood = bool(form.cleaned_data.get("understood"))
        reason = "Confirmed on the publish page"
        if changes:
            reason += "; understood the figures are out of date: " + " ".join(changes)
        try:
            services.report_publish_start(
                report=report, actor=request.user, reason=reason, figures_out_of_date_understood=understood
            )
        except services.FiguresOutOfDate as stale:
            form.add_error("understood" if "understood" in form.fields else None, stale.messages[-1])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back(report, "status")
        else:
            return redirect("reports:publish_progress", year=report.year_start)
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "title": f"Are you sure you want to publish the {report.year_label} annual report?",
            "report": report,
            "changes": changes,
            "as_of": figures_as_of(report),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@permission_required(Perm.MANAGE_REPORT)
def publish_progress(request, year: int):
    """Polled by htmx every two seconds while the worker publishes; once published, the
    poll sends the browser to the public edition."""
    report = _report(year)
    edition = getattr(report, "edition", None)
    if request.headers.get("HX-Request"):
        template = "reports/_publish_progress.html"
    else:
        template = "reports/publish_progress.html"
    response = render(
        request,
        template,
        {"title": f"Publishing the {report.year_label} annual report", "report": report, "edition": edition},
    )
    if request.headers.get("HX-Request") and edition is not None:
        response["HX-Redirect"] = reverse("reports:edition", kwargs={"slug": edition.slug})
    return response
