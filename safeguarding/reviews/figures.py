"""The committee's questions 2 and 3 for any window, as counts: never a child's details.

Question 2 follows the notifications the local authority made to the National Panel in
the window (by ``notified_panel_on``) and what happened to each since: the share made
within 5 working days of becoming aware (``rules.notification_is_late``), their rapid
reviews (completed when sent to the Panel; on time when sent within 15 working days of
the review's ``starts_on``: ``rules.rapid_review_on_time``), the decisions, the CSPRs
they led to and the Panel's replies. Referrals for consideration decided in the window
that were not notified are counted beside them.

Question 3 is every CSPR active in the window (decided on or before its last day and not
published before its first), as the window's end saw it (or today, for a window that has
not ended): months from the decision to publication (or to that day) against 6
(``rules.months_between``, ``rules.cspr_due``), its pauses (``rules.days_paused``) and its
recommendations open, overdue (``rules.recommendation_is_overdue``) and closed with
evidence of impact; then every recommendation open at some time in the window by source,
owner organisation and theme. A CSPR is named by its reference and the anonymised title
it is known by; a pause by its dates and the kind of parallel process behind it, never
its reason (free text is not checked for a child's details).

Only the counts of children (``NotifiedChild``) are small-number suppressed
(``published``): a count of notifications or reviews says how much work the partnership
did, and the Panel publishes them. A fixed number of queries serves any window, however
many records are in it.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Count as Total
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import ApiToken
from safeguarding.core.permissions import Perm, RequestUser, has_perm
from safeguarding.core.suppression import needs_primary_suppression
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    ImpactEvidence,
    LearningRecommendation,
    NotifiedChild,
    ParallelProcess,
    PracticeReview,
    RapidReview,
    ReferralForConsideration,
    ReviewPause,
    SeriousIncidentNotification,
)

# A row of ``values()``: read by key, typed loosely.
type Row = Mapping[str, Any]

# A count of children: ``None`` once hidden for publication.
Count = int | None

AVERAGE_MONTH_DAYS = 365.25 / 12
NO_THEME = "No theme recorded"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Notifications:
    notified: int
    within_time: int
    late: int
    late_with_reason: int
    children: Count
    looked_after: Count
    care_leavers: Count

    @property
    def share_within_time(self) -> float | None:
        return share(self.within_time, self.notified)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"share_within_time": self.share_within_time}


@dataclass(frozen=True)
class RapidReviews:
    """The rapid reviews of the window's notifications, each in one of not required,
    sent to the Panel (completed) or still in progress."""

    opened: int
    not_required: int
    completed: int
    completed_within_time: int
    in_progress: int
    overdue: int  # in progress and past its due day, today
    outcomes: dict[str, int]  # each RapidReview.Outcome, for those decided
    led_to_cspr: int  # decided on a local CSPR
    csprs_opened: int  # of those, a CSPR recorded
    panel_replies: dict[str, int]  # each RapidReview.PanelReply
    awaiting_reply: int  # sent, no reply recorded

    @property
    def share_within_time(self) -> float | None:
        return share(self.completed_within_time, self.completed)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"share_within_time": self.share_within_time}


@dataclass(frozen=True)
class Referrals:
    decided: int
    not_notified: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RecommendationCounts:
    label: str
    made: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_with_impact: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Pause:
    paused_on: datetime.date
    resumed_on: datetime.date | None  # None: still paused on the day the figures are as at
    days: int
    because: str  # the kind of parallel process, or "Other reason"

    def as_dict(self) -> dict[str, Any]:
        return {
            "paused_on": self.paused_on.isoformat(),
            "resumed_on": self.resumed_on.isoformat() if self.resumed_on else None,
            "days": self.days,
            "because": self.because,
        }


@dataclass(frozen=True)
class PracticeReviewRow:
    reference: str
    title: str
    origin: str
    decided_on: datetime.date
    due_on: datetime.date
    published_on: datetime.date | None  # None: not published by the day the figures are as at
    months_taken: float
    days_paused: int
    pauses: tuple[Pause, ...]
    on_time: bool | None  # None: not published and not yet due
    recommendations: RecommendationCounts

    @property
    def months_paused(self) -> float:
        return round(self.days_paused / AVERAGE_MONTH_DAYS, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "title": self.title,
            "origin": self.origin,
            "decided_on": self.decided_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "months_taken": self.months_taken,
            "months_allowed": rules.CSPR_MONTHS,
            "days_paused": self.days_paused,
            "months_paused": self.months_paused,
            "pauses": [p.as_dict() for p in self.pauses],
            "on_time": self.on_time,
            "recommendations": self.recommendations.as_dict(),
        }


@dataclass(frozen=True)
class ReviewsSummary:
    date_from: datetime.date
    date_to: datetime.date
    as_of: datetime.date  # the window's last day, or today for a window not yet over
    notifications: Notifications
    rapid_reviews: RapidReviews
    csprs_opened: int  # CSPRs decided in the window, from a rapid review or at the Panel's request
    referrals: Referrals
    practice_reviews: list[PracticeReviewRow]
    recommendations: RecommendationCounts
    by_source: list[RecommendationCounts]
    by_organisation: list[RecommendationCounts]
    by_theme: list[RecommendationCounts]
    suppressed: bool = False  # children's small counts hidden

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "as_of": self.as_of.isoformat(),
            "suppressed": self.suppressed,
            "notifications": self.notifications.as_dict(),
            "rapid_reviews": self.rapid_reviews.as_dict(),
            "csprs_opened": self.csprs_opened,
            "referrals": self.referrals.as_dict(),
            "practice_reviews": [row.as_dict() for row in self.practice_reviews],
            "recommendations": self.recommendations.as_dict(),
            "recommendations_by_source": [c.as_dict() for c in self.by_source],
            "recommendations_by_organisation": [c.as_dict() for c in self.by_organisation],
            "recommendations_by_theme": [c.as_dict() for c in self.by_theme],
        }


# Who may read them -----------------------------------------------------------------------


def reviews_summary(*, user: RequestUser, date_from: datetime.date, date_to: datetime.date) -> ReviewsSummary:
    """For a person with ``VIEW_REVIEW_FIGURES``: the true counts of children for those who
    may see small numbers (``VIEW_UNSUPPRESSED``), the published ones for everyone else."""
    if not has_perm(user, Perm.VIEW_REVIEW_FIGURES):
        raise PermissionError("This role cannot see the reviews figures.")
    summary = _reviews_summary(date_from=date_from, date_to=date_to)
    return summary if has_perm(user, Perm.VIEW_UNSUPPRESSED) else published(summary)


def reviews_summary_for_token(*, token: ApiToken, date_from: datetime.date, date_to: datetime.date) -> ReviewsSummary:
    """For a partner system: the partnership-wide figures, for any active token, as
    published (the figures leave the partnership)."""
    if not token.is_active:
        raise PermissionError("This token has been revoked.")
    return published(_reviews_summary(date_from=date_from, date_to=date_to))


def reviews_summary_for_report(*, date_from: datetime.date, date_to: datetime.date) -> ReviewsSummary:
    """For the annual report's build, which has no reader: always as published."""
    return published(_reviews_summary(date_from=date_from, date_to=date_to))


