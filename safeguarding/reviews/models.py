"""Serious incident notifications, referrals that did not become one, and rapid reviews
(the agencies' summaries, the decision against the four criteria of Regulation 11 of
SI 2018/789, the three partners' sign-off and the National Panel's reply); Child
Safeguarding Practice Reviews; and one tracker of recommendations from every source of
learning, each closed only with evidence of impact.

What may never be stored is refused here by the database as well as by the services."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from safeguarding.accounts.models import Area, Organisation, Person, Post
from safeguarding.children.models import Child


class NotificationReason(models.Model):
    """A maintained list: why an incident was notified (a child died, was seriously
    harmed, abuse or neglect known or suspected, ...)."""

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReviewTheme(models.Model):
    """A maintained list of the themes reviews are tagged with (neglect, exploitation,
    domestic abuse, information sharing, transience and moves, voice of the child, ...)."""

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class DayPlanStep(models.Model):
    """One step of the partnership's own rapid review day plan, on a working day from 1 to
    15 of the review's clock. None recorded: the typical plan (``rules.DEFAULT_DAY_PLAN``)."""

    code = models.SlugField(
        max_length=50, unique=True, help_text="summaries_due sets when agencies' summaries fall due"
    )
    title = models.CharField(max_length=200)
    working_day = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["working_day", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_day__gte=1, working_day__lte=15), name="day_plan_step_within_15_working_days"
            )
        ]

    def __str__(self) -> str:
        return f"Day {self.working_day}: {self.title}"


class SeriousIncidentNotification(models.Model):
    """The local authority's notification of a serious child safeguarding incident to the
    National Panel (Children Act 2004 s16C). Both the day it became aware and the day it
    notified are kept: the first starts the 5-day clock, and sources differ on which starts
    the rapid review's."""

    notified_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    became_aware_on = models.DateField()
    notified_panel_on = models.DateField()
    incident_on = models.DateField()
    incident_time = models.TimeField(null=True, blank=True, help_text="If known")
    incident_place = models.CharField(max_length=300)
    incident_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", help_text="The local authority where it happened"
    )
    home_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", help_text="The child's home local authority"
    )
    reasons = models.ManyToManyField(NotificationReason, related_name="notifications")
    late_reason = models.TextField(blank=True, help_text="Why the Panel was told after 5 working days")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-became_aware_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(became_aware_on__gte=F("incident_on")), name="aware_after_incident"),
            models.CheckConstraint(
                condition=Q(notified_panel_on__gte=F("became_aware_on")), name="notified_after_aware"
            ),
        ]

    def __str__(self) -> str:
        return f"Serious incident notification {self.pk} ({self.notified_panel_on:%-d %B %Y})"


class NotifiedChild(models.Model):
    """One of up to four children a notification is about: a linked child (their child ID)
    where one is known, the minimum details otherwise, or both (the names the Panel was
    given, and the link)."""

    notification = models.ForeignKey(SeriousIncidentNotification, on_delete=models.CASCADE, related_name="children")
    ordinal = models.PositiveSmallIntegerField()
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    looked_after = models.BooleanField(default=False)
    care_leaver = models.BooleanField(default=False)

    class Meta:
        ordering = ["notification", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "ordinal"], name="one_notified_child_per_ordinal"),
            models.CheckConstraint(condition=Q(ordinal__gte=1, ordinal__lte=4), name="at_most_four_notified_children"),
            models.CheckConstraint(
                condition=Q(child__isnull=False) | (~Q(first_name="") & ~Q(last_name="")),
                name="notified_child_linked_or_named",
            ),
        ]

    def __str__(self) -> str:
        return f"Child {self.ordinal} of notification {self.notification_id}"


class ReferralForConsideration(models.Model):
    """An agency's referral of a possible serious incident, with the local authority's
    decision whether to notify the Panel, and why. Those not notified are counted too."""

    class Decision(models.TextChoices):
        NOTIFY = "notify", "Notify the National Panel"
        DO_NOT_NOTIFY = "do_not_notify", "Do not notify"

    referred_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    summary = models.TextField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    decided_on = models.DateField()
    reason = models.TextField()
    notification = models.ForeignKey(
        SeriousIncidentNotification, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__gte=F("referred_on")), name="referral_decided_after_it_came"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_decision_has_reason"),
            models.CheckConstraint(
                condition=Q(decision="notify") | Q(notification__isnull=True),
                name="referral_not_notified_has_no_notification",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} from {self.referred_by}"


