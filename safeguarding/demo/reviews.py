"""Two years of Northshire's learning from serious incidents: six notifications and their
rapid reviews (three a year), two referrals that were not notified, two Child
Safeguarding Practice Reviews, a national review, and recommendations from every source
followed to their actions and, for some, evidence of impact.

The patterns the evidence pack should find: a notification made late, with its reason;
a rapid review sent to the Panel after 15 working days; one found not to be needed
after all; an agency chased for its summary; the Panel agreeing, disagreeing and asking
for more information; one review still open today. One CSPR published on time (the
copy to the Panel and the Secretary of State 7 or more working days before), the other
paused for a criminal trial and running past its 6 months. Recommendations closed with
a course's reach, an indicator's verdict and practitioners' words; others overdue.

Everything is written through ``reviews.services``, ``reviews.learning`` and
``governance.services`` (which refuse future dates, so every date is counted back from
``today``), signed off by the partners' people who held the Lead or Delegated Partner
post on the day. The loader draws from its own seeded stream, so it shifts no other
part of the demo. Children are linked demo children where the demo has them, and
synthetic names (``demo.names``) otherwise."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from safeguarding.accounts.models import Area, Organisation, Person, Post
from safeguarding.children.models import AgencyRecord, Child
from safeguarding.core.services import create_audited
from safeguarding.core.working_days import add_working_days, is_working_day, working_days_between
from safeguarding.demo.names import FIRST_NAMES, LAST_NAMES
from safeguarding.demo.northshire import later_loader
from safeguarding.demo.review_cases import (
    CASES,
    CSPR_PAUSED_RECOMMENDATIONS,
    CSPR_PUBLISHED_RECOMMENDATIONS,
    IMPACT,
    NATIONAL_RECOMMENDATIONS,
    NATIONAL_REVIEW,
    RAPID_REVIEW_RECOMMENDATIONS,
    REASONS,
    REFERRALS,
    SCRUTINY_RECOMMENDATION,
    THEMES,
    Case,
    RecommendationPlan,
)
from safeguarding.governance import services as gov
from safeguarding.governance.models import Action, ScrutinyRecommendation
from safeguarding.moves.models import MoveAlert
from safeguarding.performance.figures import published_verdict_for_period
from safeguarding.performance.models import Indicator
from safeguarding.performance.rules import period_bounds
from safeguarding.performance.selectors import recent_quarters
from safeguarding.reviews import learning, rules, services
from safeguarding.reviews.models import (
    Briefing,
    LearningRecommendation,
    NotificationReason,
    PracticeReview,
    RapidReview,
    RapidReviewSignOff,
    ReviewTheme,
)
from safeguarding.training.models import Course

SEED = 16  # issue 16: the same story every time
NORTHSHIRE, SOUTHVALE = "E06999001", "E06999002"
PARTNERS = {
    RapidReviewSignOff.PartnerKind.LOCAL_AUTHORITY: "northshire-council",
    RapidReviewSignOff.PartnerKind.POLICE: "northshire-police",
    RapidReviewSignOff.PartnerKind.ICB: "ns-icb",
}


@dataclass
class ReviewsStory:
    rapid_reviews: int = 0
    open_now: list[RapidReview] = field(default_factory=list)
    briefings: int = 0

    def hints(self) -> list[str]:
        if not self.rapid_reviews:
            return []
        line = f"Reviews (sign in as bella): {self.rapid_reviews} rapid reviews over two years"
        if self.open_now:
            line += f", one still open and due on {self.open_now[0].due_on:%-d %B %Y}"
        return [line + f"; two CSPRs, one paused for a criminal trial; {self.briefings} 7-minute briefings."]


@dataclass
class _Cast:
    orgs: dict[str, Organisation]
    areas: dict[str, Area]
    reasons: dict[str, NotificationReason]
    themes: dict[str, ReviewTheme]
    business_manager: str
    rng: random.Random
    used_children: set[int] = field(default_factory=set)

    def themed(self, codes: Iterable[str]) -> list[ReviewTheme]:
        return [self.themes[code] for code in codes]


@later_loader(order=45)
def load_reviews(*, rng: random.Random, actor, today: datetime.date) -> ReviewsStory:
    """After the children (so notifications can name linked children and a child who
    moved) and before the annual report (whose reviews chapter reads these)."""
    cast = _cast(actor)
    story = ReviewsStory()
    reviews: dict[str, RapidReview] = {}
    for case in CASES:
        reviews[case.key] = _rapid_review(case, cast, today, actor)
    story.rapid_reviews = len(reviews)
    story.open_now = [r for r in reviews.values() if r.status == RapidReview.Status.OPEN]
    _referrals(cast, reviews, today, actor)
    published = _published_cspr(reviews["infant-neglect"], cast, actor)
    paused = _paused_cspr(reviews["domestic-abuse-siblings"], cast, today, actor)
    _recommendations(cast, published, paused, reviews["exploitation-stabbing"], today, actor)
    story.briefings = _briefings(cast, published, reviews["exploitation-stabbing"], today, actor)
    return story


BRIEFINGS = [
    (
        "7-minute briefing: Child M",
        "cspr",
        ["neglect", "voice-of-the-child"],
        ["gcp2"],
        "Use the Graded Care Profile 2 when neglect is suspected, and see the baby, not only the parents: "
        "ask what a day is like for the child.",
    ),
    (
        "7-minute briefing: exploitation outside the home",
        "rapid_review",
        ["exploitation"],
        ["exploitation"],
        "A child going missing, new phones and older friends are signs of criminal exploitation: share "
        "them with the MASH the same day and record who else knows.",
    ),
]


def _briefing_pdf(title: str, text: str) -> bytes:
    from weasyprint import HTML  # slow to import: only when the demo writes a briefing

    html = f"<h1>{title}</h1><p><strong>Demo only: fictional.</strong></p><h2>What to do differently</h2><p>{text}</p>"
    return HTML(string=html).write_pdf()


def _briefings(cast: _Cast, cspr: PracticeReview, rapid: RapidReview, today: datetime.date, actor) -> int:
    """A briefing from the published CSPR and one from a rapid review, each carried by a
    demo course, downloaded by the agencies over the weeks since."""
    agencies = list(Organisation.objects.filter(kind__in=["police", "nhs_trust", "school", "local_authority"]))
    made = 0
    for title, source, themes, courses, text in BRIEFINGS:
        if Briefing.objects.filter(title=title).exists():
            continue
        after = cspr.published_on if source == "cspr" else rapid.decided_on
        if after is None or after >= today:
            continue
        published_on = _working_day_on_or_before(
            min(today - datetime.timedelta(days=1), after + datetime.timedelta(days=14))
        )
        briefing = learning.briefing_publish(
            title=title,
            published_on=published_on,
            what_to_do_differently=text,
            uploaded=SimpleUploadedFile(
                f"{title.split(': ')[-1].lower().replace(' ', '-')}.pdf", _briefing_pdf(title, text)
            ),
            themes=cast.themed(themes),
            practice_reviews=[cspr] if source == "cspr" else [],
            rapid_reviews=[rapid] if source == "rapid_review" else [],
            courses=list(Course.objects.filter(code__in=courses)),
            actor=actor,
        )
        for _ in range(cast.rng.randint(25, 60)):
            learning.briefing_download_count(
                briefing=briefing, organisation=cast.rng.choice(agencies) if agencies else None
            )
        made += 1
    return made


def _maintained(model: type[NotificationReason] | type[ReviewTheme], entries, actor) -> dict:
    """The maintained list's entries by code: those already there as they are, the rest added."""
    held = {item.code: item for item in model.objects.filter(code__in=[code for code, _ in entries])}
    for code, title in entries:
        if code not in held:
            held[code] = create_audited(model(code=code, title=title), actor)
    return held


