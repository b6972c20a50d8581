"""Writes for Child Safeguarding Practice Reviews and the recommendations tracker. Like
``reviews.services``: each takes the actor, records an audit event for every row it
writes, refuses bad input with a ``ValidationError`` naming the field before anything is
written, and runs in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Person
from safeguarding.core.audit import Actor, actor_label
from safeguarding.core.services import create_audited, update_audited
from safeguarding.core.uploads import check_document
from safeguarding.governance.models import Action, ScrutinyRecommendation
from safeguarding.governance.services import action_create
from safeguarding.performance.figures import published_verdict_for_period
from safeguarding.performance.models import Indicator
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    Briefing,
    BriefingDownload,
    ImpactEvidence,
    LearningRecommendation,
    MonitoringCheck,
    NationalReview,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    ReportVersion,
    ReviewPause,
    ReviewTheme,
    SeriousIncidentNotification,
)
from safeguarding.training.models import Booking, Course, ElearningCompletion

CSPR = PracticeReview.Status


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _not_future(field: str, day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise _refuse(field, f"{what} cannot be dated in the future.")


# Opening and running a CSPR -----------------------------------------------------------------


def _next_reference(prefix: str, model: type[PracticeReview] | type[LearningRecommendation], year: int) -> str:
    stem = f"{prefix}-{year}-"
    taken = model.objects.filter(reference__startswith=stem).count()
    return f"{stem}{taken + 1:02d}"


@transaction.atomic
def practice_review_open(
    *,
    origin: str,
    decided_on: datetime.date,
    title: str,
    actor: Actor,
    rapid_review: RapidReview | None = None,
    notification: SeriousIncidentNotification | None = None,
) -> PracticeReview:
    """Open a CSPR: from a rapid review whose outcome was a local CSPR, or directly when
    the National Panel asks for one about a notified incident. Its 6 months run from the
    decision (``rules.cspr_due``)."""
    if origin not in PracticeReview.Origin.values:
        raise _refuse("origin", "Say why the review is held: the rapid review's decision or the Panel's request.")
    if not title.strip():
        raise _refuse("title", "Give the name the review is known by, never the child's (e.g. 'Child Q').")
    if origin == PracticeReview.Origin.RAPID_REVIEW:
        if rapid_review is None:
            raise _refuse("rapid_review", "Name the rapid review whose decision opens this CSPR.")
        rapid_review = RapidReview.objects.select_for_update().select_related("notification").get(pk=rapid_review.pk)
        if rapid_review.outcome != RapidReview.Outcome.LOCAL_CSPR or rapid_review.decided_on is None:
            raise _refuse("rapid_review", "The rapid review did not decide on a local CSPR.")
        if decided_on < rapid_review.decided_on:
            raise _refuse(
                "decided_on", f"The decision cannot come before the rapid review's ({_day(rapid_review.decided_on)})."
            )
        notification = rapid_review.notification
    elif notification is None:
        raise _refuse("notification", "Name the notified incident the Panel asked to be reviewed.")
    else:
        rapid_review = getattr(notification, "rapid_review", None)
        if decided_on < notification.became_aware_on:
            raise _refuse("decided_on", "The decision cannot come before the partners became aware.")
    if rapid_review is not None and PracticeReview.objects.filter(rapid_review=rapid_review).exists():
        raise _refuse("rapid_review", "This rapid review already has its CSPR.")
    _not_future("decided_on", decided_on, "The decision")
    return create_audited(
        PracticeReview(
            reference=_next_reference("CSPR", PracticeReview, decided_on.year),
            title=title.strip(),
            notification=notification,
            rapid_review=rapid_review,
            origin=origin,
            decided_on=decided_on,
            due_on=rules.cspr_due(decided_on),
            recorded_by=actor_label(actor),
            recorded_at=timezone.now(),
        ),
        actor,
    )


def _locked(review: PracticeReview) -> PracticeReview:
    return PracticeReview.objects.select_for_update().get(pk=review.pk)


def _require_open(review: PracticeReview, doing: str) -> None:
    if review.status == CSPR.PUBLISHED:
        raise _refuse("practice_review", f"A published review cannot {doing}.")


def _open_pause(review: PracticeReview) -> ReviewPause | None:
    return review.pauses.filter(resumed_on__isnull=True).first()


@transaction.atomic
def practice_review_commission(
    *,
    review: PracticeReview,
    reviewer_name: str,
    reviewer_organisation: str,
    contract_starts_on: datetime.date,
    contract_ends_on: datetime.date,
    terms_of_reference: str,
    actor: Actor,
    methodology: str = "",
    family_involvement: str = "",
    themes: Iterable[ReviewTheme] = (),
) -> PracticeReview:
    """The independent reviewer commissioned, the terms of reference, the methodology and
    how the family is involved (WT2023 ch. 5: the partners commission a reviewer)."""
    review = _locked(review)
    _require_open(review, "be recommissioned")
    if not reviewer_name.strip():
        raise _refuse("reviewer_name", "Name the independent reviewer.")
    if not terms_of_reference.strip():
        raise _refuse("terms_of_reference", "Record the terms of reference.")
    if contract_ends_on < contract_starts_on:
        raise _refuse("contract_ends_on", "The contract cannot end before it starts.")
    if contract_starts_on < review.decided_on:
        raise _refuse(
            "contract_starts_on", f"The contract cannot start before the decision ({_day(review.decided_on)})."
        )
    review = update_audited(
        review,
        actor,
        reviewer_name=reviewer_name.strip(),
        reviewer_organisation=reviewer_organisation.strip(),
        contract_starts_on=contract_starts_on,
        contract_ends_on=contract_ends_on,
        terms_of_reference=terms_of_reference.strip(),
        methodology=methodology.strip(),
        family_involvement=family_involvement.strip(),
    )
    review.themes.set(list(themes))
    return review


@transaction.atomic
def parallel_process_add(
    *,
    review: PracticeReview,
    kind: str,
    description: str,
    actor: Actor,
    started_on: datetime.date | None = None,
) -> ParallelProcess:
    review = _locked(review)
    if kind not in ParallelProcess.Kind.values:
        raise _refuse("kind", "Choose the kind of process: police, coroner, domestic homicide review or other.")
    if not description.strip():
        raise _refuse("description", "Describe the process.")
    return create_audited(
        ParallelProcess(practice_review=review, kind=kind, description=description.strip(), started_on=started_on),
        actor,
    )


@transaction.atomic
def practice_review_pause(
    *,
    review: PracticeReview,
    paused_on: datetime.date,
    reason: str,
    actor: Actor,
    parallel_process: ParallelProcess | None = None,
) -> ReviewPause:
    """Pause the review (a criminal trial, an inquest), with its reason. The 6 months are
    not stopped: the pause is shown beside them in the report."""
    review = _locked(review)
    _require_open(review, "be paused")
    if review.status != CSPR.IN_PROGRESS:
        raise _refuse("paused_on", "The final report is in: there is nothing left to pause.")
    if _open_pause(review) is not None:
        raise _refuse("paused_on", "The review is already paused: record when it resumed first.")
    if paused_on < review.decided_on:
        raise _refuse("paused_on", f"A pause cannot start before the decision ({_day(review.decided_on)}).")
    _not_future("paused_on", paused_on, "A pause")
    last = review.pauses.order_by("-resumed_on").values_list("resumed_on", flat=True).first()
    if last is not None and paused_on < last:
        raise _refuse("paused_on", f"A pause cannot start before the last one ended ({_day(last)}).")
    if not reason.strip():
        raise _refuse("reason", "Say why the review is paused.")
    if parallel_process is not None and parallel_process.practice_review_id != review.pk:
        raise _refuse("parallel_process", "That process belongs to another review.")
    return create_audited(
        ReviewPause(
            practice_review=review,
            paused_on=paused_on,
            reason=reason.strip(),
            parallel_process=parallel_process,
            recorded_by=actor_label(actor),
        ),
        actor,
    )


@transaction.atomic
def practice_review_resume(*, review: PracticeReview, resumed_on: datetime.date, actor: Actor) -> ReviewPause:
    review = _locked(review)
    pause = _open_pause(review)
    if pause is None:
        raise _refuse("resumed_on", "The review is not paused.")
    if resumed_on <= pause.paused_on:
        raise _refuse("resumed_on", f"Work must resume after the pause began ({_day(pause.paused_on)}).")
    _not_future("resumed_on", resumed_on, "Resuming")
    return update_audited(pause, actor, resumed_on=resumed_on)


@transaction.atomic
def monitoring_record(
    *,
    review: PracticeReview,
    checked_on: datetime.date,
    on_time: bool,
    quality_assured: bool,
    note: str,
    actor: Actor,
) -> MonitoringCheck:
    """The partners' check on the review's time and quality (Regulation 14)."""
    review = _locked(review)
    if checked_on < review.decided_on:
        raise _refuse("checked_on", f"A check cannot come before the decision ({_day(review.decided_on)}).")
    _not_future("checked_on", checked_on, "A check")
    if not note.strip():
        raise _refuse("note", "Record what the partners found.")
    return create_audited(
        MonitoringCheck(
            practice_review=review,
            checked_on=checked_on,
            on_time=on_time,
            quality_assured=quality_assured,
            note=note.strip(),
            recorded_by=actor_label(actor),
        ),
        actor,
    )


@transaction.atomic
def report_version_record(
    *,
    review: PracticeReview,
    kind: str,
    received_on: datetime.date,
    actor: Actor,
    note: str = "",
    uploaded: File[bytes] | None = None,
) -> ReportVersion:
    """A draft, or the final report, received from the reviewer, with its date; the
    document is checked by content like a meeting paper."""
    review = _locked(review)
    _require_open(review, "take another report")
    if kind not in ReportVersion.Kind.values:
        raise _refuse("kind", "Choose a draft or the final report.")
    if review.status != CSPR.IN_PROGRESS:
        raise _refuse("kind", "The final report is already in.")
    if received_on < review.decided_on:
        raise _refuse("received_on", f"A report cannot come before the decision ({_day(review.decided_on)}).")
    _not_future("received_on", received_on, "A report")
    if kind == ReportVersion.Kind.FINAL and _open_pause(review) is not None:
        raise _refuse("kind", "The review is paused: record when it resumed before the final report.")
    version = ReportVersion(
        practice_review=review, kind=kind, received_on=received_on, note=note.strip(), recorded_by=actor_label(actor)
    )
    if uploaded is not None:
        try:
            checked = check_document(uploaded)
        except ValidationError as refused:
            raise _refuse("file", " ".join(refused.messages)) from None
        version.file = uploaded
        version.content_type, version.size_bytes = checked.content_type, checked.size_bytes
    version = create_audited(version, actor)
    if kind == ReportVersion.Kind.FINAL:
        update_audited(review, actor, status=CSPR.FINAL_REPORT, final_report_on=received_on)
    return version


@transaction.atomic
def practice_review_send_to_panel(*, review: PracticeReview, sent_on: datetime.date, actor: Actor) -> PracticeReview:
    """The final report goes to the Panel and the Secretary of State before publication."""
    review = _locked(review)
    if review.status != CSPR.FINAL_REPORT or review.final_report_on is None:
        raise _refuse("sent_to_panel_on", "Only a final report, not yet sent, goes to the Panel.")
    if sent_on < review.final_report_on:
        raise _refuse(
            "sent_to_panel_on", f"It cannot be sent before the final report came in ({_day(review.final_report_on)})."
        )
    _not_future("sent_to_panel_on", sent_on, "The sending")
    return update_audited(review, actor, status=CSPR.SENT, sent_to_panel_on=sent_on)


@transaction.atomic
def practice_review_publish(
    *,
    review: PracticeReview,
    published_on: datetime.date,
    public_link: str,
    redaction_checked_by: str,
    redaction_checked_on: datetime.date,
    published_until: datetime.date,
    actor: Actor,
) -> PracticeReview:
    """Publication: only after the pre-publication copy went to the Panel and the
    Secretary of State, at least the configured working days before
    (``rules.earliest_publication``), with a redaction check and a public link."""
    review = _locked(review)
    if review.sent_to_panel_on is None:
        raise _refuse(
            "published_on", "The final report must go to the Panel and the Secretary of State before publication."
        )
    if review.status == CSPR.PUBLISHED:
        raise _refuse("published_on", f"The review was published on {_day(review.published_on or published_on)}.")
    working_days = settings.REVIEWS_PRE_PUBLICATION_WORKING_DAYS
    earliest = rules.earliest_publication(review.sent_to_panel_on, working_days)
    if published_on < earliest:
        raise _refuse(
            "published_on",
            f"The Panel and the Secretary of State have the report {working_days} working days before "
            f"publication: it was sent on {_day(review.sent_to_panel_on)}, so publish on {_day(earliest)} or later.",
        )
    _not_future("published_on", published_on, "Publication")
    if not public_link.startswith("https://"):
        raise _refuse("public_link", "Give the public link, starting https://.")
    if not redaction_checked_by.strip():
        raise _refuse("redaction_checked_by", "Name who checked the redaction.")
    assert review.final_report_on is not None  # sent implies a final report (a constraint says so)
    if not review.final_report_on <= redaction_checked_on <= published_on:
        raise _refuse("redaction_checked_on", "The redaction is checked between the final report and publication.")
    if published_until <= published_on:
        raise _refuse("published_until", "Say until when it stays published: a date after publication.")
    return update_audited(
        review,
        actor,
        status=CSPR.PUBLISHED,
        published_on=published_on,
        public_link=public_link,
        redaction_checked_by=redaction_checked_by.strip(),
        redaction_checked_on=redaction_checked_on,
        published_until=published_until,
    )


# Recommendations ----------------------------------------------------------------------------


@transaction.atomic
def national_review_create(*, title: str, published_on: datetime.date, actor: Actor, link: str = "") -> NationalReview:
    if not title.strip():
        raise _refuse("title", "Give the national review's title.")
    if NationalReview.objects.filter(title=title.strip()).exists():
        raise _refuse("title", "That national review is already recorded.")
    return create_audited(NationalReview(title=title.strip(), published_on=published_on, link=link), actor)


type Origin = PracticeReview | RapidReview | NationalReview | ScrutinyRecommendation


def _source_fields(origin: Origin) -> dict[str, object]:
    if isinstance(origin, PracticeReview):
        return {"source": LearningRecommendation.Source.PRACTICE_REVIEW, "practice_review": origin}
    if isinstance(origin, RapidReview):
        return {"source": LearningRecommendation.Source.RAPID_REVIEW, "rapid_review": origin}
    if isinstance(origin, NationalReview):
        return {"source": LearningRecommendation.Source.NATIONAL_REVIEW, "national_review": origin}
    return {"source": LearningRecommendation.Source.SCRUTINY, "scrutiny_recommendation": origin}


def _origin_date(origin: Origin) -> datetime.date | None:
    if isinstance(origin, PracticeReview):
        return origin.decided_on
    if isinstance(origin, RapidReview):
        return origin.decided_on
    if isinstance(origin, NationalReview):
        return origin.published_on
    return origin.made_on


@transaction.atomic
def recommendation_create(
    *,
    origin: Origin,
    text: str,
    owner_organisation: Organisation,
    made_on: datetime.date,
    due_on: datetime.date,
    actor: Actor,
    themes: Iterable[ReviewTheme] = (),
) -> LearningRecommendation:
    """A recommendation from a CSPR, a rapid review, a national review or the scrutineer's
    log, owned by one organisation."""
    if not text.strip():
        raise _refuse("text", "Write the recommendation.")
    started = _origin_date(origin)
    if started is None:
        raise _refuse("origin", "The rapid review has not decided yet: recommendations follow its decision.")
    if made_on < started:
        raise _refuse("made_on", f"It cannot be made before its source ({_day(started)}).")
    if due_on < made_on:
        raise _refuse("due_on", "It cannot be due before it is made.")
    recommendation = create_audited(
        LearningRecommendation(
            reference=_next_reference("REC", LearningRecommendation, made_on.year),
            text=text.strip(),
            owner_organisation=owner_organisation,
            made_on=made_on,
            due_on=due_on,
            recorded_by=actor_label(actor),
            **_source_fields(origin),
        ),
        actor,
    )
    recommendation.themes.set(list(themes))
    return recommendation


@transaction.atomic
def recommendation_add_action(
    *,
    recommendation: LearningRecommendation,
    title: str,
    due_on: datetime.date,
    created_on: datetime.date,
    actor: Actor,
    description: str = "",
    owner_organisation: Organisation | None = None,
    owner_person: Person | None = None,
) -> Action:
    """A SMART action towards the recommendation: a governance action, updated with dated
    notes and evidence where every action is, and linked back here."""
    recommendation = LearningRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status == LearningRecommendation.Status.CLOSED:
        raise _refuse("recommendation", "The recommendation is closed.")
    if not title.strip():
        raise _refuse("title", "Say what will be done (specific, measurable, with an owner and a date).")
    if due_on < created_on:
        raise _refuse("due_on", "The action cannot be due before it is set.")
    number = recommendation.action_links.count() + 1
    action = action_create(
        reference=f"{recommendation.reference}-A{number}",
        title=title.strip(),
        description=description.strip(),
        owner_organisation=owner_organisation or recommendation.owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
        created_on=created_on,
        actor=actor,
    )
    create_audited(recommendation.action_links.model(recommendation=recommendation, action=action), actor)
    return action


def course_reach_in_words(course: Course) -> str:
    """Who a course reached: people who attended a session or completed its e-learning,
    and from how many agencies."""
    attended = Booking.objects.filter(session__course=course, outcome=Booking.Outcome.ATTENDED)
    completed = ElearningCompletion.objects.filter(course=course)
    people = attended.count() + completed.count()
    agencies = set(attended.values_list("organisation", flat=True)) | set(
        completed.values_list("organisation", flat=True)
    )
    who = "person" if people == 1 else "people"
    where = "agency" if len(agencies) == 1 else "agencies"
    return f"{people} {who} from {len(agencies)} {where}"


@transaction.atomic
def impact_evidence_record(
    *,
    recommendation: LearningRecommendation,
    kind: str,
    recorded_on: datetime.date,
    summary: str,
    actor: Actor,
    indicator: Indicator | None = None,
    period: str = "",
    course: Course | None = None,
    audit_reference: str = "",
) -> ImpactEvidence:
    """Evidence that practice changed. A change in an indicator is judged as the
    dashboards judge it (against the same period a year before, on the published
    figures), and the verdict is kept as it stood; training reach is counted when recorded."""
    if kind not in ImpactEvidence.Kind.values:
        raise _refuse("kind", "Choose the kind of evidence: a re-audit, an indicator, training reach or a narrative.")
    if not summary.strip():
        raise _refuse("summary", "Say what the evidence shows.")
    _not_future("recorded_on", recorded_on, "Evidence")
    if recorded_on < recommendation.made_on:
        raise _refuse("recorded_on", "Evidence of impact cannot come before the recommendation.")
    fields: dict[str, object] = {}
    if kind == ImpactEvidence.Kind.INDICATOR:
        if indicator is None:
            raise _refuse("indicator", "Choose the indicator that changed.")
        try:
            verdict = published_verdict_for_period(indicator, period.strip())
        except ValueError as unreadable:
            raise _refuse("period", str(unreadable)) from None
        if verdict is None:
            raise _refuse("period", f"{indicator.title} has no figure for the period {period!r}.")
        fields = {"indicator": indicator, "period": period.strip(), "verdict": verdict}
    elif kind == ImpactEvidence.Kind.TRAINING:
        if course is None:
            raise _refuse("course", "Choose the course that carries the learning.")
        fields = {"course": course, "reach": course_reach_in_words(course)}
    elif kind == ImpactEvidence.Kind.REAUDIT:
        if not audit_reference.strip():
            raise _refuse("audit_reference", "Name the re-audit whose finding this is.")
        fields = {"audit_reference": audit_reference.strip()}
    return create_audited(
        ImpactEvidence(
            recommendation=recommendation,
            kind=kind,
            recorded_on=recorded_on,
            summary=summary.strip(),
            recorded_by=actor_label(actor),
            **fields,
        ),
        actor,
    )


@transaction.atomic
def recommendation_close(
    *, recommendation: LearningRecommendation, closed_on: datetime.date, actor: Actor
) -> LearningRecommendation:
    """Close a recommendation: only with evidence of impact recorded, and once each of its
    actions is done or dropped."""
    recommendation = LearningRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status == LearningRecommendation.Status.CLOSED:
        raise _refuse("closed_on", "The recommendation is already closed.")
    if not recommendation.impact.exists():
        raise _refuse(
            "impact",
            "A recommendation closes only with evidence of impact: a re-audit, an indicator, training reach "
            "or what practitioners or families say. Record it first.",
        )
    still_open = list(
        Action.objects.filter(
            Q(learning_link__recommendation=recommendation), status__in=Action.OPEN_STATUSES
        ).values_list("reference", flat=True)
    )
    if still_open:
        raise _refuse("actions", f"Actions still open: {', '.join(still_open)}.")
    if closed_on < recommendation.made_on:
        raise _refuse("closed_on", "It cannot close before it was made.")
    _not_future("closed_on", closed_on, "Closing")
    return update_audited(
        recommendation,
        actor,
        status=LearningRecommendation.Status.CLOSED,
        closed_on=closed_on,
        closed_by=actor_label(actor),
    )


# Learning products -------------------------------------------------------------------------


@transaction.atomic
def briefing_publish(
    *,
    title: str,
    published_on: datetime.date,
    what_to_do_differently: str,
    uploaded: File[bytes],
    actor: Actor,
    themes: Iterable[ReviewTheme] = (),
    practice_reviews: Iterable[PracticeReview] = (),
    rapid_reviews: Iterable[RapidReview] = (),
    national_reviews: Iterable[NationalReview] = (),
    courses: Iterable[Course] = (),
) -> Briefing:
    """A 7-minute briefing: the document (checked by content like a meeting paper), what
    to do differently, its themes, the reviews it draws on and the courses that carry it."""
    if not title.strip():
        raise _refuse("title", "Give the briefing's title.")
    if Briefing.objects.filter(title=title.strip()).exists():
        raise _refuse("title", "A briefing already has this title.")
    if not what_to_do_differently.strip():
        raise _refuse("what_to_do_differently", "Say what practitioners should do differently.")
    _not_future("published_on", published_on, "Publication")
    from_practice, from_rapid, from_national = list(practice_reviews), list(rapid_reviews), list(national_reviews)
    if not (from_practice or from_rapid or from_national):
        raise _refuse("practice_reviews", "Name at least one review the briefing draws on.")
    try:
        checked = check_document(uploaded)
    except ValidationError as refused:
        raise _refuse("file", " ".join(refused.messages)) from None
    briefing = create_audited(
        Briefing(
            title=title.strip(),
            published_on=published_on,
            what_to_do_differently=what_to_do_differently.strip(),
            file=uploaded,
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
            recorded_by=actor_label(actor),
        ),
        actor,
    )
    briefing.themes.set(list(themes))
    briefing.practice_reviews.set(from_practice)
    briefing.rapid_reviews.set(from_rapid)
    briefing.national_reviews.set(from_national)
    briefing.courses.set(list(courses))
    return briefing


def briefing_download_count(*, briefing: Briefing, organisation: Organisation | None) -> BriefingDownload:
    """Count one download towards the briefing's reach, by the reader's organisation only:
    reach is counted by agency, never by person."""
    return BriefingDownload.objects.create(briefing=briefing, organisation=organisation, downloaded_at=timezone.now())
