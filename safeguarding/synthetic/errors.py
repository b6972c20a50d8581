"""The errors the generator puts into records, their rates, and the small string and number helpers.

Each record carries the tags of the errors applied to it, so a benchmark can say which kinds of error
cause missed or wrong links.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, timedelta

# Error tags (kept beside each record).
TYPO_FIRST = "typo_first"
TYPO_LAST = "typo_last"
NICKNAME = "nickname"
PHONETIC_FIRST = "phonetic_first"
PHONETIC_LAST = "phonetic_last"
DIACRITICS_STRIPPED = "diacritics_stripped"
SURNAME_CHANGED = "surname_changed"
SURNAME_PART = "surname_part"
FIRST_MIDDLE_SWAP = "first_middle_swap"
FIRST_LAST_SWAP = "first_last_swap"
DOB_DAY_MONTH = "dob_day_month"
DOB_OFF_DAY = "dob_off_day"
DOB_OFF_YEAR = "dob_off_year"
NHS_MISSING = "nhs_missing"
NHS_INVALID = "nhs_invalid"
NHS_OTHER_VALID = "nhs_other_valid"
POSTCODE_MISSING = "postcode_missing"
SEX_MISSING = "sex_missing"
DUPLICATE = "duplicate"

ALL_TAGS = (
    TYPO_FIRST, TYPO_LAST, NICKNAME, PHONETIC_FIRST, PHONETIC_LAST, DIACRITICS_STRIPPED, SURNAME_CHANGED,
    SURNAME_PART, FIRST_MIDDLE_SWAP, FIRST_LAST_SWAP, DOB_DAY_MONTH, DOB_OFF_DAY, DOB_OFF_YEAR, NHS_MISSING,
    NHS_INVALID, NHS_OTHER_VALID, POSTCODE_MISSING, SEX_MISSING, DUPLICATE,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """Per-record probabilities of each error before the multipliers for the kind of agency.

    ``nickname`` and ``phonetic_*`` apply only to names that have a variant; ``first_middle_swap`` only to
    records with a middle name; ``dob_day_month`` only where the day is 12 or less and differs from the month.
    ``nhs_missing`` is set per kind of agency in ``NHS_MISSING_BY_KIND``.
    """

    typo_first: float = 0.025
    typo_last: float = 0.025
    nickname: float = 0.08
    phonetic_first: float = 0.04
    phonetic_last: float = 0.03
    first_middle_swap: float = 0.03
    first_last_swap: float = 0.01
    dob_day_month: float = 0.02
    dob_off_day: float = 0.01
    dob_off_year: float = 0.008
    nhs_invalid: float = 0.012
    nhs_other_valid: float = 0.004
    postcode_missing: float = 0.02
    sex_missing: float = 0.01
    duplicate: float = 0.03
    # Of children in a family whose surname changed (new partner), the share of records using the new one.
    surname_changed: float = 0.5


# How much more (or less) often each kind of agency makes each error.
KIND_FACTORS: dict[str, dict[str, float]] = {
    "social_care": {"typo_first": 0.6, "typo_last": 0.6, "nickname": 0.8, "phonetic_first": 0.5},
    "health": {"typo_first": 0.6, "typo_last": 0.6, "nickname": 0.4, "phonetic_first": 0.4, "phonetic_last": 0.4},
    "police": {
        "typo_first": 2.0, "typo_last": 2.0, "nickname": 2.5, "phonetic_first": 6.0, "phonetic_last": 6.0,
        "first_last_swap": 2.5, "dob_day_month": 2.0, "dob_off_day": 2.0, "dob_off_year": 2.0,
        "postcode_missing": 4.0, "duplicate": 2.0, "first_middle_swap": 0.0,
    },
    "education": {"nickname": 2.0, "duplicate": 0.5},
    "other": {"typo_first": 1.5, "typo_last": 1.5, "nickname": 1.5, "phonetic_first": 2.0},
}  # fmt: skip

NHS_MISSING_BY_KIND = {"social_care": 0.2, "health": 0.03, "police": 0.8, "education": 0.85, "other": 0.5}


def kind_rates(rates: ErrorRates, kind: str) -> dict[str, float]:
    """The effective per-record rates for one kind of agency."""
    factors = KIND_FACTORS.get(kind, {})
    out = {f.name: min(1.0, getattr(rates, f.name) * factors.get(f.name, 1.0)) for f in fields(rates)}
    out["surname_changed"] = rates.surname_changed
    out["nhs_missing"] = NHS_MISSING_BY_KIND[kind]
    return out


# --- strings -----------------------------------------------------------------------------------------------

_SPECIAL_ASCII = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE"})
_ascii_cache: dict[str, str] = {}


def strip_diacritics(text: str) -> str:
    """ "Łukasz" -> "Lukasz", "Zoë" -> "Zoe", "Bogdănescu" -> "Bogdanescu"."""
    cached = _ascii_cache.get(text)
    if cached is None:
        decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_ASCII))
        cached = "".join(c for c in decomposed if not unicodedata.combining(c))
        _ascii_cache[text] = cached
    return cached


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
TYPO_KINDS = ("insertion", "deletion", "substitution", "transposition")


def typo(text: str, rng: random.Random) -> str:
    """One keying error: insertion, deletion, substitution or transposition, never at the first letter
    (people rarely get that wrong) and never leaving the text unchanged or empty."""
    n = len(text)
    if n < 3:
        return text + rng.choice(_LETTERS)
    kind = rng.choice(TYPO_KINDS)
    i = rng.randrange(1, n)
    if kind == "insertion":
        return text[:i] + rng.choice(_LETTERS) + text[i:]
    if kind == "deletion":
        return text[:i] + text[i + 1 :]
    if kind == "substitution":
        c = rng.choice(_LETTERS)
        while c == text[i].lower():
            c = rng.choice(_LETTERS)
        return text[:i] + c + text[i + 1 :]
    i = rng.randrange(1, n - 1)
    if text[i] == text[i + 1]:
        return text[:i] + text[i + 1 :]  # swapping equal letters changes nothing: drop one instead
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


# --- dates ---------------------------------------------------------------------------------------------------


# "Today" in the synthetic world: no record is dated after it, mistyped or not.
REFERENCE_DATE = date(2026, 6, 30)


def day_month_swap(d: date) -> date | None:
    if d.day > 12 or d.day == d.month:
        return None
    return date(d.year, d.day, d.month)


def off_by_day(d: date, rng: random.Random) -> date:
    return d + timedelta(days=rng.choice((-1, 1)))


def off_by_year(d: date, rng: random.Random) -> date:
    year = d.year + rng.choice((-1, 1))
    day = 28 if (d.month == 2 and d.day == 29) else d.day
    return date(year, d.month, day)


# --- NHS numbers ---------------------------------------------------------------------------------------------

NHS_TEST_LOW = 9_990_000_000
NHS_TEST_HIGH = 9_999_999_999


def nhs_check_digit(nine: str) -> int | None:
    """Modulus 11 check digit for the first nine digits; None where the number cannot be issued."""
    total = sum(int(c) * w for c, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs(number: str) -> bool:
    digits = number.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def mistype_nhs(number: str, rng: random.Random, *, valid: bool) -> str:
    """Change one digit after the leading 999 (so the number stays in the test range).

    ``valid=False``: the check digit fails. ``valid=True``: the check digit is recomputed, giving a
    valid-looking number that belongs to nobody or to another child.
    """
    while True:
        i = rng.randrange(3, 9)
        d = rng.choice("0123456789".replace(number[i], ""))
        nine = number[:i] + d + number[i + 1 : 9]
        check = nhs_check_digit(nine)
        if valid:
            if check is not None:
                return nine + str(check)
        else:
            if check != int(number[9]):
                return nine + number[9]