def _cast(actor) -> _Cast:
    bella = Post.objects.filter(job_title="Partnership Business Manager", ended_on__isnull=True).first()
    return _Cast(
        orgs={o.code: o for o in Organisation.objects.all()},
        areas={a.code: a for a in Area.objects.filter(code__in=[NORTHSHIRE, SOUTHVALE])},
        reasons=_maintained(NotificationReason, REASONS, actor),
        themes=_maintained(ReviewTheme, THEMES, actor),
        business_manager=bella.person.full_name if bella else "The partnership business manager",
        rng=random.Random(SEED),
    )


# Dates ------------------------------------------------------------------------------------


def _working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _working_days_before(today: datetime.date, days: int) -> datetime.date:
    day = _working_day_on_or_before(today - datetime.timedelta(days=1))
    while working_days_between(day, today) < days:
        day = _working_day_on_or_before(day - datetime.timedelta(days=1))
    return day


def _months_on(day: datetime.date, months: float) -> datetime.date:
    """A working day about ``months`` after ``day``."""
    whole = int(months)
    later = day + relativedelta(months=whole) + datetime.timedelta(days=round((months - whole) * 30))
    return _working_day_on_or_before(later)


# Notifications and rapid reviews ---------------------------------------------------------------


def _children(case: Case, cast: _Cast, incident_on: datetime.date) -> tuple[list[services.ChildDetails], Area]:
    """The case's children, and the first child's home authority: for the child who moved
    into Northshire, the area they came from (a move alert's child where the demo has one,
    a named child otherwise)."""
    details, home = [], cast.areas[NORTHSHIRE]
    for kind in case.children:
        what, _, age = kind.partition(":")
        if what == "linked-moved":
            home = cast.areas[SOUTHVALE]
            alert = _moved_child(cast, incident_on)
            if alert is not None:
                cast.used_children.add(alert.child_id)
                details.append(services.ChildDetails(child=alert.child))
                continue
        if what == "linked":
            child = _linked_child(cast, int(age), incident_on)
            if child is not None:
                details.append(services.ChildDetails(child=child))
                continue
        born = incident_on - relativedelta(years=int(age), days=cast.rng.randint(30, 330))
        details.append(
            services.ChildDetails(
                first_name=cast.rng.choice(FIRST_NAMES),
                last_name=cast.rng.choice(LAST_NAMES),
                date_of_birth=born,
                care_leaver=what == "care-leaver",
            )
        )
    return details, home


