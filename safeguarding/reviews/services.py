"""Writes for serious incidents and rapid reviews. Each takes the actor, records an audit
event for every row it writes, and refuses bad input with a ``ValidationError`` naming
the field, before anything is written (each runs in one transaction, so a refusal part
way leaves nothing behind either)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Area, Organisation, Person
from safeguarding.accounts.selectors import post_held_on
from safeguarding.children.models import Child
from safeguarding.core.audit import Actor, actor_label, record_write, snapshot
from safeguarding.core.models import AuditEvent
from safeguarding.core.services import create_audited, update_audited
from safeguarding.core.uploads import check_document
from safeguarding.governance.models import Meeting
from safeguarding.reviews import day_plan, rules
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    Chaser,
    NotificationAttachment,
    NotificationReason,
    NotifiedChild,
    PanelRound,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    ReviewTheme,
    SeriousIncidentNotification,
)

RR = RapidReview.Status


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


# Notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDetails:
    """A child the notification is about: a linked child, the minimum details, or both."""

    child: Child | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: datetime.date | None = None
    looked_after: bool = False
    care_leaver: bool = False


def _check_children(children: Sequence[ChildDetails], incident_on: datetime.date) -> None:
    if not children:
        raise _refuse("children", "Give at least one child the notification is about.")
    if len(children) > rules.CHILDREN_PER_NOTIFICATION:
        raise _refuse(
            "children",
            f"A notification is about at most {rules.CHILDREN_PER_NOTIFICATION} children: "
            f"{len(children)} were given. Notify the others separately.",
        )
    linked = [details.child.current().pk for details in children if details.child is not None]
    if len(linked) != len(set(linked)):
        raise _refuse("children", "The same linked child is given twice.")
    for ordinal, details in enumerate(children, start=1):
        if details.child is None and not (details.first_name.strip() and details.last_name.strip()):
            raise _refuse("children", f"Child {ordinal}: pick the linked child or give a first and last name.")
        born = details.date_of_birth
        if born is not None and born > incident_on:
            raise _refuse("children", f"Child {ordinal}: the date of birth is after the incident.")
        if details.care_leaver and born is not None and not rules.is_care_leaver_age(born, incident_on):
            raise _refuse(
                "children",
                f"Child {ordinal}: a care leaver is notified up to and including age "
                f"{rules.CARE_LEAVER_MAX_AGE}; this one was {rules.age_on(born, incident_on)} on the day.",
            )


@transaction.atomic
def notification_record(
    *,
    notified_by: Organisation,
    became_aware_on: datetime.date,
    notified_panel_on: datetime.date,
    incident_on: datetime.date,
    incident_place: str,
    incident_area: Area,
    home_area: Area,
    reasons: Iterable[NotificationReason],
    children: Sequence[ChildDetails],
    actor: Actor,
    incident_time: datetime.time | None = None,
    late_reason: str = "",
) -> SeriousIncidentNotification:
    """Record the local authority's notification to the National Panel and open its
    rapid review, whose clock starts as the partnership's setting says on the day."""
    today = timezone.localdate()
    if notified_by.kind != Organisation.Kind.LOCAL_AUTHORITY:
        raise _refuse("notified_by", "The local authority notifies the National Panel (Children Act 2004 s16C).")
    if incident_on > today:
        raise _refuse("incident_on", "The incident cannot be in the future.")
    if became_aware_on < incident_on:
        raise _refuse(
            "became_aware_on", f"The local authority cannot become aware before the incident ({_day(incident_on)})."
        )
    if notified_panel_on < became_aware_on:
        raise _refuse(
            "notified_panel_on",
            f"The Panel cannot be notified before the local authority became aware ({_day(became_aware_on)}).",
        )
    if notified_panel_on > today:
        raise _refuse("notified_panel_on", "Record the notification once it has been sent.")
    late_reason = late_reason.strip()
    late = rules.notification_is_late(became_aware_on=became_aware_on, notified_panel_on=notified_panel_on)
    if late and not late_reason:
        due = rules.notification_due(became_aware_on)
        raise _refuse(
            "late_reason", f"The Panel was notified after 5 working days (due by {_day(due)}): say why it was late."
        )
    reasons = list(reasons)
    if not reasons:
        raise _refuse("reasons", "Give at least one reason for the notification.")
    retired = sorted(r.title for r in reasons if not r.is_active)
    if retired:
        raise _refuse("reasons", f"No longer on the list of reasons: {', '.join(retired)}.")
    _check_children(children, incident_on)
    notification = create_audited(
        SeriousIncidentNotification(
            notified_by=notified_by,
            became_aware_on=became_aware_on,
            notified_panel_on=notified_panel_on,
            incident_on=incident_on,
            incident_time=incident_time,
            incident_place=incident_place.strip(),
            incident_area=incident_area,
            home_area=home_area,
            late_reason=late_reason,
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
        extra_changes={"reasons": sorted(r.code for r in reasons)},
    )
    notification.reasons.set(reasons)
    for ordinal, details in enumerate(children, start=1):
        create_audited(
            NotifiedChild(
                notification=notification,
                ordinal=ordinal,
                child=details.child.current() if details.child is not None else None,  # an ID merged away
                first_name=details.first_name.strip(),
                last_name=details.last_name.strip(),
                date_of_birth=details.date_of_birth,
                looked_after=details.looked_after,
                care_leaver=details.care_leaver,
            ),
            actor,
        )
    clock_start = settings.REVIEWS_RAPID_REVIEW_CLOCK_START
    starts_on = rules.rapid_review_clock_start(
        became_aware_on=became_aware_on, notified_panel_on=notified_panel_on, clock_start=clock_start
    )
    create_audited(
        RapidReview(
            notification=notification,
            clock_start=clock_start,
            starts_on=starts_on,
            due_on=rules.rapid_review_due(starts_on),
        ),
        actor,
    )
    return notification


@transaction.atomic
def notification_attach(
    *, notification: SeriousIncidentNotification, title: str, uploaded: File[bytes], actor: Actor
) -> NotificationAttachment:
    """A document sent with the notification, checked by content like a meeting paper."""
    if not title.strip():
        raise _refuse("title", "Give the document a title.")
    try:
        checked = check_document(uploaded)
    except ValidationError as refused:
        raise _refuse("file", " ".join(refused.messages)) from None
    return create_audited(
        NotificationAttachment(
            notification=notification,
            title=title.strip(),
            file=uploaded,
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
    )


@transaction.atomic
def referral_record(
    *,
    referred_by: Organisation,
    referred_on: datetime.date,
    summary: str,
    decision: str,
    decided_on: datetime.date,
    reason: str,
    actor: Actor,
    notification: SeriousIncidentNotification | None = None,
) -> ReferralForConsideration:
    """An agency's referral for consideration and the local authority's decision on it,
    with why (those not notified are as much a part of question 2 as those that were)."""
    if decision not in ReferralForConsideration.Decision.values:
        raise _refuse("decision", f"'{decision}' is not a decision: notify, or do not notify.")
    if not summary.strip():
        raise _refuse("summary", "Say what the referral was about.")
    if decided_on < referred_on:
        raise _refuse("decided_on", f"The decision cannot come before the referral ({_day(referred_on)}).")
    if decided_on > timezone.localdate():
        raise _refuse("decided_on", "The decision cannot be dated in the future.")
    if not reason.strip():
        raise _refuse("reason", "Say why the decision was made.")
    if notification is not None and decision != ReferralForConsideration.Decision.NOTIFY:
        raise _refuse("notification", "Only a referral decided for notification links to a notification.")
    return create_audited(
        ReferralForConsideration(
            referred_by=referred_by,
            referred_on=referred_on,
            summary=summary.strip(),
            decision=decision,
            decided_on=decided_on,
            reason=reason.strip(),
            notification=notification,
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
    )


# The rapid review ------------------------------------------------------------------------


def _locked(review: RapidReview) -> RapidReview:
    return RapidReview.objects.select_for_update().select_related("notification").get(pk=review.pk)


def _require_status(review: RapidReview, allowed: Iterable[str], doing: str) -> None:
    if review.status not in set(allowed):
        raise _refuse("rapid_review", f"A rapid review that is {review.get_status_display().lower()} cannot {doing}.")


@transaction.atomic
def rapid_review_not_required(
    *, review: RapidReview, reason: str, decided_on: datetime.date, actor: Actor
) -> RapidReview:
    """The partners record that the case did not meet the criteria for a rapid review
    after all, and why; the notification stays on record."""
    review = _locked(review)
    _require_status(review, [RR.OPEN], "be closed as not required")
    if not reason.strip():
        raise _refuse("not_required_reason", "Say why the case did not meet the criteria for a rapid review.")
    if decided_on < review.notification.became_aware_on:
        raise _refuse("not_required_on", "The decision cannot come before the partners became aware.")
    return update_audited(
        review, actor, status=RR.NOT_REQUIRED, not_required_reason=reason.strip(), not_required_on=decided_on
    )


@transaction.atomic
def agency_summary_request(
    *,
    review: RapidReview,
    organisation: Organisation,
    requested_on: datetime.date,
    actor: Actor,
    due_on: datetime.date | None = None,
) -> AgencySummaryRequest:
    """Ask an agency for its individual summary, due on the day plan's day 10 unless
    another date is given."""
    review = _locked(review)
    _require_status(review, [RR.OPEN], "ask for agency summaries")
    if requested_on < review.notification.became_aware_on:
        raise _refuse("requested_on", "A summary cannot be requested before the partners became aware.")
    due_on = due_on or day_plan.summaries_due_on(review.starts_on)
    if due_on < requested_on:
        raise _refuse("due_on", f"The summary cannot be due before it is requested ({_day(requested_on)}).")
    if review.summary_requests.filter(organisation=organisation).exists():
        raise _refuse("organisation", f"{organisation} has already been asked for a summary for this review.")
    return create_audited(
        AgencySummaryRequest(rapid_review=review, organisation=organisation, requested_on=requested_on, due_on=due_on),
        actor,
    )


@transaction.atomic
def agency_summary_chase(
    *, request: AgencySummaryRequest, chased_on: datetime.date, actor: Actor, note: str = ""
) -> Chaser:
    request = AgencySummaryRequest.objects.select_for_update().get(pk=request.pk)
    if request.returned_on is not None:
        raise _refuse("chased_on", f"{request.organisation} has already returned its summary.")
    if chased_on < request.requested_on:
        raise _refuse("chased_on", "A summary cannot be chased before it was requested.")
    return create_audited(Chaser(request=request, chased_on=chased_on, note=note.strip()), actor)


@transaction.atomic
def agency_summary_return(
    *,
    review: RapidReview,
    organisation: Organisation,
    returned_on: datetime.date,
    actor: Actor,
    text: str = "",
    uploaded: File[bytes] | None = None,
) -> AgencySummaryRequest:
    """An agency's summary comes back, written or as a document (PDF, Word or Excel,
    checked by content like a meeting paper). Only an agency that was asked may send one."""
    request = (
        AgencySummaryRequest.objects.select_for_update()
        .filter(rapid_review=review, organisation=organisation)
        .select_related("rapid_review")
        .first()
    )
    if request is None:
        raise _refuse("organisation", f"{organisation} was not asked for a summary for this rapid review.")
    _require_status(request.rapid_review, [RR.OPEN, RR.DECIDED], "take agency summaries")
    if request.returned_on is not None:
        raise _refuse("returned_on", f"{organisation} returned its summary on {_day(request.returned_on)}.")
    if returned_on < request.requested_on:
        raise _refuse(
            "returned_on", f"The summary cannot come back before it was asked for ({_day(request.requested_on)})."
        )
    text = text.strip()
    if not text and uploaded is None:
        raise _refuse("text", "Write the summary or upload it.")
    fields: dict[str, object] = {"returned_on": returned_on, "text": text, "returned_by": actor_label(actor)}
    if uploaded is not None:
        try:
            checked = check_document(uploaded)
        except ValidationError as refused:
            raise _refuse("file", " ".join(refused.messages)) from None
        fields |= {"file": uploaded, "content_type": checked.content_type, "size_bytes": checked.size_bytes}
    return update_audited(request, actor, **fields)


@dataclass(frozen=True)
class CriterionDecision:
    """Whether the case meets one of Regulation 11's criteria, and why the partners think so."""

    met: bool
    rationale: str


@transaction.atomic
def rapid_review_decide(
    *,
    review: RapidReview,
    decided_on: datetime.date,
    criteria: Mapping[str, CriterionDecision],
    outcome: str,
    actor: Actor,
    themes: Iterable[ReviewTheme] = (),
) -> RapidReview:
    """The partners' decision: each of the four criteria of Regulation 11 (SI 2018/789)
    met or not with the rationale, and the outcome. It can be changed until the review is
    sent to the Panel; signatures given to an earlier decision then no longer stand."""
    review = _locked(review)
    _require_status(review, [RR.OPEN, RR.DECIDED], "be decided")
    missing = [code for code in rules.CRITERION_CODES if code not in criteria]
    if missing:
        raise _refuse(f"{missing[0]}_met", "Record a decision on each of the four criteria of Regulation 11.")
    unknown = sorted(set(criteria) - set(rules.CRITERION_CODES))
    if unknown:
        raise _refuse("criteria", f"Not a criterion of Regulation 11: {', '.join(unknown)}.")
    for code in rules.CRITERION_CODES:
        if not criteria[code].rationale.strip():
            raise _refuse(f"{code}_rationale", "Give the rationale for this criterion.")
    if outcome not in RapidReview.Outcome.values:
        raise _refuse("outcome", "Choose the outcome: a local CSPR, no CSPR, another review, or a national review.")
    if decided_on < review.notification.became_aware_on:
        raise _refuse("decided_on", "The decision cannot come before the partners became aware.")
    if decided_on > timezone.localdate():
        raise _refuse("decided_on", "The decision cannot be dated in the future.")
    fields: dict[str, object] = {"status": RR.DECIDED, "decided_on": decided_on, "outcome": outcome}
    for code in rules.CRITERION_CODES:
        fields[f"{code}_met"] = criteria[code].met
        fields[f"{code}_rationale"] = criteria[code].rationale.strip()
    if review.status == RR.DECIDED:
        for sign_off in review.sign_offs.all():  # signed a different decision
            _withdraw_sign_off(sign_off, actor)
    review = update_audited(review, actor, **fields)
    themes = list(themes)
    review.themes.set(themes)
    return review


def _withdraw_sign_off(sign_off: RapidReviewSignOff, actor: Actor) -> None:
    record_write(actor=actor, action=AuditEvent.Action.DELETE, instance=sign_off, changes=snapshot(sign_off))
    sign_off.delete()


@transaction.atomic
def rapid_review_sign_off(
    *, review: RapidReview, partner_kind: str, person: Person, signed_on: datetime.date, actor: Actor
) -> RapidReviewSignOff:
    """One statutory partner signs the decision off, by a person who holds that partner's
    Lead or Delegated Safeguarding Partner post on the day (``rules.may_sign_for_partner``)."""
    review = _locked(review)
    _require_status(review, [RR.DECIDED], "be signed off")
    if partner_kind not in RapidReviewSignOff.PartnerKind.values:
        raise _refuse("partner_kind", "Sign-off is by the local authority, the police or the ICB.")
    assert review.decided_on is not None  # a decided review has its date (a constraint says so)
    if signed_on < review.decided_on:
        raise _refuse("signed_on", f"A sign-off cannot come before the decision ({_day(review.decided_on)}).")
    if signed_on > timezone.localdate():
        raise _refuse("signed_on", "A sign-off cannot be dated in the future.")
    post = post_held_on(person, signed_on)
    if post is None or not rules.may_sign_for_partner(
        post_seniority=post.seniority,
        organisation_kind=post.organisation.kind,
        is_statutory_partner=post.organisation.is_statutory_partner,
        partner_kind=partner_kind,
    ):
        kind = RapidReviewSignOff.PartnerKind(partner_kind).label.lower()
        raise _refuse(
            "person",
            f"{person} did not hold the {kind}'s Lead or Delegated Safeguarding Partner post on {_day(signed_on)}.",
        )
    if review.sign_offs.filter(partner_kind=partner_kind).exists():
        raise _refuse("partner_kind", "This partner has already signed the review off.")
    return create_audited(
        RapidReviewSignOff(
            rapid_review=review,
            partner_kind=partner_kind,
            person=person,
            post=post,
            signed_on=signed_on,
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
    )


@transaction.atomic
def rapid_review_link_meeting(*, review: RapidReview, meeting: Meeting, actor: Actor) -> RapidReview:
    """The rapid review meeting is a governance meeting (of the case review group, say):
    its attendance and decisions are recorded there the same way as any meeting's."""
    review = _locked(review)
    _require_status(review, [RR.OPEN, RR.DECIDED], "have its meeting changed")
    if meeting.date < review.notification.became_aware_on:
        raise _refuse(
            "meeting",
            f"The meeting on {_day(meeting.date)} was before the partners became aware "
            f"({_day(review.notification.became_aware_on)}).",
        )
    return update_audited(review, actor, meeting=meeting)


@transaction.atomic
def rapid_review_withdraw_sign_off(*, sign_off: RapidReviewSignOff, reason: str, actor: Actor) -> None:
    """One partner's sign-off withdrawn before the review goes to the Panel (signed by the
    wrong person, say), with the reason kept in the audit trail."""
    review = _locked(sign_off.rapid_review)
    _require_status(review, [RR.DECIDED], "have a sign-off withdrawn")
    if not reason.strip():
        raise _refuse("reason", "Say why the sign-off is withdrawn.")
    record_write(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=sign_off,
        changes=snapshot(sign_off) | {"withdrawn_because": reason.strip()},
    )
    sign_off.delete()


@transaction.atomic
def rapid_review_send_to_panel(*, review: RapidReview, sent_on: datetime.date, actor: Actor) -> RapidReview:
    """The signed-off rapid review goes to the National Panel: only once all three
    statutory partners have signed it off."""
    review = _locked(review)
    _require_status(review, [RR.DECIDED], "be sent to the Panel")
    signed = dict(review.sign_offs.values_list("partner_kind", "signed_on"))
    unsigned = [label for value, label in RapidReviewSignOff.PartnerKind.choices if value not in signed]
    if unsigned:
        raise _refuse("sign_offs", f"Still to sign off: {', '.join(unsigned)}.")
    last = max(signed.values())
    if sent_on < last:
        raise _refuse("sent_to_panel_on", f"It cannot be sent before the last sign-off ({_day(last)}).")
    if sent_on > timezone.localdate():
        raise _refuse("sent_to_panel_on", "Record the sending once it has happened.")
    return update_audited(review, actor, status=RR.SENT, sent_to_panel_on=sent_on)


ASKED_AGAIN = (RapidReview.PanelReply.MORE_INFORMATION, RapidReview.PanelReply.RECONSIDER)


def _last_sent(review: RapidReview) -> datetime.date | None:
    """The day the review last went to the Panel: the last answer to a question, else the first sending."""
    answered = review.panel_rounds.order_by("-answered_on").values_list("answered_on", flat=True).first()
    return answered or review.sent_to_panel_on


@transaction.atomic
def panel_answer(*, review: RapidReview, answered_on: datetime.date, answer: str, actor: Actor) -> PanelRound:
    """The partners answer the Panel's request for more information or to reconsider, and
    send the review again: the reply is kept as an earlier round, and the review awaits
    the Panel's next reply (its first sending, which the 15 working days judge, stays)."""
    review = _locked(review)
    if review.status != RR.REPLIED or review.panel_reply not in ASKED_AGAIN:
        raise _refuse(
            "rapid_review", "Only a reply asking for more information or to reconsider is answered and sent again."
        )
    assert review.panel_replied_on is not None  # a replied review has its date (a constraint says so)
    if answered_on < review.panel_replied_on:
        raise _refuse(
            "answered_on", f"The answer cannot come before the Panel's reply ({_day(review.panel_replied_on)})."
        )
    if answered_on > timezone.localdate():
        raise _refuse("answered_on", "Record the answer once it has been sent.")
    if not answer.strip():
        raise _refuse("answer", "Say what the partners answered.")
    earlier = create_audited(
        PanelRound(
            rapid_review=review,
            reply=review.panel_reply,
            replied_on=review.panel_replied_on,
            reply_text=review.panel_reply_text,
            answered_on=answered_on,
            answer=answer.strip(),
            recorded_by=actor_label(actor),
        ),
        actor,
    )
    update_audited(review, actor, status=RR.SENT, panel_reply="", panel_replied_on=None, panel_reply_text="")
    return earlier


@transaction.atomic
def panel_reply_record(
    *, review: RapidReview, kind: str, replied_on: datetime.date, text: str, actor: Actor
) -> RapidReview:
    """The National Panel's reply to the rapid review, with its date and words."""
    review = _locked(review)
    _require_status(review, [RR.SENT], "take the Panel's reply")
    if kind not in RapidReview.PanelReply.values:
        raise _refuse("panel_reply", "Choose what the Panel said.")
    last_sent = _last_sent(review)
    assert last_sent is not None  # a sent review has its date (a constraint says so)
    if replied_on < last_sent:
        raise _refuse("panel_replied_on", f"The Panel cannot reply before the review was sent ({_day(last_sent)}).")
    if not text.strip():
        raise _refuse("panel_reply_text", "Record what the Panel said.")
    return update_audited(
        review, actor, status=RR.REPLIED, panel_reply=kind, panel_replied_on=replied_on, panel_reply_text=text.strip()
    )
