import datetime

from dateutil.relativedelta import relativedelta
from django.shortcuts import render

from safeguarding.core.audit import client_ip, record_event
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.training import presentation, selectors
from safeguarding.training.forms import SummaryForm


def default_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - relativedelta(years=1) + datetime.timedelta(days=1), today


def _summary(request):
    start, end = default_window(datetime.date.today())
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
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        details={"export": f"training summary ({fmt})", "filters": request.GET.dict()},
        ip_address=client_ip(request),
    )
    name = f"training-{summary.date_from}-to-{summary.date_to}"
    tables = presentation.tables(summary)
    return csv_response(name, tables) if fmt == "csv" else xlsx_response(name, tables)


@permission_required(Perm.VIEW_TRAINING_FIGURES)
def summary_csv(request):
    return _download(request, "csv")


@permission_required(Perm.VIEW_TRAINING_FIGURES)
def summary_xlsx(request):
    return _download(request, "xlsx")