def _linked_child(cast: _Cast, age: int, incident_on: datetime.date) -> Child | None:
    """A linked child about ``age`` (within two years) on the day, known to at least two
    agencies (a child no agency shares is not the kind a rapid review is about)."""
    youngest = incident_on - relativedelta(years=max(age - 2, 0))
    oldest = incident_on - relativedelta(years=age + 3)
    known = (
        AgencyRecord.objects.filter(
            child__status=Child.Status.ACTIVE, date_of_birth__gt=oldest, date_of_birth__lte=youngest
        )
        .exclude(child_id__in=cast.used_children)
        .exclude(child__move_alerts__isnull=False)
        .values_list("child_id", "source__organisation_id")
        .order_by("child_id")[:1000]
    )
    agencies: dict[int, set[int]] = {}
    for child_id, organisation_id in known:
        agencies.setdefault(child_id, set()).add(organisation_id)
    candidates = sorted(child_id for child_id, held in agencies.items() if len(held) >= 2)
    if not candidates:
        return None
    chosen = cast.rng.choice(candidates)
    cast.used_children.add(chosen)
    return Child.objects.get(pk=chosen)


def _moved_child(cast: _Cast, incident_on: datetime.date) -> MoveAlert | None:
    """A child known in Southvale whose family moved into Northshire some weeks before
    the incident."""
    return (
        MoveAlert.objects.filter(
            from_area=cast.areas[SOUTHVALE],
            to_area=cast.areas[NORTHSHIRE],
            address_changed_on__lte=incident_on - datetime.timedelta(days=30),
            address_changed_on__gte=incident_on - datetime.timedelta(days=400),
            child__status=Child.Status.ACTIVE,
        )
        .exclude(child_id__in=cast.used_children)
        .select_related("child")
        .order_by("address_changed_on", "pk")
        .first()
    )


