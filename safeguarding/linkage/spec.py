"""The linkage model's comparisons, written once as SQL (for Splink, valid in DuckDB and Spark SQL alike) and
once as Python (for the real-time scorer). Both work on the prepared columns of `prepare.prepare_table`.

Each level is (label, sql_condition, python predicate on the two rows, tf column or None). The first level of
every comparison is its null level. The Python predicates mirror SQL's null semantics: a comparison with a
null is never true. `test_scorer_matches_splink` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

# A prepared record: column name (`prepare.SCHEMA`) -> value (a str, an int, a float or None), as Arrow's
# `to_pylist` gives it. The values are `Any`, not a TypedDict: the comparisons read a column named by a
# variable, and each column's type is the schema's.
Row = dict[str, Any]


def _lev(a: str, b: str) -> int:
    return Levenshtein.distance(a, b)


def _eq(a: object, b: object) -> bool:
    return a is not None and b is not None and a == b


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    test: Callable[[Row, Row], bool]
    tf_column: str | None = None
    is_null: bool = False


@dataclass(frozen=True)
class ComparisonSpec:
    name: str
    description: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]


def _null(col: str) -> Level:
    return Level(
        "missing", f"{col}_l IS NULL OR {col}_r IS NULL", lambda x, y: x[col] is None or y[col] is None, is_null=True
    )


def _else() -> Level:
    return Level("different", "ELSE", lambda x, y: True)


def _nickname(x: Row, y: Row) -> bool:
    a1, a2, b1, b2 = x["fn_c1"], x["fn_c2"], y["fn_c1"], y["fn_c2"]
    return _eq(a1, b1) or _eq(a1, b2) or _eq(a2, b1) or _eq(a2, b2)


def _swap_first_last(x: Row, y: Row) -> bool:
    a, b, c, d = x["fn"], y["ln"], x["ln"], y["fn"]
    if a is None or b is None or c is None or d is None:
        return False
    return (a == b and _lev(c, d) <= 1) or (c == d and _lev(a, b) <= 1)


def _transposed(x: Row, y: Row) -> bool:
    a, b = x["fn"], y["fn"]
    return a is not None and b is not None and _eq(x["fn_sorted"], y["fn_sorted"]) and _lev(a, b) == 2


def _swap_first_middle(x: Row, y: Row) -> bool:
    return _eq(x["mn_c1"], y["fn_c1"]) or _eq(x["fn_c1"], y["mn_c1"])


def _fuzzy(col: str) -> Callable[[Row, Row], bool]:
    def test(x: Row, y: Row) -> bool:
        a, b = x[col], y[col]
        return a is not None and b is not None and len(a) >= 5 and len(b) >= 5 and _lev(a, b) <= 2

    return test


def _typo(col: str) -> Callable[[Row, Row], bool]:
    def test(x: Row, y: Row) -> bool:
        a, b = x[col], y[col]
        return a is not None and b is not None and _lev(a, b) <= 1

    return test


def _parts(x: Row, y: Row) -> bool:
    a1, a2, b1, b2 = x["ln_p1"], x["ln_p2"], y["ln_p1"], y["ln_p2"]
    return _eq(a1, b1) or _eq(a1, b2) or _eq(a2, b1) or _eq(a2, b2)


def _nhs_typo(x: Row, y: Row) -> bool:
    a, b = x["nhs"], y["nhs"]
    if a is None or b is None:
        return False
    d = _lev(a, b)
    return d <= 1 or (d == 2 and x["nhs_sorted"] == y["nhs_sorted"])


def _dob_day(x: Row, y: Row) -> bool:
    a, b = x["dob_days"], y["dob_days"]
    return a is not None and b is not None and abs(a - b) == 1


def _dob_year(x: Row, y: Row) -> bool:
    a, b = x["dob_year"], y["dob_year"]
    return _eq(x["dob_md"], y["dob_md"]) and a is not None and b is not None and abs(a - b) == 1


FIRST_NAME = ComparisonSpec(
    "first_name",
    "First name: exact, nickname, swapped with surname or middle name, typo, letters transposed, phonetic",
    ("fn", "fn_c1", "fn_c2", "mn_c1", "ln", "fn_ph", "fn_sorted"),
    (
        _null("fn"),
        Level("exact", "fn_l = fn_r", lambda x, y: _eq(x["fn"], y["fn"]), tf_column="fn"),
        Level(
            "nickname",
            "fn_c1_l = fn_c1_r OR fn_c1_l = fn_c2_r OR fn_c2_l = fn_c1_r OR fn_c2_l = fn_c2_r",
            _nickname,
        ),
        # with at most one typo across the two names (FEBRL swaps names and then mistypes them), so one of the
        # two is exact: the equality first spares a levenshtein on nearly every pair
        Level(
            "swapped with surname",
            "(fn_l = ln_r AND levenshtein(ln_l, fn_r) <= 1) OR (ln_l = fn_r AND levenshtein(fn_l, ln_r) <= 1)",
            _swap_first_last,
        ),
        Level("swapped with middle name", "mn_c1_l = fn_c1_r OR fn_c1_l = mn_c1_r", _swap_first_middle),
        Level("one typo", "levenshtein(fn_l, fn_r) <= 1", _typo("fn")),
        # two letters swapped (lily/liyl: two edits, too short for "two typos"; on FEBRL it scored as different)
        Level("letters transposed", "fn_sorted_l = fn_sorted_r AND levenshtein(fn_l, fn_r) = 2", _transposed),
        Level(
            "two typos",
            "length(fn_l) >= 5 AND length(fn_r) >= 5 AND levenshtein(fn_l, fn_r) <= 2",
            _fuzzy("fn"),
        ),
        Level("sounds alike", "fn_ph_l = fn_ph_r", lambda x, y: _eq(x["fn_ph"], y["fn_ph"])),
        _else(),
    ),
)

LAST_NAME = ComparisonSpec(
    "last_name",
    "Surname: exact, typo, shared part of a double-barrelled name, phonetic (a swap with the first name is"
    " counted once, on the first name)",
    ("ln", "fn", "ln_p1", "ln_p2", "ln_ph"),
    (
        _null("ln"),
        Level("exact", "ln_l = ln_r", lambda x, y: _eq(x["ln"], y["ln"]), tf_column="ln"),
        Level("one typo", "levenshtein(ln_l, ln_r) <= 1", _typo("ln")),
        Level(
            "shares a part",
            "ln_p1_l = ln_p1_r OR ln_p1_l = ln_p2_r OR ln_p2_l = ln_p1_r OR ln_p2_l = ln_p2_r",
            _parts,
        ),
        Level(
            "two typos",
            "length(ln_l) >= 5 AND length(ln_r) >= 5 AND levenshtein(ln_l, ln_r) <= 2",
            _fuzzy("ln"),
        ),
        Level("sounds alike", "ln_ph_l = ln_ph_r", lambda x, y: _eq(x["ln_ph"], y["ln_ph"])),
        _else(),
    ),
)

DATE_OF_BIRTH = ComparisonSpec(
    "date_of_birth",
    "Date of birth: exact, day and month transposed, one day apart, one year apart",
    ("dob", "dob_swap", "dob_days", "dob_md", "dob_year"),
    (
        _null("dob"),
        Level("exact", "dob_l = dob_r", lambda x, y: _eq(x["dob"], y["dob"])),
        Level("day and month transposed", "dob_swap_l = dob_r", lambda x, y: _eq(x["dob_swap"], y["dob"])),
        Level("one day apart", "abs(dob_days_l - dob_days_r) = 1", _dob_day),
        Level("one year apart", "dob_md_l = dob_md_r AND abs(dob_year_l - dob_year_r) = 1", _dob_year),
        _else(),
    ),
)

NHS_NUMBER = ComparisonSpec(
    "nhs_number",
    "NHS number (valid check digit only): exact, one typo",
    ("nhs", "nhs_sorted"),
    (
        _null("nhs"),
        Level("exact", "nhs_l = nhs_r", lambda x, y: _eq(x["nhs"], y["nhs"])),
        Level(
            "one typo",
            "levenshtein(nhs_l, nhs_r) <= 1 OR (levenshtein(nhs_l, nhs_r) = 2 AND nhs_sorted_l = nhs_sorted_r)",
            _nhs_typo,
        ),
        _else(),
    ),
)


def _address_null(x: Row, y: Row) -> bool:
    return (x["pc"] is None or y["pc"] is None) and (x["addr"] is None or y["addr"] is None)


# Postcode and address in one comparison: they are not independent (a household shares both), and counting
# them as two fields would let siblings at one address outscore a different date of birth and first name.
ADDRESS = ComparisonSpec(
    "address",
    "Address and postcode: same address and postcode, same address, same postcode, same house number and street,"
    " same postcode sector, same postcode district",
    ("pc", "pc_sector", "pc_district", "addr", "addr_key"),
    (
        Level(
            "missing",
            "(pc_l IS NULL OR pc_r IS NULL) AND (addr_l IS NULL OR addr_r IS NULL)",
            _address_null,
            is_null=True,
        ),
        Level(
            "same address and postcode",
            "addr_l = addr_r AND pc_l = pc_r",
            lambda x, y: _eq(x["addr"], y["addr"]) and _eq(x["pc"], y["pc"]),
        ),
        Level("same address", "addr_l = addr_r", lambda x, y: _eq(x["addr"], y["addr"])),
        Level("same postcode", "pc_l = pc_r", lambda x, y: _eq(x["pc"], y["pc"])),
        Level("same number and street", "addr_key_l = addr_key_r", lambda x, y: _eq(x["addr_key"], y["addr_key"])),
        Level("same postcode sector", "pc_sector_l = pc_sector_r", lambda x, y: _eq(x["pc_sector"], y["pc_sector"])),
        Level(
            "same postcode district",
            "pc_district_l = pc_district_r",
            lambda x, y: _eq(x["pc_district"], y["pc_district"]),
        ),
        _else(),
    ),
)

SEX = ComparisonSpec(
    "sex",
    "Sex",
    ("sex",),
    (
        _null("sex"),
        Level("same", "sex_l = sex_r", lambda x, y: _eq(x["sex"], y["sex"])),
        _else(),
    ),
)

# Levels whose match weight is fixed at 0 after training (m set equal to u): evidence counted elsewhere.
NEUTRAL_LEVELS: set[tuple[str, str]] = set()  # none at present

# Levels whose trained match weight is capped: (comparison, level) -> the most it may weigh. Where surnames are
# often corrupted EM learns that a different surname is weak evidence (-2.4 on FEBRL, about -1 on our synthetic
# records with 30% of surnames replaced), and at 1M children a date of birth and a postcode then linked different
# people. -6: a true match has a wholly different surname (no typo, no shared part, not alike) at most 1 time
# in 64. On our own synthetic set at 20k EM learns -4.7, so the cap binds there too (recall and moves rose).
SURNAME_DIFFERENT_MAX_WEIGHT = -6.0
MAX_WEIGHTS: dict[tuple[str, str], float] = {("last_name", "different"): SURNAME_DIFFERENT_MAX_WEIGHT}

COMPARISONS: tuple[ComparisonSpec, ...] = (FIRST_NAME, LAST_NAME, DATE_OF_BIRTH, NHS_NUMBER, ADDRESS, SEX)


def gamma(spec: ComparisonSpec, x: Row, y: Row) -> int:
    """Splink's comparison vector value: -1 for the null level, then n-1 .. 0 from the first level to ELSE."""
    levels = spec.levels
    if levels[0].test(x, y):
        return -1
    n = len(levels) - 1
    for i, level in enumerate(levels[1:]):
        if level.test(x, y):
            return n - 1 - i
    return 0  # pragma: no cover - the ELSE level always matches


