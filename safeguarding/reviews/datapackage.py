"""Data package files for learning from serious incidents: the maintained lists,
notifications and referrals, rapid reviews and their sign-offs, CSPRs with their
parallel processes, pauses, monitoring and report versions, national reviews, and the
recommendations tracker with its actions and evidence of impact.

What is left out, and why (docs/data-package.md says the same): the notified
children's names and dates of birth, and the agencies' summaries. Both are child-level
details that a package, written raw for machines and moved between systems, should not
carry; a linked child's records travel through the children's own deliveries, and a
summary or report document is a file, not a cell. A package therefore restores the
record of the work and its clocks (questions 2 and 3), not the children it was about.

A notification has no reference of its own, so other files name it by who notified, the
day they became aware and the incident's date (``council/2026-04-01/2026-03-31``); two
notifications sharing all three cannot be told apart in a package, and the loader says
so. A rapid review is named by its notification's key (there is one per notification)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from safeguarding.accounts.datapackage import find_person, organisation_column, person_column
from safeguarding.accounts.selectors import post_held_on
from safeguarding.core.datapackage import STAFF_ONLY, Column, FileSpec, _cell, keyed_by, register
from safeguarding.reviews.models import (
    ImpactEvidence,
    LearningRecommendation,
    MonitoringCheck,
    NationalReview,
    NotificationReason,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    RecommendationAction,
    ReferralForConsideration,
    ReportVersion,
    ReviewPause,
    ReviewTheme,
    SeriousIncidentNotification,
)

SOURCE_COLUMNS = {
    LearningRecommendation.Source.PRACTICE_REVIEW: "practice_review",
    LearningRecommendation.Source.RAPID_REVIEW: "rapid_review",
    LearningRecommendation.Source.NATIONAL_REVIEW: "national_review",
    LearningRecommendation.Source.SCRUTINY: "scrutiny_recommendation",
}


def notification_key(notified_by: str, became_aware_on: Any, incident_on: Any) -> str:
    return f"{notified_by}/{_cell(became_aware_on)}/{_cell(incident_on)}"


def _key_of(notification: SeriousIncidentNotification) -> str:
    return notification_key(notification.notified_by.code, notification.became_aware_on, notification.incident_on)


def _notification_for_key(key: str) -> SeriousIncidentNotification:
    code, aware, incident = (key.split("/") + ["", ""])[:3]
    found = list(
        SeriousIncidentNotification.objects.filter(notified_by__code=code, became_aware_on=aware, incident_on=incident)[
            :2
        ]
    )
    if len(found) > 1:
        raise ValidationError(
            {"notification": f"two notifications are known as {key}; the package cannot tell them apart."}
        )
    if not found:
        raise ValidationError({"notification": f"no notification is known as {key}."})
    return found[0]


def _existing_notification_keys() -> set[str]:
    return {_key_of(n) for n in SeriousIncidentNotification.objects.select_related("notified_by")}


def _rapid_review_for_key(key: str) -> RapidReview:
    return RapidReview.objects.get(notification=_notification_for_key(key))


def _rapid_review_key(review: RapidReview) -> str:
    return _key_of(review.notification)


def _existing_rapid_review_keys() -> set[str]:
    return {_rapid_review_key(r) for r in RapidReview.objects.select_related("notification__notified_by")}


def notification_column(name: str, field: str = "", *, required: bool = True) -> Column:
    return Column(
        name,
        "ref",
        required,
        ref="notification",
        field=field,
        help="notified_by/became_aware_on/incident_on",
        to_model=_notification_for_key,
        from_model=_key_of,
    )


def rapid_review_column(name: str, field: str = "", *, required: bool = True) -> Column:
    return Column(
        name,
        "ref",
        required,
        ref="rapid_review",
        field=field,
        help="its notification's key",
        to_model=_rapid_review_for_key,
        from_model=_rapid_review_key,
    )


def _practice_review_column(name: str = "practice_review") -> Column:
    return Column(name, "ref", True, ref="practice_review", via="reference")


def _maintained_list(name: str, provides: str, model, what: str) -> FileSpec:
    return FileSpec(
        name=name,
        partner=STAFF_ONLY,
        provides=provides,
        description=f"The maintained list of {what}.",
        model=model,
        lookup=("code",),
        columns=[Column("code", required=True), Column("title", required=True), Column("is_active", "bool")],
        key=keyed_by("code"),
        existing_keys=lambda: set(model.objects.values_list("code", flat=True)),
    )


def _post_on_the_day(row: dict) -> Any:
    """The post the signer held on the day, kept with the signature as the service keeps it."""
    post = post_held_on(find_person(row["person_key"]), row["signed_on"])
    if post is None:
        raise ValidationError({"person": f"{row['person_key']} held no post on {_cell(row['signed_on'])}."})
    return post


def _rapid_review_of(row: dict) -> RapidReview | None:
    """A CSPR's rapid review is its notification's, as ``practice_review_open`` sets it."""
    return RapidReview.objects.filter(notification=_notification_for_key(row["notification"])).first()


def _parallel_process_of(row: dict) -> ParallelProcess | None:
    if not row["parallel_process"]:
        return None
    found = ParallelProcess.objects.filter(
        practice_review__reference=row["practice_review"], description=row["parallel_process"]
    ).first()
    if found is None:
        raise ValidationError({"parallel_process": f"{row['practice_review']} has no parallel process so described."})
    return found


def _check_notifications(rows):
    for number, row in rows:
        if row["became_aware_on"] < row["incident_on"]:
            yield number, "became_aware_on", f"{_cell(row['became_aware_on'])} is before incident_on."
        if row["notified_panel_on"] < row["became_aware_on"]:
            yield number, "notified_panel_on", f"{_cell(row['notified_panel_on'])} is before became_aware_on."


def _check_recommendations(rows):
    for number, row in rows:
        wanted = SOURCE_COLUMNS[row["source"]]
        if not row[wanted]:
            yield number, wanted, f"a value is required when the source is {row['source']}."
        for column in SOURCE_COLUMNS.values():
            if column != wanted and row[column]:
                yield number, column, f"give only the {wanted} of a recommendation whose source is {row['source']}."
        if row["status"] == LearningRecommendation.Status.CLOSED and not row["closed_on"]:
            yield number, "closed_on", "a value is required when the status is closed."


CRITERIA = [
    column
    for code in ("improvements", "recurrent_themes", "joint_working", "panel_view")
    for column in (Column(f"{code}_met", "bool", blank=None), Column(f"{code}_rationale"))
]

register(
    _maintained_list("notification_reasons.csv", "notification_reason", NotificationReason, "reasons for notifying"),
    _maintained_list("review_themes.csv", "review_theme", ReviewTheme, "themes reviews are tagged with"),
    FileSpec(
        name="notifications.csv",
        partner=STAFF_ONLY,
        check=_check_notifications,
        provides="notification",
        description=(
            "Serious incident notifications to the National Panel, without the children they are about "
            "(child-level details stay out of packages). Other files name one by "
            "notified_by/became_aware_on/incident_on."
        ),
        model=SeriousIncidentNotification,
        lookup=("notified_by", "became_aware_on", "incident_on"),
        select_related=("notified_by", "incident_area", "home_area"),
        columns=[
            organisation_column("notified_by"),
            Column("became_aware_on", "date", True),
            Column("notified_panel_on", "date", True),
            Column("incident_on", "date", True),
            Column("incident_time", "time"),
            Column("incident_place", required=True, help="the kind of place, never an address"),
            Column("incident_area", "ref", True, ref="area", via="code"),
            Column("home_area", "ref", True, ref="area", via="code"),
            Column("reasons", "refs", True, ref="notification_reason", via="code"),
            Column("late_reason"),
            Column("recorded_by", required=True),
            Column("recorded_at", "datetime", True),
        ],
        key=lambda r: notification_key(r["notified_by"], r["became_aware_on"], r["incident_on"]),
        existing_keys=_existing_notification_keys,
    ),
    FileSpec(
        name="referrals.csv",
        partner=STAFF_ONLY,
        provides="referral",
        description="Referrals for consideration and the local authority's decision, notified or not.",
        model=ReferralForConsideration,
        lookup=("referred_by", "referred_on", "summary"),
        columns=[
            organisation_column("referred_by"),
            Column("referred_on", "date", True),
            Column("summary", required=True),
            Column("decision", "choice", True, tuple(ReferralForConsideration.Decision.values)),
            Column("decided_on", "date", True),
            Column("reason", required=True),
            notification_column("notification", required=False),
            Column("recorded_by", required=True),
            Column("recorded_at", "datetime", True),
        ],
        key=keyed_by("referred_by", "referred_on", "summary"),
    ),
    FileSpec(
        name="rapid_reviews.csv",
        partner=STAFF_ONLY,
        provides="rapid_review",
        description="Each notification's rapid review: its clock, the decision on Regulation 11's criteria, "
        "the outcome, the themes, the sending and the Panel's reply.",
        model=RapidReview,
        lookup=("notification",),
        select_related=("notification__notified_by",),
        columns=[
            notification_column("notification"),
            Column("status", "choice", True, tuple(RapidReview.Status.values)),
            Column("clock_start", "choice", True, tuple(RapidReview.ClockStart.values)),
            Column("starts_on", "date", True),
            Column("due_on", "date", True),
            Column("not_required_reason"),
            Column("not_required_on", "date"),
            Column("decided_on", "date"),
            *CRITERIA,
            Column("outcome", "choice", choices=tuple(RapidReview.Outcome.values)),
            Column("themes", "refs", ref="review_theme", via="code"),
            Column("sent_to_panel_on", "date"),
            Column("panel_reply", "choice", choices=tuple(RapidReview.PanelReply.values)),
            Column("panel_replied_on", "date"),
            Column("panel_reply_text"),
        ],
        key=keyed_by("notification"),
        existing_keys=_existing_rapid_review_keys,
    ),
    FileSpec(
        name="rapid_review_sign_offs.csv",
        partner=STAFF_ONLY,
        provides="rapid_review_sign_off",
        description="The three partners' sign-offs; the signer's post on the day is found from people.csv.",
        model=RapidReviewSignOff,
        lookup=("rapid_review", "partner_kind"),
        select_related=("rapid_review__notification__notified_by",),
        columns=[
            rapid_review_column("rapid_review"),
            Column("partner_kind", "choice", True, tuple(RapidReviewSignOff.PartnerKind.values)),
            person_column("person_key", "person", required=True),
            Column("signed_on", "date", True),
            Column("recorded_by", required=True),
            Column("recorded_at", "datetime", True),
        ],
        computed={"post": _post_on_the_day},
        key=keyed_by("rapid_review", "partner_kind"),
    ),
    FileSpec(
        name="practice_reviews.csv",
        partner=STAFF_ONLY,
        provides="practice_review",
        description="Child Safeguarding Practice Reviews, by reference; a CSPR's rapid review is its notification's.",
        model=PracticeReview,
        lookup=("reference",),
        select_related=("notification__notified_by",),
        columns=[
            Column("reference", required=True),
            Column("title", required=True, help="the name it is known by, never the child's"),
            notification_column("notification"),
            Column("origin", "choice", True, tuple(PracticeReview.Origin.values)),
            Column("decided_on", "date", True),
            Column("due_on", "date", True),
            Column("status", "choice", True, tuple(PracticeReview.Status.values)),
            Column("reviewer_name"),
            Column("reviewer_organisation"),
            Column("contract_starts_on", "date"),
            Column("contract_ends_on", "date"),
            Column("terms_of_reference"),
            Column("methodology"),
            Column("family_involvement"),
            Column("themes", "refs", ref="review_theme", via="code"),
            Column("final_report_on", "date"),
            Column("sent_to_panel_on", "date"),
            Column("published_on", "date"),
            Column("public_link"),
            Column("redaction_checked_by"),
            Column("redaction_checked_on", "date"),
            Column("published_until", "date"),
            Column("recorded_by", required=True),
            Column("recorded_at", "datetime", True),
        ],
        computed={"rapid_review": _rapid_review_of},
        key=keyed_by("reference"),
        existing_keys=lambda: set(PracticeReview.objects.values_list("reference", flat=True)),
    ),
    FileSpec(
        name="parallel_processes.csv",
        partner=STAFF_ONLY,
        provides="parallel_process",
        description="Processes beside a CSPR that may pause it (a criminal trial, an inquest).",
        model=ParallelProcess,
        lookup=("practice_review", "description"),
        columns=[
            _practice_review_column(),
            Column("kind", "choice", True, tuple(ParallelProcess.Kind.values)),
            Column("description", required=True),
            Column("started_on", "date"),
            Column("ended_on", "date"),
        ],
        key=keyed_by("practice_review", "description"),
    ),
    FileSpec(
        name="review_pauses.csv",
        partner=STAFF_ONLY,
        provides="review_pause",
        description="Pauses of a CSPR, with their reason and dates.",
        model=ReviewPause,
        lookup=("practice_review", "paused_on"),
        columns=[
            _practice_review_column(),
            Column("paused_on", "date", True),
            Column("resumed_on", "date"),
            Column("reason", required=True),
            Column("parallel_process", field="parallel_process.description", help="its description, if any"),
            Column("recorded_by", required=True),
        ],
        computed={"parallel_process": _parallel_process_of},
        key=keyed_by("practice_review", "paused_on"),
    ),
    FileSpec(
        name="monitoring_checks.csv",
        partner=STAFF_ONLY,
        provides="monitoring_check",
        description="The partners' checks on a CSPR's time and quality (Regulation 14).",
        model=MonitoringCheck,
        lookup=("practice_review", "checked_on", "note"),
        columns=[
            _practice_review_column(),
            Column("checked_on", "date", True),
            Column("on_time", "bool"),
            Column("quality_assured", "bool"),
            Column("note", required=True),
            Column("recorded_by", required=True),
        ],
        key=keyed_by("practice_review", "checked_on", "note"),
    ),
    FileSpec(
        name="report_versions.csv",
        partner=STAFF_ONLY,
        provides="report_version",
        description="Each draft and the final report of a CSPR, dated; the document itself is not in the package.",
        model=ReportVersion,
        lookup=("practice_review", "kind", "received_on"),
        columns=[
            _practice_review_column(),
            Column("kind", "choice", True, tuple(ReportVersion.Kind.values)),
            Column("received_on", "date", True),
            Column("note"),
            Column("recorded_by", required=True),
        ],
        key=keyed_by("practice_review", "kind", "received_on"),
    ),
    FileSpec(
        name="national_reviews.csv",
        partner=STAFF_ONLY,
        provides="national_review",
        description="The National Panel's national reviews whose recommendations the partnership takes on.",
        model=NationalReview,
        lookup=("title",),
        columns=[Column("title", required=True), Column("published_on", "date", True), Column("link")],
        key=keyed_by("title"),
        existing_keys=lambda: set(NationalReview.objects.values_list("title", flat=True)),
    ),
    FileSpec(
        name="learning_recommendations.csv",
        partner=STAFF_ONLY,
        check=_check_recommendations,
        provides="learning_recommendation",
        description="The recommendations tracker: one row per recommendation, naming its one source.",
        model=LearningRecommendation,
        lookup=("reference",),
        select_related=("rapid_review__notification__notified_by",),
        columns=[
            Column("reference", required=True),
            Column("source", "choice", True, tuple(LearningRecommendation.Source.values)),
            Column("practice_review", "ref", ref="practice_review", via="reference"),
            rapid_review_column("rapid_review", required=False),
            Column("national_review", "ref", ref="national_review", via="title"),
            Column("scrutiny_recommendation", "ref", ref="recommendation", via="reference"),
            Column("text", required=True),
            organisation_column("owner_organisation"),
            Column("made_on", "date", True),
            Column("due_on", "date", True),
            Column("themes", "refs", ref="review_theme", via="code"),
            Column("status", "choice", True, tuple(LearningRecommendation.Status.values)),
            Column("closed_on", "date"),
            Column("closed_by"),
            Column("recorded_by", required=True),
        ],
        key=keyed_by("reference"),
        existing_keys=lambda: set(LearningRecommendation.objects.values_list("reference", flat=True)),
    ),
    FileSpec(
        name="recommendation_actions.csv",
        partner=STAFF_ONLY,
        provides="recommendation_action",
        description="Which governance actions (actions.csv) are a recommendation's SMART actions.",
        model=RecommendationAction,
        lookup=("action",),
        columns=[
            Column("recommendation", "ref", True, ref="learning_recommendation", via="reference"),
            Column("action", "ref", True, ref="action", via="reference"),
        ],
        key=keyed_by("action"),
    ),
    FileSpec(
        name="impact_evidence.csv",
        partner=STAFF_ONLY,
        provides="impact_evidence",
        description="Evidence of impact that closed a recommendation, kept as it was recorded (an indicator's "
        "verdict and a course's reach as they stood then).",
        model=ImpactEvidence,
        lookup=("recommendation", "kind", "recorded_on", "summary"),
        columns=[
            Column("recommendation", "ref", True, ref="learning_recommendation", via="reference"),
            Column("kind", "choice", True, tuple(ImpactEvidence.Kind.values)),
            Column("recorded_on", "date", True),
            Column("summary", required=True),
            Column("audit_reference"),
            Column("indicator", "ref", ref="indicator", via="code"),
            Column("period"),
            Column("verdict"),
            Column("course", "ref", ref="course", via="code"),
            Column("reach"),
            Column("recorded_by", required=True),
        ],
        key=keyed_by("recommendation", "kind", "recorded_on", "summary"),
    ),
)
