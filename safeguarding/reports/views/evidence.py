"""The scrutiny evidence pack: the brief's ten questions answered from the data for a
chosen 12-month window (published figures: small numbers suppressed), as a page and a
PDF. A question whose area is not built yet says so (5 and 6: audits); the others come
from each area's recorded data through the questions it registers."""

import datetime

from django.http import HttpResponse
from django.shortcuts import render

from safeguarding.core import report_sections
from safeguarding.core.audit import record_event
from safeguarding.core.forms import WindowForm
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.core.report_sections import SectionContent, Window
from safeguarding.core.windows import last_twelve_months
from safeguarding.reports.outputs import evidence_pack_pdf as render_pdf


def _pack(request) -> tuple[WindowForm, Window, list]:
    start, end = last_twelve_months(datetime.date.today())
    form = WindowForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    window = Window(start, end)
    answers = [
        (question, question.build(window) if question.build else SectionContent(unavailable=question.not_built))
        for question in report_sections.questions()
    ]
    return form, window, answers


@permission_required(Perm.VIEW_EVIDENCE_PACK)
def evidence_pack(request):
    form, window, answers = _pack(request)
    return render(
        request,
        "reports/evidence_pack.html",
        {
            "title": "Scrutiny evidence pack",
            "form": form,
            "window": window,
            "answers": answers,
            "query": request.GET.urlencode(),
        },
    )


@permission_required(Perm.VIEW_EVIDENCE_PACK)
def evidence_pack_pdf(request):
    _form, window, answers = _pack(request)
    data = render_pdf(window, answers)
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        details={"what": "scrutiny evidence pack", "from": window.start.isoformat(), "to": window.end.isoformat()},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-pack-{window.start}-to-{window.end}.pdf"'
    return response
