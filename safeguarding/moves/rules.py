"""Rules about children who move across area boundaries, as named functions with tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeguarding.core.working_days import add_working_days, working_days_between

# Children who move across area boundaries -----------------------------------------------

TRANSFER_IN_CONFERENCE_WORKING_DAYS = 15
# A new alert should be acknowledged by the end of the next working day; after that it
# is overdue and escalates.
ACKNOWLEDGE_WITHIN_WORKING_DAYS = 1
# A move first noticed more than this many working days after the address changed was
# found late (the seeds: a move "later discovered through health records").
FOUND_LATE_AFTER_WORKING_DAYS = 5


def transfer_in_conference_due(notified_on: dt.date) -> dt.date:
    """Working Together 2023 (and the brief): when a child on a child protection plan
    moves in, the receiving area holds a transfer-in conference within 15 working days
    of being told of the move; the old area keeps responsibility until then."""
    return add_working_days(notified_on, TRANSFER_IN_CONFERENCE_WORKING_DAYS)


def acknowledgement_due(raised_on: dt.date) -> dt.date:
    """The day by which a move alert must be acknowledged (local standard: the next
    working day)."""
    return add_working_days(raised_on, ACKNOWLEDGE_WITHIN_WORKING_DAYS)


def alert_overdue(*, status: str, raised_on: dt.date, today: dt.date) -> bool:
    """A new alert nobody has acknowledged by its due day is overdue."""
    return status == "new" and today > acknowledgement_due(raised_on)


def found_late(address_changed_on: dt.date, raised_on: dt.date) -> bool:
    """Whether a move reached the MASH later than it should have: more than
    ``FOUND_LATE_AFTER_WORKING_DAYS`` working days after the new address began."""
    return working_days_between(address_changed_on, raised_on) > FOUND_LATE_AFTER_WORKING_DAYS


# Which status may follow which. Closing is possible from any open status (with a reason).
ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"acknowledged", "information_requested", "closed"}),
    "acknowledged": frozenset({"information_requested", "information_received", "closed"}),
    "information_requested": frozenset({"information_received", "closed"}),
    "information_received": frozenset({"information_requested", "closed"}),
    "closed": frozenset(),
}


def alert_can_move(current: str, new: str) -> bool:
    return new in ALERT_TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True)
class OpenInvolvement:
    kind: str
    started_on: dt.date | None
    area_id: int


@dataclass(frozen=True)
class RecordSeen:
    """What move detection needs to know of one of the child's records."""

    pk: int
    source_id: int
    source_area_ids: frozenset[int]
    area_id: int | None
    address_from: dt.date | None
    received_on: dt.date


@dataclass(frozen=True)
class FoundMove:
    from_area_id: int
    to_area_id: int
    trigger: str  # "address" or "appeared"
    record_pk: int
    source_id: int
    address_changed_on: dt.date
    involvement_kinds: tuple[str, ...]


def moves_found(
    involvements: Iterable[OpenInvolvement], records: Iterable[RecordSeen], *, new_since: dt.date | None = None
) -> list[FoundMove]:
    """The moves one child's records show, for a child with open involvements.

    - **address**: a record puts the child in an area other than where an involvement is
      open, at an address that began after the involvement did and after the latest
      address the involvement's area holds. An address with no start date counts only
      when its record has just arrived (received on or after ``new_since``): otherwise
      nothing says when the child lived there.
    - **appeared**: a record newly received from a system serving only other areas, even
      at the old address (a GP or school registration in the new area).

    One move per pair of areas, evidenced by the record that arrived first (then the
    earliest address); the address change is the earliest new address.
    """
    involvements = list(involvements)
    records = list(records)
    by_area: dict[int, list[OpenInvolvement]] = {}
    for involvement in involvements:
        by_area.setdefault(involvement.area_id, []).append(involvement)
    known_areas = set(by_area)

    def is_new(record: RecordSeen) -> bool:
        return new_since is not None and record.received_on >= new_since

    def address_date(record: RecordSeen) -> dt.date | None:
        return record.address_from or (record.received_on if is_new(record) else None)

    found = []
    for home, open_here in sorted(by_area.items()):
        starts = [i.started_on for i in open_here if i.started_on]
        started = min(starts) if starts else dt.date.min
        home_dates = [d for r in records if r.area_id == home and (d := address_date(r))]
        latest_home = max(home_dates, default=dt.date.min)
        kinds = tuple(sorted({i.kind for i in open_here}))
        evidence: dict[int, list[tuple[RecordSeen, dt.date, str]]] = {}
        for record in records:
            when = address_date(record)
            if record.area_id and record.area_id not in known_areas and when and when >= started and when > latest_home:
                evidence.setdefault(record.area_id, []).append((record, when, "address"))
        for record in records:
            if not is_new(record) or len(record.source_area_ids) != 1 or record.source_area_ids & known_areas:
                continue
            (elsewhere,) = record.source_area_ids
            if elsewhere not in evidence:
                evidence.setdefault(elsewhere, []).append((record, record.received_on, "appeared"))
            elif all(trigger == "appeared" for _r, _d, trigger in evidence[elsewhere]):
                evidence[elsewhere].append((record, record.received_on, "appeared"))
        for elsewhere, seen in sorted(evidence.items()):
            first, _when, trigger = min(seen, key=lambda s: (s[0].received_on, s[1], s[0].pk))
            found.append(
                FoundMove(
                    from_area_id=home,
                    to_area_id=elsewhere,
                    trigger=trigger,
                    record_pk=first.pk,
                    source_id=first.source_id,
                    address_changed_on=min(when for _r, when, _t in seen),
                    involvement_kinds=kinds,
                )
            )
    return found
