"""Seeded synthetic records about children held by several agencies in two neighbouring partnerships.

Every person here is invented: names are drawn at random from pools of common names, addresses use fictional
streets and the fictional postcode areas NS and SV, and NHS numbers come from the reserved test range
999 000 0000 to 999 999 9999. The ground truth (which records are the same child) is kept beside the records.

``generate(n)`` returns exactly ``n`` records in the import columns, with ``truth``, the families and twins,
and the children who moved across the boundary with an open involvement (``moves``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

import pyarrow as pa

from . import errors as e
from .dataset import COLUMNS, INVOLVEMENTS, OPEN_INVOLVEMENTS, Move, SyntheticData, write_csv, write_truth_csv
from .names import (
    COMMON_SURNAME_SHARE,
    FIRST_NAMES,
    GROUP_WEIGHTS,
    MIDDLE_NAME_SHARE,
    PARTNER_SURNAME_GROUPS,
    SIMILAR_TWIN_NAMES,
    SURNAME_TAILS,
    SURNAMES,
    feminine_surname,
)
from .places import (
    AREA_DISTRICTS,
    AREAS,
    BLOCK_NAMES,
    DISTRICT_TOWNS,
    INWARD_LETTERS,
    KINDS,
    NORTHSHIRE,
    SOURCES,
    SOURCES_BY_CODE,
    SOUTHVALE,
    STREET_NAMES,
    STREET_TYPES,
    Source,
)
from .render import Child, Epoch, render

__all__ = [
    "AREA_DISTRICTS",
    "COLUMNS",
    "INVOLVEMENTS",
    "OPEN_INVOLVEMENTS",
    "REFERENCE_DATE",
    "SOURCES",
    "Move",
    "SyntheticData",
    "generate",
    "write_csv",
    "write_truth_csv",
]

SOCIAL_CARE_INVOLVEMENTS = (("cp_plan", 0.2), ("cin", 0.3), ("cla", 0.1), ("early_help", 0.3), ("open_case", 0.1))

REFERENCE_DATE = e.REFERENCE_DATE  # "today" in the synthetic world
OLDEST_DOB = date(2008, 7, 1)
YEAR = 365

# Shape of the population.
CHILDREN_PER_FAMILY = ((1, 0.40), (2, 0.35), (3, 0.16), (4, 0.06), (5, 0.03))
TWIN_SHARE = 0.05  # of families with two or more children
SIMILAR_TWIN_NAME_SHARE = 0.2
DOUBLE_BARRELLED_SHARE = 0.04
HALF_SIBLING_SHARE = 0.10
SURNAME_CHANGE_SHARE = 0.05  # families where a new partner's surname is taken up
INVOLVED_FAMILY_SHARE = 0.14
POLICE_INVOLVED_SHARE = 0.08  # children aged 10+
WITHIN_AREA_MOVE_SHARE = 0.15
CROSS_MOVE_SHARE = 0.03
CROSS_MOVE_SHARE_INVOLVED = 0.35

# Chance that a child has a record in each system (per stay in an area, for area systems).
P_GP = 0.9
P_SCHOOL = 0.88
P_HEALTH_VISITING = 0.55
HEALTH_VISITING_FROM = REFERENCE_DATE - timedelta(days=7 * YEAR)  # the system's records start here
P_ED = 0.3
P_POLICE = 0.05
P_POLICE_INVOLVED = 0.8
P_YOUTH_JUSTICE = 0.03
P_NEW_AREA_SOCIAL_CARE = 0.5
P_OLD_INVOLVEMENT_STILL_OPEN = 0.6


def _weighted(rng: random.Random, pairs) -> object:
    u = rng.random()
    acc = 0.0
    for value, weight in pairs:
        acc += weight
        if u < acc:
            return value
    return pairs[-1][0]


def _days(rng: random.Random, lo: date, hi: date) -> date:
    """A random day in [lo, hi] (lo if the range is empty)."""
    span = (hi - lo).days
    return lo + timedelta(days=rng.randint(0, span)) if span > 0 else lo


def _nhs_numbers(rng: random.Random) -> Iterator[str]:
    """Distinct valid NHS numbers from the test range, in a seeded order."""
    size = 1_000_000
    a = rng.choice((7919, 104729, 15485863, 32452843))  # primes, coprime to 10**6
    b = rng.randrange(size)
    for k in range(size):
        nine = f"999{(a * k + b) % size:06d}"
        check = e.nhs_check_digit(nine)
        if check is not None:
            yield nine + str(check)
    raise ValueError("ran out of NHS numbers in the test range (more than ~900,000 children)")


class _Generator:
    def __init__(self, seed: int, rates: e.ErrorRates):
        self.rng = random.Random(seed)
        self.rates = rates
        self.kind_rates = {kind: e.kind_rates(rates, kind) for kind in KINDS}
        self.nhs = _nhs_numbers(self.rng)
        # Per row, before shuffling: (source, 12 fields, child key, tags, as_of).
        self.rows: list[tuple] = []
        self.move_plans: list[tuple[Child, str, str, date, list[int], list[int]]] = []
        self.family_of: dict[str, str] = {}
        self.twin_of: dict[str, str] = {}
        self.n_families = 0
        self.n_children = 0
        self.sources_by_area = {
            area: {s.kind: s for s in SOURCES if s.area == area} for area in AREAS
        }  # social_care, health (GP), education
        self.ed = SOURCES_BY_CODE["shirevale-ed"]
        self.police = SOURCES_BY_CODE["shirevale-police"]
        self.hv = SOURCES_BY_CODE["shirevale-hv"]
        self.yjs = SOURCES_BY_CODE["shirevale-yjs"]

    # --- people and places ---------------------------------------------------------------------------------

    def _address(self, area: str, start: date, end: date) -> Epoch:
        rng = self.rng
        district = rng.choice(AREA_DISTRICTS[area])
        postcode = f"{district} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        street_type = rng.choice(STREET_TYPES)
        street = f"{rng.choice(STREET_NAMES)} {street_type}"
        town = DISTRICT_TOWNS[district]
        if rng.random() < 0.12:
            address = (
                f"Flat {rng.randint(1, 40)}, {rng.choice(STREET_NAMES)} {rng.choice(BLOCK_NAMES)}, {street}, {town}"
            )
        else:
            address = f"{rng.randint(1, 180)} {street}, {town}"
        return Epoch(start, end, area, postcode, address, street_type, start.isoformat())

    def _first_name(self, group: str, sex: str, taken: set[str]) -> str:
        rng = self.rng
        pool_group = group if (group == "english" or rng.random() < 0.8) else "english"
        pool = FIRST_NAMES[pool_group][sex]
        name = rng.choice(pool)
        while name in taken:
            name = rng.choice(pool)
        return name

    def _plain_surname(self, group: str) -> str:
        rng = self.rng
        pool = SURNAMES[group] if rng.random() < COMMON_SURNAME_SHARE[group] else SURNAME_TAILS[group]
        return rng.choice(pool)

    def _surname(self, group: str) -> str:
        rng = self.rng
        name = self._plain_surname(group)
        if rng.random() < DOUBLE_BARRELLED_SHARE:
            other = self._plain_surname(rng.choice(PARTNER_SURNAME_GROUPS))
            if other != name:
                name = f"{name}-{other}" if rng.random() < 0.8 else f"{name} {other}"
        return name

    # --- one family ----------------------------------------------------------------------------------------

    def family(self) -> None:
        rng = self.rng
        self.n_families += 1
        fkey = f"F{self.n_families:07d}"
        group = _weighted(rng, GROUP_WEIGHTS)
        surname = self._surname(group)
        n = _weighted(rng, CHILDREN_PER_FAMILY)
        latest = REFERENCE_DATE - timedelta(days=30)
        eldest = _days(rng, OLDEST_DOB, latest - timedelta(days=int((n - 1) * 2.5 * YEAR)))
        dobs = [eldest]
        for _ in range(n - 1):
            nxt = dobs[-1] + timedelta(days=rng.randint(YEAR, 6 * YEAR))
            if nxt > latest:
                break
            dobs.append(nxt)
        n = len(dobs)
        sexes = [rng.choice("FM") for _ in range(n)]
        firsts: list[str] = []
        twin_at = -1
        if n >= 2 and rng.random() < TWIN_SHARE:
            twin_at = rng.randrange(n - 1)
            dobs[twin_at + 1] = dobs[twin_at]
        taken: set[str] = set()
        preset: dict[int, str] = {}
        if twin_at >= 0 and rng.random() < SIMILAR_TWIN_NAME_SHARE:
            (n1, s1), (n2, s2) = rng.choice(SIMILAR_TWIN_NAMES)
            preset = {twin_at: n1, twin_at + 1: n2}
            sexes[twin_at], sexes[twin_at + 1] = s1, s2
            taken.update((n1, n2))
        for i in range(n):
            firsts.append(preset.get(i) or self._first_name(group, sexes[i], taken))
            taken.add(firsts[-1])
        # Family events.
        new_surname = ""
        if rng.random() < SURNAME_CHANGE_SHARE:
            partner = self._plain_surname(rng.choice(PARTNER_SURNAME_GROUPS))
            new_surname = f"{surname.split('-')[0]}-{partner}" if rng.random() < 0.3 else partner
        involved = rng.random() < INVOLVED_FAMILY_SHARE
        involvement = _weighted(rng, SOCIAL_CARE_INVOLVEMENTS) if involved else ""
        start = max(OLDEST_DOB - timedelta(days=YEAR), eldest - timedelta(days=rng.randint(0, 3 * YEAR)))
        epochs = [self._address(NORTHSHIRE if rng.random() < 0.55 else SOUTHVALE, start, REFERENCE_DATE)]
        if rng.random() < WITHIN_AREA_MOVE_SHARE:
            on = _days(rng, start + timedelta(days=60), REFERENCE_DATE - timedelta(days=60))
            epochs[-1].end = on - timedelta(days=1)
            epochs.append(self._address(epochs[-1].area, on, REFERENCE_DATE))
        cross_on: date | None = None
        if rng.random() < (CROSS_MOVE_SHARE_INVOLVED if involved else CROSS_MOVE_SHARE):
            lo = max(epochs[-1].start + timedelta(days=60), dobs[-1] + timedelta(days=30))
            hi = REFERENCE_DATE - timedelta(days=20)
            if lo < hi:
                cross_on = _days(rng, lo, hi)
                epochs[-1].end = cross_on - timedelta(days=1)
                to_area = SOUTHVALE if epochs[-1].area == NORTHSHIRE else NORTHSHIRE
                epochs.append(self._address(to_area, cross_on, REFERENCE_DATE))
        half_surname = ""
        bases: list[str] = []
        for i in range(n):
            last = surname
            if i > 0 and rng.random() < HALF_SIBLING_SHARE:
                half_surname = half_surname or self._surname(group)
                last = half_surname
            if twin_at >= 0 and i == twin_at + 1:
                last = bases[twin_at]  # twins share a surname
            bases.append(last)
            alt = new_surname
            if sexes[i] == "F":
                last = feminine_surname(last)
                alt = feminine_surname(alt)
            middle = ""
            if rng.random() < MIDDLE_NAME_SHARE[group]:
                middle = self._first_name(group, sexes[i], {firsts[i]})
                if rng.random() < 0.1:
                    middle += " " + self._first_name(group, sexes[i], {firsts[i], middle})
            self.n_children += 1
            child = Child(
                key=f"C{self.n_children:07d}",
                family=fkey,
                first=firsts[i],
                middle=middle,
                last=last,
                alt_last=alt if alt != last else "",
                dob=dobs[i],
                dob_iso=dobs[i].isoformat(),
                sex=sexes[i],
                nhs=next(self.nhs),
                involvement=involvement if involved and rng.random() < 0.85 else "",
                police_involved=rng.random() < POLICE_INVOLVED_SHARE,
            )
            self.family_of[child.key] = fkey
            self.child_records(child, epochs, cross_on)
        if twin_at >= 0:
            a = f"C{self.n_children - n + 1 + twin_at:07d}"
            b = f"C{self.n_children - n + 2 + twin_at:07d}"
            self.twin_of[a] = b
            self.twin_of[b] = a

    # --- one child's records ---------------------------------------------------------------------------------

    def child_records(self, child: Child, epochs: list[Epoch], cross_on: date | None) -> None:
        rng = self.rng
        dob = child.dob
        first_row = len(self.rows)
        # Stays in one area (a within-area move keeps the same systems; their address may be out of date).
        spans: list[list[Epoch]] = []
        for ep in epochs:
            if ep.end < dob:
                continue
            if spans and spans[-1][-1].area == ep.area:
                spans[-1].append(ep)
            else:
                spans.append([ep])
        if not spans:
            return
        crossed = len(spans) > 1
        for k, span in enumerate(spans):
            lo = max(span[0].start, dob)
            hi = span[-1].end
            area = span[0].area
            systems = self.sources_by_area[area]
            is_new_area = crossed and k > 0
            is_old_area = crossed and k == 0
            if is_new_area or rng.random() < P_GP:
                self.record(child, systems["health"], span, _days(rng, lo, hi))
            school_lo = max(lo, dob + timedelta(days=4 * YEAR))
            if school_lo < hi and rng.random() < P_SCHOOL:
                self.record(child, systems["education"], span, _days(rng, school_lo, hi))
            if child.involvement:
                if is_old_area:
                    as_of = _days(rng, lo, min(hi, cross_on - timedelta(days=10)))
                    if rng.random() < P_OLD_INVOLVEMENT_STILL_OPEN:
                        to = ""
                    else:
                        to = (cross_on + timedelta(days=rng.randint(5, 90))).isoformat()
                    self.record(child, systems["social_care"], span, as_of, (child.involvement, as_of.isoformat(), to))
                elif is_new_area:
                    if rng.random() < P_NEW_AREA_SOCIAL_CARE:
                        as_of = min(REFERENCE_DATE, cross_on + timedelta(days=rng.randint(10, 120)))
                        inv = (child.involvement, as_of.isoformat(), "")
                        self.record(child, systems["social_care"], span, as_of, inv)
                else:
                    as_of = _days(rng, lo, hi)
                    to_day = as_of + timedelta(days=rng.randint(90, 900))
                    to = to_day.isoformat() if to_day < REFERENCE_DATE else ""
                    self.record(child, systems["social_care"], span, as_of, (child.involvement, as_of.isoformat(), to))
        # Systems covering both areas.
        life_lo = max(spans[0][0].start, dob)
        if dob > HEALTH_VISITING_FROM and rng.random() < P_HEALTH_VISITING:
            as_of = _days(rng, life_lo, min(REFERENCE_DATE, dob + timedelta(days=5 * YEAR)))
            self.record(child, self.hv, self._span_at(spans, as_of), as_of)
        if rng.random() < P_ED:
            as_of = _days(rng, life_lo, REFERENCE_DATE)
            self.record(child, self.ed, self._span_at(spans, as_of), as_of)
        ten = dob + timedelta(days=10 * YEAR)
        if child.police_involved and ten < REFERENCE_DATE and rng.random() < P_POLICE_INVOLVED:
            as_of = _days(rng, max(life_lo, ten), REFERENCE_DATE)
            if cross_on and as_of >= cross_on and rng.random() < 0.5:
                as_of = _days(rng, max(life_lo, ten), cross_on - timedelta(days=1))  # open before the move
            if rng.random() < 0.6:
                inv = ("missing", as_of.isoformat(), (as_of + timedelta(days=rng.randint(0, 3))).isoformat())
            else:
                to_day = as_of + timedelta(days=rng.randint(30, 400))
                inv = ("mace", as_of.isoformat(), to_day.isoformat() if to_day < REFERENCE_DATE else "")
            self.record(child, self.police, self._span_at(spans, as_of), as_of, inv)
        elif rng.random() < P_POLICE:
            as_of = _days(rng, life_lo, REFERENCE_DATE)
            self.record(child, self.police, self._span_at(spans, as_of), as_of)
        if ten < REFERENCE_DATE and rng.random() < P_YOUTH_JUSTICE:
            as_of = _days(rng, max(life_lo, ten), REFERENCE_DATE)
            self.record(child, self.yjs, self._span_at(spans, as_of), as_of)
        if crossed and cross_on is not None:
            old: list[int] = []
            new: list[int] = []
            for i in range(first_row, len(self.rows)):
                (new if self.rows[i][-1] >= cross_on else old).append(i)
            self.move_plans.append((child, spans[0][0].area, spans[1][0].area, cross_on, old, new))

    @staticmethod
    def _span_at(spans: list[list[Epoch]], as_of: date) -> list[Epoch]:
        for span in spans:
            if as_of <= span[-1].end:
                return span
        return spans[-1]

    def record(
        self,
        child: Child,
        source: Source,
        span: list[Epoch],
        as_of: date,
        involvement: tuple[str, str, str] = ("", "", ""),
    ) -> None:
        epoch = span[-1]
        for ep in span:
            if as_of <= ep.end:
                epoch = ep
                break
        rng, rates = self.rng, self.kind_rates
        self.rows.append(render(rng, rates, child, source, epoch, as_of, involvement, ()))
        if rng.random() < rates[source.kind]["duplicate"]:
            self.rows.append(render(rng, rates, child, source, epoch, as_of, involvement, (e.DUPLICATE,)))

    # --- assembling -------------------------------------------------------------------------------------------

    def finish(self, n_records: int, seed: int) -> SyntheticData:
        rng = self.rng
        rows = self.rows
        del rows[n_records:]
        n = len(rows)
        order = list(range(n))
        rng.shuffle(order)
        counters = {s.code: 0 for s in SOURCES}
        prefixes = {s.code: s.prefix for s in SOURCES}
        shuffled = [rows[i] for i in order]
        ids: list[str] = []
        for row in shuffled:
            src = row[0]
            counters[src] += 1
            ids.append(f"{prefixes[src]}{counters[src]:07d}")
        record_id: list[str] = [""] * n
        for pos, i in enumerate(order):
            record_id[i] = ids[pos]
        fields = list(zip(*shuffled, strict=True)) if shuffled else [()] * 16
        del shuffled
        # fields: source, 12 import fields, child key, tags, as_of; the record_id goes second.
        cols = [fields[0], ids, *fields[1:13]]
        child_keys = list(fields[13])
        tags = list(fields[14])
        table = pa.table({name: pa.array(col, pa.string()) for name, col in zip(COLUMNS, cols, strict=True)})
        del cols, fields
        moves: list[Move] = []
        for child, from_area, to_area, on, old, new in self.move_plans:
            old = [i for i in old if i < n]
            new = [i for i in new if i < n]
            if not old or not new:
                continue
            on_iso = on.isoformat()
            if not any(
                rows[i][10] in OPEN_INVOLVEMENTS
                and rows[i][11] <= on_iso
                and (rows[i][12] == "" or rows[i][12] > on_iso)
                for i in old
            ):
                continue
            moves.append(
                Move(
                    child_key=child.key,
                    from_area=from_area,
                    to_area=to_area,
                    moved_on=on_iso,
                    old_records=tuple((rows[i][0], record_id[i]) for i in old),
                    new_records=tuple((rows[i][0], record_id[i]) for i in new),
                )
            )
        kept = set(child_keys)
        family_of = {k: f for k, f in self.family_of.items() if k in kept}
        twin_of = {k: t for k, t in self.twin_of.items() if k in kept and t in kept}
        return SyntheticData(table, child_keys, tags, moves, family_of, twin_of, seed, self.rates)


def generate(n_records: int, *, seed: int = 2026, rates: e.ErrorRates | None = None) -> SyntheticData:
    """Exactly ``n_records`` synthetic records, deterministic for a seed."""
    if n_records < 0:
        raise ValueError("n_records must not be negative")
    gen = _Generator(seed, rates or e.ErrorRates())
    while len(gen.rows) < n_records:
        gen.family()
    return gen.finish(n_records, seed)


def main(argv: list[str] | None = None) -> None:
    """``python -m safeguarding.synthetic.generate 50000 records.csv --truth truth.csv``"""
    import argparse  # only the command line needs it

    parser = argparse.ArgumentParser(description="Write synthetic agency records about children (all invented).")
    parser.add_argument("records", type=int, help="how many records")
    parser.add_argument("out", help="the import CSV to write")
    parser.add_argument("--truth", help="also write the ground truth CSV here")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data = generate(args.records, seed=args.seed)
    write_csv(data, args.out)
    if args.truth:
        write_truth_csv(data, args.truth)
    print(f"{len(data)} records about {len(set(data.child_keys))} children, {len(data.moves)} moves")


if __name__ == "__main__":
    main()
