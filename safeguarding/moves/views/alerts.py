"""Move alerts for the MASH: the day's alerts, and one alert with its evidence and its
status from new to closed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguarding.children.reads import involvements_shown
from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.moves import reads, rules, selectors, services
from safeguarding.moves.forms import AlertUpdateForm
from safeguarding.moves.models import MoveAlert

ALERTS_PAGE_SIZE = 50


@permission_required(Perm.HANDLE_MOVE_ALERTS)
def alert_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *MoveAlert.Status.values):
        status = "open"
    page = Paginator(selectors.alerts_for(request.user, status=status), ALERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    detailed = involvements_shown(request.user)
    rows = [
        (
            alert,
            reads.involvement_text(alert, detailed=detailed),
            rules.alert_overdue(status=alert.status, raised_on=timezone.localdate(alert.raised_at), today=today),
        )
        for alert in page
    ]
    return render(
        request,
        "moves/alert_list.html",
        {
            "title": "Children who moved: alerts",
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": [("open", "Open"), *MoveAlert.Status.choices, ("all", "All")],
            "detailed": detailed,
        },
    )


def _ask_before_closing(request, alert: MoveAlert):
    """Closing ends the alert's reminders and escalation and cannot be undone, so it
    is asked once more; the answers travel on unchanged in hidden fields."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in {"csrfmiddlewaretoken", "confirmed"}
        for value in values
    ]
    return render(
        request,
        "moves/alert_close.html",
        {"title": f"Close move alert {alert.pk}?", "alert": alert, "carried": carried, "note": request.POST["note"]},
    )


@permission_required(Perm.HANDLE_MOVE_ALERTS)
def alert_detail(request, pk: int):
    alert = get_object_or_404(selectors.alerts_for(request.user, status="all"), pk=pk)
    choices = [(s, MoveAlert.Status(s).label) for s in MoveAlert.Status.values if rules.alert_can_move(alert.status, s)]
    form = AlertUpdateForm(request.POST or None, choices=choices) if choices else None
    if request.method == "POST" and form is not None and form.is_valid():
        if form.cleaned_data["status"] == MoveAlert.Status.CLOSED and request.POST.get("confirmed") != "yes":
            return _ask_before_closing(request, alert)
        try:
            services.alert_update(
                alert=alert,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                conference_held_on=form.cleaned_data["conference_held_on"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"The alert is now {MoveAlert.Status(form.cleaned_data['status']).label.lower()}."
            )
            return redirect("moves:alert", pk=alert.pk)
    seen = reads.alert_for_reader(user=request.user, alert=alert, ip_address=client_ip(request))
    today = timezone.localdate()
    return render(
        request,
        "moves/alert.html",
        {
            "title": f"Move alert {alert.pk}",
            "alert": alert,
            "child": alert.child.current(),
            "involvements": seen.involvements,
            "detailed": seen.detailed,
            "updates": list(alert.updates.all()),
            "evidence": seen.evidence,
            "withheld": seen.withheld,
            "form": form,
            "overdue": rules.alert_overdue(
                status=alert.status, raised_on=timezone.localdate(alert.raised_at), today=today
            ),
            "acknowledge_by": rules.acknowledgement_due(timezone.localdate(alert.raised_at)),
            "late": rules.found_late(alert.address_changed_on, timezone.localdate(alert.raised_at)),
            "today": today,
        },
    )
