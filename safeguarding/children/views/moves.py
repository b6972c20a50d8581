"""Move alerts for the MASH: the day's alerts, and one alert with its evidence and its
status from new to closed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguarding.children import moves, policy, rules, selectors
from safeguarding.children.forms import AlertUpdateForm
from safeguarding.children.models import Involvement, MoveAlert
from safeguarding.core.audit import client_ip, record_child_read
from safeguarding.core.permissions import Perm, permission_required

ALERTS_PAGE_SIZE = 50


def _shows_involvements(scope: selectors.ReaderScope) -> bool:
    """Whether the reader may learn what the involvement is; a CP plan, and so the
    transfer-in conference, is one (education reads only "an open involvement")."""
    return policy.Part.INVOLVEMENTS in scope.parts


def _involvement_text(alert: MoveAlert, detailed: bool) -> str:
    if not detailed:
        return "An open involvement"
    return ", ".join(Involvement.Kind(kind).label for kind in alert.involvements)


def _shared_evidence(alert: MoveAlert, scope: selectors.ReaderScope) -> tuple[list[dict], list[str]]:
    """The evidence rows the reader's agency may read in detail (the sharing agreements,
    as on the view of a child), and the systems whose rows are withheld."""
    from safeguarding.children.models import Source

    partners = scope.partners
    if partners is None:
        return alert.evidence, []
    organisation_of = dict(Source.objects.values_list("code", "organisation_id"))
    shown, withheld = [], []
    for row in alert.evidence:
        if policy.may_read(partners, organisation_of.get(row["record"].partition(":")[0])):
            shown.append(row)
        else:
            withheld.append(row["source"])
    return shown, sorted(set(withheld))


@permission_required(Perm.HANDLE_MOVE_ALERTS)
def alert_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *MoveAlert.Status.values):
        status = "open"
    page = Paginator(selectors.alerts_for(request.user, status=status), ALERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    detailed = _shows_involvements(selectors.reader_scope(request.user))
    rows = [
        (
            alert,
            _involvement_text(alert, detailed),
            rules.alert_overdue(status=alert.status, raised_on=timezone.localdate(alert.raised_at), today=today),
        )
        for alert in page
    ]
    return render(
        request,
        "children/alert_list.html",
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
        "children/alert_close.html",
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
            moves.alert_update(
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
            return redirect("children:alert", pk=alert.pk)
    # The evidence holds addresses: a look at the child's record, for the alert's purpose.
    record_child_read(
        actor=request.user,
        instance=alert.child,
        purpose=f"Handling move alert {alert.pk}",
        ip_address=client_ip(request),
    )
    today = timezone.localdate()
    scope = selectors.reader_scope(request.user)  # once: it costs the agreements' queries
    detailed = _shows_involvements(scope)
    evidence, withheld = _shared_evidence(alert, scope)
    return render(
        request,
        "children/alert.html",
        {
            "title": f"Move alert {alert.pk}",
            "alert": alert,
            "child": alert.child.current(),
            "involvements": _involvement_text(alert, detailed),
            "detailed": detailed,
            "updates": list(alert.updates.all()),
            "evidence": evidence,
            "withheld": withheld,
            "form": form,
            "overdue": rules.alert_overdue(
                status=alert.status, raised_on=timezone.localdate(alert.raised_at), today=today
            ),
            "acknowledge_by": rules.acknowledgement_due(timezone.localdate(alert.raised_at)),
            "late": rules.found_late(alert.address_changed_on, timezone.localdate(alert.raised_at)),
            "today": today,
        },
    )