def _rapid_review(case: Case, cast: _Cast, today: datetime.date, actor) -> RapidReview:
    if case.months_ago:
        aware = _working_day_on_or_before(today - relativedelta(months=case.months_ago))
    else:
        aware = _working_days_before(today, 12)
    incident = aware - datetime.timedelta(days=cast.rng.randint(0, 2))
    children, home = _children(case, cast, incident)
    notification = services.notification_record(
        notified_by=cast.orgs["northshire-council"],
        became_aware_on=aware,
        notified_panel_on=add_working_days(aware, case.notified_after),
        incident_on=incident,
        incident_time=datetime.time(cast.rng.randint(0, 23), cast.rng.choice([0, 15, 30, 45])),
        incident_place=case.place,
        incident_area=cast.areas[NORTHSHIRE],
        home_area=home,
        reasons=[cast.reasons[code] for code in case.reasons],
        children=children,
        late_reason=case.late_reason,
        actor=actor,
    )
    review = RapidReview.objects.get(notification=notification)
    if case.outcome == "":
        return services.rapid_review_not_required(
            review=review, reason=case.not_required_reason, decided_on=add_working_days(aware, 4), actor=actor
        )
    _summaries(case, cast, review, children, today, actor)
    if case.outcome is None:
        return review
    return _decide_and_send(case, cast, review, actor)


def _summaries(case, cast: _Cast, review: RapidReview, children, today: datetime.date, actor) -> None:
    """Ask the police, the agencies named and those holding records about a linked child;
    all come back by day 10 but the one chased, who answers after a reminder (in the
    review still open today: not yet)."""
    linked = [d.child for d in children if d.child is not None]
    holding = Organisation.objects.filter(record_sources__records__child__in=linked).distinct()
    codes = ["northshire-police", *case.agencies]
    asked = [cast.orgs[code] for code in codes] + [o for o in holding if o.code not in codes]
    requested_on = rules.step_due(review.starts_on, "summaries_requested")
    due_on = rules.step_due(review.starts_on, "summaries_due")
    for organisation in asked:
        request = services.agency_summary_request(
            review=review, organisation=organisation, requested_on=requested_on, actor=actor
        )
        if organisation.code == case.chased:
            chased_on = add_working_days(due_on, 1)
            if chased_on < today:
                services.agency_summary_chase(
                    request=request, chased_on=chased_on, note="Reminder by e-mail and phone.", actor=actor
                )
            returned_on = add_working_days(due_on, 2)
        else:
            returned_on = add_working_days(requested_on, cast.rng.randint(5, 9))
        if returned_on < today:
            services.agency_summary_return(
                review=review,
                organisation=organisation,
                returned_on=returned_on,
                text=f"{organisation.name}'s involvement with the family, what went well and what did not.",
                actor=actor,
            )


def _decide_and_send(case: Case, cast: _Cast, review: RapidReview, actor) -> RapidReview:
    decided_on = rules.step_due(review.starts_on, "review_panel")
    criteria = {
        code: services.CriterionDecision(met=met, rationale=rationale)
        for code, met, rationale in zip(rules.CRITERION_CODES, case.criteria, case.rationales, strict=True)
    }
    services.rapid_review_decide(
        review=review,
        decided_on=decided_on,
        criteria=criteria,
        outcome=case.outcome or "",
        themes=cast.themed(case.themes),
        actor=actor,
    )
    sent_on = add_working_days(review.starts_on, case.sent_on_day)
    for partner_kind, code in PARTNERS.items():
        signed_on = min(add_working_days(decided_on, cast.rng.randint(1, 2)), sent_on)
        services.rapid_review_sign_off(
            review=review,
            partner_kind=partner_kind,
            person=_partner(cast.orgs[code], signed_on, lead=case.leads_sign),
            signed_on=signed_on,
            actor=actor,
        )
    review = services.rapid_review_send_to_panel(review=review, sent_on=sent_on, actor=actor)
    if case.reply:
        review = services.panel_reply_record(
            review=review,
            kind=case.reply,
            replied_on=add_working_days(sent_on, cast.rng.randint(10, 20)),
            text=case.reply_text,
            actor=actor,
        )
    return review


