"""Reviews writes: a notification opens its rapid review, which runs from the agencies'
summaries to the Panel's reply. Each refusal names the field and writes nothing; each
write leaves an audit event with the actor.

Dates are Easter 2026 (see conftest): aware Wednesday 1 April, due Friday 10 April."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.accounts import services as accounts
from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent
from safeguarding.reviews import services
from safeguarding.reviews.models import (
    AgencySummaryRequest,
    NotifiedChild,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    SeriousIncidentNotification,
)
from tests.reviews.conftest import AWARE, INCIDENT, NOTIFIED, SYSTEM

D = dt.date
C = services.CriterionDecision
CRITERIA = {
    "improvements": C(True, "Agencies did not share the health visitor's concerns."),
    "recurrent_themes": C(True, "Neglect, as in two earlier reviews."),
    "joint_working": C(False, "Agencies met and acted together once it was known."),
    "panel_view": C(False, "The Panel has not expressed a view."),
}


def refused(call, field: str) -> str:
    """Run ``call`` expecting a refusal on ``field``; the message, and that nothing was written."""
    events = AuditEvent.objects.count()
    counts = [m.objects.count() for m in (SeriousIncidentNotification, NotifiedChild, RapidReview)]
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    assert AuditEvent.objects.count() == events
    assert [m.objects.count() for m in (SeriousIncidentNotification, NotifiedChild, RapidReview)] == counts
    return " ".join(caught.value.message_dict[field])


def written_by(instance, actor, action="create") -> AuditEvent:
    event = AuditEvent.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk), action=action
    ).latest("pk")
    assert event.actor == actor
    return event


DECIDED_ON = D(2026, 4, 22)
SIGNED_ON = D(2026, 4, 23)


def decided(world, review=None, on=DECIDED_ON):
    review = review or world.notify().rapid_review
    return services.rapid_review_decide(
        review=review, decided_on=on, criteria=CRITERIA, outcome="local_cspr", actor=world.business_manager
    )


def signed_off(world, review, on=SIGNED_ON):
    people = world.people
    for kind, person in (("local_authority", "clare"), ("police", "conor"), ("icb", "dina")):
        services.rapid_review_sign_off(
            review=review, partner_kind=kind, person=people[person], signed_on=on, actor=world.business_manager
        )
    return review


# Notifications ----------------------------------------------------------------------------


def test_a_notification_records_its_children_and_reasons_and_opens_its_rapid_review(world):
    child = Child.objects.create(created_at=timezone.now())
    notification = world.notify(
        reasons=world.reasons,
        incident_time=dt.time(21, 30),
        children=[
            services.ChildDetails(child=child, looked_after=True),
            services.ChildDetails(first_name="Ben", last_name="Example", date_of_birth=D(2003, 1, 1), care_leaver=True),
        ],
    )
    assert [(c.ordinal, c.child, c.first_name) for c in notification.children.all()] == [
        (1, child, ""),
        (2, None, "Ben"),
    ]
    assert set(notification.reasons.all()) == set(world.reasons)
    review = notification.rapid_review
    # Aware Wednesday 1 April 2026: 15 working days skip Good Friday and Easter Monday.
    assert (review.status, review.clock_start, review.starts_on, review.due_on) == (
        "open",
        "aware",
        AWARE,
        D(2026, 4, 24),
    )
    event = written_by(notification, world.business_manager)
    assert event.changes["reasons"] == ["death", "serious-harm"]
    written_by(review, world.business_manager)
    for notified in notification.children.all():
        written_by(notified, world.business_manager)


def test_the_clock_can_start_from_the_notification(world, settings):
    settings.REVIEWS_RAPID_REVIEW_CLOCK_START = "notified"
    review = world.notify().rapid_review
    # From Friday 10 April 2026: Mon 13 (1) ... Fri 17 (5), Fri 24 (10), Fri 1 May (15).
    assert (review.clock_start, review.starts_on, review.due_on) == ("notified", NOTIFIED, D(2026, 5, 1))


def test_a_notification_made_before_the_incident_is_refused(world):
    message = refused(lambda: world.notify(became_aware_on=D(2026, 3, 30)), "became_aware_on")
    assert "before the incident (31 March 2026)" in message


def test_notifying_the_panel_before_becoming_aware_is_refused(world):
    message = refused(lambda: world.notify(notified_panel_on=D(2026, 3, 31)), "notified_panel_on")
    assert "before the local authority became aware" in message


def test_more_than_four_children_are_refused(world):
    five = [services.ChildDetails(first_name=f"Child{n}", last_name="Example") for n in range(5)]
    assert "at most 4 children" in refused(lambda: world.notify(children=five), "children")
    assert "at least one child" in refused(lambda: world.notify(children=[]), "children")


def test_a_child_with_neither_a_link_nor_a_name_is_refused(world):
    message = refused(lambda: world.notify(children=[services.ChildDetails(first_name="Amy")]), "children")
    assert "Child 1: pick the linked child or give a first and last name" in message


def test_a_care_leaver_over_24_is_refused(world):
    # Born 1 March 2001: 25 on 1 March 2026, before the incident on 31 March.
    over = services.ChildDetails(first_name="Cal", last_name="Example", date_of_birth=D(2001, 3, 1), care_leaver=True)
    assert "up to and including age 24; this one was 25" in refused(lambda: world.notify(children=[over]), "children")


def test_a_late_notification_needs_its_reason(world):
    # Due Friday 10 April 2026; Monday 13 April is late.
    message = refused(lambda: world.notify(notified_panel_on=D(2026, 4, 13)), "late_reason")
    assert "due by 10 April 2026" in message
    notification = world.notify(notified_panel_on=D(2026, 4, 13), late_reason="The death was reported abroad.")
    assert notification.late_reason == "The death was reported abroad."


def test_only_the_local_authority_notifies(world):
    refused(lambda: world.notify(notified_by=world.org["police"]), "notified_by")


def test_a_notification_without_a_reason_or_with_a_retired_one_is_refused(world):
    refused(lambda: world.notify(reasons=[]), "reasons")
    retired = world.reasons[1]
    retired.is_active = False
    retired.save()
    message = refused(lambda: world.notify(reasons=world.reasons), "reasons")
    assert message == "No longer on the list of reasons: A child was seriously harmed."


def test_the_database_refuses_a_fifth_child_and_a_child_without_a_name(world):
    notification = world.notify()
    with transaction.atomic(), pytest.raises(IntegrityError):
        NotifiedChild.objects.create(notification=notification, ordinal=5, first_name="E", last_name="F")
    with transaction.atomic(), pytest.raises(IntegrityError):
        NotifiedChild.objects.create(notification=notification, ordinal=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        NotifiedChild.objects.create(notification=notification, ordinal=1, first_name="A", last_name="B")


# Referrals --------------------------------------------------------------------------------


def test_a_referral_not_notified_is_recorded_with_why(world):
    referral = services.referral_record(
        referred_by=world.org["school"],
        referred_on=D(2026, 5, 5),
        summary="A pupil was injured at home.",
        decision="do_not_notify",
        decided_on=D(2026, 5, 6),
        reason="The harm was not serious as defined.",
        actor=world.business_manager,
    )
    assert referral.decision == ReferralForConsideration.Decision.DO_NOT_NOTIFY
    written_by(referral, world.business_manager)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_on": D(2026, 5, 4)}, "decided_on"),
        ({"reason": "  "}, "reason"),
        ({"decision": "maybe"}, "decision"),
        ({"summary": ""}, "summary"),
        ({"decided_on": timezone.localdate() + dt.timedelta(days=1)}, "decided_on"),
    ],
)
def test_a_bad_referral_is_refused(world, changes, field):
    fields = {
        "referred_by": world.org["school"],
        "referred_on": D(2026, 5, 5),
        "summary": "A pupil was injured.",
        "decision": "do_not_notify",
        "decided_on": D(2026, 5, 6),
        "reason": "Not serious harm.",
        "actor": world.business_manager,
    }
    refused(lambda: services.referral_record(**(fields | changes)), field)
    assert not ReferralForConsideration.objects.exists()


def test_a_referral_not_notified_cannot_link_a_notification(world):
    notification = world.notify()
    call = lambda: services.referral_record(  # noqa: E731
        referred_by=world.org["school"],
        referred_on=D(2026, 4, 1),
        summary="s",
        decision="do_not_notify",
        decided_on=D(2026, 4, 1),
        reason="r",
        notification=notification,
        actor=world.business_manager,
    )
    refused(call, "notification")


# Not required -------------------------------------------------------------------------------


def test_the_partners_may_record_that_a_rapid_review_is_not_required(world):
    review = world.notify().rapid_review
    message = refused(
        lambda: services.rapid_review_not_required(
            review=review, reason=" ", decided_on=D(2026, 4, 3), actor=world.business_manager
        ),
        "not_required_reason",
    )
    assert "Say why" in message
    review = services.rapid_review_not_required(
        review=review,
        reason="The child's injuries were accidental.",
        decided_on=D(2026, 4, 3),
        actor=world.business_manager,
    )
    assert review.status == "not_required"
    event = written_by(review, world.business_manager, action="update")
    assert event.changes["status"] == ["open", "not_required"]
    refused(lambda: decided(world, review), "rapid_review")


# Agency summaries -----------------------------------------------------------------------


def pdf(name="summary.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%synthetic\n", content_type="application/pdf")


def test_an_agency_is_asked_for_its_summary_due_on_day_10_and_returns_it(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = world.notify().rapid_review
    request = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=world.business_manager
    )
    # Day 10 from Wednesday 1 April 2026, Easter skipped: Friday 17 April.
    assert request.due_on == D(2026, 4, 17)
    written_by(request, world.business_manager)
    chaser = services.agency_summary_chase(
        request=request, chased_on=D(2026, 4, 20), note="Phoned the DSL.", actor=world.business_manager
    )
    written_by(chaser, world.business_manager)
    returned = services.agency_summary_return(
        review=review,
        organisation=world.org["school"],
        returned_on=D(2026, 4, 21),
        uploaded=pdf(),
        actor=world.business_manager,
    )
    assert (returned.returned_on, returned.content_type, returned.file.name.endswith(".pdf")) == (
        D(2026, 4, 21),
        "application/pdf",
        True,
    )
    assert written_by(returned, world.business_manager, action="update").changes["returned_on"] == [None, "2026-04-21"]
    refused(
        lambda: services.agency_summary_chase(request=returned, chased_on=D(2026, 4, 22), actor=world.business_manager),
        "chased_on",
    )


def test_a_summary_from_an_agency_that_was_not_asked_is_refused(world):
    review = world.notify().rapid_review
    services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=world.business_manager
    )
    message = refused(
        lambda: services.agency_summary_return(
            review=review,
            organisation=world.org["trust"],
            returned_on=D(2026, 4, 10),
            text="What we knew.",
            actor=world.business_manager,
        ),
        "organisation",
    )
    assert "Testshire Hospitals was not asked for a summary" in message
    assert AgencySummaryRequest.objects.get().returned_on is None


def test_a_summary_is_refused_without_content_before_its_request_or_as_the_wrong_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = world.notify().rapid_review
    services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=world.business_manager
    )
    common = {"review": review, "organisation": world.org["school"], "actor": world.business_manager}
    refused(lambda: services.agency_summary_return(returned_on=D(2026, 4, 8), **common), "text")
    refused(lambda: services.agency_summary_return(returned_on=D(2026, 4, 1), text="t", **common), "returned_on")
    exe = SimpleUploadedFile("summary.pdf", b"MZ\x90\x00", content_type="application/pdf")
    assert "must be a PDF" in refused(
        lambda: services.agency_summary_return(returned_on=D(2026, 4, 8), uploaded=exe, **common), "file"
    )
    assert AgencySummaryRequest.objects.get().returned_on is None


def test_an_agency_is_asked_once_and_not_before_the_partners_knew(world):
    review = world.notify().rapid_review
    ask = lambda **kw: services.agency_summary_request(  # noqa: E731
        review=review, organisation=world.org["school"], actor=world.business_manager, **kw
    )
    refused(lambda: ask(requested_on=D(2026, 3, 31)), "requested_on")
    refused(lambda: ask(requested_on=D(2026, 4, 2), due_on=D(2026, 4, 1)), "due_on")
    ask(requested_on=D(2026, 4, 2))
    refused(lambda: ask(requested_on=D(2026, 4, 3)), "organisation")


# The decision -----------------------------------------------------------------------------


def test_the_decision_records_each_criterion_with_its_rationale_and_the_outcome(world):
    review = world.notify().rapid_review
    review = services.rapid_review_decide(
        review=review,
        decided_on=D(2026, 4, 22),
        criteria=CRITERIA,
        outcome="local_cspr",
        themes=world.themes[:1],
        actor=world.business_manager,
    )
    assert (review.status, review.outcome, review.improvements_met, review.joint_working_met) == (
        "decided",
        "local_cspr",
        True,
        False,
    )
    assert list(review.themes.all()) == world.themes[:1]
    event = written_by(review, world.business_manager, action="update")
    assert event.changes["recurrent_themes_rationale"] == ["", "Neglect, as in two earlier reviews."]


@pytest.mark.parametrize(
    ("criteria", "outcome", "field"),
    [
        ({k: v for k, v in CRITERIA.items() if k != "panel_view"}, "local_cspr", "panel_view_met"),
        (CRITERIA | {"joint_working": C(False, " ")}, "local_cspr", "joint_working_rationale"),
        (CRITERIA | {"section_47": C(True, "x")}, "local_cspr", "criteria"),
        (CRITERIA, "", "outcome"),
    ],
)
def test_a_decision_without_every_criterion_and_rationale_or_an_outcome_is_refused(world, criteria, outcome, field):
    review = world.notify().rapid_review
    refused(
        lambda: services.rapid_review_decide(
            review=review, decided_on=D(2026, 4, 22), criteria=criteria, outcome=outcome, actor=world.business_manager
        ),
        field,
    )
    review.refresh_from_db()
    assert (review.status, review.decided_on) == ("open", None)


def test_a_decision_before_the_partners_knew_is_refused(world):
    review = world.notify().rapid_review
    refused(lambda: decided(world, review, on=D(2026, 3, 31)), "decided_on")


# Sign-off ---------------------------------------------------------------------------------


def test_each_partner_signs_off_by_its_lead_or_delegated_partner(world):
    review = decided(world)
    sign_off = services.rapid_review_sign_off(
        review=review,
        partner_kind="icb",
        person=world.people["dina"],
        signed_on=D(2026, 4, 23),
        actor=world.business_manager,
    )
    assert (sign_off.post.job_title, sign_off.post.seniority) == ("Chief Nurse", "delegated_partner")
    written_by(sign_off, world.business_manager)


@pytest.mark.parametrize(
    ("kind", "person", "why"),
    [
        ("police", "ian", "a chief inspector is not a partner post"),
        ("police", "clare", "the council's Lead Partner does not sign for the police"),
        ("local_authority", "nina", "a neighbouring council is not this partnership's partner"),
    ],
)
def test_a_sign_off_by_someone_without_the_partner_post_that_day_is_refused(world, kind, person, why):
    review = decided(world)
    message = refused(
        lambda: services.rapid_review_sign_off(
            review=review,
            partner_kind=kind,
            person=world.people[person],
            signed_on=D(2026, 4, 23),
            actor=world.business_manager,
        ),
        "person",
    )
    assert "Lead or Delegated Safeguarding Partner post on 23 April 2026" in message, why
    assert not RapidReviewSignOff.objects.exists()


def test_the_post_is_judged_on_the_day_of_the_sign_off(world):
    # Ian becomes Chief Constable (a Lead Partner) on 24 April 2026; he signs on the 23rd.
    accounts.person_change_post(
        person=world.people["ian"],
        organisation=world.org["police"],
        job_title="Chief Constable",
        seniority="lead_partner",
        started_on=D(2026, 4, 24),
        actor=SYSTEM,
    )
    review = decided(world)
    sign = lambda on: services.rapid_review_sign_off(  # noqa: E731
        review=review, partner_kind="police", person=world.people["ian"], signed_on=on, actor=world.business_manager
    )
    refused(lambda: sign(D(2026, 4, 23)), "person")
    assert sign(D(2026, 4, 24)).post.job_title == "Chief Constable"


def test_a_partner_signs_once_and_not_before_the_decision(world):
    review = decided(world)
    sign = lambda on: services.rapid_review_sign_off(  # noqa: E731
        review=review, partner_kind="police", person=world.people["conor"], signed_on=on, actor=world.business_manager
    )
    refused(lambda: sign(D(2026, 4, 21)), "signed_on")
    sign(D(2026, 4, 23))
    refused(lambda: sign(D(2026, 4, 24)), "partner_kind")


def test_an_open_review_cannot_be_signed_off(world):
    review = world.notify().rapid_review
    refused(
        lambda: services.rapid_review_sign_off(
            review=review,
            partner_kind="police",
            person=world.people["conor"],
            signed_on=D(2026, 4, 23),
            actor=world.business_manager,
        ),
        "rapid_review",
    )


def test_changing_the_decision_withdraws_the_signatures_given_to_the_old_one(world):
    review = decided(world)
    sign_off = services.rapid_review_sign_off(
        review=review,
        partner_kind="police",
        person=world.people["conor"],
        signed_on=D(2026, 4, 23),
        actor=world.business_manager,
    )
    pk = sign_off.pk
    services.rapid_review_decide(
        review=review, decided_on=D(2026, 4, 23), criteria=CRITERIA, outcome="no_cspr", actor=world.business_manager
    )
    assert not RapidReviewSignOff.objects.exists()
    event = AuditEvent.objects.get(object_type="reviews.rapidreviewsignoff", object_id=str(pk), action="delete")
    assert event.actor == world.business_manager


# To the Panel and back ------------------------------------------------------------------


def test_sending_to_the_panel_is_refused_before_all_three_sign_offs(world):
    review = decided(world)
    services.rapid_review_sign_off(
        review=review,
        partner_kind="police",
        person=world.people["conor"],
        signed_on=D(2026, 4, 23),
        actor=world.business_manager,
    )
    message = refused(
        lambda: services.rapid_review_send_to_panel(
            review=review, sent_on=D(2026, 4, 24), actor=world.business_manager
        ),
        "sign_offs",
    )
    assert message == "Still to sign off: Local authority, Integrated care board."
    review.refresh_from_db()
    assert (review.status, review.sent_to_panel_on) == ("decided", None)


def test_a_rapid_review_runs_to_the_panel_and_its_reply(world):
    review = signed_off(world, decided(world))
    refused(
        lambda: services.rapid_review_send_to_panel(
            review=review, sent_on=D(2026, 4, 22), actor=world.business_manager
        ),
        "sent_to_panel_on",
    )
    review = services.rapid_review_send_to_panel(review=review, sent_on=D(2026, 4, 24), actor=world.business_manager)
    assert (review.status, review.sent_to_panel_on) == ("sent", D(2026, 4, 24))
    assert written_by(review, world.business_manager, "update").changes["status"] == ["decided", "sent"]
    reply = lambda **kw: services.panel_reply_record(review=review, actor=world.business_manager, **kw)  # noqa: E731
    refused(lambda: reply(kind="agrees", replied_on=D(2026, 4, 23), text="Agreed."), "panel_replied_on")
    refused(lambda: reply(kind="shrugs", replied_on=D(2026, 5, 6), text="Agreed."), "panel_reply")
    refused(lambda: reply(kind="agrees", replied_on=D(2026, 5, 6), text=" "), "panel_reply_text")
    review = reply(kind="agrees", replied_on=D(2026, 5, 6), text="The Panel agrees a local review is appropriate.")
    assert (review.status, review.panel_reply, review.panel_replied_on) == ("replied", "agrees", D(2026, 5, 6))
    assert written_by(review, world.business_manager, "update").changes["panel_reply"] == ["", "agrees"]


def test_a_reply_before_the_review_was_sent_is_refused(world):
    review = decided(world)
    refused(
        lambda: services.panel_reply_record(
            review=review, kind="agrees", replied_on=D(2026, 5, 6), text="t", actor=world.business_manager
        ),
        "rapid_review",
    )


def test_the_database_refuses_a_reply_without_sending(world):
    review = world.notify().rapid_review
    with transaction.atomic(), pytest.raises(IntegrityError):
        RapidReview.objects.filter(pk=review.pk).update(panel_reply="agrees", panel_replied_on=D(2026, 5, 1))


def test_a_notification_dated_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(lambda: world.notify(notified_panel_on=tomorrow, late_reason="x"), "notified_panel_on")
    assert INCIDENT < AWARE < NOTIFIED


def test_a_merged_child_id_is_stored_as_the_child_it_leads_to(world):
    kept = Child.objects.create(created_at=timezone.now())
    merged = Child.objects.create(created_at=timezone.now(), status="merged", merged_into=kept)
    notification = world.notify(children=[services.ChildDetails(child=merged)])
    assert notification.children.get().child == kept


def test_the_same_linked_child_twice_is_refused(world):
    kept = Child.objects.create(created_at=timezone.now())
    merged = Child.objects.create(created_at=timezone.now(), status="merged", merged_into=kept)
    twice = [services.ChildDetails(child=kept), services.ChildDetails(child=merged)]
    assert "same linked child" in refused(lambda: world.notify(children=twice), "children")


def test_the_database_refuses_a_review_closed_without_a_reason_and_a_decision_without_rationale(world):
    review = world.notify().rapid_review
    with transaction.atomic(), pytest.raises(IntegrityError):
        RapidReview.objects.filter(pk=review.pk).update(status="not_required", not_required_on=D(2026, 4, 3))
    with transaction.atomic(), pytest.raises(IntegrityError):
        RapidReview.objects.filter(pk=review.pk).update(decided_on=D(2026, 4, 22), outcome="no_cspr")


def test_the_database_refuses_a_summary_returned_empty(world):
    review = world.notify().rapid_review
    request = services.agency_summary_request(
        review=review, organisation=world.org["school"], requested_on=D(2026, 4, 2), actor=world.business_manager
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        AgencySummaryRequest.objects.filter(pk=request.pk).update(returned_on=D(2026, 4, 9))
