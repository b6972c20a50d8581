"""CSPRs and the recommendations tracker: a CSPR opened from the rapid review's decision
runs to publication; a recommendation's actions are governance actions, and it closes only
with evidence of impact. Each refusal names its field and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from safeguarding.core.audit import actor_label
from safeguarding.core.models import AuditEvent
from safeguarding.governance import services as governance
from safeguarding.governance.models import Action
from safeguarding.performance.models import DataReturn, Indicator, ReturnValue
from safeguarding.reviews import learning
from safeguarding.reviews.models import (
    ImpactEvidence,
    LearningRecommendation,
    PracticeReview,
    ReportVersion,
    ReviewPause,
)
from safeguarding.training.models import Booking, Course, Session
from tests.factories import CourseFactory, SessionFactory
from tests.reviews.test_services import decided, written_by

D = dt.date
DECIDED = D(2026, 4, 22)
FINAL_REPORT = D(2026, 9, 1)
CLOSED = D(2026, 11, 20)


def refused(call, field: str) -> str:
    """``call`` is refused on ``field``, and nothing is written."""
    models = (PracticeReview, ReviewPause, ReportVersion, LearningRecommendation, ImpactEvidence, Action)
    events = AuditEvent.objects.count()
    counts = [m.objects.count() for m in models]
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    assert AuditEvent.objects.count() == events
    assert [m.objects.count() for m in models] == counts
    return " ".join(caught.value.message_dict[field])


def opened(world, **overrides):
    fields = {
        "origin": "rapid_review",
        "rapid_review": overrides.pop("rapid_review", None) or decided(world),
        "decided_on": DECIDED,
        "title": "Child Q",
        "actor": world.business_manager,
    }
    return learning.practice_review_open(**(fields | overrides))


def final_report_in(world, cspr, on=FINAL_REPORT):
    learning.practice_review_commission(
        review=cspr,
        reviewer_name="Rowan Reviewer",
        reviewer_organisation="Independent Reviews Ltd",
        contract_starts_on=D(2026, 5, 1),
        contract_ends_on=D(2026, 10, 31),
        terms_of_reference="How agencies shared what they knew about the family's moves.",
        methodology="Practitioner learning events and a review of records.",
        family_involvement="The child's grandmother met the reviewer twice.",
        themes=world.themes,
        actor=world.business_manager,
    )
    learning.report_version_record(review=cspr, kind="final", received_on=on, actor=world.business_manager)
    cspr.refresh_from_db()
    return cspr


# Opening and running a CSPR ---------------------------------------------------------------


def test_a_cspr_opens_from_the_rapid_review_decision_due_six_months_later(world):
    cspr = opened(world)
    assert (cspr.reference, cspr.status, cspr.due_on) == ("CSPR-2026-01", "in_progress", D(2026, 10, 22))
    assert cspr.notification == cspr.rapid_review.notification
    assert written_by(cspr, world.business_manager).changes["title"] == "Child Q"
    refused(lambda: opened(world, rapid_review=cspr.rapid_review), "rapid_review")


def test_a_cspr_from_a_rapid_review_that_decided_otherwise_or_before_its_decision_is_refused(world):
    review = decided(world)
    review.outcome = "no_cspr"
    review.save()
    assert "did not decide on a local CSPR" in refused(lambda: opened(world, rapid_review=review), "rapid_review")
    review.outcome = "local_cspr"
    review.save()
    refused(lambda: opened(world, rapid_review=review, decided_on=D(2026, 4, 21)), "decided_on")
    refused(lambda: opened(world, rapid_review=review, title=" "), "title")
    refused(lambda: opened(world, rapid_review=review, decided_on=D(2099, 1, 1)), "decided_on")


def test_the_panel_may_ask_for_a_cspr_directly(world):
    notification = world.notify()
    cspr = learning.practice_review_open(
        origin="panel_request",
        notification=notification,
        decided_on=D(2026, 5, 20),
        title="Child R",
        actor=world.business_manager,
    )
    assert (cspr.origin, cspr.rapid_review, cspr.due_on) == (
        "panel_request",
        notification.rapid_review,
        D(2026, 11, 20),
    )
    refused(
        lambda: learning.practice_review_open(
            origin="panel_request", decided_on=D(2026, 5, 20), title="Child S", actor=world.business_manager
        ),
        "notification",
    )


def test_a_pause_is_recorded_with_its_reason_and_dates_and_one_runs_at_a_time(world):
    cspr = opened(world)
    trial = learning.parallel_process_add(
        review=cspr, kind="police", description="Criminal trial of the mother's partner", actor=world.business_manager
    )
    pause = lambda **kw: learning.practice_review_pause(review=cspr, actor=world.business_manager, **kw)  # noqa: E731
    refused(lambda: pause(paused_on=D(2026, 4, 1), reason="Trial"), "paused_on")
    refused(lambda: pause(paused_on=D(2026, 6, 1), reason=" "), "reason")
    pause(paused_on=D(2026, 6, 1), reason="The trial is listed for July.", parallel_process=trial)
    refused(lambda: pause(paused_on=D(2026, 6, 2), reason="Again"), "paused_on")
    assert "paused" in refused(
        lambda: learning.report_version_record(
            review=cspr, kind="final", received_on=D(2026, 6, 10), actor=world.business_manager
        ),
        "kind",
    )
    refused(
        lambda: learning.practice_review_resume(review=cspr, resumed_on=D(2026, 6, 1), actor=world.business_manager),
        "resumed_on",
    )
    resumed = learning.practice_review_resume(review=cspr, resumed_on=D(2026, 8, 3), actor=world.business_manager)
    assert (resumed.paused_on, resumed.resumed_on, resumed.parallel_process) == (D(2026, 6, 1), D(2026, 8, 3), trial)
    refused(
        lambda: learning.practice_review_resume(review=cspr, resumed_on=D(2026, 8, 4), actor=world.business_manager),
        "resumed_on",
    )
    refused(lambda: pause(paused_on=D(2026, 7, 1), reason="Overlaps the last one"), "paused_on")


def test_drafts_and_the_final_report_are_dated_and_checked_like_meeting_papers(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cspr = opened(world)
    draft = learning.report_version_record(
        review=cspr,
        kind="draft",
        received_on=D(2026, 7, 1),
        note="First draft for the partners' comments",
        uploaded=SimpleUploadedFile(
            "draft.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
        ),
        actor=world.business_manager,
    )
    assert (draft.kind, draft.content_type) == ("draft", "application/pdf")
    refused(
        lambda: learning.report_version_record(
            review=cspr,
            kind="draft",
            received_on=D(2026, 7, 2),
            uploaded=SimpleUploadedFile("draft.pdf", b"MZ\x90\x00 not a pdf"),
            actor=world.business_manager,
        ),
        "file",
    )
    refused(
        lambda: learning.report_version_record(
            review=cspr, kind="draft", received_on=D(2026, 4, 1), actor=world.business_manager
        ),
        "received_on",
    )
    cspr = final_report_in(world, cspr)
    assert (cspr.status, cspr.final_report_on) == ("final_report", D(2026, 9, 1))
    assert "already in" in refused(
        lambda: learning.report_version_record(
            review=cspr, kind="final", received_on=D(2026, 9, 2), actor=world.business_manager
        ),
        "kind",
    )


def test_the_partners_monitor_time_and_quality(world):
    cspr = opened(world)
    check = learning.monitoring_record(
        review=cspr,
        checked_on=D(2026, 7, 15),
        on_time=False,
        quality_assured=True,
        note="Behind by a month: the trial.",
        actor=world.business_manager,
    )
    assert (check.on_time, check.quality_assured) == (False, True)
    refused(
        lambda: learning.monitoring_record(
            review=cspr,
            checked_on=D(2026, 7, 15),
            on_time=True,
            quality_assured=True,
            note="",
            actor=world.business_manager,
        ),
        "note",
    )


def test_publication_before_the_pre_publication_copy_was_sent_is_refused(world, settings):
    settings.REVIEWS_PRE_PUBLICATION_WORKING_DAYS = 7
    cspr = final_report_in(world, opened(world))
    publication = {
        "public_link": "https://testshire.example/cspr/child-q.pdf",
        "redaction_checked_by": "Bella Business-Manager",
        "redaction_checked_on": D(2026, 9, 10),
        "published_until": D(2027, 9, 30),
    }
    publish = lambda **kw: learning.practice_review_publish(  # noqa: E731
        review=cspr, actor=world.business_manager, **(publication | kw)
    )
    assert "before publication" in refused(lambda: publish(published_on=D(2026, 9, 30)), "published_on")
    refused(
        lambda: learning.practice_review_send_to_panel(
            review=cspr, sent_on=D(2026, 8, 31), actor=world.business_manager
        ),
        "sent_to_panel_on",
    )
    # Sent Thursday 17 September: 7 working days on is Monday 28 September.
    cspr = learning.practice_review_send_to_panel(review=cspr, sent_on=D(2026, 9, 17), actor=world.business_manager)
    message = refused(lambda: publish(published_on=D(2026, 9, 25)), "published_on")
    assert "publish on 28 September 2026 or later" in message
    refused(lambda: publish(published_on=D(2026, 9, 28), public_link="http://insecure.example/x"), "public_link")
    refused(lambda: publish(published_on=D(2026, 9, 28), redaction_checked_by=" "), "redaction_checked_by")
    refused(lambda: publish(published_on=D(2026, 9, 28), redaction_checked_on=D(2026, 8, 1)), "redaction_checked_on")
    refused(lambda: publish(published_on=D(2026, 9, 28), published_until=D(2026, 9, 28)), "published_until")
    cspr = publish(published_on=D(2026, 9, 28))
    assert (cspr.status, cspr.published_on) == ("published", D(2026, 9, 28))
    assert written_by(cspr, world.business_manager, "update").changes["status"] == ["sent", "published"]
    refused(lambda: publish(published_on=D(2026, 9, 29)), "published_on")


def test_the_database_refuses_a_publication_without_the_copy_sent(world):
    cspr = opened(world)
    cspr.published_on = D(2026, 9, 1)
    cspr.public_link = "https://testshire.example/cspr.pdf"
    cspr.redaction_checked_on, cspr.redaction_checked_by = D(2026, 9, 1), "Bella"
    with transaction.atomic(), pytest.raises(IntegrityError):
        cspr.save()


# Recommendations ---------------------------------------------------------------------------


def recommendation(world, origin=None, **overrides):
    fields = {
        "origin": origin or opened(world),
        "text": "Agencies check a family's previous addresses with the area they came from.",
        "owner_organisation": world.org["council"],
        "made_on": D(2026, 9, 28),
        "due_on": D(2026, 11, 30),
        "themes": world.themes[1:],
        "actor": world.business_manager,
    }
    return learning.recommendation_create(**(fields | overrides))


def test_recommendations_come_from_each_source_with_one_link(world):
    cspr = opened(world)
    first = recommendation(world, cspr)
    assert (first.reference, first.source, first.practice_review, first.origin) == ("REC-2026-01", "cspr", cspr, cspr)
    national = learning.national_review_create(
        title="Child Protection in England", published_on=D(2022, 5, 25), actor=world.business_manager
    )
    assert recommendation(world, national).source == "national_review"
    scrutiny = governance.recommendation_create(
        reference="SCR-1",
        made_on=D(2026, 6, 1),
        scrutineer=world.people["bella"],
        finding="Partners do not check previous addresses.",
        recommendation="Check previous addresses.",
        addressed_to=[world.org["council"]],
        actor=world.business_manager,
    )
    assert recommendation(world, scrutiny, made_on=D(2026, 6, 2)).source == "scrutiny"
    assert recommendation(world, cspr.rapid_review, made_on=D(2026, 4, 22)).source == "rapid_review"
    refused(lambda: recommendation(world, cspr, made_on=D(2026, 4, 1)), "made_on")
    refused(lambda: recommendation(world, cspr, due_on=D(2026, 9, 1)), "due_on")
    refused(lambda: recommendation(world, cspr, text=" "), "text")
    bad = LearningRecommendation(
        reference="REC-X", source="cspr", rapid_review=cspr.rapid_review, text="x", recorded_by="x",
        owner_organisation=world.org["council"], made_on=D(2026, 9, 1), due_on=D(2026, 9, 2),
    )  # fmt: skip
    with transaction.atomic(), pytest.raises(IntegrityError):
        bad.save()


def test_a_recommendation_without_impact_evidence_or_with_open_actions_is_not_closed(world):
    rec = recommendation(world)
    action = learning.recommendation_add_action(
        recommendation=rec,
        title="Add a previous-address check to the MASH's contact form",
        due_on=D(2026, 11, 1),
        created_on=D(2026, 9, 29),
        actor=world.business_manager,
    )
    assert (action.reference, action.owner_organisation, action.learning_link.recommendation) == (
        "REC-2026-01-A1",
        world.org["council"],
        rec,
    )
    close = lambda on=CLOSED: learning.recommendation_close(  # noqa: E731
        recommendation=rec, closed_on=on, actor=world.business_manager
    )
    assert "evidence of impact" in refused(close, "impact")
    learning.impact_evidence_record(
        recommendation=rec,
        kind="narrative",
        recorded_on=D(2026, 11, 10),
        summary="Practitioners at the learning event said they now ask where a family lived before.",
        actor=world.business_manager,
    )
    assert "REC-2026-01-A1" in refused(close, "actions")
    governance.action_add_update(
        action=action, on=D(2026, 11, 1), note="The form asks now.", status_after="done", actor=world.business_manager
    )
    refused(lambda: close(D(2026, 9, 1)), "closed_on")
    rec = close()
    assert (rec.status, rec.closed_on, rec.closed_by) == (
        "closed",
        D(2026, 11, 20),
        actor_label(world.business_manager),
    )
    refused(close, "closed_on")
    refused(
        lambda: learning.recommendation_add_action(
            recommendation=rec,
            title="More",
            due_on=D(2026, 12, 1),
            created_on=D(2026, 11, 21),
            actor=world.business_manager,
        ),
        "recommendation",
    )


def test_indicator_evidence_keeps_the_dashboards_verdict(world):
    rec = recommendation(world)
    indicator = Indicator.objects.create(
        code="late-moves",
        title="Moves found late",
        definition="Moves found only through health records",
        unit="count",
        frequency="quarterly",
        polarity="lower_better",
    )
    for period, value in (("2025-Q1", 40), ("2026-Q1", 12)):
        data_return = DataReturn.objects.create(
            organisation=world.org["council"],
            period=period,
            version=1,
            submitted_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
            submitted_by="Testshire Council",
            source="upload",
        )
        ReturnValue.objects.create(data_return=data_return, indicator=indicator, value=value)
    evidence = lambda **kw: learning.impact_evidence_record(  # noqa: E731
        recommendation=rec, kind="indicator", recorded_on=D(2026, 10, 1), summary="Fewer moves found late.",
        indicator=indicator, actor=world.business_manager, **kw,
    )  # fmt: skip
    assert "2026-Q5" in refused(lambda: evidence(period="2026-Q5"), "period")
    assert "no figure" in refused(lambda: evidence(period="2024-Q1"), "period")
    recorded = evidence(period="2026-Q1")
    assert recorded.verdict == "a fall of 70%, more than normal variation"
    refused(
        lambda: learning.impact_evidence_record(
            recommendation=rec, kind="indicator", recorded_on=D(2026, 10, 1), summary="x", actor=world.business_manager
        ),
        "indicator",
    )


def test_training_evidence_counts_the_course_reach_when_recorded(world):
    rec = recommendation(world)
    course = CourseFactory()
    session = SessionFactory(course=course)
    for n, organisation in enumerate(("council", "police", "police")):
        Booking.objects.create(
            session=session,
            full_name=f"Trainee {n}",
            email=f"t{n}@example.org",
            organisation=world.org[organisation],
            job_role="Social worker",
            status="confirmed",
            outcome="attended",
            booked_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        )
    recorded = learning.impact_evidence_record(
        recommendation=rec,
        kind="training",
        recorded_on=D(2026, 10, 1),
        summary="The learning is in the neglect course.",
        course=course,
        actor=world.business_manager,
    )
    assert recorded.reach == "3 people from 2 agencies"
    assert Session.objects.count() == 1 and Course.objects.count() == 1
    refused(
        lambda: learning.impact_evidence_record(
            recommendation=rec, kind="reaudit", recorded_on=D(2026, 10, 1), summary="x", actor=world.business_manager
        ),
        "audit_reference",
    )
    refused(
        lambda: learning.impact_evidence_record(
            recommendation=rec,
            kind="gut_feeling",
            recorded_on=D(2026, 10, 1),
            summary="x",
            actor=world.business_manager,
        ),
        "kind",
    )


def test_tallies_count_open_overdue_and_closed_by_source_organisation_and_theme(world, django_assert_max_num_queries):
    from safeguarding.reviews import presentation, selectors

    cspr = opened(world)
    late = recommendation(world, cspr, due_on=D(2026, 10, 1))  # overdue by today (after 1 October 2026)
    recommendation(world, cspr, due_on=D(2099, 1, 1), themes=[])
    done = recommendation(world, cspr.rapid_review, made_on=D(2026, 4, 22), owner_organisation=world.org["police"])
    learning.impact_evidence_record(
        recommendation=done, kind="narrative", recorded_on=D(2026, 5, 1), summary="Asked now.",
        actor=world.business_manager,
    )  # fmt: skip
    learning.recommendation_close(recommendation=done, closed_on=D(2026, 5, 2), actor=world.business_manager)
    with django_assert_max_num_queries(8):
        rows = selectors.recommendations_for(world.business_manager)
    assert [r.recommendation.reference for r in rows if r.overdue] == [late.reference]

    def counts(key):
        return [(t.label, t.open, t.overdue, t.closed) for t in presentation.recommendation_tallies(rows, key)]

    assert counts("source") == [("Child Safeguarding Practice Review", 2, 1, 0), ("Rapid review", 0, 0, 1)]
    assert counts("organisation") == [("Testshire Council", 2, 1, 0), ("Testshire Police", 0, 0, 1)]
    assert counts("theme") == [("No theme", 1, 0, 0), ("Transience and moves", 1, 1, 1)]
