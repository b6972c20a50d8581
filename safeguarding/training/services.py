"""Writes for training. Each takes the actor and records an audit event.

Places are allocated with the session row locked, so two people booking at the
same moment cannot both take the last place.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Person, User
from safeguarding.accounts.selectors import directory_person_with_email
from safeguarding.core.audit import Actor, record_write
from safeguarding.core.hashing import hash_token
from safeguarding.core.models import AuditEvent
from safeguarding.core.services import create_audited, update_audited
from safeguarding.training import emails, rules
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

if TYPE_CHECKING:
    from safeguarding.governance.models import Priority

A = AuditEvent.Action
B = Booking.Status


_create = create_audited
_update = update_audited


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def late_cancellation_hours() -> int:
    return getattr(settings, "TRAINING_LATE_CANCELLATION_HOURS", rules.DEFAULT_LATE_CANCELLATION_HOURS)


# Courses and sessions -------------------------------------------------------------


@transaction.atomic
def topic_create(*, code: str, title: str, actor: Actor, priority: Priority | None = None) -> Topic:
    return _create(Topic(code=code, title=title, priority=priority), actor)


@transaction.atomic
def course_create(
    *,
    code: str,
    title: str,
    description: str,
    level: str,
    format: str,
    duration_minutes: int,
    topics: Iterable[Topic],
    outcomes: Iterable[str],
    actor: Actor,
) -> Course:
    course = _create(
        Course(
            code=code,
            title=title,
            description=description,
            level=level,
            format=format,
            duration_minutes=duration_minutes,
        ),
        actor,
    )
    topics = list(topics)
    course.topics.set(topics)
    for position, text in enumerate(outcomes, start=1):
        _create(LearningOutcome(course=course, position=position, text=text), actor)
    record_write(
        actor=actor, action=A.UPDATE, instance=course, changes={"topics": [[], sorted(t.code for t in topics)]}
    )
    return course


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    booking_deadline: datetime.date,
    actor: Actor,
    venue: str = "",
    online_link: str = "",
    trainer: Person | None = None,
    trainer_name: str = "",
) -> Session:
    return _create(
        Session(
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            booking_deadline=booking_deadline,
            venue=venue,
            online_link=online_link,
            trainer=trainer,
            trainer_name=trainer_name,
        ),
        actor,
    )


@transaction.atomic
def session_cancel(*, session: Session, actor: Actor) -> Session:
    """Cancel a session and tell everyone booked or waiting."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.cancelled_at is not None:
        return session
    _update(session, actor, cancelled_at=timezone.now())
    for booking in session.bookings.filter(status__in=[B.CONFIRMED, B.WAITING, B.PENDING]):
        _update(booking, actor, status=B.CANCELLED, cancelled_at=timezone.now())
        emails.session_cancelled(booking)
    return session


# Bookings ---------------------------------------------------------------------------


def _allocate(session: Session) -> str:
    confirmed = session.bookings.filter(status=B.CONFIRMED).count()
    return rules.allocation_for(confirmed_places=confirmed, capacity=session.capacity)


