"""Questions 2 and 3 for any window, on a page and as CSV or XLSX: the same tables
(``presentation``), with children's small counts hidden for readers who may not see
them, decided in the selector for the page and the downloads alike."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render

from safeguarding.core.exports import audited_download
from safeguarding.core.forms import WindowForm
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.core.windows import last_twelve_months
from safeguarding.reviews import presentation, rules
from safeguarding.reviews.figures import ReviewsSummary, reviews_summary


def _summary(request) -> tuple[WindowForm, ReviewsSummary]:
    """The window from the query string (the twelve months ending today unless asked)."""
    start, end = last_twelve_months(datetime.date.today())
    form = WindowForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, reviews_summary(user=request.user, date_from=start, date_to=end)


@permission_required(Perm.VIEW_REVIEW_FIGURES)
def figures(request):
    form, summary = _summary(request)
    return render(
        request,
        "reviews/figures.html",
        {
            "title": "Serious incidents and reviews: the figures",
            "form": form,
            "summary": summary,
            "question_2": presentation.question_2(summary),
            "question_3": presentation.question_3(summary),
            "notes": presentation.notes(summary),
            "notification_days": rules.NOTIFICATION_WORKING_DAYS,
            "rapid_review_days": rules.RAPID_REVIEW_WORKING_DAYS,
            "cspr_months": rules.CSPR_MONTHS,
            "query": request.GET.urlencode(),
        },
    )


@permission_required(Perm.VIEW_REVIEW_FIGURES)
def figures_download(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, summary = _summary(request)
    return audited_download(
        request,
        name=f"reviews-{summary.date_from}-to-{summary.date_to}",
        tables=presentation.download_tables(summary),
        fmt=fmt,
        label="serious incidents and reviews (questions 2 and 3)",
    )
