"""The recommendations tracker: every recommendation from every source of learning, with
open, overdue and closed counts by source, organisation and theme; one recommendation's
page with its actions (governance actions) and its evidence of impact; and the pages that
add them and close it, through ``reviews.learning``."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.core.tables import Table
from safeguarding.reviews import learning, presentation, selectors
from safeguarding.reviews.forms import (
    CloseRecommendationForm,
    ImpactEvidenceForm,
    NationalReviewForm,
    RecommendationActionForm,
    RecommendationForm,
    show_refusal,
)
from safeguarding.reviews.models import LearningRecommendation, ReviewTheme
from safeguarding.reviews.views.steps import step_page


def _tally_table(caption: str, first: str, tallies: list[presentation.Tally]) -> Table:
    return Table(
        caption=caption,
        columns=[first, "Open", "Of which overdue", "Closed"],
        rows=[[t.label, t.open, t.overdue, t.closed] for t in tallies],
    )


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@permission_required(Perm.VIEW_RECOMMENDATIONS)
def recommendation_list(request):
    """All recommendations for the business unit, the Board and the scrutineer; an agency
    lead's own agency's. Filters by source, organisation and theme."""
    source = request.GET.get("source", "")
    source = source if source in LearningRecommendation.Source.values else ""
    organisation_id = _number(request.GET.get("organisation", ""))
    theme_id = _number(request.GET.get("theme", ""))
    every = selectors.recommendations_for(request.user)
    rows = selectors.recommendations_for(
        request.user, source=source, organisation_id=organisation_id, theme_id=theme_id
    )
    return render(
        request,
        "reviews/recommendation_list.html",
        {
            "title": "Recommendations",
            "rows": rows,
            "tables": [
                _tally_table("By source", "Source", presentation.recommendation_tallies(every, "source")),
                _tally_table(
                    "By organisation", "Organisation", presentation.recommendation_tallies(every, "organisation")
                ),
                _tally_table("By theme", "Theme", presentation.recommendation_tallies(every, "theme")),
            ],
            "sources": LearningRecommendation.Source.choices,
            "organisations": Organisation.objects.filter(
                pk__in={row.recommendation.owner_organisation_id for row in every}
            ).order_by("name"),
            "themes": ReviewTheme.objects.filter(is_active=True),
            "chosen": {"source": source, "organisation": organisation_id, "theme": theme_id},
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
        },
    )


@permission_required(Perm.MANAGE_REVIEWS)
def recommendation_create(request):
    initial: dict = {"made_on": timezone.localdate()}
    cspr = _number(request.GET.get("cspr", ""))
    if cspr:  # from a CSPR's page
        initial |= {"source": LearningRecommendation.Source.PRACTICE_REVIEW, "practice_review": cspr}
    form = RecommendationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = learning.recommendation_create(
                origin=data["origin"],
                text=data["text"],
                owner_organisation=data["owner_organisation"],
                made_on=data["made_on"],
                due_on=data["due_on"],
                themes=data["themes"],
                actor=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error, {"origin": "source"})
        else:
            messages.success(request, f"{recommendation.reference} recorded. Add its SMART actions next.")
            return redirect("reviews:recommendation", pk=recommendation.pk)
    return render(request, "core/form_page.html", {"title": "Record a recommendation", "form": form})


@permission_required(Perm.MANAGE_REVIEWS)
def national_review_create(request):
    form = NationalReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learning.national_review_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "National review recorded: its recommendations can now be added.")
            return redirect("reviews:recommendation_create")
    return render(request, "core/form_page.html", {"title": "Record a national review", "form": form})


def _seen(request, pk: int):
    seen = selectors.recommendation_for(request.user, pk)
    if seen is None:
        raise Http404
    return seen


@permission_required(Perm.VIEW_RECOMMENDATIONS)
def recommendation_detail(request, pk: int):
    row, evidence = _seen(request, pk)
    return render(
        request,
        "reviews/recommendation.html",
        {
            "title": row.recommendation.reference,
            "seen": row,
            "recommendation": row.recommendation,
            "evidence": evidence,
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
            "sees_actions": has_perm(request.user, Perm.VIEW_GOVERNANCE),
        },
    )


def _step(
    request,
    pk: int,
    *,
    form_class: type[forms.Form],
    title: str,
    write: Callable[[LearningRecommendation, dict], object],
    done: str,
    initial: dict | None = None,
):
    recommendation = _seen(request, pk)[0].recommendation
    return step_page(
        request,
        form_class=form_class,
        title=title,
        lead=recommendation.reference,
        write=lambda data: write(recommendation, data),
        done=done,
        back=reverse("reviews:recommendation", kwargs={"pk": recommendation.pk}),
        initial=initial,
        aliases={"recommendation": "__all__", "impact": "__all__", "actions": "__all__"},
    )


@permission_required(Perm.MANAGE_REVIEWS)
def action_add(request, pk: int):
    return _step(
        request,
        pk,
        form_class=RecommendationActionForm,
        title="Add a SMART action",
        done="Action added: its owner updates it on the actions log.",
        write=lambda recommendation, data: learning.recommendation_add_action(
            recommendation=recommendation, **data, created_on=timezone.localdate(), actor=request.user
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def impact_add(request, pk: int):
    return _step(
        request,
        pk,
        form_class=ImpactEvidenceForm,
        title="Record evidence of impact",
        done="Evidence of impact recorded.",
        initial={"recorded_on": timezone.localdate()},
        write=lambda recommendation, data: learning.impact_evidence_record(
            recommendation=recommendation, **data, actor=request.user
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def close(request, pk: int):
    return _step(
        request,
        pk,
        form_class=CloseRecommendationForm,
        title="Close the recommendation",
        done="Closed with evidence of impact.",
        initial={"closed_on": timezone.localdate()},
        write=lambda recommendation, data: learning.recommendation_close(
            recommendation=recommendation, closed_on=data["closed_on"], actor=request.user
        ),
    )
