import datetime

from django.shortcuts import render

from safeguarding.core.exports import audited_download
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.core.windows import last_twelve_months
from safeguarding.training import presentation, selectors
from safeguarding.training.forms import SummaryForm


def _summary(request):
    start, end = last_twelve_months(datetime.date.today())
    form = SummaryForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, selectors.training_summary(user=request.user, date_from=start, date_to=end)


@permission_required(Perm.VIEW_TRAINING_FIGURES)
def summary_page(request):
    form, summary = _summary(request)
    return render(
        request,
        "training/summary.html",
        {
            "title": "Training reach, attendance and impact",
            "form": form,
            "summary": summary,
            "charts": presentation.charts(summary),
            "percent": presentation.percent,
            "query": request.GET.urlencode(),
        },
    )


def _download(request, fmt: str):
    _, summary = _summary(request)
    return audited_download(
        request,
        name=f"training-{summary.date_from}-to-{summary.date_to}",
        tables=presentation.tables(summary),
        fmt=fmt,
        label="training summary",
    )


@permission_required(Perm.VIEW_TRAINING_FIGURES)
def summary_csv(request):
    return _download(request, "csv")


@permission_required(Perm.VIEW_TRAINING_FIGURES)
def summary_xlsx(request):
    return _download(request, "xlsx")