def level_index(spec: ComparisonSpec, gamma_value: int) -> int:
    """Index into spec.levels of a gamma value."""
    if gamma_value == -1:
        return 0
    return len(spec.levels) - 1 - gamma_value


def splink_comparison(spec: ComparisonSpec) -> dict[str, Any]:
    """The comparison in Splink's settings format."""
    levels: list[dict[str, Any]] = []
    for level in spec.levels:
        d: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.label}
        if level.is_null:
            d["is_null_level"] = True
        if level.tf_column:
            d["tf_adjustment_column"] = level.tf_column
            d["tf_adjustment_weight"] = 1.0
        levels.append(d)
    return {"output_column_name": spec.name, "comparison_description": spec.description, "comparison_levels": levels}


# The twins rule. Two records are different children, whatever the model says, when their surnames agree (or
# nearly: a typo, a shared part, sounds alike), their dates of birth agree (or are one recording error apart:
# transposed, a day or a year out), and either
#   (a) they share an address (full postcode or normalised address) and their first names are different (not
#       equal, not nicknames of each other, not swapped, not a typo or sound-alike apart): twins, or siblings
#       recorded alike; or
#   (b) their first names are not the same name and their NHS numbers (both valid) or their sexes disagree:
#       twins given similar names (Kacper/Kasper, Ella/Ellie, Oliver/Olivia).
# and, for siblings: surnames agree (or nearly), they share an address, their first names are not the same
# name (a nickname, a typo or a sound-alike is not the same name here) and their dates of birth are different
# (not even one recording error apart): a brother or sister, not the same child.
# Such pairs become cannot-link constraints in `clustering.cluster`, so no chain of records can join them.
# A pair whose NHS numbers are identical (and valid: `prepare` keeps only numbers whose check digit holds) is
# exempt: twins and siblings have different NHS numbers, and on FEBRL 4 the rule blocked 318 true pairs, 321 of
# the 356 it blocked sharing one valid identifier.
TWIN_FIRST_NAME_LEVELS = ("different",)


