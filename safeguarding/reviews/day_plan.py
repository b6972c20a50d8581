"""The partnership's rapid review day plan: its own steps where it has recorded them (in
the admin), else the typical plan of the local procedures (``rules.DEFAULT_DAY_PLAN``)."""

from __future__ import annotations

import datetime

from safeguarding.reviews import rules
from safeguarding.reviews.models import DayPlanStep

SUMMARIES_DUE = "summaries_due"


def partnership_day_plan() -> rules.DayPlan:
    steps = tuple(
        rules.DayPlanStep(code, title, day)
        for code, title, day in DayPlanStep.objects.values_list("code", "title", "working_day")
    )
    return steps or rules.DEFAULT_DAY_PLAN


def summaries_due_on(start: datetime.date, plan: rules.DayPlan | None = None) -> datetime.date:
    """When agencies' summaries fall due: the plan's ``summaries_due`` step, or the typical
    plan's day 10 where the partnership's own plan has no such step."""
    plan = plan if plan is not None else partnership_day_plan()
    if any(step.code == SUMMARIES_DUE for step in plan):
        return rules.step_due(start, SUMMARIES_DUE, plan)
    return rules.step_due(start, SUMMARIES_DUE)