def _partner(organisation: Organisation, day: datetime.date, *, lead: bool) -> Person:
    """Who held the partner's Delegated (or, with ``lead``, Lead) Safeguarding Partner post
    on the day; the other of the two where no one held that one (the police's Assistant
    Chief Constable was a Chief Superintendent until last year)."""
    posts = list(
        Post.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
            organisation=organisation,
            seniority__in=["lead_partner", "delegated_partner"],
            started_on__lte=day,
        )
        .select_related("person")
        .order_by("started_on", "pk")
    )
    wanted = "lead_partner" if lead else "delegated_partner"
    posts.sort(key=lambda post: post.seniority != wanted)
    return posts[0].person


def _referrals(cast: _Cast, reviews: dict[str, RapidReview], today: datetime.date, actor) -> None:
    for months_ago, code, summary, reason in REFERRALS:
        referred_on = _working_day_on_or_before(today - relativedelta(months=months_ago))
        services.referral_record(
            referred_by=cast.orgs[code],
            referred_on=referred_on,
            summary=summary,
            decision="do_not_notify",
            decided_on=add_working_days(referred_on, 2),
            reason=reason,
            actor=actor,
        )
    # The hospital's referral that did become a notification.
    notification = reviews["sudden-infant-death"].notification
    services.referral_record(
        referred_by=cast.orgs["northshire-hospitals"],
        referred_on=notification.became_aware_on,
        summary="An infant was brought to the emergency department and could not be revived.",
        decision="notify",
        decided_on=notification.notified_panel_on,
        reason="A child died and, until the post-mortem, neglect could not be ruled out.",
        notification=notification,
        actor=actor,
    )


# Child Safeguarding Practice Reviews ---------------------------------------------------------------


def _commission(review: PracticeReview, cast: _Cast, themes: Iterable[str], actor, **text) -> PracticeReview:
    starts = add_working_days(review.decided_on, 10)
    return learning.practice_review_commission(
        review=review,
        reviewer_name=f"{cast.rng.choice(FIRST_NAMES)} {cast.rng.choice(LAST_NAMES)}",
        reviewer_organisation="Independent Safeguarding Reviews (fictional)",
        contract_starts_on=starts,
        contract_ends_on=review.due_on,
        themes=cast.themed(themes),
        actor=actor,
        **text,
    )


def _published_cspr(rapid_review: RapidReview, cast: _Cast, actor) -> PracticeReview:
    """Commissioned within a fortnight, two drafts, the final report in month five, the
    copy to the Panel and the Secretary of State, and publication inside the 6 months."""
    assert rapid_review.decided_on is not None
    review = learning.practice_review_open(
        origin=PracticeReview.Origin.RAPID_REVIEW,
        rapid_review=rapid_review,
        decided_on=rapid_review.decided_on,
        title="Child M",
        actor=actor,
    )
    review = _commission(
        review,
        cast,
        ("neglect", "information-sharing", "voice-of-the-child"),
        actor,
        terms_of_reference="How agencies recognised and responded to neglect of a young child in poor housing.",
        methodology="A systems review: practitioners' learning events and a review of each agency's records.",
        family_involvement="The mother and grandmother met the reviewer twice; the father declined.",
    )
    decided = review.decided_on
    checks = [
        (1.5, "Reviewer in post; terms of reference agreed."),
        (4, "First draft on time; the Learning and Improvement Subgroup asked for more on housing."),
    ]
    for months, note in checks:
        learning.monitoring_record(
            review=review,
            checked_on=_months_on(decided, months),
            on_time=True,
            quality_assured=True,
            note=note,
            actor=actor,
        )
    for months, note in ((3.5, "First draft"), (4.5, "Second draft, with housing's part")):
        learning.report_version_record(
            review=review, kind="draft", received_on=_months_on(decided, months), note=note, actor=actor
        )
    final_on = _months_on(decided, 5.1)
    learning.report_version_record(review=review, kind="final", received_on=final_on, actor=actor)
    sent_on = add_working_days(final_on, 3)
    learning.practice_review_send_to_panel(review=review, sent_on=sent_on, actor=actor)
    published_on = add_working_days(sent_on, 9)  # the copy went 9 working days before (7 required)
    return learning.practice_review_publish(
        review=review,
        published_on=published_on,
        public_link="https://www.northshire-scp.example/learning/reviews/child-m",
        redaction_checked_by=cast.business_manager,
        redaction_checked_on=add_working_days(sent_on, 2),
        published_until=published_on + relativedelta(years=3),
        actor=actor,
    )


