"""Actions, priorities, information sharing agreements and the scrutiny log."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.accounts.models import Organisation
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.governance import rules, selectors, services
from safeguarding.governance.forms import (
    ActionForm,
    ActionUpdateForm,
    AgreementForm,
    PriorityForm,
    PriorityUpdateForm,
    RecommendationForm,
    ResponseForm,
)
from safeguarding.governance.models import Action

ACTIONS_PAGE_SIZE = 50


def _next_action_reference(today: datetime.date) -> str:
    prefix = f"A{today:%Y}-"
    taken = Action.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


@permission_required(Perm.VIEW_GOVERNANCE)
def action_list(request):
    today = datetime.date.today()
    organisation_code = request.GET.get("organisation", "")
    show = request.GET.get("show", "open")
    organisation = Organisation.objects.filter(code=organisation_code).first() if organisation_code else None
    actions = selectors.actions(user=request.user, organisation=organisation, open_only=show in ("open", "overdue"))
    if show == "overdue":
        actions = actions.filter(due_on__lt=today, is_decision=False)
    page = Paginator(actions, ACTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "action": a,
            "overdue": rules.action_is_overdue(status=a.status, due_on=a.due_on, today=today) and not a.is_decision,
        }
        for a in page.object_list
    ]
    owners = Organisation.objects.filter(actions__isnull=False).distinct().order_by("name")
    return render(
        request,
        "governance/action_list.html",
        {
            "title": "Actions and decisions",
            "page": page,
            "rows": rows,
            "owners": owners,
            "organisation_code": organisation_code,
            "show": show,
        },
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def action_create(request):
    form = ActionForm(
        request.POST or None,
        initial={"meeting": request.GET.get("meeting"), "recommendation": request.GET.get("recommendation")},
    )
    if request.method == "POST" and form.is_valid():
        today = datetime.date.today()
        action = services.action_create(
            reference=_next_action_reference(today), created_on=today, **form.cleaned_data, actor=request.user
        )
        messages.success(request, f"{action.reference} recorded.")
        return redirect("governance:action", pk=action.pk)
    return render(request, "core/form_page.html", {"title": "Record an action or decision", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def action_detail(request, pk: int):
    action = get_object_or_404(selectors.actions(user=request.user), pk=pk)
    form = None
    if selectors.may_update_action(request.user, action):
        form = ActionUpdateForm(
            request.POST or None, initial={"on": datetime.date.today(), "status_after": action.status}
        )
        if request.method == "POST" and form.is_valid():
            services.action_add_update(action=action, **form.cleaned_data, actor=request.user)
            messages.success(request, "Update recorded.")
            return redirect("governance:action", pk=action.pk)
    elif request.method == "POST":
        raise Http404
    overdue = rules.action_is_overdue(status=action.status, due_on=action.due_on, today=datetime.date.today())
    return render(
        request,
        "governance/action_detail.html",
        {
            "title": action.reference,
            "action": action,
            "updates": action.updates.all(),
            "form": form,
            "overdue": overdue and not action.is_decision,
        },
    )


@permission_required(Perm.VIEW_GOVERNANCE)
def priority_list(request):
    return render(
        request,
        "governance/priority_list.html",
        {"title": "Strategic priorities", "priorities": selectors.priorities(user=request.user)},
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def priority_create(request):
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{priority.title} added.")
            return redirect("governance:priority", code=priority.code)
    return render(request, "core/form_page.html", {"title": "Add a strategic priority", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def priority_detail(request, code: str):
    priority = get_object_or_404(selectors.priorities(user=request.user), code=code)
    form = None
    if has_perm(request.user, Perm.MANAGE_GOVERNANCE):
        form = PriorityUpdateForm(request.POST or None, initial={"on": datetime.date.today()})
        if request.method == "POST" and form.is_valid():
            services.priority_add_update(priority=priority, **form.cleaned_data, actor=request.user)
            messages.success(request, "Progress update recorded.")
            return redirect("governance:priority", code=priority.code)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "governance/priority_detail.html",
        {"title": priority.title, "priority": priority, "updates": priority.updates.all(), "form": form},
    )


@permission_required(Perm.VIEW_GOVERNANCE)
def agreement_list(request):
    today = datetime.date.today()
    rows = [
        {"agreement": a, "overdue": rules.agreement_review_overdue(review_due_on=a.review_due_on, today=today)}
        for a in selectors.agreements(user=request.user)
    ]
    return render(request, "governance/agreement_list.html", {"title": "Information sharing agreements", "rows": rows})


@permission_required(Perm.MANAGE_GOVERNANCE)
def agreement_create(request):
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{agreement.reference} added to the register.")
            return redirect("governance:agreement", pk=agreement.pk)
    return render(request, "core/form_page.html", {"title": "Add an information sharing agreement", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def agreement_detail(request, pk: int):
    agreement = get_object_or_404(selectors.agreements(user=request.user), pk=pk)
    overdue = rules.agreement_review_overdue(review_due_on=agreement.review_due_on, today=datetime.date.today())
    return render(
        request,
        "governance/agreement_detail.html",
        {"title": agreement.title, "agreement": agreement, "overdue": overdue},
    )


@permission_required(Perm.VIEW_GOVERNANCE)
def agreement_document(request, pk: int):
    agreement = get_object_or_404(selectors.agreements(user=request.user), pk=pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=agreement.document.name.rsplit("/", 1)[-1]
    )


@permission_required(Perm.VIEW_GOVERNANCE)
def scrutiny_list(request):
    return render(
        request,
        "governance/scrutiny_list.html",
        {"title": "Independent scrutiny", "recommendations": selectors.recommendations(user=request.user)},
    )


@permission_required(Perm.RECORD_SCRUTINY)
def recommendation_create(request):
    form = RecommendationForm(request.POST or None, initial={"made_on": datetime.date.today()})
    person = request.user.person
    if person is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            item = services.recommendation_create(**form.cleaned_data, scrutineer=person, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Recommendation {item.reference} recorded.")
            return redirect("governance:scrutiny")
    return render(request, "core/form_page.html", {"title": "Record a scrutiny recommendation", "form": form})


def _organisations_user_may_answer_for(user, recommendation):
    addressed = recommendation.addressed_to.all()
    if has_perm(user, Perm.MANAGE_GOVERNANCE):
        return addressed
    person = user.person
    if person is None:
        return addressed.none()
    return addressed.filter(Q(posts__person=person) & Q(posts__ended_on__isnull=True)).distinct()


@permission_required(Perm.RESPOND_TO_SCRUTINY)
def response_record(request, pk: int):
    recommendation = get_object_or_404(selectors.recommendations(user=request.user), pk=pk)
    organisations = _organisations_user_may_answer_for(request.user, recommendation)
    form = ResponseForm(
        request.POST or None, organisations=organisations, initial={"responded_on": datetime.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        services.response_record(recommendation=recommendation, **form.cleaned_data, actor=request.user)
        messages.success(request, "Response recorded.")
        return redirect("governance:scrutiny")
    return render(
        request,
        "core/form_page.html",
        {
            "title": f"Respond to recommendation {recommendation.reference}",
            "form": form,
            "lead": recommendation.recommendation,
        },
    )
