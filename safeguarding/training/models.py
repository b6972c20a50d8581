"""Multi-agency training: courses, sessions, bookings (with a waiting list),
attendance, e-learning completions, evaluation and follow-up, and each
organisation's workforce so that reach is a share of it."""

from django.db import models
from django.db.models import F, Q

from safeguarding.accounts.models import Organisation, Person


class Topic(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    priority = models.ForeignKey(
        "governance.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
        help_text="The partnership priority this topic serves.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Course(models.Model):
    class Level(models.TextChoices):
        UNIVERSAL = "universal", "Level 1: universal (all staff)"
        TARGETED = "targeted", "Level 2: targeted (staff working with children and families)"
        SPECIALIST = "specialist", "Level 3: specialist (lead practitioners and managers)"

    class Format(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        VIRTUAL = "virtual", "Virtual (live online)"
        ELEARNING = "elearning", "E-learning"

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    level = models.CharField(max_length=20, choices=Level.choices)
    format = models.CharField(max_length=20, choices=Format.choices)
    duration_minutes = models.PositiveIntegerField()
    topics = models.ManyToManyField(Topic, related_name="courses")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="course_has_duration"),
        ]

    def __str__(self) -> str:
        return self.title


class LearningOutcome(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="one_outcome_per_position"),
        ]

    def __str__(self) -> str:
        return self.text


class Session(models.Model):
    """One run of a course. 'Full' is worked out from confirmed bookings, never stored."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    trainer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    trainer_name = models.CharField(max_length=200, blank=True, help_text="For an external trainer.")
    capacity = models.PositiveIntegerField()
    booking_deadline = models.DateField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["course", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.course} on {self.starts_at:%-d %B %Y}"


class Booking(models.Model):
    """A place (or a place on the waiting list) for one practitioner. The
    practitioner's organisation and role are recorded as they were when they booked."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting e-mail confirmation"
        CONFIRMED = "confirmed", "Place confirmed"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        ATTENDED = "attended", "Attended"
        LATE_CANCELLATION = "late_cancellation", "Late cancellation"
        NO_SHOW = "no_show", "Did not attend"

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="training_bookings")
    job_role = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    booked_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="Moved from the waiting list to a place.")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_requested_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(
        max_length=64, blank=True, help_text="For the e-mail links; the token is never stored."
    )

    class Meta:
        ordering = ["session", "booked_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["email"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_person_per_session",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status__in=["confirmed", "cancelled"]),
                name="outcome_only_for_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} on {self.session}"


class ElearningCompletion(models.Model):
    """A completion imported from the learning platform's export; (platform, record_id)
    makes re-imports idempotent."""

    platform = models.CharField(max_length=50)
    record_id = models.CharField(max_length=100)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    job_role = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["completed_on"]), models.Index(fields=["organisation", "completed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["platform", "record_id"], name="one_completion_per_platform_record"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.course} on {self.completed_on}"


class Evaluation(models.Model):
    """End-of-course evaluation: confidence before and after for each outcome."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Evaluation of {self.booking}"


class EvaluationAnswer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.PROTECT, related_name="+")
    confidence_before = models.PositiveSmallIntegerField()
    confidence_after = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    confidence_before__gte=1, confidence_before__lte=5, confidence_after__gte=1, confidence_after__lte=5
                ),
                name="confidence_is_one_to_five",
            ),
            models.UniqueConstraint(fields=["evaluation", "outcome"], name="one_answer_per_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.confidence_before} to {self.confidence_after}"


class FollowUp(models.Model):
    """Three months on: has practice changed?"""

    class Changed(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="follow_up")
    practice_changed = models.CharField(max_length=10, choices=Changed.choices)
    example = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Follow-up of {self.booking}: {self.get_practice_changed_display()}"


class Workforce(models.Model):
    """An organisation's relevant workforce in a year, so reach is a share of it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workforce")
    year = models.PositiveSmallIntegerField(help_text="The year starting 1 April, e.g. 2025 for 2025/26.")
    headcount = models.PositiveIntegerField()

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_headcount_per_year"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="workforce_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.headcount}"
