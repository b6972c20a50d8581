"""The reviews' data package files: an export imported into an empty database gives
back the same files; a second import changes nothing; a bad row is refused naming file,
row and column, and nothing is written. The children's details stay out."""

import datetime as dt
from pathlib import Path

import pytest

from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, export_package, import_files, import_package, parse_csv
from safeguarding.core.models import AuditEvent
from safeguarding.governance import services as governance
from safeguarding.reviews import learning, services
from safeguarding.reviews.models import (
    ImpactEvidence,
    LearningRecommendation,
    MonitoringCheck,
    NationalReview,
    NotificationReason,
    NotifiedChild,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    RecommendationAction,
    ReferralForConsideration,
    ReportVersion,
    ReviewPause,
    ReviewTheme,
    SeriousIncidentNotification,
)
from tests.reviews.test_services import CRITERIA, signed_off

SYSTEM = SystemActor("test")
D = dt.date
MODELS = [
    NotificationReason,
    ReviewTheme,
    SeriousIncidentNotification,
    ReferralForConsideration,
    RapidReview,
    RapidReviewSignOff,
    PracticeReview,
    ParallelProcess,
    ReviewPause,
    MonitoringCheck,
    ReportVersion,
    NationalReview,
    LearningRecommendation,
    RecommendationAction,
    ImpactEvidence,
]  # in the order they depend on one another


@pytest.fixture
def reviews(world):
    """A rapid review through to the Panel's reply and its CSPR through a pause to
    publication; another notification found not to need a rapid review; referrals;
    recommendations from each of the four sources, one closed with evidence."""
    actor = world.business_manager
    review = world.notify().rapid_review
    services.rapid_review_decide(
        review=review,
        decided_on=D(2026, 4, 22),
        criteria=CRITERIA,
        outcome="local_cspr",
        themes=world.themes,
        actor=actor,
    )
    signed_off(world, review)
    review = services.rapid_review_send_to_panel(review=review, sent_on=D(2026, 4, 24), actor=actor)
    services.panel_reply_record(
        review=review,
        kind="more_information",
        replied_on=D(2026, 5, 8),
        text='Asks "why", on two lines\nhere.',
        actor=actor,
    )
    other = world.notify(became_aware_on=D(2026, 5, 4), notified_panel_on=D(2026, 5, 6), incident_on=D(2026, 5, 1))
    services.rapid_review_not_required(
        review=other.rapid_review, reason="Natural causes.", decided_on=D(2026, 5, 8), actor=actor
    )
    services.referral_record(
        referred_by=world.org["school"],
        referred_on=D(2026, 3, 2),
        summary="A broken wrist.",
        decision="do_not_notify",
        decided_on=D(2026, 3, 4),
        reason="Accidental.",
        actor=actor,
    )
    services.referral_record(
        referred_by=world.org["trust"],
        referred_on=D(2026, 4, 1),
        summary="Brought in unconscious.",
        decision="notify",
        decided_on=D(2026, 4, 2),
        reason="Serious harm.",
        notification=review.notification,
        actor=actor,
    )

    cspr = learning.practice_review_open(
        origin="rapid_review", rapid_review=review, decided_on=D(2026, 4, 22), title="Child Q", actor=actor
    )
    learning.practice_review_commission(
        review=cspr,
        reviewer_name="Rowan Reviewer",
        reviewer_organisation="Independent Reviews Ltd",
        contract_starts_on=D(2026, 5, 1),
        contract_ends_on=D(2026, 10, 31),
        terms_of_reference="How agencies shared.",
        themes=world.themes[:1],
        actor=actor,
    )
    trial = learning.parallel_process_add(
        review=cspr, kind="police", description="The criminal trial", started_on=D(2026, 3, 31), actor=actor
    )
    learning.practice_review_pause(
        review=cspr, paused_on=D(2026, 5, 11), reason="Until the trial ends.", parallel_process=trial, actor=actor
    )
    learning.practice_review_resume(review=cspr, resumed_on=D(2026, 6, 15), actor=actor)
    learning.monitoring_record(
        review=cspr, checked_on=D(2026, 7, 1), on_time=False, quality_assured=True, note="Paused.", actor=actor
    )
    learning.report_version_record(review=cspr, kind="draft", received_on=D(2026, 8, 1), note="First", actor=actor)
    learning.report_version_record(review=cspr, kind="final", received_on=D(2026, 9, 1), actor=actor)
    learning.practice_review_send_to_panel(review=cspr, sent_on=D(2026, 9, 2), actor=actor)
    learning.practice_review_publish(
        review=cspr,
        published_on=D(2026, 9, 15),
        public_link="https://scp.example/child-q",
        redaction_checked_by="Bella",
        redaction_checked_on=D(2026, 9, 10),
        published_until=D(2029, 9, 15),
        actor=actor,
    )

    national = learning.national_review_create(
        title="A national review", published_on=D(2026, 1, 10), link="https://panel.example/r", actor=actor
    )
    scrutiny = governance.recommendation_create(
        reference="SR-1",
        made_on=D(2026, 2, 1),
        scrutineer=world.people["bella"],
        finding="f",
        recommendation="Train more",
        addressed_to=[world.org["council"]],
        actor=actor,
    )
    made = {cspr: D(2026, 9, 15), review: D(2026, 4, 30), national: D(2026, 2, 1), scrutiny: D(2026, 2, 20)}
    recommendations = [
        learning.recommendation_create(
            origin=origin,
            text=f"Recommendation {n}",
            owner_organisation=world.org["police"],
            made_on=on,
            due_on=on + dt.timedelta(days=90),
            themes=world.themes[n % 2 :],
            actor=actor,
        )
        for n, (origin, on) in enumerate(made.items())
    ]
    action = learning.recommendation_add_action(
        recommendation=recommendations[0], title="Do it", created_on=D(2026, 9, 16), due_on=D(2026, 10, 16), actor=actor
    )
    governance.action_add_update(action=action, on=D(2026, 10, 1), note="Done", status_after="done", actor=actor)
    learning.impact_evidence_record(
        recommendation=recommendations[0],
        kind="narrative",
        recorded_on=D(2026, 10, 5),
        summary="Practice changed.",
        actor=actor,
    )
    learning.impact_evidence_record(
        recommendation=recommendations[1],
        kind="reaudit",
        recorded_on=D(2026, 10, 5),
        summary="Better.",
        audit_reference="MACA-2026-03",
        actor=actor,
    )
    learning.recommendation_close(recommendation=recommendations[0], closed_on=D(2026, 10, 6), actor=actor)
    return world


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _wipe():
    NotifiedChild.objects.all().delete()
    for model in reversed(MODELS):
        model.objects.all().delete()


