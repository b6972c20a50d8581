"""One notification and its rapid review: the clock, the children (as "child 1" unless
the reader may read their details, with a purpose), the agencies' summaries, the
decision, the sign-offs and the Panel's reply; and the small pages that record each step,
every one through the service, a refusal shown on the field it names."""

from collections.abc import Callable

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.reviews import day_plan, reads, rules, selectors, services
from safeguarding.reviews.forms import (
    ChaseForm,
    DecisionForm,
    MeetingForm,
    NotRequiredForm,
    PanelAnswerForm,
    PanelReplyForm,
    PurposeForm,
    SendForm,
    SignOffForm,
    SummaryRequestForm,
    SummaryReturnForm,
    WithdrawSignOffForm,
)
from safeguarding.reviews.models import RapidReview
from safeguarding.reviews.selectors import RapidReviewView
from safeguarding.reviews.views.steps import step_page

RUNNING = (RapidReview.Status.OPEN, RapidReview.Status.DECIDED)


def seen_or_404(request, pk: int) -> RapidReviewView:
    seen = selectors.rapid_review_for(request.user, pk)
    if seen is None:
        raise Http404
    return seen


@permission_required(Perm.VIEW_REVIEW_DECISIONS)
def review_detail(request, pk: int):
    seen = seen_or_404(request, pk)
    review, notification = seen.review, seen.notification
    today = timezone.localdate()
    return render(
        request,
        "reviews/review.html",
        {
            "title": f"Rapid review {review.pk}",
            "seen": seen,
            "review": review,
            "notification": notification,
            "reasons": list(notification.reasons.all()),
            "attachments": list(notification.attachments.all()),
            "themes": list(review.themes.all()),
            "children": selectors.notified_children_for(request.user, notification),
            "criteria": [
                (c, getattr(review, f"{c.code}_met"), getattr(review, f"{c.code}_rationale"))
                for c in rules.REGULATION_11_CRITERIA
            ],
            "overdue": review.status in RUNNING and review.due_on < today,
            "today": today,
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
            "reads_children": has_perm(request.user, Perm.VIEW_REVIEWS),
            "cspr": getattr(review, "practice_review", None),
            "move_alerts": selectors.move_alerts_for_review(request.user, notification),
            "panel_rounds": list(review.panel_rounds.all()),
            "asked_again": review.panel_reply in services.ASKED_AGAIN,
            "suggested": selectors.suggested_agencies(request.user, review) if review.status in RUNNING else [],
        },
    )


@permission_required(Perm.VIEW_REVIEWS)
def review_children(request, pk: int):
    return children_page(request, seen_or_404(request, pk), back=reverse("reviews:review", kwargs={"pk": pk}))


def children_page(request, seen: RapidReviewView, *, back: str):
    """The children's details, each read recorded with the purpose the reader gives."""
    form = PurposeForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        shown = [
            read
            for child in selectors.notified_children_for(request.user, seen.notification)
            if (
                read := reads.notified_child_for_reader(
                    user=request.user,
                    notified_child=child,
                    purpose=form.cleaned_data["purpose"],
                    ip_address=client_ip(request),
                )
            )
            is not None
        ]
    return render(
        request,
        "reviews/children.html",
        {
            "title": f"The children of rapid review {seen.review.pk}",
            "seen": seen,
            "form": form,
            "shown": shown,
            "back": back,
        },
    )


def _step(
    request,
    pk: int,
    *,
    form_class: type[forms.Form],
    title: str,
    write: Callable[[RapidReview, dict], object],
    done: str,
    initial: dict | None = None,
    aliases: dict[str, str] | None = None,
):
    """A step of the review on its own small page (``steps.step_page``)."""
    review = seen_or_404(request, pk).review
    return step_page(
        request,
        form_class=form_class,
        title=title,
        lead=f"Rapid review {review.pk}, due {review.due_on:%-d %B %Y}",
        write=lambda data: write(review, data),
        done=done,
        back=reverse("reviews:review", kwargs={"pk": review.pk}),
        initial=initial,
        aliases=aliases,
    )


# The review's own status is not a field: its refusals show at the top of the form.
STATUS = {"rapid_review": "__all__"}


@permission_required(Perm.MANAGE_REVIEWS)
def not_required(request, pk: int):
    return _step(
        request,
        pk,
        form_class=NotRequiredForm,
        title="The case did not meet the criteria for a rapid review",
        done="Recorded: no rapid review is needed.",
        aliases=STATUS,
        write=lambda review, data: services.rapid_review_not_required(
            review=review, reason=data["not_required_reason"], decided_on=data["not_required_on"], actor=request.user
        ),
    )


