"""Rules about looking at children's records, as named functions with tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

# Reading this many different children within this window is unusual for one person.
UNUSUAL_CHILDREN = 20
UNUSUAL_WINDOW = dt.timedelta(hours=1)


def unusual_burst(
    reads: Iterable[tuple[dt.datetime, str]], *, children: int = UNUSUAL_CHILDREN, window: dt.timedelta = UNUSUAL_WINDOW
) -> dt.datetime | None:
    """When one person's reads (time, child) reach ``children`` different children within
    ``window``, the time that happened; otherwise None. Browsing many records quickly
    is the pattern an access audit looks for."""
    ordered = sorted(reads)
    start = 0
    for end, (at, _child) in enumerate(ordered):
        while at - ordered[start][0] > window:
            start += 1
        if len({child for _t, child in ordered[start : end + 1]}) >= children:
            return at
    return None


def outside_their_area(reader_areas: set[int], child_areas: set[int]) -> bool:
    """A reader whose organisation serves none of the areas the child's records are in
    (a reader with no areas on record is not flagged: there is nothing to compare)."""
    return bool(reader_areas) and bool(child_areas) and not (reader_areas & child_areas)