def _paused_cspr(rapid_review: RapidReview, cast: _Cast, today: datetime.date, actor) -> PracticeReview:
    """Paused seven weeks in at the Crown Prosecution Service's request until the
    criminal trial ended; resumed five weeks ago, past its 6 months, a draft since."""
    assert rapid_review.decided_on is not None
    review = learning.practice_review_open(
        origin=PracticeReview.Origin.RAPID_REVIEW,
        rapid_review=rapid_review,
        decided_on=rapid_review.decided_on,
        title="Children P and Q",
        actor=actor,
    )
    review = _commission(
        review,
        cast,
        ("domestic-abuse", "information-sharing"),
        actor,
        terms_of_reference="How agencies shared what they knew of the risk the mother's partner posed.",
        methodology="Practitioners' learning events after the trial; chronologies from each agency.",
        family_involvement="The mother will be invited to meet the reviewer once the trial has ended.",
    )
    decided = review.decided_on
    trial = learning.parallel_process_add(
        review=review,
        kind="police",
        description="Police investigation and the criminal trial of the mother's former partner",
        started_on=rapid_review.notification.incident_on,
        actor=actor,
    )
    learning.monitoring_record(
        review=review,
        checked_on=_months_on(decided, 1),
        on_time=True,
        quality_assured=True,
        note="Reviewer in post; agencies' chronologies requested.",
        actor=actor,
    )
    paused_on = add_working_days(decided, 35)
    learning.practice_review_pause(
        review=review,
        paused_on=paused_on,
        reason="At the Crown Prosecution Service's request, until the criminal trial ends, so that witnesses' "
        "evidence is not affected.",
        parallel_process=trial,
        actor=actor,
    )
    learning.monitoring_record(
        review=review,
        checked_on=_months_on(paused_on, 3),
        on_time=False,
        quality_assured=True,
        note="Paused for the trial; the Panel has been told the review will run past 6 months.",
        actor=actor,
    )
    resumed_on = max(_working_days_before(today, 25), add_working_days(paused_on, 1))
    learning.practice_review_resume(review=review, resumed_on=resumed_on, actor=actor)
    draft_on = add_working_days(resumed_on, 15)
    if draft_on < today:
        learning.report_version_record(
            review=review, kind="draft", received_on=draft_on, note="First draft after the trial", actor=actor
        )
    return review


# Recommendations ---------------------------------------------------------------------------------


def _recommendations(
    cast: _Cast,
    published: PracticeReview,
    paused: PracticeReview,
    rapid_review: RapidReview,
    today: datetime.date,
    actor,
) -> None:
    assert published.published_on is not None and rapid_review.decided_on is not None
    for plan in CSPR_PUBLISHED_RECOMMENDATIONS:
        _recommendation(plan, published, published.published_on, cast, today, actor)
    for plan in CSPR_PAUSED_RECOMMENDATIONS:  # early learning, acted on without waiting for the trial
        _recommendation(plan, paused, add_working_days(paused.decided_on, 20), cast, today, actor)
    for plan in RAPID_REVIEW_RECOMMENDATIONS:
        _recommendation(plan, rapid_review, add_working_days(rapid_review.decided_on, 5), cast, today, actor)
    title, link = NATIONAL_REVIEW
    national = learning.national_review_create(
        title=title, published_on=_working_day_on_or_before(today - relativedelta(months=16)), link=link, actor=actor
    )
    for plan in NATIONAL_RECOMMENDATIONS:  # taken on at the Board two months after publication
        _recommendation(plan, national, _months_on(national.published_on, 2), cast, today, actor)
    scrutiny = ScrutinyRecommendation.objects.order_by("-made_on", "reference").first()
    if scrutiny is not None:
        made_on = min(add_working_days(scrutiny.made_on, 20), _working_days_before(today, 5))
        _recommendation(SCRUTINY_RECOMMENDATION, scrutiny, max(made_on, scrutiny.made_on), cast, today, actor)


