import datetime

import factory

from safeguarding.accounts.models import Area, Organisation, Person, Post, RoleAssignment, User

TEST_PASSWORD = "correct-horse-battery-staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"E0600{n:04d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.VOLUNTARY
    standing = Organisation.Standing.RELEVANT_AGENCY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    reference = factory.Sequence(lambda n: f"p-test-{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Practitioner"
    seniority = "practitioner"
    started_on = datetime.date(2024, 4, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    person = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)
        if extracted and "administrator" in extracted:
            self.is_staff = True
        self.save()


def gcp2_course(*, topics=(), outcomes=("Use GCP2",), title="Graded Care Profile 2", actor=None):
    """A targeted classroom course, made through the service as the training office would
    (so its outcomes and audit rows are real): the course most training tests book on."""
    from safeguarding.core.audit import SystemActor
    from safeguarding.training import services

    return services.course_create(
        code="gcp2",
        title=title,
        description="d",
        level="targeted",
        format="classroom",
        duration_minutes=180,
        topics=list(topics),
        outcomes=list(outcomes),
        actor=actor or SystemActor("test"),
    )


def three_hour_session(course, *, starts: datetime.datetime, capacity: int = 5, actor=None, **extra):
    """A three-hour session of ``course`` whose bookings close on the day it starts."""
    from safeguarding.core.audit import SystemActor
    from safeguarding.training import services

    return services.session_create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=capacity,
        booking_deadline=starts.date(),
        actor=actor or SystemActor("test"),
        **extra,
    )


# Training ---------------------------------------------------------------------------
# Rows straight into the database, for tests that need a state (a full session, an
# evaluated booking, last year's workforce) rather than the writes that lead to it: those
# are the services' own tests. Times are fixed, so a figure worked by hand stays right.

TRAINING_START = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Topic"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    """A course with one learning outcome (``outcomes=[...]`` for others, ``[]`` for none)."""

    class Meta:
        model = "training.Course"
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    description = "What the course covers."
    level = "targeted"
    format = "classroom"
    duration_minutes = 180

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if not create:
            return
        texts = ["Recognise the signs"] if extracted is None else extracted
        for position, text in enumerate(texts, start=1):
            LearningOutcomeFactory(course=self, position=position, text=text)


class LearningOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.LearningOutcome"

    course = factory.SubFactory(CourseFactory, outcomes=[])
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Outcome {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    """A three-hour classroom session; bookings close on the day it starts."""

    class Meta:
        model = "training.Session"

    course = factory.SubFactory(CourseFactory)
    starts_at = TRAINING_START
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=3))
    venue = "Council Chamber"
    capacity = 10
    booking_deadline = factory.LazyAttribute(lambda s: s.starts_at.date())


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed place, booked a week before the session."""

    class Meta:
        model = "training.Booking"

    session = factory.SubFactory(SessionFactory)
    full_name = factory.Sequence(lambda n: f"Practitioner {n}")
    email = factory.Sequence(lambda n: f"practitioner{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    job_role = "Social worker"
    status = "confirmed"
    booked_at = factory.LazyAttribute(lambda b: b.session.starts_at - datetime.timedelta(days=7))
    confirmed_at = factory.LazyAttribute(lambda b: b.booked_at if b.status != "pending" else None)

    class Params:
        attended = factory.Trait(outcome="attended")
        no_show = factory.Trait(outcome="no_show")
        waiting = factory.Trait(status="waiting")
        pending = factory.Trait(status="pending")
        late_cancellation = factory.Trait(
            status="cancelled",
            outcome="late_cancellation",
            cancelled_at=factory.LazyAttribute(lambda b: b.session.starts_at - datetime.timedelta(hours=2)),
        )


class ElearningCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.ElearningCompletion"

    platform = "learning-platform"
    record_id = factory.Sequence(lambda n: f"record-{n}")
    course = factory.SubFactory(CourseFactory, format="elearning")
    full_name = factory.Sequence(lambda n: f"Learner {n}")
    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    job_role = "Teaching assistant"
    completed_on = datetime.date(2026, 3, 10)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation of an attended booking; ``confidence=(before, after)`` answers every
    outcome of the course with those ratings."""

    class Meta:
        model = "training.Evaluation"
        skip_postgeneration_save = True

    booking = factory.SubFactory(BookingFactory, attended=True)
    comments = ""
    submitted_at = factory.LazyAttribute(lambda e: e.booking.session.ends_at + datetime.timedelta(hours=1))

    @factory.post_generation
    def confidence(self, create, extracted, **kwargs):
        if create and extracted:
            before, after = extracted
            for outcome in self.booking.session.course.outcomes.all():
                EvaluationAnswerFactory(
                    evaluation=self, outcome=outcome, confidence_before=before, confidence_after=after
                )


class EvaluationAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.EvaluationAnswer"

    evaluation = factory.SubFactory(EvaluationFactory)
    outcome = factory.LazyAttribute(lambda a: a.evaluation.booking.session.course.outcomes.first())
    confidence_before = 2
    confidence_after = 4


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.FollowUp"

    booking = factory.SubFactory(BookingFactory, attended=True)
    practice_changed = "yes"
    example = ""
    submitted_at = factory.LazyAttribute(lambda f: f.booking.session.ends_at + datetime.timedelta(days=92))


class WorkforceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Workforce"
        django_get_or_create = ["organisation", "year"]

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    headcount = 100
