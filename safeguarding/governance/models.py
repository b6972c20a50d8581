"""The partnership's governance record: groups and their members, meetings and who
attended, decisions and actions, strategic priorities, information sharing
agreements and the independent scrutineer's findings."""

from django.db import models
from django.db.models import F, Q

from safeguarding.accounts.models import Organisation, Person, Seniority


class Group(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Lead Partners' executive or Board"
        DELEGATED = "delegated", "Delegated Partners' group"
        SUBGROUP = "subgroup", "Subgroup"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.TextField(blank=True)
    quorum_minimum = models.PositiveSmallIntegerField(
        default=0, help_text="Members present (in person, virtually or by named deputy) for the meeting to be quorate."
    )
    quorum_needs_each_statutory_partner = models.BooleanField(
        default=False,
        help_text="Quorate only if the local authority, police and ICB are each represented.",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class RoleInGroup(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="The organisation the member represents.",
    )
    role_in_group = models.CharField(max_length=20, choices=RoleInGroup.choices, default=RoleInGroup.MEMBER)
    expected_seniority = models.CharField(max_length=30, choices=Seniority.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "organisation__name", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["group", "person", "started_on"], name="one_membership_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


class Meeting(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"
        HYBRID = "hybrid", "Hybrid"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    venue = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True)
    quorate = models.BooleanField(null=True, blank=True, help_text="Worked out from the register when it is saved.")

    class Meta:
        ordering = ["-date", "group"]
        indexes = [models.Index(fields=["group", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "starts_at"], name="one_meeting_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.group} on {self.date:%-d %B %Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_item_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Paper(models.Model):
    """A meeting paper. Only PDF, Word and Excel files, checked by content, within a size limit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="meeting-papers/%Y/")
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        IN_PERSON = "in_person", "Attended in person"
        VIRTUAL = "virtual", "Attended virtually"
        DEPUTY = "deputy", "Sent a named deputy"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent without apologies"

    PRESENT = (Status.IN_PERSON, Status.VIRTUAL, Status.DEPUTY)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation the member represented at this meeting.",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    deputy = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="deputised")
    deputy_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputy_job_title = models.CharField(max_length=200, blank=True)
    deputy_seniority = models.CharField(max_length=30, choices=Seniority.choices, blank=True)
    expected_seniority = models.CharField(max_length=30, choices=Seniority.choices, blank=True)

    class Meta:
        ordering = ["meeting", "person__full_name"]
        indexes = [models.Index(fields=["person", "meeting"])]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_register_entry_per_member"),
            models.CheckConstraint(
                condition=(Q(status="deputy") & Q(deputy__isnull=False) & ~Q(deputy_seniority=""))
                | (~Q(status="deputy") & Q(deputy__isnull=True)),
                name="deputy_named_only_when_deputising",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    recommendation = models.ForeignKey(
        "ScrutinyRecommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    is_decision = models.BooleanField(
        default=False, help_text="A decision recorded at the meeting rather than a task to do."
    )
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions")
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_on = models.DateField()

    class Meta:
        ordering = ["due_on", "reference"]
        indexes = [models.Index(fields=["owner_organisation", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="done_action_has_completion_date",
            ),
            models.CheckConstraint(
                condition=Q(is_decision=True) | Q(due_on__isnull=False),
                name="action_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    note = models.TextField()
    evidence = models.CharField(
        max_length=500, blank=True, help_text="Where the evidence is: a link or document reference."
    )
    status_after = models.CharField(max_length=20, choices=Action.Status.choices)

    class Meta:
        ordering = ["action", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.action.reference} on {self.on:%-d %B %Y}"


class Priority(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    objectives = models.TextField(blank=True)
    success_measures = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class PriorityUpdate(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", "Good progress"
        SOME = "some", "Some progress"
        LITTLE = "little_or_none", "Little or no progress"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    rating = models.CharField(max_length=20, choices=Rating.choices)
    narrative = models.TextField()
    decision = models.TextField(blank=True, help_text="What the partners decided to do about it.")

    class Meta:
        ordering = ["priority", "-on", "-id"]
        indexes = [models.Index(fields=["priority", "on"])]

    def __str__(self) -> str:
        return f"{self.priority} on {self.on:%-d %B %Y}: {self.get_rating_display()}"


class LawfulBasis(models.Model):
    """The maintained list of lawful bases for sharing (UK GDPR articles, DPA 2018 conditions)."""

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "lawful bases"

    def __str__(self) -> str:
        return self.title


class SharingAgreement(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    purpose = models.TextField()
    data_shared = models.TextField()
    parties = models.ManyToManyField(Organisation, related_name="sharing_agreements")
    lawful_bases = models.ManyToManyField(LawfulBasis, related_name="agreements")
    signed_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField()
    document = models.FileField(upload_to="agreements/", blank=True)

    class Meta:
        ordering = ["review_due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(review_due_on__gt=F("signed_on")),
                name="agreement_review_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ScrutinyRecommendation(models.Model):
    """A finding of the independent scrutineer and what they recommended."""

    reference = models.CharField(max_length=30, unique=True)
    made_on = models.DateField()
    scrutineer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    finding = models.TextField()
    recommendation = models.TextField()
    addressed_to = models.ManyToManyField(Organisation, related_name="scrutiny_recommendations")

    class Meta:
        ordering = ["-made_on", "reference"]

    def __str__(self) -> str:
        return self.reference


class ScrutinyResponse(models.Model):
    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PARTLY = "partly", "Partly accepted"
        REJECTED = "rejected", "Rejected"

    recommendation = models.ForeignKey(ScrutinyRecommendation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    response = models.CharField(max_length=20, choices=Response.choices)
    reason = models.TextField(blank=True)
    responded_on = models.DateField()

    class Meta:
        ordering = ["recommendation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "organisation"], name="one_response_per_partner"),
            models.CheckConstraint(
                condition=Q(response="accepted") | ~Q(reason=""),
                name="partial_or_rejected_response_gives_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} to {self.recommendation}: {self.get_response_display()}"