class RapidReview(models.Model):
    """The partners' rapid review of a notified incident: one per notification, opened
    with it, due 15 working days from its clock's start (``rules.rapid_review_due``)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        NOT_REQUIRED = "not_required", "Not required: criteria not met"
        DECIDED = "decided", "Decided, awaiting sign-off"
        SENT = "sent", "Sent to the National Panel"
        REPLIED = "replied", "The Panel has replied"

    class ClockStart(models.TextChoices):
        AWARE = "aware", "When the partners became aware"
        NOTIFIED = "notified", "When the Panel was notified"

    class Outcome(models.TextChoices):
        LOCAL_CSPR = "local_cspr", "A local Child Safeguarding Practice Review"
        NO_CSPR = "no_cspr", "No Child Safeguarding Practice Review"
        OTHER_REVIEW = "other_review", "Another kind of review"
        NATIONAL_REVIEW = "national_review", "Suggest the Panel takes it as a national review"

    class PanelReply(models.TextChoices):
        AGREES = "agrees", "Agrees"
        DISAGREES = "disagrees", "Disagrees"
        MORE_INFORMATION = "more_information", "Asks for more information"
        RECONSIDER = "reconsider", "Asks the partners to reconsider"
        NATIONAL = "national", "Takes it as a national review"

    notification = models.OneToOneField(
        SeriousIncidentNotification, on_delete=models.PROTECT, related_name="rapid_review"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    clock_start = models.CharField(
        max_length=10, choices=ClockStart.choices, help_text="The partnership's setting when the review opened"
    )
    starts_on = models.DateField(help_text="The day its 15 working days run from")
    due_on = models.DateField()
    not_required_reason = models.TextField(blank=True)
    not_required_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    improvements_met = models.BooleanField(null=True, blank=True)
    improvements_rationale = models.TextField(blank=True)
    recurrent_themes_met = models.BooleanField(null=True, blank=True)
    recurrent_themes_rationale = models.TextField(blank=True)
    joint_working_met = models.BooleanField(null=True, blank=True)
    joint_working_rationale = models.TextField(blank=True)
    panel_view_met = models.BooleanField(null=True, blank=True)
    panel_view_rationale = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    themes = models.ManyToManyField(ReviewTheme, blank=True, related_name="rapid_reviews")
    meeting = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rapid_reviews",
        help_text="The rapid review meeting: attendance and decisions are recorded on it as for any meeting",
    )
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_reply = models.CharField(max_length=20, choices=PanelReply.choices, blank=True)
    panel_replied_on = models.DateField(null=True, blank=True)
    panel_reply_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("starts_on")), name="rapid_review_due_after_start"),
            models.CheckConstraint(
                condition=~Q(status="not_required") | (~Q(not_required_reason="") & Q(not_required_on__isnull=False)),
                name="rapid_review_not_required_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | (
                    ~Q(outcome="")
                    & ~Q(improvements_rationale="")
                    & ~Q(recurrent_themes_rationale="")
                    & ~Q(joint_working_rationale="")
                    & ~Q(panel_view_rationale="")
                ),
                name="rapid_review_decision_has_outcome_and_rationales",
            ),
            models.CheckConstraint(
                condition=Q(sent_to_panel_on__isnull=True)
                | (Q(decided_on__isnull=False) & Q(sent_to_panel_on__gte=F("decided_on"))),
                name="rapid_review_sent_after_decision",
            ),
            models.CheckConstraint(
                condition=(Q(panel_replied_on__isnull=True) & Q(panel_reply=""))
                | (
                    Q(panel_replied_on__isnull=False)
                    & ~Q(panel_reply="")
                    & Q(sent_to_panel_on__isnull=False)
                    & Q(panel_replied_on__gte=F("sent_to_panel_on"))
                ),
                name="rapid_review_reply_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"Rapid review {self.pk} (notification {self.notification_id})"


class AgencySummaryRequest(models.Model):
    """A request to an agency for its individual summary of its work with the children,
    and its return: written here or uploaded (the meeting papers' upload rules)."""

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="summary_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="agency-summaries/%Y/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    returned_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rapid_review", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["rapid_review", "organisation"], name="one_summary_request_per_agency"),
            models.CheckConstraint(condition=Q(due_on__gte=F("requested_on")), name="summary_due_after_request"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | (Q(returned_on__gte=F("requested_on")) & (~Q(text="") | ~Q(file=""))),
                name="summary_returned_with_content",
            ),
        ]

    def __str__(self) -> str:
        return f"Summary from {self.organisation} for rapid review {self.rapid_review_id}"


