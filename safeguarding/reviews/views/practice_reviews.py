"""Child Safeguarding Practice Reviews: the list with each review's clock, one review's
page, and the small pages that record each step through ``reviews.learning``, a refusal
shown on the field it names."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.reviews import learning, selectors
from safeguarding.reviews.forms import (
    CommissionForm,
    MonitoringForm,
    ParallelProcessForm,
    PauseForm,
    PracticeReviewOpenForm,
    PracticeReviewSendForm,
    PublishForm,
    ReportVersionForm,
    ResumeForm,
    show_refusal,
)
from safeguarding.reviews.models import PracticeReview
from safeguarding.reviews.selectors import PracticeReviewView
from safeguarding.reviews.views.steps import step_page

# The review's own state is not a field: its refusals show at the top of the form.
STATE = {"practice_review": "__all__"}


@permission_required(Perm.VIEW_REVIEW_DECISIONS)
def practice_review_list(request):
    return render(
        request,
        "reviews/practice_review_list.html",
        {
            "title": "Child Safeguarding Practice Reviews",
            "rows": selectors.practice_reviews_for(request.user),
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
        },
    )


def _seen(request, pk: int) -> PracticeReviewView:
    seen = selectors.practice_review_for(request.user, pk)
    if seen is None:
        raise Http404
    return seen


@permission_required(Perm.VIEW_REVIEW_DECISIONS)
def practice_review_detail(request, pk: int):
    seen = _seen(request, pk)
    review = seen.row.review
    return render(
        request,
        "reviews/practice_review.html",
        {
            "title": str(review),
            "seen": seen,
            "review": review,
            "themes": list(review.themes.all()),
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
            # The terms of reference and the family's involvement describe the case.
            "reads_case": has_perm(request.user, Perm.VIEW_REVIEWS),
        },
    )


@permission_required(Perm.MANAGE_REVIEWS)
def practice_review_open(request):
    rapid_review = request.GET.get("rapid_review", "")
    initial = {"decided_on": timezone.localdate()}
    if rapid_review.isdigit():
        initial |= {"origin": PracticeReview.Origin.RAPID_REVIEW, "rapid_review": int(rapid_review)}
    form = PracticeReviewOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = learning.practice_review_open(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{review.reference} opened: due to be published by {review.due_on:%-d %B %Y}.")
            return redirect("reviews:practice_review", pk=review.pk)
    return render(request, "core/form_page.html", {"title": "Open a Child Safeguarding Practice Review", "form": form})


def _step(
    request,
    pk: int,
    *,
    form_class: Callable[..., forms.Form],
    title: str,
    write: Callable[[PracticeReview, dict], object],
    done: str,
    initial: dict | None = None,
    aliases: dict[str, str] | None = None,
):
    review = _seen(request, pk).row.review
    return step_page(
        request,
        form_class=form_class,
        title=title,
        lead=f"{review}, due to be published by {review.due_on:%-d %B %Y}",
        write=lambda data: write(review, data),
        done=done,
        back=reverse("reviews:practice_review", kwargs={"pk": review.pk}),
        initial=initial,
        aliases={**STATE, **(aliases or {})},
    )


@permission_required(Perm.MANAGE_REVIEWS)
def commission(request, pk: int):
    review = _seen(request, pk).row.review
    initial = {
        "reviewer_name": review.reviewer_name,
        "reviewer_organisation": review.reviewer_organisation,
        "contract_starts_on": review.contract_starts_on,
        "contract_ends_on": review.contract_ends_on,
        "terms_of_reference": review.terms_of_reference,
        "methodology": review.methodology,
        "family_involvement": review.family_involvement,
        "themes": [theme.pk for theme in review.themes.all()],
    }
    return _step(
        request,
        pk,
        form_class=CommissionForm,
        title="The reviewer and the terms of reference",
        done="The commission is recorded.",
        initial=initial,
        write=lambda review, data: learning.practice_review_commission(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def parallel_process(request, pk: int):
    return _step(
        request,
        pk,
        form_class=ParallelProcessForm,
        title="A process running beside the review",
        done="The parallel process is recorded.",
        write=lambda review, data: learning.parallel_process_add(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def pause(request, pk: int):
    review = _seen(request, pk).row.review
    return _step(
        request,
        pk,
        form_class=lambda *args, **kwargs: PauseForm(*args, review=review, **kwargs),
        title="Pause the review",
        done="The pause is recorded. The 6 months still run: the report shows the pause beside them.",
        initial={"paused_on": timezone.localdate()},
        write=lambda review, data: learning.practice_review_pause(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def resume(request, pk: int):
    return _step(
        request,
        pk,
        form_class=ResumeForm,
        title="Work on the review resumed",
        done="Recorded: the review is under way again.",
        initial={"resumed_on": timezone.localdate()},
        write=lambda review, data: learning.practice_review_resume(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def report_version(request, pk: int):
    return _step(
        request,
        pk,
        form_class=ReportVersionForm,
        title="A draft or the final report",
        done="The report is recorded.",
        initial={"received_on": timezone.localdate()},
        write=lambda review, data: learning.report_version_record(
            review=review,
            kind=data["kind"],
            received_on=data["received_on"],
            note=data["note"],
            uploaded=data["file"],
            actor=request.user,
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def monitoring(request, pk: int):
    return _step(
        request,
        pk,
        form_class=MonitoringForm,
        title="The partners' check on time and quality",
        done="The check is recorded.",
        initial={"checked_on": timezone.localdate()},
        write=lambda review, data: learning.monitoring_record(
            review=review,
            checked_on=data["checked_on"],
            on_time=data["on_time"] == "yes",
            quality_assured=data["quality_assured"] == "yes",
            note=data["note"],
            actor=request.user,
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def send_to_panel(request, pk: int):
    return _step(
        request,
        pk,
        form_class=PracticeReviewSendForm,
        title="The final report sent to the Panel and the Secretary of State",
        done="Recorded as sent. It may be published once the working days before publication have passed.",
        initial={"sent_to_panel_on": timezone.localdate()},
        write=lambda review, data: learning.practice_review_send_to_panel(
            review=review, sent_on=data["sent_to_panel_on"], actor=request.user
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def publish(request, pk: int):
    return _step(
        request,
        pk,
        form_class=PublishForm,
        title="Publication",
        done="Recorded as published.",
        initial={"published_on": timezone.localdate(), "redaction_checked_on": timezone.localdate()},
        write=lambda review, data: learning.practice_review_publish(review=review, **data, actor=request.user),
    )
