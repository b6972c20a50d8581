"""From the engine's input table (or one record) to the prepared columns the comparisons use.

The table version maps each distinct value once (names, dates and postcodes repeat a lot), so preparing a
million records takes seconds; the record version (`derive`) uses the same functions, so the real-time scorer
sees exactly what Splink sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from safeguarding.linkage import normalise as n
from safeguarding.linkage.spec import Row

EPOCH = dt.date(1970, 1, 1)

# Prepared columns and their arrow types.
SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source", pa.string()),
        ("fn", pa.string()),
        ("fn_c1", pa.string()),
        ("fn_c2", pa.string()),
        ("fn_ph", pa.string()),
        ("fn_sorted", pa.string()),
        ("mn_c1", pa.string()),
        ("ln", pa.string()),
        ("ln_p1", pa.string()),
        ("ln_p2", pa.string()),
        ("ln_ph", pa.string()),
        ("dob", pa.string()),
        ("dob_swap", pa.string()),
        ("dob_days", pa.int32()),
        ("dob_year", pa.int32()),
        ("dob_md", pa.string()),
        ("sex", pa.string()),
        ("nhs", pa.string()),
        ("nhs_sorted", pa.string()),
        ("pc", pa.string()),
        ("pc_sector", pa.string()),
        ("pc_district", pa.string()),
        ("addr", pa.string()),
        ("addr_key", pa.string()),
        ("tf_fn", pa.float64()),
        ("tf_ln", pa.float64()),
    ]
)
PREPARED_COLUMNS = [f.name for f in SCHEMA]


def first_name_features(
    value: str | None,
) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    key, c1, c2 = n.given_name_info(value)
    return key, c1, c2, n.phonetic(key), "".join(sorted(key)) if key else None


def middle_name_features(value: str | None) -> tuple[str | None]:
    parts = n.name_parts(value)
    if not parts:
        return (None,)
    return (n.given_name_info(parts[0])[1],)


def last_name_features(value: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    key, p1, p2 = n.surname_info(value)
    return key, p1, p2, n.phonetic(key)


def dob_features(value: dt.date | None) -> tuple[str | None, str | None, int | None, int | None, str | None]:
    if value is None:
        return None, None, None, None, None
    swapped = n.swap_day_month(value)
    return (
        value.isoformat(),
        swapped.isoformat() if swapped else None,
        (value - EPOCH).days,
        value.year,
        value.strftime("%m-%d"),
    )


_SEX = {"m": "m", "male": "m", "boy": "m", "1": "m", "f": "f", "female": "f", "girl": "f", "2": "f"}


def sex_features(value: str | None) -> tuple[str | None]:
    return (_SEX.get((value or "").strip().lower()),)


def nhs_features(value: str | None) -> tuple[str | None, str | None]:
    number = n.nhs_number(value)
    return number, "".join(sorted(number)) if number else None


def postcode_features(value: str | None) -> tuple[str | None, str | None, str | None]:
    parts = n.postcode_parts(value)
    return parts if parts else (None, None, None)


def address_features(value: str | None) -> tuple[str | None, str | None]:
    return n.address_info(value)


# A field's features: its raw value (a str, or a date for the date of birth, or None) -> the values of its
# prepared columns, in the order of the names beside it in FEATURES.
type Feature = Callable[[Any], tuple[str | int | None, ...]]

FEATURES: list[tuple[str, Feature, tuple[str, ...]]] = [
    ("first_name", first_name_features, ("fn", "fn_c1", "fn_c2", "fn_ph", "fn_sorted")),
    ("middle_names", middle_name_features, ("mn_c1",)),
    ("last_name", last_name_features, ("ln", "ln_p1", "ln_p2", "ln_ph")),
    ("date_of_birth", dob_features, ("dob", "dob_swap", "dob_days", "dob_year", "dob_md")),
    ("sex", sex_features, ("sex",)),
    ("nhs_number", nhs_features, ("nhs", "nhs_sorted")),
    ("postcode", postcode_features, ("pc", "pc_sector", "pc_district")),
    ("address", address_features, ("addr", "addr_key")),
]


def derive(record: dict[str, Any]) -> Row:
    """The prepared columns of one record (a dict in the engine's input format; missing keys are null).
    Term frequencies are not included: they depend on the other records."""
    out: Row = {"unique_id": record.get("unique_id"), "source": record.get("source")}
    for column, fn, names in FEATURES:
        value = record.get(column)
        if column == "date_of_birth" and isinstance(value, str):
            value = n.parse_date(value)
        elif column != "date_of_birth" and value == "":
            value = None
        out.update(zip(names, fn(value), strict=True))
    return out


def _map_column(arr: pa.ChunkedArray | pa.Array, fn: Feature, names: tuple[str, ...]) -> dict[str, pa.Array]:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    encoded = arr.dictionary_encode()
    values = encoded.dictionary.to_pylist()
    results = [fn(v if v != "" else None) for v in values]
    indices = encoded.indices
    out: dict[str, pa.Array] = {}
    for i, name in enumerate(names):
        typ = SCHEMA.field(name).type
        column = pa.array([r[i] for r in results], type=typ)
        out[name] = column.take(indices)
    return out


def term_frequencies(column: pa.Array) -> pa.Array:
    """Splink's term frequency: the share of non-null values equal to this one (null stays null)."""
    total = len(column) - column.null_count
    if total == 0:
        return pa.nulls(len(column), pa.float64())
    encoded = column.dictionary_encode()
    counts = pc.value_counts(encoded.indices)
    by_index = dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True))
    freq = pa.array([by_index.get(i, 0) / total for i in range(len(encoded.dictionary))], type=pa.float64())
    return freq.take(encoded.indices)


def prepare_table(records: pa.Table) -> pa.Table:
    """The prepared table Splink links: engine input table -> SCHEMA."""
    columns: dict[str, pa.Array] = {
        "unique_id": records.column("unique_id").combine_chunks().cast(pa.string()),
        "source": records.column("source").combine_chunks().cast(pa.string()),
    }
    for column, fn, names in FEATURES:
        if column in records.column_names:
            columns.update(_map_column(records.column(column), fn, names))
        else:
            for name in names:
                columns[name] = pa.nulls(records.num_rows, SCHEMA.field(name).type)
    columns["tf_fn"] = term_frequencies(columns["fn"])
    columns["tf_ln"] = term_frequencies(columns["ln"])
    return pa.table([columns[f.name] for f in SCHEMA], schema=SCHEMA)
