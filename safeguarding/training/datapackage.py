"""Data package files for training: topics, courses, sessions, bookings (with each
place's attendance outcome), evaluations, follow-ups, e-learning completions and
workforce figures."""

import datetime

from django.core.exceptions import ValidationError

from safeguarding.accounts.datapackage import organisation_column, person_column, person_is_at
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, PartnerRows, _cell, keyed_by, register
from safeguarding.core.datapackage_writer import combined, replace_children, upsert
from safeguarding.training.models import (
    Booking,
    Course,
    ElearningCompletion,
    Evaluation,
    EvaluationAnswer,
    FollowUp,
    Session,
    Topic,
    Workforce,
)


def session_key(course_code: str, starts_at) -> str:
    """course/YYYY-MM-DDTHH:MM:SS, the start in local time: the form written."""
    return f"{course_code}/{_cell(starts_at)}"


SESSION_START_FORMS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def normalise_session_key(key: str) -> str:
    """A session key as written, from either documented form: with the seconds
    (course/YYYY-MM-DDTHH:MM:SS) or without (course/YYYY-MM-DDTHH:MM). A key whose
    start is not a local date and time is returned as given, to be reported unknown."""
    course_code, _, starts = key.partition("/")
    for written in SESSION_START_FORMS:
        try:
            return f"{course_code}/{datetime.datetime.strptime(starts, written).isoformat()}"
        except ValueError:
            continue
    return key


def _find_session(key: str) -> Session | None:
    course_code, _, starts = normalise_session_key(key).partition("/")
    return next((s for s in Session.objects.filter(course__code=course_code) if _cell(s.starts_at) == starts), None)


def _session(key: str) -> Session:
    session = _find_session(key)
    if session is None:
        raise Session.DoesNotExist(f"no session {key}")
    return session


def _skey(session: Session) -> str:
    return session_key(session.course.code, session.starts_at)


def session_column(name: str, field: str = "") -> Column:
    """A column naming a session by course/start, in either documented form (the file
    selects the session's course)."""
    return Column(
        name,
        "ref",
        True,
        ref="session",
        normalise=normalise_session_key,
        field=field,
        to_model=_session,
        from_model=_skey,
    )


def _write_outcomes(course: Course, row, actor) -> str:
    texts = [t.strip() for t in (row["outcomes"] or "").split("|") if t.strip()]
    if [o.text for o in course.outcomes.all()] != texts and EvaluationAnswer.objects.filter(
        outcome__course=course
    ).exists():
        raise ValidationError({"outcomes": "the learning outcomes cannot change once evaluations refer to them."})
    return replace_children(course, "outcomes", "text", texts, actor, column="outcomes")


def _booking_owner(row) -> str | None:
    """The organisation of the stored booking this row would update, if any."""
    session = _find_session(row["session"])
    booking = (
        Booking.objects.filter(session=session, email=row["email"], booked_at=row["booked_at"])
        .values_list("organisation__code", flat=True)
        .first()
        if session
        else None
    )
    return booking


def _own_people(row, organisation: str):
    """A partner books only its own people."""
    if row["person_key"] and not person_is_at(row["person_key"], organisation):
        yield "person_key", f"{row['person_key']} is not one of {organisation}'s people."


def _completion_owner(row) -> str | None:
    return (
        ElearningCompletion.objects.filter(platform=row["platform"], record_id=row["record_id"])
        .values_list("organisation__code", flat=True)
        .first()
    )


def _attended(session_key_: str, email: str) -> Booking:
    booking = Booking.objects.filter(
        session=_session(session_key_), email=email, outcome=Booking.Outcome.ATTENDED
    ).first()
    if booking is None:
        raise ValidationError({"email": "no one with this e-mail attended the session."})
    return booking


def _load_evaluation(row, actor):
    booking = _attended(row["session"], row["email"])
    outcome = booking.session.course.outcomes.filter(position=row["outcome_position"]).first()
    if outcome is None:
        raise ValidationError({"outcome_position": f"the course has no learning outcome {row['outcome_position']}."})
    evaluation_result = upsert(
        Evaluation,
        {"booking": booking},
        {"comments": row["comments"] or "", "submitted_at": row["submitted_at"]},
        actor,
    )
    answer_result = upsert(
        EvaluationAnswer,
        {"evaluation": booking.evaluation, "outcome": outcome},
        {"confidence_before": row["confidence_before"], "confidence_after": row["confidence_after"]},
        actor,
    )
    return combined(evaluation_result, answer_result)


def _one_evaluation_per_attendee(rows):
    """An attendee's rows (one per learning outcome) carry one evaluation, so they
    agree on its comments and time; otherwise each import would leave whichever
    row came last, and a comment on the first row only would be lost."""
    first: dict[tuple, tuple[int, dict]] = {}
    for number, row in rows:
        first_number, first_row = first.setdefault((row["session"], row["email"]), (number, row))
        for column in ("comments", "submitted_at"):
            if (row[column] or "") != (first_row[column] or ""):
                yield (
                    number,
                    column,
                    f"'{_cell(row[column])}' differs from row {first_number} ('{_cell(first_row[column])}') "
                    f"for the same attendee {row['email']} at {row['session']}: an attendee's rows carry one "
                    "evaluation, so repeat its comments and time on each row.",
                )


