"""The demo's move alerts: a past year of moves the MASH handled, a delivery today that
shows new ones, and a misspelt name that "Is this child known?" still finds.

The first full linkage run raises an alert for every move in the synthetic records, all
on the day the demo is loaded. In the story the last 15 months' moves were each found
soon after the family moved (or later, through health records), and older ones on the
areas' first linkage run; ``history_write`` backdates the alerts to match (raised,
acknowledged, conferences held, closed) with direct ORM updates and no audit events:
the services only ever act now, and the demo's past cannot be lived through again. Today's alerts go
through the real path, ``services.records_receive``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from safeguarding.accounts.models import Area, User
from safeguarding.children import records as record_checks
from safeguarding.children import selectors, services
from safeguarding.children.matching import index_cache
from safeguarding.children.models import AgencyRecord, Child, Involvement
from safeguarding.core import mail
from safeguarding.core.audit import actor_fields
from safeguarding.core.working_days import add_working_days, is_working_day
from safeguarding.moves import rules
from safeguarding.moves.models import MoveAlert, MoveAlertUpdate
from safeguarding.synthetic.places import (
    AREA_DISTRICTS,
    DISTRICT_TOWNS,
    INWARD_LETTERS,
    SOURCES,
    STREET_NAMES,
    STREET_TYPES,
)

SEED = 7  # issue 7: the same story every time
# In the story the areas began linking records about 15 months ago: that first run found
# the older moves all at once. (Raising those on the demo's own run day would put years-old
# moves into this year's question 10 figures, which count alerts by the day raised.)
RECENT = dt.timedelta(days=456)
OPEN_LEFT = 3
# Working days from the new address to the record that showed it, by the kind of system
# (weight, fewest, most): a school admission or a council's case is passed on within a day
# or two; a GP registration often reaches the records weeks or months later.
DELAYS = {
    "health": (0.4, (1, 2), (10, 60)),
    "education": (0.8, (1, 2), (6, 25)),
}
OTHER_DELAYS = (0.9, (1, 2), (6, 15))
OLD_REASON = "Found on the first linkage run, after the areas had already arranged the transfer."
CLOSED_REASONS = {
    Involvement.Kind.CLA: "Placement notified to {to}; {home} stays responsible as the placing authority.",
    Involvement.Kind.EARLY_HELP: "Family referred to {to} early help; {home} early help closed.",
    Involvement.Kind.MACE: "Shared with {to} police and MASH; {to} MACE now leads.",
    Involvement.Kind.MISSING: "Shared with {to} police and MASH; {to} MACE now leads.",
}
OTHER_REASON = "Case transferred to {to} children's services; {home} case closed."
CP_REASON = "Transfer-in conference held in {to} on {held:%-d %B %Y}; {to} now leads the child protection plan."


@dataclass
class LookupExample:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    reference: str
    agencies: int
    spelt: str  # the name as the agencies hold it


@dataclass
class MovesStory:
    closed: int = 0
    found_late: int = 0
    raised_today: list[MoveAlert] = field(default_factory=list)
    shortfall: str = ""
    lookup: LookupExample | None = None

    def hints(self) -> list[str]:
        """Lines for load_demo to print under the log-ins."""
        lines = [open_alerts_line()]
        if self.shortfall:
            lines.append(f"  ({self.shortfall})")
        if self.lookup:
            e = self.lookup
            lines.append(
                f"Try 'Is this child known?' with: {e.first_name} {e.last_name}, born {e.date_of_birth.day}/"
                f"{e.date_of_birth.month}/{e.date_of_birth.year} (a misspelling of {e.spelt}, "
                f"a child known to {e.agencies} agencies)."
            )
        return lines


def open_alerts_line() -> str:
    alerts = MoveAlert.objects.exclude(status=MoveAlert.Status.CLOSED)
    new = alerts.filter(status=MoveAlert.Status.NEW).count()
    return f"Move alerts waiting for the MASH (sign in as sam): {alerts.count()} open, {new} of them new today."


def load_moves(*, actor, today: dt.date) -> MovesStory:
    rng = random.Random(SEED)
    story = MovesStory()
    story.closed, story.found_late = history_write(rng=rng, today=today, actor=actor)
    with mail.sending(True):  # the MASH teams are e-mailed about today's alerts
        story.raised_today, story.shortfall = delivery_send(rng=rng, today=today, actor=actor)
    story.lookup = lookup_example(rng=rng)
    return story


# The past year ---------------------------------------------------------------------------


def _at(day: dt.date, rng: random.Random, hours: tuple[int, int] = (8, 16)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(*hours), rng.randrange(60))))


def _delay(rng: random.Random, kind: str) -> int:
    share, fast, slow = DELAYS.get(kind, OTHER_DELAYS)
    return rng.randint(*(fast if rng.random() < share else slow))


def history_write(*, rng: random.Random, today: dt.date, actor) -> tuple[int, int]:
    """Backdate the first run's alerts; returns (closed, found late among them)."""
    sam = User.objects.filter(username="sam").first()
    by = sam or actor
    label = actor_fields(by)["actor_label"]
    areas = dict(Area.objects.values_list("pk", "name"))
    alerts = list(MoveAlert.objects.select_related("detected_by").order_by("address_changed_on", "pk"))
    first_run = today - RECENT
    while not is_working_day(first_run):
        first_run += dt.timedelta(days=1)
    recent = [a.pk for a in alerts if a.address_changed_on >= first_run]
    left_open = set(recent[-min(OPEN_LEFT, len(recent) // 3) :]) if len(recent) >= 3 else set()
    updates: list[MoveAlertUpdate] = []
    found_late = 0

    def step(alert: MoveAlert, status: str, at: dt.datetime, note: str, who: str = label) -> None:
        updates.append(MoveAlertUpdate(alert=alert, status=status, note=note, actor_label=who, at=at))

    for alert in alerts:
        alert.acknowledged_by = sam
        home, to = areas[alert.from_area_id], areas[alert.to_area_id]
        if alert.pk in left_open:
            _open(alert, rng, today, step, to)
            continue
        if alert.address_changed_on < first_run:
            _raise(alert, first_run, rng)
            alert.status, alert.closed_reason = MoveAlert.Status.CLOSED, OLD_REASON
            alert.acknowledged_at = alert.closed_at = alert.raised_at + dt.timedelta(minutes=rng.randint(30, 240))
            step(alert, alert.status, alert.closed_at, OLD_REASON)
            continue
        raised_on = max(
            min(
                add_working_days(alert.address_changed_on, _delay(rng, alert.detected_by.kind)),
                today - dt.timedelta(days=45),  # leaves time for the alert's whole life
            ),
            add_working_days(alert.address_changed_on, 1),
        )
        last = _acknowledge(alert, raised_on, rng, step, to)
        if rng.random() < 0.5:
            asked = last + dt.timedelta(minutes=rng.randint(20, 120))
            step(alert, MoveAlert.Status.INFORMATION_REQUESTED, asked, f"Asked {to} MASH for the family's details.")
            last = _at(add_working_days(asked.date(), rng.randint(1, 4)), rng)
            step(alert, MoveAlert.Status.INFORMATION_RECEIVED, last, f"{to} confirmed the address and the worker.")
        if alert.cp_plan:
            late = rng.random() < 0.15
            alert.conference_held_on = add_working_days(raised_on, rng.randint(16, 24) if late else rng.randint(8, 15))
            closed_on = add_working_days(max(alert.conference_held_on, last.date()), rng.randint(0, 2))
            reason = CP_REASON.format(to=to, held=alert.conference_held_on)
        else:
            closed_on = add_working_days(last.date(), rng.randint(1, 10))
            kind = next((k for k in alert.involvements if k in CLOSED_REASONS), "")
            reason = CLOSED_REASONS.get(kind, OTHER_REASON).format(to=to, home=home)
        alert.status, alert.closed_reason = MoveAlert.Status.CLOSED, reason
        alert.closed_at = max(_at(closed_on, rng), last + dt.timedelta(minutes=30))
        step(alert, alert.status, alert.closed_at, reason)
        found_late += rules.found_late(alert.address_changed_on, raised_on)
    MoveAlert.objects.bulk_update(
        alerts,
        [
            "raised_at",
            "conference_due_on",
            "conference_held_on",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "closed_at",
            "closed_reason",
            "escalated_at",
            "evidence",
        ],
        batch_size=500,
    )
    # The detector's own first step moves back with the alert.
    raised = {a.pk: a.raised_at for a in alerts}
    first_steps = list(MoveAlertUpdate.objects.filter(alert__in=alerts, status=MoveAlert.Status.NEW))
    for update in first_steps:
        update.at = raised[update.alert_id]
    MoveAlertUpdate.objects.bulk_update(first_steps, ["at"], batch_size=500)
    MoveAlertUpdate.objects.bulk_create(updates, batch_size=500)
    return len(alerts) - len(left_open), found_late


def _raise(alert: MoveAlert, raised_on: dt.date, rng: random.Random) -> None:
    alert.raised_at = _at(raised_on, rng, (7, 15))
    for seen in alert.evidence:  # as the records stood then
        seen["received"] = min(seen["received"], raised_on.isoformat())
    if alert.cp_plan:
        alert.conference_due_on = rules.transfer_in_conference_due(raised_on)


def _acknowledge(alert: MoveAlert, raised_on: dt.date, rng: random.Random, step, to: str) -> dt.datetime:
    """Raise the alert on ``raised_on`` and acknowledge it (mostly the same or the next
    working day; now and then later, after the escalation)."""
    _raise(alert, raised_on, rng)
    roll = rng.random()
    days = 0 if roll < 0.45 else 1 if roll < 0.92 else rng.randint(2, 3)
    acknowledged = _at(add_working_days(raised_on, days), rng, (9, 16))
    acknowledged = max(acknowledged, alert.raised_at + dt.timedelta(minutes=rng.randint(20, 90)))
    due = rules.acknowledgement_due(raised_on)
    if acknowledged.date() > due:
        escalated_on = due + dt.timedelta(days=1)
        while not is_working_day(escalated_on):
            escalated_on += dt.timedelta(days=1)
        alert.escalated_at = _at(escalated_on, rng, (6, 6))
        note = "Not acknowledged by the next working day: escalated."
        step(alert, MoveAlert.Status.NEW, alert.escalated_at, note, "system: escalation")
    alert.acknowledged_at = acknowledged
    step(alert, MoveAlert.Status.ACKNOWLEDGED, acknowledged, f"Read the evidence; {to} MASH told of the move.")
    return acknowledged


def _open(alert: MoveAlert, rng: random.Random, today: dt.date, step, to: str) -> None:
    """One of the few still being worked on: found late, raised in the last fortnight."""
    raised_on = today - dt.timedelta(days=rng.randint(4, 14))
    while not is_working_day(raised_on) or add_working_days(raised_on, 3) >= today:
        raised_on -= dt.timedelta(days=1)
    acknowledged = _acknowledge(alert, raised_on, rng, step, to)
    alert.status = MoveAlert.Status.ACKNOWLEDGED
    if rng.random() < 0.6:
        asked = acknowledged + dt.timedelta(minutes=rng.randint(20, 120))
        alert.status = MoveAlert.Status.INFORMATION_REQUESTED
        step(alert, alert.status, asked, f"Asked {to} MASH whether the family is known there.")


# Today's delivery ------------------------------------------------------------------------

# (home area, kind of involvement wanted, the system in the new area that sends the record)
DELIVERY = [
    ("northshire", Involvement.Kind.CP_PLAN, "southvale-gp"),
    ("southvale", Involvement.Kind.CIN, "northshire-schools"),
    ("northshire", None, "southvale-schools"),
    ("southvale", None, "northshire-gp"),
    ("southvale", Involvement.Kind.CP_PLAN, "northshire-gp"),
]
PREFIXES = {s.code: s.prefix for s in SOURCES}
SCHOOL_AGE = 4


def delivery_send(*, rng: random.Random, today: dt.date, actor) -> tuple[list[MoveAlert], str]:
    """A few new records putting children known in one area at a new address in the
    other, sent through the real import and matching; returns the alerts raised and, where
    the data had too few suitable children, what is missing."""
    open_here: dict[str, dict[str, list[int]]] = {"northshire": {}, "southvale": {}}
    # Children with an alert are left out in Python: as an anti-join, PostgreSQL plans it
    # badly on tables just bulk-loaded (no statistics yet) and takes minutes.
    alerted = set(MoveAlert.objects.values_list("child_id", flat=True))
    for child_id, kind, code in (
        Involvement.objects.filter(
            ended_on__isnull=True,
            record__child__isnull=False,
            record__source__code__in=["northshire-csc", "southvale-csc"],
        )
        .order_by("record__child_id", "kind")
        .values_list("record__child_id", "kind", "record__source__code")
    ):
        if child_id not in alerted:
            open_here[code.split("-")[0]].setdefault(kind, []).append(child_id)
    # A child with a case open in both areas would not show a move between them.
    left_out = set.intersection(*({c for ids in by_kind.values() for c in ids} for by_kind in open_here.values()))
    # The demo's records all arrived today, so one with no address date would count as
    # an address from today (rules.moves_found) and hide the date the family moved.
    left_out |= set(AgencyRecord.objects.filter(address_from__isnull=True).values_list("child_id", flat=True))
    delivered: list[int] = []
    rows, missing = [], []
    for number, (home, wanted, source) in enumerate(DELIVERY, start=1):
        kinds = [wanted] if wanted else sorted(open_here[home])
        candidates = sorted({c for k in kinds for c in open_here[home].get(k, [])} - left_out - set(delivered))
        record = _copy_from(candidates, rng, today, needs_school_age=source.endswith("schools"))
        if record is None:
            what = Involvement.Kind(wanted).label.lower() if wanted else "involvement"
            missing.append(f"no {home} child with an open {what} and no alert")
            continue
        delivered.append(record.child_id)
        away = "southvale" if home == "northshire" else "northshire"
        rows.append(_row(record, source, number, rng, today, away=away))
    if rows:
        checked = record_checks.check_rows("demo delivery", rows, known_sources=set(PREFIXES), today=today)
        services.records_receive(checked, actor=actor, origin="demo", file_name="demo-delivery.csv")
    raised = list(MoveAlert.objects.filter(status=MoveAlert.Status.NEW, child_id__in=delivered))
    if len(raised) < len(delivered):
        missing.append(f"{len(delivered) - len(raised)} of its records did not link to their child")
    return raised, ("today's demo delivery is short: " + "; ".join(missing) if missing else "")


def _copy_from(candidates: list[int], rng: random.Random, today: dt.date, *, needs_school_age: bool):
    """The record to copy a child's details from: one of theirs with a valid NHS number."""
    rng.shuffle(candidates)
    for child_id in candidates:
        record = (
            AgencyRecord.objects.filter(child_id=child_id, nhs_number_valid=True, date_of_birth__isnull=False)
            .exclude(first_name="")
            .order_by("pk")
            .first()
        )
        if record and (not needs_school_age or (today - record.date_of_birth).days > SCHOOL_AGE * 365):
            return record
    return None


def _row(record: AgencyRecord, source: str, number: int, rng: random.Random, today: dt.date, *, away: str) -> dict:
    district = rng.choice(AREA_DISTRICTS[away])
    moved_on = today - dt.timedelta(days=rng.randint(2, 6))
    return {
        "source": source,
        "record_id": f"{PREFIXES[source]}9{number:06d}",
        "first_name": record.first_name,
        "middle_names": "" if source.endswith("schools") else record.middle_names,
        "last_name": record.last_name,
        "date_of_birth": record.date_of_birth.isoformat(),
        "sex": record.sex,
        "nhs_number": record.nhs_number,
        "postcode": f"{district} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}",
        "address": f"{rng.randint(1, 180)} {rng.choice(STREET_NAMES)} {rng.choice(STREET_TYPES)}, "
        f"{DISTRICT_TOWNS[district]}",
        "address_from": moved_on.isoformat(),
    }


# "Is this child known?" --------------------------------------------------------------------


def misspell(name: str, rng: random.Random) -> str:
    """One letter dropped, or two neighbouring letters swapped (never the first)."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    if rng.random() < 0.5 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def lookup_example(*, rng: random.Random, tries: int = 40) -> LookupExample | None:
    """A child known to three or more agencies whose misspelt name, with the right date
    of birth, the lookup still puts first."""
    known = list(
        Child.objects.filter(status=Child.Status.ACTIVE)
        .annotate(agencies=Count("records__source", distinct=True))
        .filter(agencies__gte=3)
        .order_by("pk")
        .values_list("pk", "reference", "agencies")
    )
    if not known or index_cache.get() is None:
        return None
    for pk, reference, agencies in rng.sample(known, min(tries, len(known))):
        names = Counter(
            AgencyRecord.objects.filter(child_id=pk, date_of_birth__isnull=False)
            .exclude(first_name="")
            .values_list("first_name", "last_name", "date_of_birth")
        )
        if not names:
            continue
        (first, last, born), _n = names.most_common(1)[0]
        if not (first.isalpha() and last.isalpha()):
            continue
        wrong = misspell(last, rng) if rng.random() < 0.6 else None
        query = (first, wrong) if wrong else (misspell(first, rng), last)
        held = {(given.lower(), family.lower()) for given, family, _born in names}
        if (query[0].lower(), query[1].lower()) in held:
            continue
        details = {"first_name": query[0], "last_name": query[1], "date_of_birth": born.isoformat()}
        found = selectors.lookup_unscoped(details)
        if found and found[0].reference == reference:
            return LookupExample(*query, born, reference, agencies, f"{first} {last}")
    return None
