"""Data package files for training: topics, courses, sessions, bookings (with each
place's attendance outcome), evaluations, follow-ups, e-learning completions and
workforce figures."""

import datetime

from django.core.exceptions import ValidationError

from safeguarding.accounts.datapackage import find_person, person_is_at, person_key
from safeguarding.accounts.models import Organisation
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, PartnerRows, _cell, combined, register, upsert
from safeguarding.governance.models import Priority
from safeguarding.training.models import (
    Booking,
    Course,
    ElearningCompletion,
    Evaluation,
    EvaluationAnswer,
    FollowUp,
    LearningOutcome,
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


def _load_course(row, actor):
    result = upsert(
        Course,
        {"code": row["code"]},
        {
            "title": row["title"],
            "description": row["description"],
            "level": row["level"],
            "format": row["format"],
            "duration_minutes": row["duration_minutes"],
        },
        actor,
        m2m={"topics": list(Topic.objects.filter(code__in=row["topics"]))},
    )
    course = Course.objects.get(code=row["code"])
    texts = [t.strip() for t in (row["outcomes"] or "").split("|") if t.strip()]
    if [o.text for o in course.outcomes.all()] != texts:
        if EvaluationAnswer.objects.filter(outcome__course=course).exists():
            raise ValidationError({"outcomes": "the learning outcomes cannot change once evaluations refer to them."})
        course.outcomes.all().delete()
        LearningOutcome.objects.bulk_create(
            LearningOutcome(course=course, position=n, text=t) for n, t in enumerate(texts, start=1)
        )
        result = "updated" if result == "unchanged" else result
    return result


def _load_session(row, actor):
    course = Course.objects.get(code=row["course"])
    return upsert(
        Session,
        {"course": course, "starts_at": row["starts_at"]},
        {
            "ends_at": row["ends_at"],
            "venue": row["venue"] or "",
            "online_link": row["online_link"] or "",
            "trainer": find_person(row["trainer_person_key"]) if row["trainer_person_key"] else None,
            "trainer_name": row["trainer_name"] or "",
            "capacity": row["capacity"],
            "booking_deadline": row["booking_deadline"],
            "cancelled_at": row["cancelled_at"],
        },
        actor,
    )


def _load_booking(row, actor):
    return upsert(
        Booking,
        {"session": _session(row["session"]), "email": row["email"], "booked_at": row["booked_at"]},
        {
            "full_name": row["full_name"],
            "person": find_person(row["person_key"]) if row["person_key"] else None,
            "organisation": Organisation.objects.get(code=row["organisation"]),
            "job_role": row["job_role"],
            "status": row["status"],
            "outcome": row["outcome"] or "",
            "confirmed_at": row["confirmed_at"],
            "cancelled_at": row["cancelled_at"],
            "promoted_at": row["promoted_at"],
        },
        actor,
    )


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


def _evaluation_rows():
    answers = EvaluationAnswer.objects.select_related("evaluation__booking__session__course", "outcome")
    for a in answers:
        booking = a.evaluation.booking
        yield {
            "session": _skey(booking.session),
            "email": booking.email,
            "outcome_position": a.outcome.position,
            "confidence_before": a.confidence_before,
            "confidence_after": a.confidence_after,
            "comments": a.evaluation.comments,
            "submitted_at": a.evaluation.submitted_at,
        }


CONFIDENCE = tuple(str(n) for n in range(1, 6))

register(
    FileSpec(
        name="topics.csv",
        partner=STAFF_ONLY,
        provides="topic",
        description="Training topics, linked to the partnership's priorities.",
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("priority", "ref", ref="priority"),
        ],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(Topic.objects.values_list("code", flat=True)),
        load=lambda row, actor: upsert(
            Topic,
            {"code": row["code"]},
            {
                "title": row["title"],
                "priority": Priority.objects.get(code=row["priority"]) if row["priority"] else None,
            },
            actor,
        ),
        export=lambda: (
            {"code": t.code, "title": t.title, "priority": t.priority.code if t.priority else None}
            for t in Topic.objects.select_related("priority")
        ),
    ),
    FileSpec(
        name="courses.csv",
        partner=STAFF_ONLY,
        provides="course",
        description="The course catalogue.",
        columns=[
            Column("code", required=True),
            Column("title", required=True),
            Column("description", required=True),
            Column("level", "choice", True, tuple(Course.Level.values)),
            Column("format", "choice", True, tuple(Course.Format.values)),
            Column("duration_minutes", "int", True),
            Column("topics", "refs", ref="topic"),
            Column("outcomes", help="learning outcomes separated by |"),
        ],
        key=lambda r: _cell(r["code"]),
        existing_keys=lambda: set(Course.objects.values_list("code", flat=True)),
        load=_load_course,
        export=lambda: (
            {
                "code": c.code,
                "title": c.title,
                "description": c.description,
                "level": c.level,
                "format": c.format,
                "duration_minutes": c.duration_minutes,
                "topics": [t.code for t in c.topics.all()],
                "outcomes": "|".join(o.text for o in c.outcomes.all()),
            }
            for c in Course.objects.prefetch_related("topics", "outcomes")
        ),
    ),
    FileSpec(
        name="sessions.csv",
        partner=STAFF_ONLY,
        provides="session",
        description="Runs of a course; other files refer to a session by its course and local start, "
        "course/YYYY-MM-DDTHH:MM:SS (as exports write it); course/YYYY-MM-DDTHH:MM, without the seconds, "
        "is read as the same session.",
        columns=[
            Column("course", "ref", True, ref="course"),
            Column("starts_at", "datetime", True),
            Column("ends_at", "datetime", True),
            Column("venue"),
            Column("online_link"),
            Column("trainer_person_key", "ref", ref="person"),
            Column("trainer_name"),
            Column("capacity", "int", True),
            Column("booking_deadline", "date", True),
            Column("cancelled_at", "datetime"),
        ],
        key=lambda r: session_key(r["course"], r["starts_at"]),
        existing_keys=lambda: {_skey(s) for s in Session.objects.select_related("course")},
        load=_load_session,
        export=lambda: (
            {
                "course": s.course.code,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "venue": s.venue,
                "online_link": s.online_link,
                "trainer_person_key": person_key(s.trainer) if s.trainer else None,
                "trainer_name": s.trainer_name,
                "capacity": s.capacity,
                "booking_deadline": s.booking_deadline,
                "cancelled_at": s.cancelled_at,
            }
            for s in Session.objects.select_related("course", "trainer")
        ),
    ),
    FileSpec(
        name="bookings.csv",
        partner=PartnerRows(
            stored_owner=_booking_owner, check=_own_people, note="a `person_key`, when given, is one of its own people"
        ),
        provides="booking",
        description="Bookings and waiting-list places; `outcome` is the attendance the trainer recorded.",
        columns=[
            Column("session", "ref", True, ref="session", normalise=normalise_session_key),
            Column("email", required=True),
            Column("full_name", required=True),
            Column("person_key", "ref", ref="person"),
            Column("organisation", "ref", True, ref="organisation"),
            Column("job_role", required=True),
            Column("status", "choice", True, tuple(Booking.Status.values)),
            Column("outcome", "choice", choices=tuple(Booking.Outcome.values)),
            Column("booked_at", "datetime", True),
            Column("confirmed_at", "datetime"),
            Column("cancelled_at", "datetime"),
            Column("promoted_at", "datetime"),
        ],
        key=lambda r: f"{r['session']}|{r['email']}|{_cell(r['booked_at'])}",
        existing_keys=lambda: set(),
        load=_load_booking,
        export=lambda: (
            {
                "session": _skey(b.session),
                "email": b.email,
                "full_name": b.full_name,
                "person_key": person_key(b.person) if b.person else None,
                "organisation": b.organisation.code,
                "job_role": b.job_role,
                "status": b.status,
                "outcome": b.outcome,
                "booked_at": b.booked_at,
                "confirmed_at": b.confirmed_at,
                "cancelled_at": b.cancelled_at,
                "promoted_at": b.promoted_at,
            }
            for b in Booking.objects.select_related("session__course", "person", "organisation")
        ),
    ),
    FileSpec(
        name="evaluations.csv",
        partner=STAFF_ONLY,
        provides="evaluation",
        description=(
            "End-of-course confidence, one row per learning outcome (numbered from 1) per attendee. "
            "An attendee's rows repeat the same comments and submitted_at: they are one evaluation."
        ),
        columns=[
            Column("session", "ref", True, ref="session", normalise=normalise_session_key),
            Column("email", required=True),
            Column("outcome_position", "int", True),
            Column("confidence_before", "int", True),
            Column("confidence_after", "int", True),
            Column("comments"),
            Column("submitted_at", "datetime", True),
        ],
        key=lambda r: f"{r['session']}|{r['email']}|{_cell(r['outcome_position'])}",
        existing_keys=lambda: set(),
        check=_one_evaluation_per_attendee,
        load=_load_evaluation,
        export=_evaluation_rows,
    ),
    FileSpec(
        name="follow_ups.csv",
        partner=STAFF_ONLY,
        provides="follow_up",
        description="Three months on: has practice changed?",
        columns=[
            Column("session", "ref", True, ref="session", normalise=normalise_session_key),
            Column("email", required=True),
            Column("practice_changed", "choice", True, tuple(FollowUp.Changed.values)),
            Column("example"),
            Column("submitted_at", "datetime", True),
        ],
        key=lambda r: f"{r['session']}|{r['email']}",
        existing_keys=lambda: set(),
        load=lambda row, actor: upsert(
            FollowUp,
            {"booking": _attended(row["session"], row["email"])},
            {
                "practice_changed": row["practice_changed"],
                "example": row["example"] or "",
                "submitted_at": row["submitted_at"],
            },
            actor,
        ),
        export=lambda: (
            {
                "session": _skey(f.booking.session),
                "email": f.booking.email,
                "practice_changed": f.practice_changed,
                "example": f.example,
                "submitted_at": f.submitted_at,
            }
            for f in FollowUp.objects.select_related("booking__session__course")
        ),
    ),
    FileSpec(
        name="elearning_completions.csv",
        partner=PartnerRows(stored_owner=_completion_owner),
        provides="elearning_completion",
        description="Completions from the learning platform.",
        columns=[
            Column("platform", required=True),
            Column("record_id", required=True),
            Column("course", "ref", True, ref="course"),
            Column("full_name", required=True),
            Column("email", required=True),
            Column("organisation", "ref", True, ref="organisation"),
            Column("job_role"),
            Column("completed_on", "date", True),
        ],
        key=lambda r: f"{r['platform']}|{r['record_id']}",
        existing_keys=lambda: set(),
        load=lambda row, actor: upsert(
            ElearningCompletion,
            {"platform": row["platform"], "record_id": row["record_id"]},
            {
                "course": Course.objects.get(code=row["course"]),
                "full_name": row["full_name"],
                "email": row["email"],
                "organisation": Organisation.objects.get(code=row["organisation"]),
                "job_role": row["job_role"] or "",
                "completed_on": row["completed_on"],
            },
            actor,
        ),
        export=lambda: (
            {
                "platform": c.platform,
                "record_id": c.record_id,
                "course": c.course.code,
                "full_name": c.full_name,
                "email": c.email,
                "organisation": c.organisation.code,
                "job_role": c.job_role,
                "completed_on": c.completed_on,
            }
            for c in ElearningCompletion.objects.select_related("course", "organisation")
        ),
    ),
    FileSpec(
        name="workforce.csv",
        partner=PartnerRows(),
        provides="workforce",
        description="Each organisation's relevant workforce headcount in a year starting 1 April.",
        columns=[
            Column("organisation", "ref", True, ref="organisation"),
            Column("year", "int", True),
            Column("headcount", "int", True),
        ],
        key=lambda r: f"{r['organisation']}|{_cell(r['year'])}",
        existing_keys=lambda: set(),
        load=lambda row, actor: upsert(
            Workforce,
            {"organisation": Organisation.objects.get(code=row["organisation"]), "year": row["year"]},
            {"headcount": row["headcount"]},
            actor,
        ),
        export=lambda: (
            {"organisation": w.organisation.code, "year": w.year, "headcount": w.headcount}
            for w in Workforce.objects.select_related("organisation")
        ),
    ),
)