register(
    FileSpec(
        name="topics.csv",
        partner=STAFF_ONLY,
        provides="topic",
        description="Training topics, linked to the partnership's priorities.",
        model=Topic,
        lookup=("code",),
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("priority", "ref", ref="priority", via="code"),
        ],
        key=keyed_by("code"),
        existing_keys=lambda: set(Topic.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="courses.csv",
        partner=STAFF_ONLY,
        provides="course",
        description="The course catalogue.",
        model=Course,
        lookup=("code",),
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("description", required=True),
            Column("level", "choice", True, tuple(Course.Level.values)),
            Column("format", "choice", True, tuple(Course.Format.values)),
            Column("duration_minutes", "int", True),
            Column("topics", "refs", ref="topic", via="code"),
            Column(
                "outcomes",
                help="learning outcomes separated by |",
                from_model=lambda outcomes: "|".join(o.text for o in outcomes.all()),
            ),
        ],
        write_children=_write_outcomes,
        key=keyed_by("code"),
        existing_keys=lambda: set(Course.objects.values_list("code", flat=True)),
    ),
    FileSpec(
        name="sessions.csv",
        partner=STAFF_ONLY,
        provides="session",
        description="Runs of a course; other files refer to a session by its course and local start, "
        "course/YYYY-MM-DDTHH:MM:SS (as exports write it); course/YYYY-MM-DDTHH:MM, without the seconds, "
        "is read as the same session.",
        model=Session,
        lookup=("course", "starts_at"),
        columns=[
            Column("course", "ref", True, ref="course", via="code"),
            Column("starts_at", "datetime", True),
            Column("ends_at", "datetime", True),
            Column("venue"),
            Column("online_link"),
            person_column("trainer_person_key", "trainer"),
            Column("trainer_name"),
            Column("capacity", "int", True),
            Column("booking_deadline", "date", True),
            Column("cancelled_at", "datetime"),
        ],
        key=lambda r: session_key(r["course"], r["starts_at"]),
        existing_keys=lambda: {_skey(s) for s in Session.objects.select_related("course")},
    ),
    FileSpec(
        name="bookings.csv",
        partner=PartnerRows(
            stored_owner=_booking_owner, check=_own_people, note="a `person_key`, when given, is one of its own people"
        ),
        provides="booking",
        description="Bookings and waiting-list places; `outcome` is the attendance the trainer recorded.",
        model=Booking,
        lookup=("session", "email", "booked_at"),
        select_related=("session__course",),
        columns=[
            session_column("session"),
            Column("email", required=True),
            Column("full_name", required=True),
            person_column("person_key", "person"),
            organisation_column("organisation"),
            Column("job_role", required=True),
            Column("status", "choice", True, tuple(Booking.Status.values)),
            Column("outcome", "choice", choices=tuple(Booking.Outcome.values)),
            Column("booked_at", "datetime", True),
            Column("confirmed_at", "datetime"),
            Column("cancelled_at", "datetime"),
            Column("promoted_at", "datetime"),
        ],
        key=keyed_by("session", "email", "booked_at"),
    ),
    FileSpec(
        name="evaluations.csv",
        partner=STAFF_ONLY,
        provides="evaluation",
        description=(
            "End-of-course confidence, one row per learning outcome (numbered from 1) per attendee. "
            "An attendee's rows repeat the same comments and submitted_at: they are one evaluation."
        ),
        # A row is an answer, and the evaluation it belongs to: two records.
        model=EvaluationAnswer,
        load=_load_evaluation,
        select_related=("evaluation__booking__session__course",),
        columns=[
            session_column("session", "evaluation.booking.session"),
            Column("email", required=True, field="evaluation.booking.email"),
            Column("outcome_position", "int", True, field="outcome.position"),
            Column("confidence_before", "int", True),
            Column("confidence_after", "int", True),
            Column("comments", field="evaluation.comments"),
            Column("submitted_at", "datetime", True, field="evaluation.submitted_at"),
        ],
        key=keyed_by("session", "email", "outcome_position"),
        check=_one_evaluation_per_attendee,
    ),
    FileSpec(
        name="follow_ups.csv",
        partner=STAFF_ONLY,
        provides="follow_up",
        description="Three months on: has practice changed?",
        model=FollowUp,
        lookup=("booking",),
        computed={"booking": lambda row: _attended(row["session"], row["email"])},
        select_related=("booking__session__course",),
        columns=[
            session_column("session", "booking.session"),
            Column("email", required=True, field="booking.email"),
            Column("practice_changed", "choice", True, tuple(FollowUp.Changed.values)),
            Column("example"),
            Column("submitted_at", "datetime", True),
        ],
        key=keyed_by("session", "email"),
    ),
    FileSpec(
        name="elearning_completions.csv",
        partner=PartnerRows(stored_owner=_completion_owner),
        provides="elearning_completion",
        description="Completions from the learning platform.",
        model=ElearningCompletion,
        lookup=("platform", "record_id"),
        columns=[
            Column("platform", required=True),
            Column("record_id", required=True),
            Column("course", "ref", True, ref="course", via="code"),
            Column("full_name", required=True),
            Column("email", required=True),
            organisation_column("organisation"),
            Column("job_role"),
            Column("completed_on", "date", True),
        ],
        key=keyed_by("platform", "record_id"),
    ),
    FileSpec(
        name="workforce.csv",
        partner=PartnerRows(),
        provides="workforce",
        description="Each organisation's relevant workforce headcount in a year starting 1 April.",
        model=Workforce,
        lookup=("organisation", "year"),
        columns=[
            organisation_column("organisation"),
            Column("year", "int", True),
            Column("headcount", "int", True),
        ],
        key=keyed_by("organisation", "year"),
    ),
)
