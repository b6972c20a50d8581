"""Agency records about children, and the children they are linked into.

Each agency system that sends records is a ``Source``. Each record it holds about a
child is an ``AgencyRecord`` (one row per source and record id), with every earlier
version kept as evidence. The linkage model decides which records are the same child;
``Child`` gives that child an ID that never changes: when children merge, the retired
ID redirects to the survivor, and every merge and split is recorded with its reason.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from safeguarding.accounts.models import Area, Organisation


class Source(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_CARE = "social_care", "Social care"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        EDUCATION = "education", "Education"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="record_sources")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    areas = models.ManyToManyField(Area, blank=True, related_name="record_sources")
    is_active = models.BooleanField(default=True)
    # Who a practitioner in another agency calls about a child this system knows.
    contact_team = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A postcode district ("NS1") or sector ("NS1 4") and the area it lies in; the
    longest matching prefix places an address."""

    prefix = models.CharField(max_length=8, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="postcode_prefixes")

    class Meta:
        ordering = ["prefix"]

    def __str__(self) -> str:
        return f"{self.prefix} → {self.area}"


def new_child_reference() -> str:
    """A child's ID: random, so it says nothing about the child or the order of arrival."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"CH-{body[:5]}-{body[5:]}"


class Child(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MERGED = "merged", "Merged into another child"
        RETIRED = "retired", "Retired (no records left)"

    reference = models.CharField(max_length=20, unique=True, default=new_child_reference)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | (~Q(status="merged") & Q(merged_into=None)),
                name="merged_child_redirects",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def current(self) -> Child:
        """Where this ID now leads (following merges)."""
        child, seen = self, set()
        while child.merged_into_id and child.pk not in seen:
            seen.add(child.pk)
            child = child.merged_into
        return child


class ImportBatch(models.Model):
    """One delivery of records (a file, an API call, a demo load): who sent it, when and
    why. Each record points at the batch that last wrote it, each kept version at the
    batch that wrote that version. ``counts`` holds what the delivery brought, by source
    too (``counts["by_source"][code]``: records, flagged cells by column), so a source's
    quality can be followed delivery by delivery."""

    class Origin(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        API = "api", "API"
        COMMAND = "command", "Command line"
        DEMO = "demo", "Demo loader"

    origin = models.CharField(max_length=10, choices=Origin.choices)
    file_name = models.CharField(max_length=200, blank=True)
    actor_label = models.CharField(max_length=200)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_origin_display()} {self.file_name} {self.at:%Y-%m-%d %H:%M}"


class AgencyRecord(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    record_id = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_on = models.DateField(
        null=True, blank=True, help_text="Expected date of delivery, for an unborn child (a pre-birth plan)."
    )
    sex = models.CharField(max_length=20, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    nhs_number_valid = models.BooleanField(
        default=False, help_text="Kept when the check digit fails, but never used to link records."
    )
    postcode = models.CharField(max_length=8, blank=True)
    address = models.CharField(max_length=300, blank=True)
    address_from = models.DateField(null=True, blank=True)
    flags = models.JSONField(
        default=dict,
        blank=True,
        help_text="Cells kept as delivered but never used to link or place the record: "
        "column → {value, problem}. The cleaned field of a flagged cell is blank.",
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="child_records")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    match_probability = models.FloatField(null=True, blank=True, help_text="How sure the link to the child is.")
    version = models.PositiveIntegerField(default=1)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    first_received_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["source", "record_id"]
        constraints = [models.UniqueConstraint(fields=["source", "record_id"], name="one_record_per_source_id")]
        indexes = [
            # Matching reads candidates from an in-memory index (matching.index_cache),
            # not from the database; this one serves exact look-ups by NHS number.
            models.Index(fields=["nhs_number"], name="record_nhs_number"),
            # The check before a report is published looks names and dates of birth up.
            models.Index(Lower("last_name"), name="record_last_name_lower"),
            models.Index(fields=["date_of_birth"], name="record_date_of_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.record_id}"

    @property
    def unique_id(self) -> str:
        return f"{self.source.code}:{self.record_id}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_on is not None


class RecordVersion(models.Model):
    """An earlier version of a record, kept when a resend changed it: earlier names and
    addresses stay as evidence."""

    record = models.ForeignKey(AgencyRecord, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    values = models.JSONField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["record", "-version"]
        constraints = [models.UniqueConstraint(fields=["record", "version"], name="one_record_version")]

    def __str__(self) -> str:
        return f"{self.record} v{self.version}"


class Involvement(models.Model):
    class Kind(models.TextChoices):
        CP_PLAN = "cp_plan", "Child protection plan"
        CIN = "cin", "Child in need"
        CLA = "cla", "Child looked after"
        EARLY_HELP = "early_help", "Early help"
        OPEN_CASE = "open_case", "Open case"
        MACE = "mace", "Discussed at MACE"
        MISSING = "missing", "Missing episode"

    record = models.ForeignKey(AgencyRecord, on_delete=models.CASCADE, related_name="involvements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["record", "-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["record", "kind", "started_on"], name="one_involvement_per_start"),
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(started_on=None) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on or 'unknown'}"


class IdentityChange(models.Model):
    """Why a child's records changed hands: new, merged (the old ID redirects), split."""

    class Kind(models.TextChoices):
        CREATED = "created", "New child"
        MERGED = "merged", "Merged"
        SPLIT = "split", "Split"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="identity_changes")
    other = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Merged from / split into"
    )
    reason = models.CharField(max_length=300)
    record_ids = models.JSONField(default=list, blank=True)
    run = models.ForeignKey("LinkageRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child}"


class ModelVersion(models.Model):
    """A trained linkage model; its parameters (match weights per field) can be read."""

    version = models.CharField(max_length=40, unique=True)
    trained_at = models.DateTimeField()
    records_trained_on = models.PositiveIntegerField()
    parameters = models.JSONField()
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_model")
        ]

    def __str__(self) -> str:
        return self.version


class LinkageRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    started_by = models.CharField(max_length=200)
    backend = models.CharField(max_length=10, default="duckdb")
    reuse_model = models.BooleanField(default=False, help_text="Link with the current model instead of training one.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    progress = models.FloatField(default=0)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the process doing the run."
    )
    model = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    report = models.JSONField(default=dict, blank=True)

    LIVE = (Status.QUEUED, Status.RUNNING)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One run at a time: two would train and link over each other. Every live
            # run has the same value, so a second queued or running one breaks the index.
            models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(status__in=["queued", "running"]),
                name="one_live_linkage_run",
            )
        ]

    def __str__(self) -> str:
        return f"Linkage run {self.pk} ({self.get_status_display()})"


class MatchReview(models.Model):
    """Two records the model was unsure about, for a practitioner to decide. A decision
    overrides the model in every later run."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        CONFIRMED = "confirmed", "Same child"
        REJECTED = "rejected", "Different children"

    record_a = models.ForeignKey(AgencyRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(AgencyRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    fields = models.JSONField(default=list, help_text="[field, level, weight] for each comparison")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["status", "-match_probability"]
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="one_review_per_pair"),
            models.CheckConstraint(condition=Q(record_a__lt=models.F("record_b")), name="review_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "match_probability"], name="review_queue")]

    def __str__(self) -> str:
        return f"Review {self.pk}: {self.match_probability:.2f}"
