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
