"""The generated data set: records in the import columns, with the ground truth beside them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from . import errors as e

COLUMNS = (
    "source", "record_id", "first_name", "middle_names", "last_name", "date_of_birth", "sex", "nhs_number",
    "postcode", "address", "address_from", "involvement", "involvement_from", "involvement_to",
)  # fmt: skip
INVOLVEMENTS = ("cp_plan", "cin", "cla", "early_help", "open_case", "mace", "missing")
OPEN_INVOLVEMENTS = frozenset(INVOLVEMENTS)


@dataclass(frozen=True, slots=True)
class Move:
    """A child who moved across the boundary with an open involvement in the old area."""

    child_key: str
    from_area: str
    to_area: str
    moved_on: str
    old_records: tuple[tuple[str, str], ...]  # (source, record_id) held about the child in the old area
    new_records: tuple[tuple[str, str], ...]


@dataclass
class SyntheticData:
    """Records in the import columns, with the ground truth beside them (aligned by row)."""

    records: pa.Table
    child_keys: list[str]  # the true child of each row
    error_tags: list[tuple[str, ...]]  # the errors put into each row
    moves: list[Move]
    family_of: dict[str, str]  # child key -> family key
    twin_of: dict[str, str]  # child key -> the twin's child key
    seed: int
    rates: e.ErrorRates = field(default_factory=e.ErrorRates)

    def __len__(self) -> int:
        return self.records.num_rows

    @cached_property
    def truth(self) -> dict[tuple[str, str], str]:
        """(source, record_id) -> true child key."""
        sources = self.records.column("source").to_pylist()
        ids = self.records.column("record_id").to_pylist()
        return dict(zip(zip(sources, ids, strict=True), self.child_keys, strict=True))

    def unique_ids(self) -> list[str]:
        sources = self.records.column("source").to_pylist()
        ids = self.records.column("record_id").to_pylist()
        return [f"{s}:{r}" for s, r in zip(sources, ids, strict=True)]

    def rows(self) -> list[dict[str, str]]:
        return self.records.to_pylist()

    def iter_rows(self, batch_size: int = 10_000) -> Iterator[dict[str, str]]:
        for batch in self.records.to_batches(batch_size):
            yield from batch.to_pylist()


def write_csv(data: SyntheticData, path: str | Path) -> None:
    """The records as an import CSV (header row, the columns in ``COLUMNS`` order)."""
    cols = [data.records.column(name).to_pylist() for name in COLUMNS]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(zip(*cols, strict=True))


def write_truth_csv(data: SyntheticData, path: str | Path) -> None:
    """``source,record_id,child_key,family_key,errors`` (errors joined by "|")."""
    sources = data.records.column("source").to_pylist()
    ids = data.records.column("record_id").to_pylist()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(("source", "record_id", "child_key", "family_key", "errors"))
        for s, r, k, t in zip(sources, ids, data.child_keys, data.error_tags, strict=True):
            writer.writerow((s, r, k, data.family_of.get(k, ""), "|".join(t)))