def _gamma_of(spec: ComparisonSpec, label: str) -> int:
    for i, level in enumerate(spec.levels):
        if level.label == label and not level.is_null:
            return len(spec.levels) - 1 - i
    raise KeyError(label)


FIRST_NAME_EXACT = _gamma_of(FIRST_NAME, "exact")
NHS_NUMBER_EXACT = _gamma_of(NHS_NUMBER, "exact")
# Address levels at or above this gamma mean the same address or the same full postcode.
SAME_ADDRESS_GAMMA = _gamma_of(ADDRESS, "same postcode")
assert [lv.label for lv in ADDRESS.levels[1:4]] == ["same address and postcode", "same address", "same postcode"]


def twins_rule(x: Row, y: Row) -> bool:
    """True when the two prepared records must be different children (see the rule above)."""
    if gamma(NHS_NUMBER, x, y) == NHS_NUMBER_EXACT or gamma(LAST_NAME, x, y) <= 0:
        return False
    first = gamma(FIRST_NAME, x, y)
    if first == -1:
        return False
    same_address = _eq(x["pc"], y["pc"]) or _eq(x["addr"], y["addr"])
    dob = gamma(DATE_OF_BIRTH, x, y)
    if dob == 0:
        return same_address and first != FIRST_NAME_EXACT
    if dob == -1:
        return False
    if same_address and FIRST_NAME.levels[level_index(FIRST_NAME, first)].label in TWIN_FIRST_NAME_LEVELS:
        return True
    return first != FIRST_NAME_EXACT and (gamma(NHS_NUMBER, x, y) == 0 or gamma(SEX, x, y) == 0)