def published(summary: ReviewsSummary, threshold: int | None = None) -> ReviewsSummary:
    """Counts of children from 1 to ``threshold`` − 1 hidden (``SUPPRESSION_THRESHOLD``
    unless given). No total is shown beside its parts (looked after and care leavers
    are subsets of all the children, and the rest are not shown), so no hidden count
    can be worked back: primary suppression is enough."""
    threshold = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    n = summary.notifications

    def hide(value: Count) -> Count:
        return None if value is None or needs_primary_suppression(value, threshold) else value

    return replace(
        summary,
        notifications=replace(
            n, children=hide(n.children), looked_after=hide(n.looked_after), care_leavers=hide(n.care_leavers)
        ),
        suppressed=True,
    )


# Working them out ----------------------------------------------------------------------------


def _reviews_summary(*, date_from: datetime.date, date_to: datetime.date) -> ReviewsSummary:
    """The summary, unchecked: every public way in checks its caller first."""
    today = timezone.localdate()
    as_of = min(date_to, today)
    in_window = SeriousIncidentNotification.objects.filter(
        notified_panel_on__gte=date_from, notified_panel_on__lte=date_to
    )
    notifications = _notifications(in_window)
    rapid_reviews = _rapid_reviews(in_window, today)
    referrals = ReferralForConsideration.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to).aggregate(
        decided=Total("id"),
        not_notified=Total("id", filter=Q(decision=ReferralForConsideration.Decision.DO_NOT_NOTIFY)),
    )
    opened = PracticeReview.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to).count()
    practice_reviews = _practice_reviews(date_from, date_to, as_of)
    total, by_source, by_organisation, by_theme = _recommendations(date_from, as_of)
    return ReviewsSummary(
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        notifications=notifications,
        rapid_reviews=rapid_reviews,
        csprs_opened=opened,
        referrals=Referrals(**referrals),
        practice_reviews=practice_reviews,
        recommendations=total,
        by_source=by_source,
        by_organisation=by_organisation,
        by_theme=by_theme,
    )


