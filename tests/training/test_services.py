"""Training writes: the catalogue, sessions, bookings with their waiting list, the
register, evaluation and follow-up, the daily e-mails and workforce figures; each
refusal writes nothing, and every write records who made it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.accounts import services as accounts
from safeguarding.core.audit import SystemActor
from safeguarding.core.hashing import hash_token
from safeguarding.core.models import AuditEvent, OutgoingEmail
from safeguarding.training import services
from safeguarding.training.models import (
    Booking,
    Course,
    Evaluation,
    EvaluationAnswer,
    FollowUp,
    LearningOutcome,
    Session,
    Topic,
    Workforce,
)
from tests.conftest import make_persona
from tests.factories import (
    BookingFactory,
    CourseFactory,
    OrganisationFactory,
    SessionFactory,
    gcp2_course,
    three_hour_session,
)

SYSTEM = SystemActor("test")
B = Booking.Status


@pytest.fixture
def training(db):
    school = OrganisationFactory(code="school", name="Riverside High", kind="school", email_domains="riverside.example")
    council = OrganisationFactory(
        code="council",
        name="Testshire Council",
        kind="local_authority",
        standing="statutory_partner",
        email_domains="testshire.example, council.example",
    )
    topic = services.topic_create(code="neglect", title="Neglect", actor=SYSTEM)
    course = gcp2_course(topics=[topic], outcomes=["Use GCP2", "Explain neglect"], actor=SYSTEM)
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=10)
    session = three_hour_session(course, starts=starts, capacity=2, venue="Hall", actor=SYSTEM)
    return {"school": school, "council": council, "course": course, "session": session, "topic": topic}


def book(training, name, *, org="school", session=None, **extra):
    organisation = training[org]
    domain = organisation.email_domains.split(",")[0].strip()
    booking, token = services.booking_create(
        session=session or training["session"],
        full_name=name,
        email=f"{name.lower()}@{domain}",
        organisation=organisation,
        job_role="Teacher",
        actor=SYSTEM,
        **extra,
    )
    return booking


def subjects_to(address: str) -> list[str]:
    return list(OutgoingEmail.objects.filter(to=[address]).order_by("pk").values_list("subject", flat=True))


def last_event() -> int:
    last = AuditEvent.objects.order_by("pk").last()
    return last.pk if last else 0


def written_since(pk: int):
    return AuditEvent.objects.filter(pk__gt=pk).order_by("pk")


# The catalogue and sessions ------------------------------------------------------------


def test_a_course_is_made_with_its_outcomes_in_order_and_its_topics(training):
    tom = make_persona("training_coordinator")
    before = last_event()
    course = services.course_create(
        code="cse",
        title="Child exploitation",
        description="Spotting it",
        level="universal",
        format="virtual",
        duration_minutes=90,
        topics=[training["topic"]],
        outcomes=["Know the signs", "Know who to tell", "Record it"],
        actor=tom,
    )
    assert list(course.outcomes.values_list("position", "text")) == [
        (1, "Know the signs"),
        (2, "Know who to tell"),
        (3, "Record it"),
    ]
    assert list(course.topics.values_list("code", flat=True)) == ["neglect"]
    events = written_since(before)
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "training.course"),
        ("create", "training.learningoutcome"),
        ("create", "training.learningoutcome"),
        ("create", "training.learningoutcome"),
        ("update", "training.course"),
    ]
    assert all(e.actor == tom and e.actor_label == "tom" for e in events)
    assert events.last().changes == {"topics": [[], ["neglect"]]}
    assert events.first().changes["title"] == "Child exploitation"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "gcp2"}, "code"),  # the fixture's course already has it
        ({"duration_minutes": 0}, None),
        ({"level": "expert"}, "level"),
        ({"format": "podcast"}, "format"),
        ({"title": ""}, "title"),
    ],
)
def test_a_course_that_breaks_a_rule_is_refused_and_nothing_is_written(training, change, field):
    before, courses, outcomes = last_event(), Course.objects.count(), LearningOutcome.objects.count()
    fields = {
        "code": "cse",
        "title": "Child exploitation",
        "description": "d",
        "level": "universal",
        "format": "virtual",
        "duration_minutes": 90,
    } | change
    with pytest.raises(ValidationError) as refused:
        services.course_create(**fields, topics=[], outcomes=["One"], actor=SYSTEM)
    if field:
        assert field in refused.value.message_dict
    assert (Course.objects.count(), LearningOutcome.objects.count()) == (courses, outcomes)
    assert not written_since(before).exists()


def test_a_topic_is_recorded_with_who_added_it(training):
    bella = make_persona("business_manager")
    topic = services.topic_create(code="dv", title="Domestic abuse", actor=bella)
    event = AuditEvent.objects.get(object_type="training.topic", object_id=str(topic.pk))
    assert (event.action, event.actor, event.changes["title"]) == ("create", bella, "Domestic abuse")
    with pytest.raises(ValidationError):
        services.topic_create(code="dv", title="Again", actor=bella)
    assert Topic.objects.filter(code="dv").count() == 1


def test_a_session_is_recorded_with_who_added_it(training):
    tom = make_persona("training_coordinator")
    starts = timezone.now() + dt.timedelta(days=30)
    session = three_hour_session(
        training["course"], starts=starts, capacity=12, online_link="https://meet.example/x", actor=tom
    )
    event = AuditEvent.objects.get(object_type="training.session", object_id=str(session.pk))
    assert (event.action, event.actor_label) == ("create", "tom")
    assert (event.changes["capacity"], event.changes["online_link"]) == (12, "https://meet.example/x")


@pytest.mark.parametrize(
    ("ends_after_hours", "capacity"),
    [(-1, 10), (0, 10), (3, 0)],
)
def test_a_session_that_ends_before_it_starts_or_has_no_places_is_refused(training, ends_after_hours, capacity):
    starts = timezone.now() + dt.timedelta(days=30)
    sessions, before = Session.objects.count(), last_event()
    with pytest.raises(ValidationError):
        services.session_create(
            course=training["course"],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=ends_after_hours),
            capacity=capacity,
            booking_deadline=starts.date(),
            actor=SYSTEM,
        )
    assert Session.objects.count() == sessions and not written_since(before).exists()


def test_cancelling_a_session_cancels_every_live_booking_and_tells_each_person(training):
    ann, bob = book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")  # the waiting list
    dan = book(training, "Dan", email_confirmed=False)  # awaiting confirmation
    eve = book(training, "Eve", email_confirmed=False)
    services.booking_cancel(booking=eve, actor=SYSTEM)
    tom = make_persona("training_coordinator")
    before = last_event()

    services.session_cancel(session=training["session"], actor=tom)

    session = Session.objects.get(pk=training["session"].pk)
    assert session.cancelled_at is not None
    assert set(session.bookings.values_list("status", flat=True)) == {B.CANCELLED}
    for who in (ann, bob, cat, dan):
        assert subjects_to(who.email)[-1] == "Training session cancelled"
    assert "Training session cancelled" not in subjects_to(eve.email)
    events = written_since(before)
    assert sorted(e.object_type for e in events) == ["training.booking"] * 4 + ["training.session"]
    assert {e.actor for e in events} == {tom}

    # Cancelling again changes nothing and tells nobody twice.
    before, emails = last_event(), OutgoingEmail.objects.count()
    services.session_cancel(session=training["session"], actor=tom)
    assert not written_since(before).exists() and OutgoingEmail.objects.count() == emails


def test_a_cancelled_session_takes_no_bookings_and_no_confirmations(training):
    pending = book(training, "Dan", email_confirmed=False)
    services.session_cancel(session=training["session"], actor=SYSTEM)
    with pytest.raises(ValidationError, match="Bookings for this session are closed"):
        book(training, "Ann")
    pending = Booking.objects.get(pk=pending.pk)
    assert pending.status == B.CANCELLED
    # A link followed after the cancellation confirms nothing.
    assert services.booking_confirm_email(booking=pending, actor=SYSTEM).status == B.CANCELLED


# Bookings -------------------------------------------------------------------------------


def test_a_booking_takes_a_place_and_its_e_mail_carries_a_link_whose_token_is_not_stored(training):
    tom = make_persona("training_coordinator")
    booking, token = services.booking_create(
        session=training["session"],
        full_name="Ann Teacher",
        email="  Ann.Teacher@Riverside.example ",
        organisation=training["school"],
        job_role="Teacher",
        actor=tom,
    )
    booking.refresh_from_db()
    assert (booking.status, booking.email) == (B.CONFIRMED, "ann.teacher@riverside.example")
    assert booking.confirmed_at == booking.booked_at and booking.confirmed_at is not None
    assert booking.token_hash == hash_token(token) and token not in booking.token_hash
    message = OutgoingEmail.objects.get(to=["ann.teacher@riverside.example"])
    assert message.subject == "Your training place is confirmed"
    assert f"/training/bookings/{token}/" in message.body and "Hall" in message.body
    event = AuditEvent.objects.get(object_type="training.booking", object_id=str(booking.pk))
    assert (event.action, event.actor) == ("create", tom)
    assert "token_hash" not in event.changes


def test_when_the_session_is_full_a_booking_joins_the_waiting_list(training):
    book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")
    assert cat.status == B.WAITING and cat.confirmed_at is not None
    assert subjects_to(cat.email) == ["You are on the waiting list"]
    assert training["session"].bookings.filter(status=B.CONFIRMED).count() == 2


def test_a_second_live_booking_for_the_same_address_is_refused_whatever_its_case(training):
    ann = book(training, "Ann")
    with pytest.raises(ValidationError) as refused:
        services.booking_create(
            session=training["session"],
            full_name="Ann again",
            email="ANN@riverside.example",
            organisation=training["school"],
            job_role="Teacher",
            actor=SYSTEM,
        )
    assert refused.value.message_dict == {"email": ["ann@riverside.example already has a booking for this session."]}
    assert training["session"].bookings.count() == 1
    # Once cancelled, the same person may book again.
    services.booking_cancel(booking=ann, actor=SYSTEM)
    again = book(training, "Ann")
    assert again.status == B.CONFIRMED and again.pk != ann.pk


def test_a_waiting_or_pending_booking_also_counts_as_a_booking_already_made(training):
    book(training, "Ann"), book(training, "Bob"), book(training, "Cat")  # Cat waits
    book(training, "Dan", email_confirmed=False)
    for name in ("Cat", "Dan"):
        with pytest.raises(ValidationError, match="already has a booking"):
            book(training, name)


def test_bookings_close_at_the_end_of_the_deadline_day(training):
    session = training["session"]
    deadline_evening = dt.datetime.combine(
        session.booking_deadline, dt.time(23, 59), tzinfo=timezone.get_current_timezone()
    )
    assert book(training, "Ann", now=deadline_evening).status == B.CONFIRMED
    with pytest.raises(ValidationError, match="closed"):
        book(training, "Bob", now=deadline_evening + dt.timedelta(minutes=2))
    assert session.bookings.count() == 1


def test_a_practitioner_without_an_account_books_with_a_work_address_and_holds_no_place_until_confirmed(training):
    with pytest.raises(ValidationError) as refused:
        services.booking_create(
            session=training["session"],
            full_name="Eve",
            email="eve@gmail.example",
            organisation=training["council"],
            job_role="TA",
            email_confirmed=False,
            actor=SYSTEM,
        )
    assert refused.value.message_dict["email"] == [
        "Use your work e-mail address at Testshire Council (ending @testshire.example, @council.example)."
    ]
    dan = book(training, "Dan", email_confirmed=False)
    assert (dan.status, dan.confirmed_at) == (B.PENDING, None)
    assert subjects_to(dan.email) == ["Confirm your training booking"]
    # Two others fill the session meanwhile: the pending booking held nothing.
    assert book(training, "Ann").status == B.CONFIRMED
    assert book(training, "Bob").status == B.CONFIRMED
    confirmed = services.booking_confirm_email(booking=dan, actor=SYSTEM)
    assert confirmed.status == B.WAITING and confirmed.confirmed_at is not None
    assert subjects_to(dan.email)[-1] == "You are on the waiting list"


def test_an_organisation_without_known_domains_cannot_be_booked_by_link(training):
    hospice = OrganisationFactory(code="hospice", name="Hospice", email_domains="")
    with pytest.raises(ValidationError, match="a domain we know"):
        services.booking_create(
            session=training["session"],
            full_name="Fay",
            email="fay@hospice.example",
            organisation=hospice,
            job_role="Nurse",
            email_confirmed=False,
            actor=SYSTEM,
        )


def test_confirming_an_address_twice_allocates_once(training):
    dan = book(training, "Dan", email_confirmed=False)
    services.booking_confirm_email(booking=dan, actor=SYSTEM)
    before, emails = last_event(), OutgoingEmail.objects.count()
    again = services.booking_confirm_email(booking=dan, actor=SYSTEM)
    assert again.status == B.CONFIRMED
    assert not written_since(before).exists() and OutgoingEmail.objects.count() == emails


def test_staff_booking_their_own_address_get_a_confirmed_place_as_themselves(training):
    andy = make_persona("analyst")
    booking, _ = services.booking_create_by_staff(
        session=training["session"],
        full_name="Andy",
        email=andy.person.email.upper(),
        organisation=training["council"],
        job_role="Analyst",
        actor=andy,
    )
    assert (booking.status, booking.person, booking.full_name) == (B.CONFIRMED, andy.person, "Andy Analyst")


def test_staff_booking_someone_in_the_directory_confirm_the_place_under_the_directorys_name(training):
    bob = accounts.person_create(
        full_name="Bob Teacher",
        email="bob.teacher@riverside.example",
        organisation=training["school"],
        job_title="Teacher",
        seniority="practitioner",
        started_on=dt.date(2020, 1, 1),
        actor=SYSTEM,
    )
    andy = make_persona("analyst")
    booking, _ = services.booking_create_by_staff(
        session=training["session"],
        full_name="Robert",
        email="Bob.Teacher@riverside.example",
        organisation=training["school"],
        job_role="Teacher",
        actor=andy,
    )
    assert (booking.status, booking.person, booking.full_name) == (B.CONFIRMED, bob, "Bob Teacher")
    assert AuditEvent.objects.get(object_type="training.booking", object_id=str(booking.pk)).actor == andy


def test_staff_booking_an_address_two_people_share_waits_for_that_address_to_confirm(training):
    for name in ("Sam One", "Sam Two"):
        accounts.person_create(
            full_name=name,
            email="office@riverside.example",
            organisation=training["school"],
            job_title="Office",
            seniority="practitioner",
            started_on=dt.date(2020, 1, 1),
            actor=SYSTEM,
        )
    booking, _ = services.booking_create_by_staff(
        session=training["session"],
        full_name="Sam",
        email="office@riverside.example",
        organisation=training["school"],
        job_role="Office",
        actor=make_persona("analyst"),
    )
    assert (booking.status, booking.person) == (B.PENDING, None)


# Cancelling and the waiting list -------------------------------------------------------


def test_a_cancellation_in_good_time_gives_the_place_to_whoever_joined_the_waiting_list_first(training):
    start = training["session"].starts_at
    ann = book(training, "Ann", now=start - dt.timedelta(days=9))
    book(training, "Bob", now=start - dt.timedelta(days=9))
    cat = book(training, "Cat", now=start - dt.timedelta(days=5))
    dan = book(training, "Dan", now=start - dt.timedelta(days=6))  # made after Cat's, but joined earlier
    assert (cat.status, dan.status) == (B.WAITING, B.WAITING)
    tom = make_persona("training_coordinator")

    promoted = services.booking_cancel(booking=ann, actor=tom, now=start - dt.timedelta(days=4))

    assert promoted.pk == dan.pk
    ann, dan, cat = (Booking.objects.get(pk=b.pk) for b in (ann, dan, cat))
    assert (ann.status, ann.outcome, ann.cancelled_at) == (B.CANCELLED, "", start - dt.timedelta(days=4))
    assert (dan.status, dan.promoted_at) == (B.CONFIRMED, start - dt.timedelta(days=4))
    assert cat.status == B.WAITING
    assert subjects_to(dan.email)[-1] == "A place has come up: you are booked"
    changes = {
        e.object_id: e.changes
        for e in AuditEvent.objects.filter(object_type="training.booking", action="update", actor=tom)
    }
    assert changes[str(ann.pk)]["status"] == ["confirmed", "cancelled"]
    assert changes[str(dan.pk)]["status"] == ["waiting", "confirmed"]


def test_a_late_cancellation_is_recorded_as_such_and_the_place_is_still_offered(training):
    start = training["session"].starts_at
    ann, _ = book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")
    promoted = services.booking_cancel(booking=ann, actor=SYSTEM, now=start - dt.timedelta(hours=47))
    assert Booking.objects.get(pk=ann.pk).outcome == Booking.Outcome.LATE_CANCELLATION
    assert promoted.pk == cat.pk


def test_exactly_48_hours_notice_is_in_time(training):
    start = training["session"].starts_at
    ann = book(training, "Ann")
    services.booking_cancel(booking=ann, actor=SYSTEM, now=start - dt.timedelta(hours=48))
    assert Booking.objects.get(pk=ann.pk).outcome == ""


def test_the_notice_for_a_late_cancellation_follows_the_setting(training, settings):
    settings.TRAINING_LATE_CANCELLATION_HOURS = 24
    start = training["session"].starts_at
    ann, bob = book(training, "Ann"), book(training, "Bob")
    services.booking_cancel(booking=ann, actor=SYSTEM, now=start - dt.timedelta(hours=30))
    services.booking_cancel(booking=bob, actor=SYSTEM, now=start - dt.timedelta(hours=20))
    assert Booking.objects.get(pk=ann.pk).outcome == ""
    assert Booking.objects.get(pk=bob.pk).outcome == Booking.Outcome.LATE_CANCELLATION


def test_a_cancellation_after_the_start_promotes_nobody(training):
    start = training["session"].starts_at
    ann, _ = book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")
    assert services.booking_cancel(booking=ann, actor=SYSTEM, now=start + dt.timedelta(minutes=10)) is None
    assert Booking.objects.get(pk=cat.pk).status == B.WAITING
    assert Booking.objects.get(pk=ann.pk).outcome == Booking.Outcome.LATE_CANCELLATION


@pytest.mark.parametrize("which", ["waiting", "pending"])
def test_cancelling_a_booking_that_held_no_place_promotes_nobody(training, which):
    book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")  # waiting
    dan = book(training, "Dan", email_confirmed=False)
    booking = cat if which == "waiting" else dan
    start = training["session"].starts_at
    assert services.booking_cancel(booking=booking, actor=SYSTEM, now=start - dt.timedelta(hours=1)) is None
    booking.refresh_from_db()
    # No place was held, so not a late cancellation either: nobody's place went unfilled.
    assert (booking.status, booking.outcome) == (B.CANCELLED, "")
    assert training["session"].bookings.filter(status=B.CONFIRMED).count() == 2
    assert training["session"].bookings.filter(status=B.WAITING).count() == (0 if which == "waiting" else 1)


@pytest.mark.parametrize("outcome", ["attended", "no_show", "late_cancellation"])
def test_a_booking_whose_attendance_is_recorded_cannot_be_cancelled(training, outcome):
    """A bug found by these tests: a no-show who cancelled by their link afterwards
    became a late cancellation, and an attendee cancelled by mistake lost the attendance."""
    ann, _ = book(training, "Ann"), book(training, "Bob")
    cat = book(training, "Cat")  # waiting
    services.session_record_register(session=training["session"], outcomes={ann.pk: outcome}, actor=SYSTEM)
    before = last_event()
    with pytest.raises(ValidationError, match="attendance has been recorded"):
        services.booking_cancel(booking=ann, actor=SYSTEM)
    stored = Booking.objects.get(pk=ann.pk)
    assert (stored.status, stored.outcome) == (B.CONFIRMED, outcome)
    assert Booking.objects.get(pk=cat.pk).status == B.WAITING
    assert not written_since(before).exists()


def test_cancelling_a_cancelled_booking_changes_nothing(training):
    ann = book(training, "Ann")
    services.booking_cancel(booking=ann, actor=SYSTEM)
    before = last_event()
    assert services.booking_cancel(booking=ann, actor=SYSTEM) is None
    assert not written_since(before).exists()


# The register ----------------------------------------------------------------------------


def test_the_register_records_each_outcome_and_asks_those_who_attended_to_evaluate(training):
    ann, bob = book(training, "Ann"), book(training, "Bob")
    old_hash = Booking.objects.get(pk=ann.pk).token_hash
    tom = make_persona("training_coordinator")
    services.session_record_register(
        session=training["session"], outcomes={ann.pk: "attended", bob.pk: "no_show"}, actor=tom
    )
    ann, bob = Booking.objects.get(pk=ann.pk), Booking.objects.get(pk=bob.pk)
    assert (ann.outcome, bob.outcome) == ("attended", "no_show")
    assert subjects_to(ann.email)[-1] == "How useful was the training?"
    assert "How useful was the training?" not in subjects_to(bob.email)
    # The evaluation link replaces the booking link, and carries the new token.
    assert ann.token_hash != old_hash
    body = OutgoingEmail.objects.filter(to=[ann.email]).latest("pk").body
    token = body.split("/training/feedback/")[1].split("/")[0]
    assert hash_token(token) == ann.token_hash
    events = AuditEvent.objects.filter(object_type="training.booking", action="update", actor=tom)
    assert sorted(e.changes["outcome"][1] for e in events) == ["attended", "no_show"]

    # Saving the same register again writes and sends nothing.
    before, emails = last_event(), OutgoingEmail.objects.count()
    services.session_record_register(
        session=training["session"], outcomes={ann.pk: "attended", bob.pk: "no_show"}, actor=tom
    )
    assert not written_since(before).exists() and OutgoingEmail.objects.count() == emails


@pytest.mark.parametrize("who", ["waiting", "pending", "cancelled", "another session"])
def test_the_register_lists_only_bookings_with_a_place_on_this_session(training, who):
    ann, _ = book(training, "Ann"), book(training, "Bob")
    others = {
        "waiting": lambda: book(training, "Cat"),
        "pending": lambda: book(training, "Dan", email_confirmed=False),
        "cancelled": lambda: _cancelled(training),
        "another session": lambda: BookingFactory(organisation=training["school"]),
    }
    stranger = others[who]()
    with pytest.raises(ValidationError, match="do not hold a place on this session"):
        services.session_record_register(
            session=training["session"], outcomes={ann.pk: "attended", stranger.pk: "attended"}, actor=SYSTEM
        )
    assert Booking.objects.get(pk=ann.pk).outcome == ""


def _cancelled(training):
    eve = book(training, "Eve", email_confirmed=False)
    services.booking_cancel(booking=eve, actor=SYSTEM)
    return eve


def test_an_outcome_that_is_not_one_of_the_three_is_refused_and_nothing_is_saved(training):
    ann, bob = book(training, "Ann"), book(training, "Bob")
    before = last_event()
    with pytest.raises(ValidationError, match="'came' is not an attendance outcome"):
        services.session_record_register(
            session=training["session"], outcomes={ann.pk: "attended", bob.pk: "came"}, actor=SYSTEM
        )
    assert set(training["session"].bookings.values_list("outcome", flat=True)) == {""}
    assert not written_since(before).exists()


# Evaluation and follow-up -------------------------------------------------------------------


@pytest.fixture
def attended(training):
    ann = book(training, "Ann")
    services.session_record_register(session=training["session"], outcomes={ann.pk: "attended"}, actor=SYSTEM)
    return Booking.objects.get(pk=ann.pk)


def _outcomes(training):
    return list(training["course"].outcomes.order_by("position"))


def test_an_evaluation_records_confidence_before_and_after_for_each_outcome(training, attended):
    first, second = _outcomes(training)
    before = last_event()
    evaluation = services.evaluation_submit(
        booking=attended, answers={first.pk: (2, 4), second.pk: (1, 5)}, comments="Useful", actor=SYSTEM
    )
    assert evaluation.comments == "Useful" and evaluation.submitted_at is not None
    assert sorted(evaluation.answers.values_list("outcome__position", "confidence_before", "confidence_after")) == [
        (1, 2, 4),
        (2, 1, 5),
    ]
    assert [e.object_type for e in written_since(before)] == [
        "training.evaluation",
        "training.evaluationanswer",
        "training.evaluationanswer",
    ]
    assert {e.actor_label for e in written_since(before)} == {"system: test"}


@pytest.mark.parametrize("outcome", ["", "no_show", "late_cancellation"])
def test_only_those_who_attended_can_evaluate_or_answer_the_follow_up(training, outcome):
    ann = book(training, "Ann")
    if outcome:
        Booking.objects.filter(pk=ann.pk).update(outcome=outcome)
        ann.refresh_from_db()
    first, second = _outcomes(training)
    with pytest.raises(ValidationError, match="Only people who attended can evaluate"):
        services.evaluation_submit(
            booking=ann, answers={first.pk: (1, 2), second.pk: (1, 2)}, comments="", actor=SYSTEM
        )
    with pytest.raises(ValidationError, match="Only people who attended can answer the follow-up"):
        services.follow_up_submit(booking=ann, practice_changed="yes", example="", actor=SYSTEM)
    assert not Evaluation.objects.exists() and not FollowUp.objects.exists()


def test_an_evaluation_must_rate_every_outcome_and_no_others(training, attended):
    first, second = _outcomes(training)
    other_course = CourseFactory(code="other")
    stranger = other_course.outcomes.get()
    for answers in ({first.pk: (1, 2)}, {first.pk: (1, 2), second.pk: (1, 2), stranger.pk: (1, 2)}, {}):
        with pytest.raises(ValidationError, match="Rate your confidence for every learning outcome"):
            services.evaluation_submit(booking=attended, answers=answers, comments="", actor=SYSTEM)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("ratings", [(0, 3), (3, 6), (-1, 2)])
def test_confidence_outside_one_to_five_is_refused_and_no_part_of_the_evaluation_is_kept(training, attended, ratings):
    first, second = _outcomes(training)
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            booking=attended, answers={first.pk: (3, 4), second.pk: ratings}, comments="", actor=SYSTEM
        )
    assert not Evaluation.objects.exists() and not EvaluationAnswer.objects.exists()


def test_a_course_is_evaluated_once(training, attended):
    first, second = _outcomes(training)
    answers = {first.pk: (2, 3), second.pk: (2, 3)}
    services.evaluation_submit(booking=attended, answers=answers, comments="", actor=SYSTEM)
    attended = Booking.objects.get(pk=attended.pk)
    with pytest.raises(ValidationError, match="already been evaluated"):
        services.evaluation_submit(booking=attended, answers=answers, comments="Again", actor=SYSTEM)
    assert Evaluation.objects.get().comments == ""


def test_the_follow_up_is_answered_once(training, attended):
    follow_up = services.follow_up_submit(booking=attended, practice_changed="partly", example="I ask", actor=SYSTEM)
    assert (follow_up.practice_changed, follow_up.example) == ("partly", "I ask")
    assert AuditEvent.objects.filter(object_type="training.followup", object_id=str(follow_up.pk)).exists()
    attended = Booking.objects.get(pk=attended.pk)
    with pytest.raises(ValidationError, match="already been answered"):
        services.follow_up_submit(booking=attended, practice_changed="no", example="", actor=SYSTEM)
    assert FollowUp.objects.get().practice_changed == "partly"


def test_a_follow_up_answer_that_is_not_yes_partly_or_no_is_refused(training, attended):
    with pytest.raises(ValidationError):
        services.follow_up_submit(booking=attended, practice_changed="maybe", example="", actor=SYSTEM)
    assert not FollowUp.objects.exists()


# The daily e-mails ---------------------------------------------------------------------------


def _past(ended_on: dt.date, **booking):
    start = dt.datetime.combine(ended_on, dt.time(9, 30), tzinfo=dt.UTC)
    return BookingFactory(session=SessionFactory(starts_at=start), **booking)


def test_the_follow_up_is_asked_three_months_after_the_session_and_only_once(db):
    today = dt.date(2026, 6, 10)
    due = _past(dt.date(2026, 3, 10), attended=True)
    overdue = _past(dt.date(2026, 2, 1), attended=True)
    not_yet = _past(dt.date(2026, 3, 11), attended=True)
    no_show = _past(dt.date(2026, 3, 1), no_show=True)
    answered = _past(dt.date(2026, 3, 1), attended=True)
    FollowUp.objects.create(booking=answered, practice_changed="yes", submitted_at=timezone.now())

    assert services.follow_ups_send(today=today, actor=SYSTEM) == 2

    asked = set(Booking.objects.exclude(follow_up_requested_at=None).values_list("pk", flat=True))
    assert asked == {due.pk, overdue.pk}
    for booking in (not_yet, no_show, answered):
        assert subjects_to(booking.email) == []
    message = OutgoingEmail.objects.get(to=[due.email])
    token = message.body.split("/training/follow-up/")[1].split("/")[0]
    assert Booking.objects.get(pk=due.pk).token_hash == hash_token(token)
    assert services.follow_ups_send(today=today, actor=SYSTEM) == 0
    assert services.follow_ups_send(today=today + dt.timedelta(days=1), actor=SYSTEM) == 1  # not_yet's turn


def test_reminders_go_to_those_with_a_place_on_a_session_in_the_next_days_once(db):
    now = dt.datetime(2026, 3, 7, 8, 0, tzinfo=dt.UTC)
    soon = SessionFactory(starts_at=now + dt.timedelta(days=2))
    later = SessionFactory(starts_at=now + dt.timedelta(days=4))
    cancelled = SessionFactory(starts_at=now + dt.timedelta(days=1), cancelled_at=now)
    past = SessionFactory(starts_at=now - dt.timedelta(hours=1))
    place = BookingFactory(session=soon)
    waiting = BookingFactory(session=soon, waiting=True)
    others = [BookingFactory(session=s) for s in (later, cancelled, past)]

    assert services.reminders_send(now=now, days_ahead=3, actor=SYSTEM) == 1

    assert subjects_to(place.email) == ["Reminder: training soon"]
    assert Booking.objects.get(pk=place.pk).reminder_sent_at == now
    for booking in (waiting, *others):
        assert subjects_to(booking.email) == []
    assert services.reminders_send(now=now, days_ahead=3, actor=SYSTEM) == 0


def test_the_daily_task_sends_both_kinds_and_says_how_many(db):
    from safeguarding.training.tasks import send_training_emails

    now = timezone.now()
    BookingFactory(session=SessionFactory(starts_at=now + dt.timedelta(days=1)))
    _past(timezone.localdate() - dt.timedelta(days=120), attended=True)
    assert send_training_emails.call() == {"reminders": 1, "follow_ups": 1}
    assert set(AuditEvent.objects.filter(object_type="training.booking").values_list("actor_label", flat=True)) == {
        "system: daily training e-mails"
    }


# Workforce ------------------------------------------------------------------------------------


def test_a_workforce_figure_is_set_then_corrected_with_the_change_recorded(training):
    tom = make_persona("training_coordinator")
    school = training["school"]
    services.workforce_set(organisation=school, year=2025, headcount=80, actor=tom)
    services.workforce_set(organisation=school, year=2025, headcount=85, actor=tom)
    services.workforce_set(organisation=school, year=2026, headcount=90, actor=tom)
    assert dict(Workforce.objects.filter(organisation=school).values_list("year", "headcount")) == {2025: 85, 2026: 90}
    events = AuditEvent.objects.filter(object_type="training.workforce", actor=tom).order_by("pk")
    assert [e.action for e in events] == ["create", "update", "create"]
    assert events[1].changes == {"headcount": [80, 85]}
    before = last_event()
    services.workforce_set(organisation=school, year=2025, headcount=85, actor=tom)
    assert not written_since(before).exists()


def test_a_workforce_of_nobody_is_refused(training):
    with pytest.raises(ValidationError):
        services.workforce_set(organisation=training["school"], year=2025, headcount=0, actor=SYSTEM)
    assert not Workforce.objects.exists()


# Every write says who made it ------------------------------------------------------------------


def test_every_training_service_records_who_did_what(training):
    """As governance's test: each service, run by the coordinator, leaves an event for
    the kind of record it wrote, each naming her."""
    tom = make_persona("training_coordinator")
    course = training["course"]
    first, second = _outcomes(training)
    steps = [
        ("training.topic", lambda: services.topic_create(code="cse", title="CSE", actor=tom)),
        (
            "training.course",
            lambda: services.course_create(
                code="c2",
                title="C2",
                description="d",
                level="specialist",
                format="virtual",
                duration_minutes=60,
                topics=[],
                outcomes=["o"],
                actor=tom,
            ),
        ),
        (
            "training.session",
            lambda: three_hour_session(course, starts=timezone.now() + dt.timedelta(days=40), actor=tom),
        ),
        ("training.booking", lambda: book_as(tom, training, "ann")),
        ("training.booking", lambda: book_as(tom, training, "bob", email_confirmed=False)),
        ("training.booking", lambda: services.booking_confirm_email(booking=_get("bob"), actor=tom)),
        (
            "training.booking",
            lambda: services.session_record_register(
                session=training["session"], outcomes={_get("ann").pk: "attended"}, actor=tom
            ),
        ),
        (
            "training.evaluation",
            lambda: services.evaluation_submit(
                booking=_get("ann"), answers={first.pk: (1, 2), second.pk: (2, 3)}, comments="", actor=tom
            ),
        ),
        (
            "training.followup",
            lambda: services.follow_up_submit(booking=_get("ann"), practice_changed="yes", example="", actor=tom),
        ),
        ("training.booking", lambda: services.booking_cancel(booking=_get("bob"), actor=tom)),
        (
            "training.workforce",
            lambda: services.workforce_set(organisation=training["school"], year=2025, headcount=5, actor=tom),
        ),
        ("training.session", lambda: services.session_cancel(session=training["session"], actor=tom)),
    ]
    for object_type, step in steps:
        before = last_event()
        step()
        written = written_since(before)
        assert written.filter(object_type=object_type, actor=tom).exists(), object_type
        assert all(event.actor_label == "tom" for event in written)


def book_as(actor, training, name, **extra):
    return services.booking_create(
        session=training["session"],
        full_name=name.title(),
        email=f"{name}@riverside.example",
        organisation=training["school"],
        job_role="Teacher",
        actor=actor,
        **extra,
    )


def _get(name: str) -> Booking:
    return Booking.objects.get(email=f"{name}@riverside.example")
