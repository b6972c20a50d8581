"""The standard multi-agency indicator set every partnership starts with. The analyst
edits it afterwards (admin or data package); this only fills an empty catalogue."""

from safeguarding.core.services import create_audited
from safeguarding.performance.models import Indicator

LA, POLICE, ICB, NHS, SCHOOL = "local_authority", "police", "icb", "nhs_trust", "school"
Q, M, Y = "quarterly", "monthly", "yearly"
WORSE, BETTER, NEUTRAL = "lower_better", "higher_better", "neutral"
# What a count counts: events in the period (added up over 12 months), or children at
# the period's end (a stock: never added up, its 12 months are the average).
EVENTS, STOCK = "events", "stock"
AGE_SEX = ["age_band", "sex", "ethnicity", "locality"]

# code, title, definition, unit, measure, owner kind, frequency, polarity, priority code, breakdowns
STANDARD_SET = [
    (
        "contacts",
        "Contacts to children's social care",
        "Contacts received by the front door (MASH).",
        "count",
        EVENTS,
        LA,
        Q,
        NEUTRAL,
        "working-together",
        ["age_band", "locality"],
    ),
    (
        "referrals",
        "Referrals to children's social care",
        "Contacts that became referrals.",
        "count",
        EVENTS,
        LA,
        Q,
        NEUTRAL,
        "working-together",
        AGE_SEX,
    ),
    (
        "re-referrals-12m",
        "Re-referrals within 12 months",
        "Referrals within 12 months of a previous referral, as a percentage of all referrals.",
        "percentage",
        EVENTS,
        LA,
        Q,
        WORSE,
        "working-together",
        [],
    ),
    (
        "children-in-need",
        "Children in need",
        "Children in need at the end of the period.",
        "count",
        STOCK,
        LA,
        Q,
        NEUTRAL,
        None,
        AGE_SEX,
    ),
    (
        "cp-plans-new",
        "New child protection plans",
        "Child protection plans started in the period.",
        "count",
        EVENTS,
        LA,
        Q,
        NEUTRAL,
        None,
        AGE_SEX,
    ),
    (
        "cp-plans-repeat-2y",
        "Repeat child protection plans within 2 years",
        "New plans within 2 years of a previous plan ending, as a percentage of new plans.",
        "percentage",
        EVENTS,
        LA,
        Q,
        WORSE,
        None,
        [],
    ),
    (
        "children-looked-after",
        "Children looked after",
        "Children looked after at the end of the period.",
        "count",
        STOCK,
        LA,
        Q,
        NEUTRAL,
        None,
        AGE_SEX,
    ),
    (
        "mace-children-new",
        "Children discussed at MACE (new)",
        "Children discussed at the Multi-Agency Child Exploitation panel for the first time.",
        "count",
        EVENTS,
        POLICE,
        Q,
        NEUTRAL,
        "exploitation",
        AGE_SEX,
    ),
    (
        "mace-children-repeat",
        "Children discussed at MACE (repeat)",
        "Children discussed at MACE who had been discussed before.",
        "count",
        EVENTS,
        POLICE,
        Q,
        WORSE,
        "exploitation",
        [],
    ),
    (
        "missing-episodes",
        "Missing episodes",
        "Episodes of children reported missing.",
        "count",
        EVENTS,
        POLICE,
        Q,
        WORSE,
        "exploitation",
        ["age_band", "sex"],
    ),
    (
        "da-incidents",
        "Domestic abuse incidents",
        "Domestic abuse incidents recorded by police.",
        "count",
        EVENTS,
        POLICE,
        Q,
        NEUTRAL,
        None,
        ["locality"],
    ),
    (
        "da-crimes",
        "Domestic abuse crimes",
        "Domestic abuse crimes recorded by police.",
        "count",
        EVENTS,
        POLICE,
        Q,
        NEUTRAL,
        None,
        ["locality"],
    ),
    (
        "da-children-present",
        "Domestic abuse incidents with children present",
        "Incidents where a child was present or normally resident.",
        "count",
        EVENTS,
        POLICE,
        Q,
        NEUTRAL,
        None,
        ["locality"],
    ),
    (
        "op-encompass",
        "Operation Encompass notifications",
        "Notifications to schools before the next school day.",
        "count",
        EVENTS,
        POLICE,
        Q,
        BETTER,
        None,
        ["locality"],
    ),
    (
        "gcp2-assessments",
        "Graded Care Profile 2 assessments",
        "GCP2 assessments completed, by the agency sending the return.",
        "count",
        EVENTS,
        LA,
        Q,
        BETTER,
        "neglect",
        [],
    ),
    (
        "gcp2-assessments-health",
        "Graded Care Profile 2 assessments (health)",
        "GCP2 assessments completed by health practitioners.",
        "count",
        EVENTS,
        ICB,
        Q,
        BETTER,
        "neglect",
        [],
    ),
    (
        "early-help-assessments",
        "Early help assessments",
        "Early help assessments started.",
        "count",
        EVENTS,
        LA,
        Q,
        BETTER,
        None,
        ["age_band", "locality"],
    ),
    (
        "self-harm-ae-u18",
        "Under-18 self-harm attendances at A&E",
        "Attendances at emergency departments for self-harm by children under 18.",
        "count",
        EVENTS,
        ICB,
        Q,
        WORSE,
        None,
        ["age_band", "sex"],
    ),
    (
        "exclusions",
        "Permanent exclusions",
        "Permanent exclusions from school.",
        "count",
        EVENTS,
        LA,
        Y,
        WORSE,
        None,
        ["age_band", "sex"],
    ),
]


def standard_measure(code: str) -> str:
    """What the standard catalogue says an indicator's count counts; events for a code
    it does not have (a data package made before indicators carried it)."""
    return next((entry[4] for entry in STANDARD_SET if entry[0] == code), EVENTS)


def load_standard_set(*, actor, priorities: dict) -> int:
    """Add the standard indicators that are not there yet; returns how many."""
    existing = set(Indicator.objects.values_list("code", flat=True))
    added = 0
    for code, title, definition, unit, measure, owner, frequency, polarity, priority, breakdowns in STANDARD_SET:
        if code in existing:
            continue
        create_audited(
            Indicator(
                code=code,
                title=title,
                definition=definition,
                unit=unit,
                measure=measure,
                owner_kind=owner,
                frequency=frequency,
                polarity=polarity,
                priority=priorities.get(priority),
                breakdowns=sorted(breakdowns),
            ),
            actor,
        )
        added += 1
    return added
