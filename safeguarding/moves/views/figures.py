"""Question 10 as figures: children with an open involvement who moved in or out, the
window beside the year before, on the page and as CSV or XLSX. Who may see small
numbers is decided here, on the server, for the page and the downloads alike."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from safeguarding.core.exports import audited_download
from safeguarding.core.forms import WindowForm
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.core.windows import last_twelve_months
from safeguarding.moves import presentation, rules
from safeguarding.moves.figures import MoveFigures, move_figures


def _figures(request) -> tuple[WindowForm, MoveFigures, MoveFigures, bool]:
    """The window from the query string (the twelve months ending today unless asked),
    its figures and the year before's, hidden for readers who may not see small numbers."""
    today = datetime.date.today()
    start, end = last_twelve_months(today)
    form = WindowForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    now = move_figures(start=start, end=end, today=today)
    before = now.year_before()
    hidden = not has_perm(request.user, Perm.VIEW_UNSUPPRESSED)
    if hidden:
        threshold = settings.SUPPRESSION_THRESHOLD
        now, before = presentation.published(now, threshold), presentation.published(before, threshold)
    return form, now, before, hidden


@permission_required(Perm.VIEW_MOVE_FIGURES)
def figures(request):
    form, now, before, hidden = _figures(request)
    return render(
        request,
        "moves/figures.html",
        {
            "title": "Children who moved in or out",
            "form": form,
            "now": now,
            "before": before,
            "tables": presentation.tables(now, before),
            "notes": presentation.notes(now, before, hidden=hidden, threshold=settings.SUPPRESSION_THRESHOLD),
            "hidden": hidden,
            "found_late_days": rules.FOUND_LATE_AFTER_WORKING_DAYS,
            "conference_days": rules.TRANSFER_IN_CONFERENCE_WORKING_DAYS,
            "query": request.GET.urlencode(),
        },
    )


@permission_required(Perm.VIEW_MOVE_FIGURES)
def figures_download(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, now, before, hidden = _figures(request)
    return audited_download(
        request,
        name=f"children-who-moved-{now.start}-to-{now.end}",
        tables=presentation.download_tables(now, before, hidden=hidden, threshold=settings.SUPPRESSION_THRESHOLD),
        fmt=fmt,
        label="children who moved (question 10)",
    )
