"""Three years of quarterly returns from the council, police and ICB: a real rise in
children discussed at MACE and in domestic abuse incidents, the ICB regularly late,
and one police return missing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from safeguarding.accounts.models import Area, Organisation
from safeguarding.demo.northshire import later_loader
from safeguarding.governance.models import Priority
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import Indicator
from safeguarding.performance.rules import period_bounds, return_due_on
from safeguarding.performance.selectors import recent_quarters
from safeguarding.performance.services import indicator_update, population_set

# indicator: (starting quarterly level, growth per quarter)
LEVELS = {
    "contacts": (2600, 0.005),
    "referrals": (640, 0.004),
    "re-referrals-12m": (21, 0.0),
    "children-in-need": (2100, 0.0),
    "cp-plans-new": (95, 0.0),
    "cp-plans-repeat-2y": (18, 0.0),
    "children-looked-after": (520, 0.004),
    "mace-children-new": (38, 0.046),
    "mace-children-repeat": (14, 0.015),
    "missing-episodes": (210, 0.004),
    "da-incidents": (1450, 0.0147),
    "da-crimes": (820, 0.006),
    "da-children-present": (610, 0.006),
    "op-encompass": (540, 0.01),
    "gcp2-assessments": (40, 0.02),
    "gcp2-assessments-health": (6, 0.0),
    "early-help-assessments": (300, 0.003),
    "self-harm-ae-u18": (65, 0.004),
}
SENDERS = {"local_authority": "northshire-council", "police": "northshire-police", "icb": "ns-icb"}

# Children aged 0-17 in the latest year, and the yearly growth.
POPULATIONS = {"E06999001": (61_800, 0.004), "E06999002": (47_300, 0.002)}

# Breakdowns the demo's senders include, with each category's share of the total
# (some categories are small, so published figures show suppression at work).
SPLITS = {
    "referrals": {"age_band": {"0-4": 0.24, "5-9": 0.25, "10-15": 0.36, "16-17": 0.15}},
    "cp-plans-new": {"age_band": {"0-4": 0.38, "5-9": 0.27, "10-15": 0.28, "16-17": 0.07}},
    "mace-children-new": {
        "age_band": {"0-4": 0.0, "5-9": 0.04, "10-15": 0.58, "16-17": 0.38},
        "sex": {"female": 0.44, "male": 0.53, "other_or_unknown": 0.03},
        "locality": {"E06999001": 0.62, "E06999002": 0.38},
    },
    "da-incidents": {"locality": {"E06999001": 0.58, "E06999002": 0.42}},
    "da-crimes": {"locality": {"E06999001": 0.58, "E06999002": 0.42}},
    "da-children-present": {"locality": {"E06999001": 0.6, "E06999002": 0.4}},
    "self-harm-ae-u18": {
        "age_band": {"0-4": 0.0, "5-9": 0.03, "10-15": 0.55, "16-17": 0.42},
        "sex": {"female": 0.68, "male": 0.3, "other_or_unknown": 0.02},
    },
}
# Targets and benchmarks (e.g. the England figure) the analyst has set.
REFERENCES = {
    "re-referrals-12m": {"target": Decimal("20"), "benchmark": Decimal("22.4")},
    "cp-plans-repeat-2y": {"benchmark": Decimal("23.0")},
}


def _split(total: int, shares: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Cells that add up to the total, near the given shares."""
    cells, left = {}, total
    labels = list(shares)
    for label in labels[:-1]:
        cell = min(left, max(0, round(total * shares[label] * rng.uniform(0.85, 1.15))))
        cells[label] = cell
        left -= cell
    cells[labels[-1]] = left
    return cells


def _load_populations(*, actor, today: datetime.date) -> None:
    latest = today.year if today.month >= 7 else today.year - 1
    for code, (children, growth) in POPULATIONS.items():
        area = Area.objects.filter(code=code).first()
        if area is None:
            continue
        for year in range(latest - 4, latest + 1):
            population_set(
                area=area, year=year, children=round(children / (1 + growth) ** (latest - year)), actor=actor
            )


@later_loader(order=30)
def load_performance(*, rng: random.Random, actor, today: datetime.date) -> None:
    load_standard_set(actor=actor, priorities={p.code: p for p in Priority.objects.all()})
    _load_populations(actor=actor, today=today)
    for indicator in Indicator.objects.filter(code__in=REFERENCES):
        indicator_update(indicator=indicator, actor=actor, **REFERENCES[indicator.code])
    quarters = list(reversed(recent_quarters(today, 12)))
    indicators = Indicator.objects.filter(frequency="quarterly", code__in=LEVELS)
    for kind, code in SENDERS.items():
        organisation = Organisation.objects.get(code=code)
        mine = [i for i in indicators if i.owner_kind == kind]
        for n, quarter in enumerate(quarters):
            if code == "northshire-police" and n == len(quarters) - 3:
                continue  # the missing return
            _, end = period_bounds(quarter, "quarterly")
            due = return_due_on(end)
            late = code == "ns-icb" and n % 3 != 0  # the ICB is regularly late
            sent = (
                due + datetime.timedelta(days=rng.randint(3, 20))
                if late
                else due - datetime.timedelta(days=rng.randint(1, 10))
            )
            lines = ["indicator,period,breakdown,breakdown_value,value"]
            for indicator in mine:
                level, growth = LEVELS[indicator.code]
                expected = level * (1 + growth) ** n
                value = max(0, round(rng.gauss(expected, expected * 0.04)))
                if indicator.unit == "percentage":
                    value = min(100, value)
                lines.append(f"{indicator.code},{quarter},,,{value}")
                for breakdown, shares in SPLITS.get(indicator.code, {}).items():
                    for label, cell in _split(value, shares, rng).items():
                        lines.append(f"{indicator.code},{quarter},{breakdown},{label},{cell}")
            rows = returns.read_upload("return.csv", "\n".join(lines).encode())
            returns.submit_return(
                organisation=organisation,
                rows=rows,
                file_name=f"{code}-{quarter}.csv",
                source="upload",
                actor=actor,
                submitted_by="demo loader",
                confirm_unusual=True,
                now=datetime.datetime.combine(sent, datetime.time(10), tzinfo=datetime.UTC),
            )
