"""The annual report: one per reporting year (1 April to 31 March), its narrative with
a history of edits and comments, the Lead Partners' sign-offs, and the published
edition, which freezes every figure so later changes to the data never alter it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from safeguarding.accounts.models import Organisation, Person


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review by the business unit"
        SIGNED_OFF = "signed_off", "Signed off by the Lead Partners"
        PUBLISHED = "published", "Published"

    class BuildStatus(models.TextChoices):
        NOT_BUILT = "not_built", "Not built yet"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        FINISHED = "finished", "Built"
        FAILED = "failed", "Failed"

    class PublishStatus(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Publishing"
        FINISHED = "finished", "Published"
        BLOCKED = "blocked", "Stopped by the check before publication"
        FAILED = "failed", "Failed"

    year_start = models.PositiveIntegerField(unique=True, help_text="2025 for the year 1 April 2025 to 31 March 2026")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField()
    # The figures as last built (a task): sections' figures, tables and charts.
    content = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    build_status = models.CharField(max_length=20, choices=BuildStatus.choices, default=BuildStatus.NOT_BUILT)
    build_step = models.CharField(max_length=200, blank=True)
    build_progress = models.FloatField(default=0)
    # When the build that made ``content`` began: data that arrived after this moment is
    # not in the figures, so publication warns of it (``reports.freshness``).
    figures_as_of = models.DateTimeField(null=True, blank=True)
    # Publication runs on the worker (the PDF and Word files take seconds): who asked,
    # when, why, and how far it has gone, for the progress page.
    publish_status = models.CharField(max_length=20, choices=PublishStatus.choices, default=PublishStatus.NOT_STARTED)
    publish_step = models.CharField(max_length=200, blank=True)
    publish_progress = models.FloatField(default=0)
    publish_problems = models.JSONField(default=list, blank=True)
    publish_requested_by = models.CharField(max_length=200, blank=True)
    publish_requested_at = models.DateTimeField(null=True, blank=True)
    publish_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-year_start"]

    def __str__(self) -> str:
        return f"Annual report {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.year_start}/{(self.year_start + 1) % 100:02d}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Narrative(models.Model):
    """The words of one section, written in the application: plain text with headings,
    lists and links (``reports.markup``), never HTML."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narratives")
    section_key = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["report", "section_key"]
        constraints = [models.UniqueConstraint(fields=["report", "section_key"], name="one_narrative_per_section")]

    def __str__(self) -> str:
        return f"{self.report}: {self.section_key}"


class NarrativeVersion(models.Model):
    """Each saved version of a section's words, for the history of edits."""

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(blank=True)
    saved_by = models.CharField(max_length=200)
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.narrative} at {self.saved_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.section_key} by {self.author}"


class SignOff(models.Model):
    """A Lead Safeguarding Partner's sign-off for their statutory partner, with their
    name and the date, and who recorded it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sign_offs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="one_sign_off_per_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.organisation}"


def new_edition_slug() -> str:
    return secrets.token_urlsafe(6)


class Edition(models.Model):
    """The published report: a frozen copy of everything it says, figures included, at a
    public address that needs no log-in. Never changed after publication."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="edition")
    slug = models.SlugField(max_length=40, unique=True)
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=200)
    content = models.JSONField()
    pdf = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    panel_copy_due_on = models.DateField()
    panel_copy_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.report} (published {self.published_at:%-d %B %Y})"