def _notifications(in_window: QuerySet[SeriousIncidentNotification]) -> Notifications:
    rows = list(in_window.order_by().values_list("became_aware_on", "notified_panel_on", "late_reason"))
    late = [
        reason
        for aware, notified, reason in rows
        if rules.notification_is_late(became_aware_on=aware, notified_panel_on=notified)
    ]
    children = NotifiedChild.objects.filter(notification__in=in_window).aggregate(
        children=Total("id"),
        looked_after=Total("id", filter=Q(looked_after=True)),
        care_leavers=Total("id", filter=Q(care_leaver=True)),
    )
    return Notifications(
        notified=len(rows),
        within_time=len(rows) - len(late),
        late=len(late),
        late_with_reason=sum(1 for reason in late if reason.strip()),
        **children,
    )


def _rapid_reviews(in_window: QuerySet[SeriousIncidentNotification], today: datetime.date) -> RapidReviews:
    S = RapidReview.Status
    reviews: list[Row] = list(
        RapidReview.objects.filter(notification__in=in_window)
        .order_by()
        .values(
            "status",
            "starts_on",
            "due_on",
            "decided_on",
            "outcome",
            "sent_to_panel_on",
            "panel_reply",
            "practice_review__id",
        )
    )
    sent = [r for r in reviews if r["sent_to_panel_on"] is not None]
    running = [r for r in reviews if r["sent_to_panel_on"] is None and r["status"] != S.NOT_REQUIRED]
    outcomes = Counter(r["outcome"] for r in reviews if r["decided_on"] is not None)
    replies = Counter(r["panel_reply"] for r in sent)
    local = [r for r in reviews if r["decided_on"] is not None and r["outcome"] == RapidReview.Outcome.LOCAL_CSPR]
    return RapidReviews(
        opened=len(reviews),
        not_required=sum(1 for r in reviews if r["status"] == S.NOT_REQUIRED),
        completed=len(sent),
        completed_within_time=len(
            [
                r
                for r in sent
                if rules.rapid_review_on_time(start=r["starts_on"], sent_to_panel_on=r["sent_to_panel_on"])
            ]
        ),
        in_progress=len(running),
        overdue=sum(1 for r in running if r["due_on"] < today),
        outcomes={outcome: outcomes[outcome] for outcome in RapidReview.Outcome.values},
        led_to_cspr=len(local),
        csprs_opened=sum(1 for r in local if r["practice_review__id"] is not None),
        panel_replies={reply: replies[reply] for reply in RapidReview.PanelReply.values},
        awaiting_reply=replies[""],
    )


def _closed(row: Row, as_of: datetime.date) -> bool:
    return bool(row["status"] == LearningRecommendation.Status.CLOSED and row["closed_on"] <= as_of)


def _counted(label: str, rows: list[Row], as_of: datetime.date) -> RecommendationCounts:
    closed = [row for row in rows if _closed(row, as_of)]
    return RecommendationCounts(
        label=label,
        made=len(rows),
        open=len(rows) - len(closed),
        overdue=sum(
            1
            for row in rows
            if rules.recommendation_is_overdue(due_on=row["due_on"], closed=_closed(row, as_of), today=as_of)
        ),
        closed=len(closed),
        closed_with_impact=sum(1 for row in closed if row["has_impact"]),
    )


def _recommendation_rows(recommendations: QuerySet[LearningRecommendation], as_of: datetime.date) -> list[Row]:
    evidence = ImpactEvidence.objects.filter(recommendation=OuterRef("pk"), recorded_on__lte=as_of)
    return list(
        recommendations.filter(made_on__lte=as_of)
        .annotate(has_impact=Exists(evidence))
        .order_by()
        .values("pk", "source", "practice_review_id", "owner_organisation__name", "status", "closed_on", "due_on",
                "has_impact")
    )  # fmt: skip


