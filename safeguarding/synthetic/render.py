"""One record as an agency system holds it: the child's details, with the errors that system makes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from . import errors as e
from .names import NICKNAMES, PHONETIC, SURNAME_PHONETIC
from .places import STREET_ABBREVIATIONS, Source

P_ADDRESS_ABBREVIATED = 0.2


@dataclass(slots=True)
class Epoch:
    """A household's stay at one address."""

    start: date
    end: date
    area: str
    postcode: str
    address: str
    street_type: str
    start_iso: str


@dataclass(slots=True)
class Child:
    """A child's true details, before any agency writes them down."""

    key: str
    family: str
    first: str
    middle: str
    last: str
    alt_last: str
    dob: date
    dob_iso: str
    sex: str
    nhs: str
    involvement: str
    police_involved: bool


def render(
    rng: random.Random,
    kind_rates: dict[str, dict[str, float]],
    child: Child,
    source: Source,
    epoch: Epoch,
    as_of: date,
    involvement: tuple[str, str, str],
    tags: tuple[str, ...],
) -> tuple:
    """The record ``source`` holds about ``child`` as of ``as_of``: a tuple of the twelve import fields after
    source and record_id (the first item is the source code), then the child key, the error tags and as_of."""
    rnd = rng.random
    r = kind_rates[source.kind]
    tags = list(tags)
    first = child.first
    nick = NICKNAMES.get(first)
    if nick and rnd() < r["nickname"]:
        first = rng.choice(nick)
        tags.append(e.NICKNAME)
    else:
        heard = PHONETIC.get(first)
        if heard and rnd() < r["phonetic_first"]:
            first = rng.choice(heard)
            tags.append(e.PHONETIC_FIRST)
    middle = child.middle if source.stores_middle_names else ""
    last = child.last
    if child.alt_last and rnd() < r["surname_changed"]:
        last = child.alt_last
        tags.append(e.SURNAME_CHANGED)
    if "-" in last or " " in last:
        u = rnd()
        parts = last.replace("-", " ").split(" ", 1)
        if u < 0.12:
            last = parts[0]
            tags.append(e.SURNAME_PART)
        elif u < 0.24:
            last = parts[1]
            tags.append(e.SURNAME_PART)
        elif u < 0.34:
            last = f"{parts[0]} {parts[1]}" if "-" in last else f"{parts[0]}-{parts[1]}"
    heard = SURNAME_PHONETIC.get(last)
    if heard and rnd() < r["phonetic_last"]:
        last = rng.choice(heard)
        tags.append(e.PHONETIC_LAST)
    if source.ascii_only:
        strip = e.strip_diacritics
        a, b, c = strip(first), strip(middle), strip(last)
        if a != first or b != middle or c != last:
            tags.append(e.DIACRITICS_STRIPPED)
            first, middle, last = a, b, c
    if middle and rnd() < r["first_middle_swap"]:
        names = middle.split(" ")
        first, middle = names[0], " ".join([first, *names[1:]])
        tags.append(e.FIRST_MIDDLE_SWAP)
    if rnd() < r["first_last_swap"]:
        first, last = last, first
        tags.append(e.FIRST_LAST_SWAP)
    if rnd() < r["typo_first"]:
        first = e.typo(first, rng)
        tags.append(e.TYPO_FIRST)
    if rnd() < r["typo_last"]:
        last = e.typo(last, rng)
        tags.append(e.TYPO_LAST)
    if source.upper_surname:
        last = last.upper()
    # Date of birth.
    dob = child.dob
    dob_iso = child.dob_iso
    if rnd() < r["dob_day_month"]:
        swapped = e.day_month_swap(dob)
        if swapped is not None:
            dob = swapped
            tags.append(e.DOB_DAY_MONTH)
    if rnd() < r["dob_off_day"]:
        dob = e.off_by_day(dob, rng)
        tags.append(e.DOB_OFF_DAY)
    if rnd() < r["dob_off_year"]:
        dob = e.off_by_year(dob, rng)
        tags.append(e.DOB_OFF_YEAR)
    if dob > e.REFERENCE_DATE:
        # A typo that lands after today is not one an agency's system would accept.
        dob = child.dob
        tags = [t for t in tags if t not in (e.DOB_DAY_MONTH, e.DOB_OFF_DAY, e.DOB_OFF_YEAR)]
    if dob is not child.dob:
        dob_iso = dob.isoformat()
    sex = child.sex
    if rnd() < r["sex_missing"]:
        sex = ""
        tags.append(e.SEX_MISSING)
    # NHS number.
    nhs = child.nhs
    if rnd() < r["nhs_missing"]:
        nhs = ""
        tags.append(e.NHS_MISSING)
    else:
        u = rnd()
        if u < r["nhs_invalid"]:
            nhs = e.mistype_nhs(nhs, rng, valid=False)
            tags.append(e.NHS_INVALID)
        elif u < r["nhs_invalid"] + r["nhs_other_valid"]:
            nhs = e.mistype_nhs(nhs, rng, valid=True)
            tags.append(e.NHS_OTHER_VALID)
    # Address.
    postcode = epoch.postcode
    if rnd() < r["postcode_missing"]:
        postcode = ""
        tags.append(e.POSTCODE_MISSING)
    address = epoch.address
    if rnd() < P_ADDRESS_ABBREVIATED:
        st = epoch.street_type
        address = address.replace(f" {st},", f" {STREET_ABBREVIATIONS.get(st, st)},")
        if source.kind == "police":
            address = address.upper()
    address_from = ""
    if source.records_address_from:
        address_from = epoch.start_iso if epoch.start > child.dob else child.dob_iso
    inv, inv_from, inv_to = involvement
    return (
        source.code, first, middle, last, dob_iso, sex, nhs, postcode, address, address_from,
        inv, inv_from, inv_to, child.key, tuple(tags), as_of,
    )  # fmt: skip