def _recommendation(plan: RecommendationPlan, origin, made_on, cast: _Cast, today, actor) -> None:
    key, text, owner, themes, due_months, actions, closes_with = plan
    recommendation = learning.recommendation_create(
        origin=origin,
        text=text,
        owner_organisation=cast.orgs[owner],
        made_on=made_on,
        due_on=made_on + relativedelta(months=due_months),
        themes=cast.themed(themes),
        actor=actor,
    )
    finished, all_done = made_on, True
    for title, months, outcome in actions:
        action = learning.recommendation_add_action(
            recommendation=recommendation,
            title=title,
            created_on=made_on,
            due_on=made_on + relativedelta(months=months),
            actor=actor,
        )
        last, done = _progress(action, outcome, cast, today, actor)
        finished, all_done = max(finished, last), all_done and done
    if not (closes_with and all_done):
        return
    latest = _working_days_before(today, 2)
    recorded_on = _impact(recommendation, key, closes_with, min(_months_on(finished, 1), latest), today, actor)
    if recorded_on is not None:
        closed_on = min(add_working_days(recorded_on, 3), _working_days_before(today, 1))
        learning.recommendation_close(recommendation=recommendation, closed_on=closed_on, actor=actor)


def _impact(
    recommendation: LearningRecommendation, key: str, kind: str, on: datetime.date, today: datetime.date, actor
) -> datetime.date | None:
    """Record the evidence of impact that closes the recommendation; returns its date, or
    None where the demo lacks what it needs (no course, no indicator with a verdict)."""
    indicator, period, course = None, "", None
    if kind == "training":
        course = Course.objects.filter(code="gcp2").first()
        if course is None:
            return None
    elif kind == "indicator":
        found = _indicator_with_verdict("mace-children-new", on, today)
        if found is None:
            return None
        indicator, period, on = found
    learning.impact_evidence_record(
        recommendation=recommendation,
        kind=kind,
        recorded_on=on,
        summary=IMPACT[key],
        indicator=indicator,
        period=period,
        course=course,
        actor=actor,
    )
    return on


def _indicator_with_verdict(
    code: str, on: datetime.date, today: datetime.date
) -> tuple[Indicator, str, datetime.date] | None:
    """The indicator's latest quarter with a published verdict against a year before, and
    a day to record it: after the quarter's figures are in, and not before ``on``."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    found = []
    for period in recent_quarters(today, 8):
        verdict = published_verdict_for_period(indicator, period)
        _, period_end = period_bounds(period, indicator.frequency)
        recorded_on = max(on, _months_on(period_end, 1.5))
        if verdict is not None and recorded_on < today:
            found.append((verdict.endswith("more than normal variation"), period, recorded_on))
    if found:  # the latest quarter whose change is more than noise, or else the latest
        _, period, recorded_on = max(found, key=lambda entry: (entry[0], entry[1]))
        return indicator, period, recorded_on
    return None


def _progress(action: Action, outcome: str, cast: _Cast, today: datetime.date, actor) -> tuple[datetime.date, bool]:
    """Bring an action towards ``outcome`` as far as today allows; returns the day of its
    last update and whether it is done."""
    assert action.due_on is not None
    started = add_working_days(action.created_on, cast.rng.randint(5, 15))
    if outcome == "open" or started >= today:
        return action.created_on, False
    gov.action_add_update(action=action, on=started, note="Work under way.", status_after="in_progress", actor=actor)
    finished = action.due_on - datetime.timedelta(days=cast.rng.randint(0, 20))
    if outcome != "done" or finished >= today or finished <= started:
        return started, False
    gov.action_add_update(
        action=action,
        on=finished,
        note="Done and reported to the Learning and Improvement Subgroup.",
        status_after="done",
        evidence="Subgroup minutes",
        actor=actor,
    )
    return finished, True
