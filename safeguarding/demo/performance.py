"""Three years of quarterly returns from the council, police and ICB: a real rise in
children discussed at MACE and in domestic abuse incidents, the ICB regularly late,
and one police return missing."""

from __future__ import annotations

import datetime
import random

from safeguarding.accounts.models import Organisation
from safeguarding.governance.models import Priority
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.models import Indicator
from safeguarding.performance.rules import period_bounds, return_due_on
from safeguarding.performance.selectors import recent_quarters

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


def load_performance(*, rng: random.Random, actor, today: datetime.date) -> None:
    load_standard_set(actor=actor, priorities={p.code: p for p in Priority.objects.all()})
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
