import datetime

from django.shortcuts import render

from safeguarding.core.exports import audited_download
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
    return audited_download(
        request,
        name=f"governance-{answers.date_from}-to-{answers.date_to}",
        tables=presentation.tables(answers),
        fmt=fmt,
        label="governance answers",
    )


@permission_required(Perm.VIEW_GOVERNANCE_FIGURES)
def answers_csv(request):
    return _download(request, "csv")


@permission_required(Perm.VIEW_GOVERNANCE_FIGURES)
def answers_xlsx(request):
    return _download(request, "xlsx")