@transaction.atomic
def booking_create(
    *,
    session: Session,
    full_name: str,
    email: str,
    organisation: Organisation,
    job_role: str,
    actor: Actor,
    person: Person | None = None,
    email_confirmed: bool = True,
    now: datetime.datetime | None = None,
) -> tuple[Booking, str]:
    """Book a place, or a place on the waiting list when full.

    A practitioner without an account books with a work e-mail address on one of
    their organisation's domains; the booking waits, holding no place, until they
    follow the link sent to that address. Returns the booking and its link token.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not rules.booking_is_open(
        today=timezone.localdate(now),
        booking_deadline=session.booking_deadline,
        cancelled=session.cancelled_at is not None,
    ):
        raise ValidationError("Bookings for this session are closed.")
    email = email.strip().lower()
    domains = [d for d in organisation.email_domains.split(",") if d.strip()]
    if not email_confirmed and not rules.email_domain_allowed(email, domains):
        raise ValidationError(
            {
                "email": f"Use your work e-mail address at {organisation.name} "
                f"(ending {', '.join('@' + d.strip() for d in domains) or 'a domain we know'})."
            }
        )
    if session.bookings.filter(email=email).exclude(status=B.CANCELLED).exists():
        raise ValidationError({"email": f"{email} already has a booking for this session."})
    token, token_hash = new_token()
    status = _allocate(session) if email_confirmed else B.PENDING
    booking = _create(
        Booking(
            session=session,
            person=person,
            full_name=full_name,
            email=email,
            organisation=organisation,
            job_role=job_role,
            status=status,
            booked_at=now,
            token_hash=token_hash,
            confirmed_at=now if email_confirmed else None,
        ),
        actor,
    )
    if email_confirmed:
        emails.booking_made(booking, token)
    else:
        emails.confirm_address(booking, token)
    return booking, token


def booking_create_by_staff(
    *,
    session: Session,
    full_name: str,
    email: str,
    organisation: Organisation,
    job_role: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> tuple[Booking, str]:
    """Signed-in staff book for themselves or for someone else.

    The place is confirmed at once only for a person in the directory with that e-mail
    address (the booking is theirs, under the directory's name), or for the staff member's
    own address. Any other address is booked as a practitioner books: on one of the
    organisation's domains, awaiting confirmation and holding no place until the link sent
    to it is followed. So no one can hold a confirmed place under an address nobody has
    shown to be theirs.
    """
    person = directory_person_with_email(email)
    own_email = (getattr(actor, "email", "") or "").strip().lower()
    if person is None and getattr(actor, "person", None) is not None and own_email == email.strip().lower():
        person = actor.person
    return booking_create(
        session=session,
        full_name=person.full_name if person else full_name,
        email=email,
        organisation=organisation,
        job_role=job_role,
        actor=actor,
        person=person,
        email_confirmed=person is not None,
        now=now,
    )


@transaction.atomic
def booking_confirm_email(*, booking: Booking, actor: Actor, now: datetime.datetime | None = None) -> Booking:
    """The practitioner followed the link: the address is theirs, so allocate."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != B.PENDING:
        return booking
    if session.cancelled_at is not None:
        raise ValidationError("This session has been cancelled.")
    _update(booking, actor, status=_allocate(session), confirmed_at=now)
    emails.booking_made(booking, None)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor, now: datetime.datetime | None = None) -> Booking | None:
    """Cancel a booking; a late cancellation is recorded as such. The first person
    on the waiting list gets the freed place. Returns the promoted booking, if any.

    Once the register records attendance the booking stays as the register says: a
    no-show cancelling by their link afterwards would otherwise become a late
    cancellation, and an attendee would lose their attendance."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == B.CANCELLED:
        return None
    if booking.outcome:
        raise ValidationError("This booking's attendance has been recorded, so it can no longer be cancelled.")
    held_place = booking.status == B.CONFIRMED
    late = held_place and rules.is_late_cancellation(
        cancelled_at=now, starts_at=session.starts_at, notice_hours=late_cancellation_hours()
    )
    _update(
        booking, actor, status=B.CANCELLED, cancelled_at=now, outcome=Booking.Outcome.LATE_CANCELLATION if late else ""
    )
    if not held_place or session.starts_at <= now:
        return None
    return _promote_first_waiting(session, actor, now)


def _promote_first_waiting(session: Session, actor: Actor, now: datetime.datetime) -> Booking | None:
    waiting = session.bookings.filter(status=B.WAITING).order_by("booked_at", "id").first()
    if waiting is None:
        return None
    _update(waiting, actor, status=B.CONFIRMED, promoted_at=now)
    emails.promoted(waiting)
    return waiting


@transaction.atomic
def session_record_register(*, session: Session, outcomes: dict[int, str], actor: Actor) -> None:
    """The trainer's register: attended, late cancellation or did not attend, for
    each confirmed place."""
    places = {b.pk: b for b in session.bookings.select_for_update().filter(status=B.CONFIRMED)}
    unknown = set(outcomes) - set(places)
    if unknown:
        raise ValidationError("The register lists bookings that do not hold a place on this session.")
    for booking_id, outcome in outcomes.items():
        if outcome not in Booking.Outcome.values:
            raise ValidationError(f"{outcome!r} is not an attendance outcome.")
        booking = places[booking_id]
        if booking.outcome != outcome:
            _update(booking, actor, outcome=outcome)
            if outcome == Booking.Outcome.ATTENDED:
                token, token_hash = new_token()
                Booking.objects.filter(pk=booking.pk).update(token_hash=token_hash)
                emails.evaluation_request(booking, token)


# Evaluation and follow-up ---------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, booking: Booking, answers: dict[int, tuple[int, int]], comments: str, actor: Actor
) -> Evaluation:
    """``answers`` maps each learning outcome's id to (confidence before, after), 1–5."""
    if booking.outcome != Booking.Outcome.ATTENDED:
        raise ValidationError("Only people who attended can evaluate a course.")
    if hasattr(booking, "evaluation"):
        raise ValidationError("This course has already been evaluated.")
    outcome_ids = set(booking.session.course.outcomes.values_list("pk", flat=True))
    if set(answers) != outcome_ids:
        raise ValidationError("Rate your confidence for every learning outcome.")
    evaluation = _create(Evaluation(booking=booking, comments=comments, submitted_at=timezone.now()), actor)
    for outcome_id, (before, after) in answers.items():
        _create(
            EvaluationAnswer(
                evaluation=evaluation, outcome_id=outcome_id, confidence_before=before, confidence_after=after
            ),
            actor,
        )
    return evaluation


