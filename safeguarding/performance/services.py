"""Writes for the indicator catalogue and child populations, each audited with its actor.
(Data returns are written by ``returns.submit_return``.)"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safeguarding.accounts.models import Area
from safeguarding.core.audit import Actor
from safeguarding.core.services import create_audited, update_audited
from safeguarding.performance.models import Indicator, Population

INDICATOR_FIELDS = (
    "title",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "measure",
    "owner_kind",
    "frequency",
    "polarity",
    "priority",
    "breakdowns",
    "target",
    "benchmark",
    "publishable",
    "is_active",
)


@transaction.atomic
def indicator_create(*, actor: Actor, code: str, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {', '.join(sorted(unknown))}")
    return create_audited(Indicator(code=code, **fields), actor)


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor: Actor, **fields: Any) -> Indicator:
    """Edit an indicator; its code stays, because returns and history refer to it."""
    fields.pop("code", None)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {', '.join(sorted(unknown))}")
    return update_audited(indicator, actor, **fields)


@transaction.atomic
def population_set(*, area: Area, year: int, children: int, actor: Actor) -> Population:
    """Record an area's child population for a year, replacing an earlier figure."""
    existing = Population.objects.select_for_update().filter(area=area, year=year).first()
    if existing:
        return update_audited(existing, actor, children=children)
    return create_audited(Population(area=area, year=year, children=children), actor)
