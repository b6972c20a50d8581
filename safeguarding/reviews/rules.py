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