@transaction.atomic
def follow_up_submit(*, booking: Booking, practice_changed: str, example: str, actor: Actor) -> FollowUp:
    if booking.outcome != Booking.Outcome.ATTENDED:
        raise ValidationError("Only people who attended can answer the follow-up.")
    if hasattr(booking, "follow_up"):
        raise ValidationError("The follow-up has already been answered.")
    return _create(
        FollowUp(booking=booking, practice_changed=practice_changed, example=example, submitted_at=timezone.now()),
        actor,
    )


@transaction.atomic
def follow_ups_send(*, today: datetime.date, actor: Actor) -> int:
    """Ask everyone who attended three months ago (and has not answered) whether
    their practice changed. Safe to run daily: each is asked once."""
    sent = 0
    # Sessions that ended on or before this day are three months old today.
    cutoff = today - relativedelta(months=rules.FOLLOW_UP_AFTER_MONTHS)
    candidates = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            outcome=Booking.Outcome.ATTENDED,
            follow_up_requested_at__isnull=True,
            follow_up__isnull=True,
            session__ends_at__date__lte=cutoff,
        )
        .select_related("session__course")
    )
    for booking in candidates:
        token, token_hash = new_token()
        _update(booking, actor, follow_up_requested_at=timezone.now(), token_hash=token_hash)
        emails.follow_up_request(booking, token)
        sent += 1
    return sent


@transaction.atomic
def reminders_send(*, now: datetime.datetime, days_ahead: int, actor: Actor) -> int:
    """Remind everyone with a place on a session starting within ``days_ahead`` days."""
    soon = now + datetime.timedelta(days=days_ahead)
    due = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            status=B.CONFIRMED,
            reminder_sent_at__isnull=True,
            session__cancelled_at__isnull=True,
            session__starts_at__gt=now,
            session__starts_at__lte=soon,
        )
        .select_related("session__course")
    )
    sent = 0
    for booking in due:
        _update(booking, actor, reminder_sent_at=now)
        emails.reminder(booking)
        sent += 1
    return sent


@transaction.atomic
def workforce_set(*, organisation: Organisation, year: int, headcount: int, actor: Actor) -> Workforce:
    existing = Workforce.objects.filter(organisation=organisation, year=year).first()
    if existing is not None:
        return _update(existing, actor, headcount=headcount)
    return _create(Workforce(organisation=organisation, year=year, headcount=headcount), actor)
