"""The clocks and tests of learning from serious incidents, as named pure functions.

Working days are England's (weekends and England bank holidays, substitute days
included: ``core.working_days``), counted from the day after the event, so "within 5
working days" of a Monday is the next Monday. Sources: *Working Together to Safeguard
Children* 2023 (WT2023), chapter 5; the Child Safeguarding Practice Review Panel's
guidance and FAQ; the Child Safeguarding Practice Review and Relevant Agency (England)
Regulations 2018, SI 2018/789 (Regulation 11: the criteria for a local review).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from dateutil.relativedelta import relativedelta

from safeguarding.core.working_days import add_working_days

NOTIFICATION_WORKING_DAYS: Final = 5
RAPID_REVIEW_WORKING_DAYS: Final = 15
CSPR_MONTHS: Final = 6
CARE_LEAVER_MAX_AGE: Final = 24
CHILDREN_PER_NOTIFICATION: Final = 4

CLOCK_STARTS: Final = ("aware", "notified")


def notification_due(became_aware_on: datetime.date) -> datetime.date:
    """The last day the local authority may notify the National Panel: 5 working days
    after it became aware of the serious incident (Children Act 2004 s16C; WT2023 ch. 5;
    gov.uk "Report a serious child safeguarding incident")."""
    return add_working_days(became_aware_on, NOTIFICATION_WORKING_DAYS)


def notification_is_late(*, became_aware_on: datetime.date, notified_panel_on: datetime.date) -> bool:
    """Notified after ``notification_due``: the notification is flagged and its reason
    recorded (WT2023 ch. 5)."""
    return notified_panel_on > notification_due(became_aware_on)


def rapid_review_clock_start(
    *, became_aware_on: datetime.date, notified_panel_on: datetime.date, clock_start: str
) -> datetime.date:
    """The day the rapid review's 15 working days run from. The Panel's FAQ and most local
    procedures count from the partners becoming aware ("aware"); some count from the
    notification ("notified"). Both dates are stored; the partnership's setting
    (``REVIEWS_RAPID_REVIEW_CLOCK_START``) chooses."""
    if clock_start == "aware":
        return became_aware_on
    if clock_start == "notified":
        return notified_panel_on
    raise ValueError(f"{clock_start!r} is not a rapid review clock start: use one of {', '.join(CLOCK_STARTS)}.")


def rapid_review_due(start: datetime.date) -> datetime.date:
    """The rapid review is completed and sent to the Panel within 15 working days of
    ``start`` (WT2023 ch. 5; the Panel's FAQ)."""
    return add_working_days(start, RAPID_REVIEW_WORKING_DAYS)


def rapid_review_on_time(*, start: datetime.date, sent_to_panel_on: datetime.date) -> bool:
    """Sent to the Panel on or before ``rapid_review_due`` (question 2's share)."""
    return sent_to_panel_on <= rapid_review_due(start)


@dataclass(frozen=True)
class DayPlanStep:
    """One step of a rapid review, due a number of working days after the clock starts
    (day 1 is the first working day after the start)."""

    code: str
    title: str
    working_day: int


@dataclass(frozen=True)
class PlannedStep:
    step: DayPlanStep
    due_on: datetime.date


# A partnership's template: its steps in order.
type DayPlan = tuple[DayPlanStep, ...]

# The typical plan of the local procedures (Derbyshire and Devon flowcharts): requests to
# the agencies on day 1, their summaries by day 10, the review panel on day 12, the
# partners' sign-off by day 15, the last day of the 15.
DEFAULT_DAY_PLAN: Final[DayPlan] = (
    DayPlanStep("summaries_requested", "Individual agency summaries requested", 1),
    DayPlanStep("summaries_due", "Individual agency summaries due", 10),
    DayPlanStep("review_panel", "Rapid review meeting", 12),
    DayPlanStep("sign_off", "Partners' sign-off and sent to the Panel", RAPID_REVIEW_WORKING_DAYS),
)


def day_plan(start: datetime.date, template: DayPlan = DEFAULT_DAY_PLAN) -> list[PlannedStep]:
    """The partnership's template laid on the calendar from the clock's start, in England
    working days. A template whose steps run past day 15 would miss the statutory clock,
    so it is refused."""
    late = [step.code for step in template if not 1 <= step.working_day <= RAPID_REVIEW_WORKING_DAYS]
    if late:
        raise ValueError(f"Steps outside days 1 to {RAPID_REVIEW_WORKING_DAYS}: {', '.join(late)}.")
    return [PlannedStep(step, add_working_days(start, step.working_day)) for step in template]


def step_due(start: datetime.date, code: str, template: DayPlan = DEFAULT_DAY_PLAN) -> datetime.date:
    """When the template's step ``code`` falls for a review started on ``start``."""
    for planned in day_plan(start, template):
        if planned.step.code == code:
            return planned.due_on
    raise KeyError(code)


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Age in whole years on a day. A 29 February birthday falls on 1 March in other
    years (the usual reading in England), so the comparison is of (month, day) pairs."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def is_care_leaver_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """A care leaver's death or serious harm is notified up to and including age 24
    (WT2023 ch. 5; Children and Social Work Act 2017 s3 extends support to 25): true
    until the day before the 25th birthday."""
    return 0 <= age_on(date_of_birth, on) <= CARE_LEAVER_MAX_AGE


def cspr_due(decided_on: datetime.date) -> datetime.date:
    """A local Child Safeguarding Practice Review is published within 6 months of the
    decision to hold one (WT2023 ch. 5; the brief marks the primary text unconfirmed).
    Calendar months: 31 August gives the last day of February."""
    return decided_on + relativedelta(months=CSPR_MONTHS)


def earliest_publication(sent_to_panel_on: datetime.date, working_days: int) -> datetime.date:
    """The first day a CSPR may be published: its final report went to the Panel and the
    Secretary of State at least ``working_days`` working days before (WT2018 ch. 4; the
    brief: 7, unconfirmed, so ``REVIEWS_PRE_PUBLICATION_WORKING_DAYS``)."""
    return add_working_days(sent_to_panel_on, working_days)


@dataclass(frozen=True)
class Span:
    """A pause: from the day it started to the day work resumed (None: still paused)."""

    start: datetime.date
    end: datetime.date | None


def days_paused(pauses: Iterable[Span], until: datetime.date) -> int:
    """Calendar days a review stood paused up to ``until`` (overlapping pauses count once;
    a pause still running counts to ``until``)."""
    days: set[datetime.date] = set()
    for pause in pauses:
        end = min(pause.end or until, until)
        days.update(pause.start + datetime.timedelta(n) for n in range((end - pause.start).days))
    return len(days)


def months_between(start: datetime.date, end: datetime.date) -> float:
    """Whole calendar months from ``start`` to ``end`` plus the part month, to one decimal
    place (the committee's "months taken against 6": 1 March to 1 September is 6.0)."""
    months = relativedelta(end, start)
    whole = months.years * 12 + months.months
    anchor = start + relativedelta(months=whole)
    following = start + relativedelta(months=whole + 1)
    return round(whole + (end - anchor).days / (following - anchor).days, 1)


def cspr_published_on_time(*, decided_on: datetime.date, published_on: datetime.date) -> bool:
    """Published on or before ``cspr_due``: pauses are shown beside it, never taken off the
    statutory clock."""
    return published_on <= cspr_due(decided_on)


def recommendation_is_overdue(*, due_on: datetime.date, closed: bool, today: datetime.date) -> bool:
    """An open recommendation past its due date; a closed one is never overdue."""
    return not closed and due_on < today


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str


# SI 2018/789 Regulation 11(4)-(6) as WT2023 ch. 5 words it: the partners consider a local
# review where the case "highlights or may highlight" these.
REGULATION_11_CRITERIA: Final = (
    Criterion("improvements", "Improvements should be made to safeguard and promote the welfare of children"),
    Criterion("recurrent_themes", "It could highlight recurrent themes in safeguarding and promoting welfare"),
    Criterion("joint_working", "Concerns about two or more organisations or agencies working together effectively"),
    Criterion("panel_view", "The Panel has considered and concluded a local review may be more appropriate"),
)
CRITERION_CODES: Final = tuple(c.code for c in REGULATION_11_CRITERIA)


def may_sign_for_partner(
    *, post_seniority: str, organisation_kind: str, is_statutory_partner: bool, partner_kind: str
) -> bool:
    """A rapid review is signed off for each statutory partner (local authority, police,
    ICB: Children Act 2004 s16E) by its Lead Safeguarding Partner or the Delegated
    Safeguarding Partner acting for them (WT2023 ch. 2), in post on the day."""
    return (
        is_statutory_partner
        and organisation_kind == partner_kind
        and post_seniority in ("lead_partner", "delegated_partner")
    )