class Chaser(models.Model):
    """A reminder sent to an agency whose summary has not come back."""

    request = models.ForeignKey(AgencySummaryRequest, on_delete=models.CASCADE, related_name="chasers")
    chased_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["request", "chased_on", "pk"]

    def __str__(self) -> str:
        return f"Chased on {self.chased_on:%-d %B %Y}"


class RapidReviewSignOff(models.Model):
    """One statutory partner's sign-off, by its Lead or Delegated Safeguarding Partner in
    post on the day (the post is kept: people change jobs)."""

    class PartnerKind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        ICB = "icb", "Integrated care board"

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="sign_offs")
    partner_kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["rapid_review", "partner_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "partner_kind"], name="one_rapid_review_sign_off_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_kind_display()} sign-off of rapid review {self.rapid_review_id}"


# Child Safeguarding Practice Reviews ------------------------------------------------------


class PracticeReview(models.Model):
    """A local Child Safeguarding Practice Review (CSPR): opened from a rapid review's
    decision, or directly when the National Panel asks for one. Due within 6 months of
    the decision to hold it (``rules.cspr_due``); its final report goes to the Panel and
    the Secretary of State before publication (``rules.earliest_publication``)."""

    class Origin(models.TextChoices):
        RAPID_REVIEW = "rapid_review", "The rapid review's decision"
        PANEL_REQUEST = "panel_request", "The National Panel asked for one"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINAL_REPORT = "final_report", "Final report received"
        SENT = "sent", "Sent to the Panel and the Secretary of State"
        PUBLISHED = "published", "Published"

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200, help_text="The name it is known by, never the child's: e.g. 'Child Q'")
    notification = models.ForeignKey(
        SeriousIncidentNotification, on_delete=models.PROTECT, related_name="practice_reviews"
    )
    rapid_review = models.OneToOneField(
        RapidReview, null=True, blank=True, on_delete=models.PROTECT, related_name="practice_review"
    )
    origin = models.CharField(max_length=20, choices=Origin.choices)
    decided_on = models.DateField(help_text="The decision to hold the review: its 6 months run from here")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_organisation = models.CharField(max_length=200, blank=True)
    contract_starts_on = models.DateField(null=True, blank=True)
    contract_ends_on = models.DateField(null=True, blank=True)
    terms_of_reference = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    family_involvement = models.TextField(blank=True)
    themes = models.ManyToManyField(ReviewTheme, blank=True, related_name="practice_reviews")
    final_report_on = models.DateField(null=True, blank=True)
    sent_to_panel_on = models.DateField(
        null=True, blank=True, help_text="The final report sent to the Panel and the Secretary of State"
    )
    published_on = models.DateField(null=True, blank=True)
    public_link = models.URLField(blank=True)
    redaction_checked_by = models.CharField(max_length=200, blank=True)
    redaction_checked_on = models.DateField(null=True, blank=True)
    published_until = models.DateField(null=True, blank=True, help_text="How long it stays published")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("decided_on")), name="cspr_due_after_decision"),
            models.CheckConstraint(
                condition=~Q(origin="rapid_review") | Q(rapid_review__isnull=False),
                name="cspr_from_rapid_review_names_it",
            ),
            models.CheckConstraint(
                condition=Q(contract_ends_on__isnull=True)
                | Q(contract_starts_on__isnull=True)
                | Q(contract_ends_on__gte=F("contract_starts_on")),
                name="cspr_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(sent_to_panel_on__isnull=True)
                | (Q(final_report_on__isnull=False) & Q(sent_to_panel_on__gte=F("final_report_on"))),
                name="cspr_sent_after_final_report",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (
                    Q(sent_to_panel_on__isnull=False)
                    & Q(published_on__gt=F("sent_to_panel_on"))
                    & ~Q(public_link="")
                    & Q(redaction_checked_on__isnull=False)
                    & ~Q(redaction_checked_by="")
                ),
                name="cspr_published_after_sending_with_link_and_redaction_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ParallelProcess(models.Model):
    """Another process running beside the review that may pause it."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police investigation or criminal trial"
        CORONER = "coroner", "Coroner's inquest"
        DOMESTIC_HOMICIDE_REVIEW = "dhr", "Domestic homicide review"
        OTHER = "other", "Other"

    practice_review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, related_name="parallel_processes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["practice_review", "started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class ReviewPause(models.Model):
    """A pause in a CSPR, with its reason and its dates; shown in the report."""

    practice_review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField()
    resumed_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    parallel_process = models.ForeignKey(
        ParallelProcess, null=True, blank=True, on_delete=models.PROTECT, related_name="pauses"
    )
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["practice_review", "paused_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gt=F("paused_on")),
                name="pause_resumes_after_it_starts",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="pause_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Pause of {self.practice_review.reference} from {self.paused_on:%-d %B %Y}"


class ReportVersion(models.Model):
    """A draft or the final report of a CSPR, dated (the partners may ask for drafts:
    Regulation 14)."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final report"

    practice_review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    received_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to="cspr-reports/%Y/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["practice_review", "received_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice_review"], condition=Q(kind="final"), name="one_final_report_per_cspr"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.practice_review.reference}, {self.received_on:%-d %B %Y}"


class MonitoringCheck(models.Model):
    """The partners' monitoring of a CSPR's time and quality (Regulation 14, SI 2018/789)."""

    practice_review = models.ForeignKey(PracticeReview, on_delete=models.CASCADE, related_name="monitoring")
    checked_on = models.DateField()
    on_time = models.BooleanField()
    quality_assured = models.BooleanField()
    note = models.TextField()
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["practice_review", "checked_on", "pk"]

    def __str__(self) -> str:
        return f"Monitoring of {self.practice_review.reference} on {self.checked_on:%-d %B %Y}"


# Recommendations and their impact ---------------------------------------------------------


class NationalReview(models.Model):
    """A national review or thematic report of the Child Safeguarding Practice Review Panel
    whose recommendations the partnership takes on."""

    title = models.CharField(max_length=300, unique=True)
    published_on = models.DateField()
    link = models.URLField(blank=True)

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class LearningRecommendation(models.Model):
    """One recommendation from any source of learning, with an owner organisation. Its
    SMART actions are governance actions (``RecommendationAction``), so they are updated
    where every other action is; it closes only with evidence of impact."""

    class Source(models.TextChoices):
        PRACTICE_REVIEW = "cspr", "Child Safeguarding Practice Review"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        NATIONAL_REVIEW = "national_review", "National review"
        SCRUTINY = "scrutiny", "Independent scrutineer"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed with evidence of impact"

    reference = models.CharField(max_length=30, unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    practice_review = models.ForeignKey(
        PracticeReview, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    rapid_review = models.ForeignKey(
        RapidReview, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    national_review = models.ForeignKey(
        NationalReview, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    scrutiny_recommendation = models.ForeignKey(
        "governance.ScrutinyRecommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_recommendations",
    )
    text = models.TextField()
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField()
    due_on = models.DateField()
    themes = models.ManyToManyField(ReviewTheme, blank=True, related_name="recommendations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.CharField(max_length=200, blank=True)
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["due_on", "reference"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        source="cspr",
                        practice_review__isnull=False,
                        rapid_review__isnull=True,
                        national_review__isnull=True,
                        scrutiny_recommendation__isnull=True,
                    )
                    | Q(
                        source="rapid_review",
                        practice_review__isnull=True,
                        rapid_review__isnull=False,
                        national_review__isnull=True,
                        scrutiny_recommendation__isnull=True,
                    )
                    | Q(
                        source="national_review",
                        practice_review__isnull=True,
                        rapid_review__isnull=True,
                        national_review__isnull=False,
                        scrutiny_recommendation__isnull=True,
                    )
                    | Q(
                        source="scrutiny",
                        practice_review__isnull=True,
                        rapid_review__isnull=True,
                        national_review__isnull=True,
                        scrutiny_recommendation__isnull=False,
                    )
                ),
                name="recommendation_names_its_source_only",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("made_on")), name="recommendation_due_after_made"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (Q(status="closed", closed_on__isnull=False) & ~Q(closed_by="")),
                name="closed_recommendation_has_date_and_closer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def origin(self) -> object:
        return self.practice_review or self.rapid_review or self.national_review or self.scrutiny_recommendation


class RecommendationAction(models.Model):
    """Links a recommendation to one of its SMART actions, a governance action."""

    recommendation = models.ForeignKey(LearningRecommendation, on_delete=models.CASCADE, related_name="action_links")
    action = models.OneToOneField("governance.Action", on_delete=models.PROTECT, related_name="learning_link")

    class Meta:
        ordering = ["recommendation", "action__due_on"]

    def __str__(self) -> str:
        return f"{self.recommendation.reference} → {self.action.reference}"


class ImpactEvidence(models.Model):
    """Evidence that practice changed: what closes a recommendation."""

    class Kind(models.TextChoices):
        REAUDIT = "reaudit", "A re-audit's finding"
        INDICATOR = "indicator", "A change in a performance indicator"
        TRAINING = "training", "Training reach on the learning"
        NARRATIVE = "narrative", "What practitioners or families say"

    recommendation = models.ForeignKey(LearningRecommendation, on_delete=models.CASCADE, related_name="impact")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recorded_on = models.DateField()
    summary = models.TextField()
    audit_reference = models.CharField(max_length=100, blank=True)
    indicator = models.ForeignKey(
        "performance.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=10, blank=True, help_text="The indicator's period, against a year before")
    verdict = models.CharField(max_length=200, blank=True, help_text="The change, and whether it is more than noise")
    course = models.ForeignKey("training.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reach = models.CharField(max_length=300, blank=True, help_text="Who the course reached, when recorded")
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["recommendation", "recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="impact_evidence_has_summary"),
            models.CheckConstraint(
                condition=~Q(kind="indicator") | (Q(indicator__isnull=False) & ~Q(period="") & ~Q(verdict="")),
                name="indicator_evidence_names_indicator_period_verdict",
            ),
            models.CheckConstraint(
                condition=~Q(kind="training") | (Q(course__isnull=False) & ~Q(reach="")),
                name="training_evidence_names_course_and_reach",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reaudit") | ~Q(audit_reference=""), name="reaudit_evidence_names_audit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recommendation.reference}"


# Learning products ------------------------------------------------------------------------


class Briefing(models.Model):
    """A 7-minute briefing: a short document with the themes and what to do differently,
    from the reviews it draws on, and the training courses and learning events (sessions
    in the training area) that carry the same learning. Its reach is counted from its
    downloads by agency and those courses' attendance."""

    title = models.CharField(max_length=200, unique=True)
    published_on = models.DateField()
    what_to_do_differently = models.TextField()
    themes = models.ManyToManyField(ReviewTheme, blank=True, related_name="briefings")
    practice_reviews = models.ManyToManyField(PracticeReview, blank=True, related_name="briefings")
    rapid_reviews = models.ManyToManyField(RapidReview, blank=True, related_name="briefings")
    national_reviews = models.ManyToManyField(NationalReview, blank=True, related_name="briefings")
    courses = models.ManyToManyField("training.Course", blank=True, related_name="briefings")
    file = models.FileField(upload_to="briefings/%Y/")
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class BriefingDownload(models.Model):
    """One download of a briefing, by a person of an organisation (None: no organisation)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="downloads")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField()

    class Meta:
        ordering = ["briefing", "downloaded_at"]
        indexes = [models.Index(fields=["briefing", "organisation"])]

    def __str__(self) -> str:
        return f"{self.briefing} downloaded {self.downloaded_at:%-d %B %Y}"


class NotificationAttachment(models.Model):
    """A document sent with the notification (the Panel's form allows attachments), with
    the meeting papers' upload rules. About the children: read with a purpose."""

    notification = models.ForeignKey(SeriousIncidentNotification, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="notification-attachments/%Y/")
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["notification", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class PanelRound(models.Model):
    """An earlier round with the National Panel: its reply asked for more information or
    for the partners to reconsider, and the partners answered and sent the review again.
    The rapid review itself holds the first sending and the latest reply."""

    rapid_review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="panel_rounds")
    reply = models.CharField(max_length=20, choices=RapidReview.PanelReply.choices)
    replied_on = models.DateField()
    reply_text = models.TextField()
    answered_on = models.DateField(help_text="When the partners answered and sent the review again")
    answer = models.TextField()
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["rapid_review", "replied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__gte=F("replied_on")), name="panel_round_answered_after_reply"
            ),
            models.CheckConstraint(
                condition=Q(reply__in=["more_information", "reconsider"]), name="panel_round_only_after_a_question"
            ),
        ]

    def __str__(self) -> str:
        return f"Panel round on rapid review {self.rapid_review_id}, {self.replied_on:%-d %B %Y}"