def _suggesting(suggested: list) -> type[forms.Form]:
    """The request form, the organisation's hint naming the agencies that hold records
    about the children and have not been asked."""

    class Suggesting(SummaryRequestForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if suggested:
                self.fields["organisation"].help_text = (
                    "Suggested, as their systems hold records about the children: "
                    + ", ".join(organisation.name for organisation in suggested)
                )

    return Suggesting


@permission_required(Perm.MANAGE_REVIEWS)
def summary_request(request, pk: int):
    seen = seen_or_404(request, pk)
    suggested = selectors.suggested_agencies(request.user, seen.review)
    return _step(
        request,
        pk,
        form_class=_suggesting(suggested),
        title="Ask an agency for its summary",
        done="Summary requested.",
        initial={
            "requested_on": timezone.localdate(),
            "due_on": day_plan.summaries_due_on(seen.review.starts_on),
            "organisation": suggested[0].pk if suggested else None,
        },
        aliases=STATUS,
        write=lambda review, data: services.agency_summary_request(review=review, **data, actor=request.user),
    )


def _request(request, pk: int, request_pk: int):
    summary_request = selectors.summary_request_for(request.user, pk, request_pk)
    if summary_request is None:
        raise Http404
    return summary_request


@permission_required(Perm.MANAGE_REVIEWS)
def summary_chase(request, pk: int, request_pk: int):
    asked = _request(request, pk, request_pk)
    return _step(
        request,
        pk,
        form_class=ChaseForm,
        title=f"Chase {asked.organisation}'s summary",
        done="Chaser recorded.",
        initial={"chased_on": timezone.localdate()},
        write=lambda review, data: services.agency_summary_chase(request=asked, **data, actor=request.user),
    )


def record_return(request, asked, data: dict) -> None:
    services.agency_summary_return(
        review=asked.rapid_review,
        organisation=asked.organisation,
        returned_on=data["returned_on"],
        text=data["text"],
        uploaded=data["file"],
        actor=request.user,
    )


@permission_required(Perm.MANAGE_REVIEWS)
def summary_return(request, pk: int, request_pk: int):
    asked = _request(request, pk, request_pk)
    return _step(
        request,
        pk,
        form_class=SummaryReturnForm,
        title=f"Record {asked.organisation}'s summary",
        done="Summary recorded.",
        initial={"returned_on": timezone.localdate()},
        aliases={"organisation": "__all__", **STATUS},
        write=lambda review, data: record_return(request, asked, data),
    )


@permission_required(Perm.VIEW_REVIEWS)
def summary_read(request, pk: int, request_pk: int):
    """An agency's summary, read with a purpose (it is about the children)."""
    asked = _request(request, pk, request_pk)
    form = PurposeForm(request.POST or None)
    form.fields["purpose"].label = "Why are you reading this summary?"
    shown = None
    if request.method == "POST" and form.is_valid():
        shown = reads.agency_summary_for_reader(
            user=request.user, request=asked, purpose=form.cleaned_data["purpose"], ip_address=client_ip(request)
        )
    return render(
        request,
        "reviews/summary.html",
        {"title": f"{asked.organisation}'s summary", "asked": asked, "form": form, "shown": shown},
    )


def _criteria(data: dict) -> dict[str, services.CriterionDecision]:
    return {
        code: services.CriterionDecision(met=data[f"{code}_met"] == "yes", rationale=data[f"{code}_rationale"])
        for code in rules.CRITERION_CODES
    }


@permission_required(Perm.MANAGE_REVIEWS)
def decide(request, pk: int):
    seen = seen_or_404(request, pk)
    return _step(
        request,
        pk,
        form_class=DecisionForm,
        title="The decision against the four criteria",
        done="Decision recorded. Each partner signs it off next.",
        initial=DecisionForm.initial_for(seen.review) or {"decided_on": timezone.localdate()},
        aliases={"criteria": "__all__", **STATUS},
        write=lambda review, data: services.rapid_review_decide(
            review=review,
            decided_on=data["decided_on"],
            criteria=_criteria(data),
            outcome=data["outcome"],
            themes=data["themes"],
            actor=request.user,
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def sign_off(request, pk: int):
    return _step(
        request,
        pk,
        form_class=SignOffForm,
        title="Record a partner's sign-off",
        done="Sign-off recorded.",
        initial={"signed_on": timezone.localdate()},
        aliases=STATUS,
        write=lambda review, data: services.rapid_review_sign_off(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def meeting(request, pk: int):
    return _step(
        request,
        pk,
        form_class=MeetingForm,
        title="The rapid review meeting",
        done="Meeting linked: its attendance and decisions are on the meeting's page.",
        initial={"meeting": seen_or_404(request, pk).review.meeting_id},
        aliases=STATUS,
        write=lambda review, data: services.rapid_review_link_meeting(
            review=review, meeting=data["meeting"], actor=request.user
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def send_to_panel(request, pk: int):
    return _step(
        request,
        pk,
        form_class=SendForm,
        title="Sent to the National Panel",
        done="Recorded as sent to the Panel.",
        initial={"sent_to_panel_on": timezone.localdate()},
        aliases={"sign_offs": "__all__", **STATUS},
        write=lambda review, data: services.rapid_review_send_to_panel(
            review=review, sent_on=data["sent_to_panel_on"], actor=request.user
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def panel_reply(request, pk: int):
    return _step(
        request,
        pk,
        form_class=PanelReplyForm,
        title="The National Panel's reply",
        done="The Panel's reply recorded.",
        aliases=STATUS,
        write=lambda review, data: services.panel_reply_record(
            review=review,
            kind=data["panel_reply"],
            replied_on=data["panel_replied_on"],
            text=data["panel_reply_text"],
            actor=request.user,
        ),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def panel_answer(request, pk: int):
    return _step(
        request,
        pk,
        form_class=PanelAnswerForm,
        title="Answer the Panel and send the review again",
        done="Recorded: the review is with the Panel again.",
        initial={"answered_on": timezone.localdate()},
        aliases=STATUS,
        write=lambda review, data: services.panel_answer(review=review, **data, actor=request.user),
    )


@permission_required(Perm.MANAGE_REVIEWS)
def withdraw_sign_off(request, pk: int, sign_off_pk: int):
    seen = seen_or_404(request, pk)
    sign_off = next((s for s in seen.sign_offs if s.pk == sign_off_pk), None)
    if sign_off is None:
        raise Http404
    return _step(
        request,
        pk,
        form_class=WithdrawSignOffForm,
        title=f"Withdraw the {sign_off.get_partner_kind_display().lower()}'s sign-off",
        done="Sign-off withdrawn.",
        aliases=STATUS,
        write=lambda review, data: services.rapid_review_withdraw_sign_off(
            sign_off=sign_off, reason=data["reason"], actor=request.user
        ),
    )