def _practice_reviews(
    date_from: datetime.date, date_to: datetime.date, as_of: datetime.date
) -> list[PracticeReviewRow]:
    active = list(
        PracticeReview.objects.filter(decided_on__lte=date_to)
        .filter(Q(published_on__isnull=True) | Q(published_on__gte=date_from))
        .order_by("decided_on", "reference")
        .values("pk", "reference", "title", "origin", "decided_on", "published_on")
    )
    ids = [review["pk"] for review in active]
    pauses: dict[int, list[Row]] = defaultdict(list)
    for pause in (
        ReviewPause.objects.filter(practice_review_id__in=ids, paused_on__lte=as_of)
        .order_by("paused_on", "pk")
        .values("practice_review_id", "paused_on", "resumed_on", "parallel_process__kind")
    ):
        pauses[pause["practice_review_id"]].append(pause)
    recommendations: dict[int, list[Row]] = defaultdict(list)
    for row in _recommendation_rows(LearningRecommendation.objects.filter(practice_review_id__in=ids), as_of):
        recommendations[row["practice_review_id"]].append(row)
    return [
        _practice_review_row(review, pauses[review["pk"]], recommendations[review["pk"]], as_of) for review in active
    ]


KINDS: dict[str, str] = {str(value): str(label) for value, label in ParallelProcess.Kind.choices}
ORIGINS: dict[str, str] = {str(value): str(label) for value, label in PracticeReview.Origin.choices}


def _practice_review_row(
    review: Row, pauses: list[Row], recommendations: list[Row], as_of: datetime.date
) -> PracticeReviewRow:
    """One CSPR as the day ``as_of`` saw it: published by then, or still running then."""
    published_on = review["published_on"] if review["published_on"] and review["published_on"] <= as_of else None
    until = published_on or as_of
    due_on = rules.cspr_due(review["decided_on"])
    counted = [p for p in pauses if p["paused_on"] < until]
    on_time: bool | None
    if published_on is not None:
        on_time = rules.cspr_published_on_time(decided_on=review["decided_on"], published_on=published_on)
    else:
        on_time = False if as_of > due_on else None
    return PracticeReviewRow(
        reference=review["reference"],
        title=review["title"],
        origin=ORIGINS.get(str(review["origin"]), str(review["origin"])),
        decided_on=review["decided_on"],
        due_on=due_on,
        published_on=published_on,
        months_taken=rules.months_between(review["decided_on"], until),
        days_paused=rules.days_paused([rules.Span(p["paused_on"], p["resumed_on"]) for p in counted], until),
        pauses=tuple(
            Pause(
                paused_on=p["paused_on"],
                resumed_on=p["resumed_on"] if p["resumed_on"] and p["resumed_on"] <= until else None,
                days=rules.days_paused([rules.Span(p["paused_on"], p["resumed_on"])], until),
                because=KINDS.get(p["parallel_process__kind"], "Other reason"),
            )
            for p in counted
        ),
        on_time=on_time,
        recommendations=_counted(review["reference"], recommendations, as_of),
    )


def _recommendations(
    date_from: datetime.date, as_of: datetime.date
) -> tuple[RecommendationCounts, list[RecommendationCounts], list[RecommendationCounts], list[RecommendationCounts]]:
    """Every recommendation open at some time in the window: made by its end (or today)
    and not closed before its start."""
    rows = _recommendation_rows(
        LearningRecommendation.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=date_from)), as_of
    )
    sources = dict(LearningRecommendation.Source.choices)
    by_source: dict[str, list[Row]] = {source: [] for source in sources}
    by_organisation: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
        by_organisation[row["owner_organisation__name"]].append(row)
    themes: dict[int, list[str]] = defaultdict(list)
    for pk, theme in (
        LearningRecommendation.themes.through.objects.filter(learningrecommendation_id__in=[r["pk"] for r in rows])
        .order_by()
        .values_list("learningrecommendation_id", "reviewtheme__title")
    ):
        themes[pk].append(theme)
    by_theme: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for theme in themes.get(row["pk"]) or [NO_THEME]:
            by_theme[theme].append(row)
    return (
        _counted("All recommendations", rows, as_of),
        [_counted(sources.get(source, source), found, as_of) for source, found in by_source.items()],
        [_counted(name, by_organisation[name], as_of) for name in sorted(by_organisation)],
        [
            _counted(theme, by_theme[theme], as_of)
            for theme in sorted(by_theme, key=lambda title: (title == NO_THEME, title))
        ],
    )
