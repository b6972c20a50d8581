"""Reads about deliveries of records and the quality of each source over time (issue 14,
item 10): what each delivery brought, and how many of its cells were kept as delivered
but flagged, by column. The source quality page gives counts only; one delivery's page
adds examples (file, row, column and cell, never a name) for those who may load its
sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from safeguarding.children.models import ImportBatch, Source
from safeguarding.children.records import FLAGGABLE_COLUMNS
from safeguarding.children.selectors import sources_loadable_by

DELIVERIES_SHOWN = 24  # per source, newest first


@dataclass
class DeliveryRow:
    batch: ImportBatch
    records: int
    flagged_records: int
    flagged_cells: dict[str, int]

    @property
    def flagged_share(self) -> float:
        return self.flagged_records / self.records if self.records else 0.0


@dataclass
class SourceQuality:
    source: Source
    deliveries: list[DeliveryRow] = field(default_factory=list)


def source_quality(*, limit: int = DELIVERIES_SHOWN) -> list[SourceQuality]:
    """Each source with its deliveries, newest first, and their flagged cells by column.
    A delivery made before flags were counted (no ``by_source``) shows no counts."""
    sources = {s.code: SourceQuality(s) for s in Source.objects.select_related("organisation").order_by("name")}
    for batch in ImportBatch.objects.order_by("-at", "-pk").iterator(chunk_size=500):
        for code, counts in (batch.counts or {}).get("by_source", {}).items():
            quality = sources.get(code)
            if quality is None or len(quality.deliveries) >= limit:
                continue
            quality.deliveries.append(
                DeliveryRow(
                    batch=batch,
                    records=counts.get("records", 0),
                    flagged_records=counts.get("flagged_records", 0),
                    flagged_cells=counts.get("flagged_cells", {}),
                )
            )
    return list(sources.values())


def flag_columns() -> tuple[str, ...]:
    return FLAGGABLE_COLUMNS


@dataclass
class Delivery:
    batch: ImportBatch
    sources: list[str]
    flagged: list[tuple[str, int, list[str]]]  # column, cells flagged, examples


def delivery_for(user, pk: int) -> Delivery | None:
    """One delivery, for a user who may load every source in it (an administrator, any);
    None otherwise, so the page cannot say which deliveries exist."""
    batch = ImportBatch.objects.filter(pk=pk).first()
    if batch is None:
        return None
    counts = batch.counts or {}
    codes = sorted(counts.get("by_source", {}))
    if not codes or not set(codes) <= sources_loadable_by(user):
        return None
    examples = counts.get("flag_examples", {})
    flagged = [
        (column, count, examples.get(column, [])) for column, count in sorted(counts.get("flagged_cells", {}).items())
    ]
    return Delivery(batch=batch, sources=codes, flagged=flagged)