def _files_in(path: Path) -> dict[str, bytes]:
    return {file.name: file.read_bytes() for file in sorted(path.iterdir())}


def test_export_import_into_an_empty_database_gives_back_the_same_files(reviews, tmp_path):
    export_package(tmp_path / "first")
    before = _counts()
    assert all(before.values()), before
    _wipe()
    assert not any(_counts().values())

    import_package(tmp_path / "first", actor=SYSTEM)

    assert _counts() == before
    export_package(tmp_path / "second")
    assert _files_in(tmp_path / "second") == _files_in(tmp_path / "first")
    cspr = PracticeReview.objects.get()
    assert cspr.rapid_review.notification.rapid_review == cspr.rapid_review
    assert cspr.pauses.get().parallel_process.description == "The criminal trial"
    sign_off = RapidReviewSignOff.objects.get(partner_kind="icb")
    assert sign_off.person.full_name == "Dina Delegated" and sign_off.post.seniority == "delegated_partner"
    replied = RapidReview.objects.get(status="replied")
    assert replied.panel_reply_text == 'Asks "why", on two lines\nhere.'
    assert replied.joint_working_met is not None
    assert RapidReview.objects.get(status="not_required").decided_on is None
    assert LearningRecommendation.objects.get(status="closed").impact.get().summary == "Practice changed."


def test_the_children_s_details_are_not_in_the_package(reviews, tmp_path):
    export_package(tmp_path)
    text = "".join(file.read_text() for file in tmp_path.iterdir())
    assert NotifiedChild.objects.filter(first_name="Amy").exists()
    assert "Amy" not in text and "2020-05-01" not in text  # the notified child's name and date of birth


def test_importing_the_same_package_twice_changes_nothing(reviews, tmp_path):
    export_package(tmp_path)
    before, events = _counts(), AuditEvent.objects.count()

    report = import_package(tmp_path, actor=SYSTEM)

    assert _counts() == before and AuditEvent.objects.count() == events
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values()), report.counts


def _package(tmp_path) -> dict[str, list[dict[str, str]]]:
    export_package(tmp_path)
    return {file.name: parse_csv(file.name, file.read_bytes()) for file in tmp_path.iterdir() if file.suffix == ".csv"}


def test_a_bad_row_is_refused_naming_file_row_and_column_and_nothing_is_written(reviews, tmp_path):
    files = _package(tmp_path)
    _wipe()
    notified = next(row for row in files["referrals.csv"] if row["notification"])
    notified["notification"] = "council/2026-01-01/2026-01-01"
    files["rapid_reviews.csv"][0]["panel_reply"] = "maybe"
    files["learning_recommendations.csv"][0]["national_review"] = "A national review"
    files["practice_reviews.csv"][0]["status"] = "abandoned"
    events = AuditEvent.objects.count()

    with pytest.raises(PackageError) as refused:
        import_files(files, actor=SYSTEM)

    messages = "\n".join(str(p) for p in refused.value.problems)
    for expected in (
        "referrals.csv, row 3, column notification: unknown notification 'council/2026-01-01/2026-01-01'",
        "rapid_reviews.csv, row 2, column panel_reply: 'maybe' is not one of agrees,",
        "learning_recommendations.csv, row 2, column national_review: give only the practice_review of",
        "practice_reviews.csv, row 2, column status: 'abandoned' is not one of",
    ):
        assert expected in messages, messages
    assert not any(_counts().values()) and AuditEvent.objects.count() == events


def test_a_sign_off_by_someone_with_no_post_that_day_is_refused_and_nothing_is_written(reviews, tmp_path):
    files = _package(tmp_path)
    _wipe()
    for row in files["rapid_review_sign_offs.csv"]:
        row["signed_on"] = "2019-06-01"  # before anyone's post began

    with pytest.raises(PackageError) as refused:
        import_files(files, actor=SYSTEM)

    assert "rapid_review_sign_offs.csv, row 2, column person_key: " in str(refused.value.problems[0])
    assert "held no post on 2019-06-01" in str(refused.value.problems[0])
    assert not any(_counts().values())


def test_notifications_sharing_their_key_cannot_be_moved_in_a_package(reviews, tmp_path):
    """A notification has no reference of its own: two from one council, aware on one day,
    about incidents on one day, are the same key, and the package says so."""
    reviews.notify(children=[services.ChildDetails(first_name="Bo", last_name="Example")])
    files = _package(tmp_path)

    with pytest.raises(PackageError) as refused:
        import_files(files, actor=SYSTEM)

    assert any(
        "notifications.csv, row 3" in str(p) and "the same record as row 2" in str(p) for p in refused.value.problems
    )
