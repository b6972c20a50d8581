"""Issue 16, item 10: the demo's two years of reviews. Called from
``test_load_demo`` so the demo is loaded once for the suite; ``review_counts`` is
compared before and after the second load, which must change nothing."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import F

from safeguarding.governance.models import Action
from safeguarding.reviews import rules
from safeguarding.reviews.models import (
    Briefing,
    Chaser,
    ImpactEvidence,
    LearningRecommendation,
    NationalReview,
    NotificationReason,
    NotifiedChild,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    ReferralForConsideration,
    ReviewTheme,
    SeriousIncidentNotification,
)

MODELS = (
    NotificationReason,
    ReviewTheme,
    SeriousIncidentNotification,
    NotifiedChild,
    RapidReview,
    ReferralForConsideration,
    PracticeReview,
    NationalReview,
    LearningRecommendation,
    ImpactEvidence,
    Action,
    Briefing,
)


def review_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def the_demo_has_two_years_of_reviews(today: datetime.date) -> None:
    reviews = list(RapidReview.objects.select_related("notification"))
    assert len(reviews) == 6
    year_ago, two_years_ago = today - relativedelta(years=1), today - relativedelta(years=2)
    aware = [r.notification.became_aware_on for r in reviews]
    assert sum(two_years_ago < day <= year_ago for day in aware) == 3
    assert sum(year_ago < day < today for day in aware) == 3

    late = [
        r.notification
        for r in reviews
        if rules.notification_is_late(
            became_aware_on=r.notification.became_aware_on, notified_panel_on=r.notification.notified_panel_on
        )
    ]
    assert len(late) == 1 and late[0].late_reason
    sent = [r for r in reviews if r.sent_to_panel_on]
    assert [r for r in sent if not rules.rapid_review_on_time(start=r.starts_on, sent_to_panel_on=r.sent_to_panel_on)]
    statuses = {r.status for r in reviews}
    assert {RapidReview.Status.NOT_REQUIRED, RapidReview.Status.OPEN, RapidReview.Status.REPLIED} <= statuses
    assert {"agrees", "disagrees", "more_information"} <= {r.panel_reply for r in reviews}
    assert Chaser.objects.exists()
    for sign_off in RapidReviewSignOff.objects.select_related("post"):
        assert sign_off.post.seniority in ("lead_partner", "delegated_partner")
        assert sign_off.post.started_on <= sign_off.signed_on
    assert ReferralForConsideration.objects.filter(decision="do_not_notify").count() >= 2

    children = NotifiedChild.objects.all()
    assert children.filter(child__isnull=False).exists() and children.filter(child__isnull=True).exists()
    assert children.filter(care_leaver=True).exists()
    assert SeriousIncidentNotification.objects.exclude(home_area=F("incident_area")).exists()

    published = PracticeReview.objects.get(status=PracticeReview.Status.PUBLISHED)
    assert published.sent_to_panel_on and published.published_on
    assert published.published_on >= rules.earliest_publication(published.sent_to_panel_on, 7)
    assert published.public_link.startswith("https://") and ".example/" in published.public_link
    paused = PracticeReview.objects.exclude(pk=published.pk).get()
    assert paused.pauses.exists() and paused.parallel_processes.filter(kind="police").exists()
    assert paused.status != PracticeReview.Status.PUBLISHED and paused.due_on < today  # past its 6 months

    assert NationalReview.objects.get().title.startswith("Demo only")
    recommendations = LearningRecommendation.objects.all()
    assert set(recommendations.values_list("source", flat=True)) == set(LearningRecommendation.Source.values)
    closed = recommendations.filter(status=LearningRecommendation.Status.CLOSED)
    assert closed.count() >= 2 and all(r.impact.exists() for r in closed)
    assert {"narrative", "training"} <= set(ImpactEvidence.objects.values_list("kind", flat=True))
    assert recommendations.filter(status="open", due_on__lt=today).exists()  # overdue
    actions = Action.objects.filter(learning_link__isnull=False)
    assert actions.filter(status="done").exists() and actions.filter(status="open", due_on__lt=today).exists()

    briefings = list(Briefing.objects.prefetch_related("courses", "downloads"))
    assert len(briefings) == 2
    for briefing in briefings:
        assert briefing.courses.exists() and briefing.downloads.count() >= 25
        assert briefing.content_type == "application/pdf" and briefing.published_on < today
        assert briefing.downloads.filter(organisation__isnull=False).values("organisation").distinct().count() >= 2
