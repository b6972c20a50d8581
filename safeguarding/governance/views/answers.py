import datetime

from django.shortcuts import render

from safeguarding.core.audit import client_ip, record_event
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.governance import presentation, rules, selectors
from safeguarding.governance.forms import AnswersForm


def _answers(request):
    start, end = rules.default_window(datetime.date.today())
    form = AnswersForm(request.GET or None, initial={"date_from": start, "date_to": end})
    group = None
    if form.is_bound and form.is_valid():
        start, end, group = form.cleaned_data["date_from"], form.cleaned_data["date_to"], form.cleaned_data["group"]
    answers = selectors.governance_answers(user=request.user, date_from=start, date_to=end, group=group)
    return form, answers


@permission_required(Perm.VIEW_GOVERNANCE_FIGURES)
def answers_page(request):
    form, answers = _answers(request)
    return render(
        request,
        "governance/answers.html",
        {
            "title": "Board attendance, priorities and scrutiny",
            "form": form,
            "answers": answers,
            "charts": presentation.charts(answers),
            "percent": presentation.percent,
            "query": request.GET.urlencode(),
        },
    )


def _download(request, fmt: str):
    _, answers = _answers(request)
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        details={"export": f"governance answers ({fmt})", "filters": request.GET.dict()},
        ip_address=client_ip(request),
    )
    name = f"governance-{answers.date_from}-to-{answers.date_to}"
    tables = presentation.tables(answers)
    return csv_response(name, tables) if fmt == "csv" else xlsx_response(name, tables)


@permission_required(Perm.VIEW_GOVERNANCE_FIGURES)
def answers_csv(request):
    return _download(request, "csv")


@permission_required(Perm.VIEW_GOVERNANCE_FIGURES)
def answers_xlsx(request):
    return _download(request, "xlsx")
