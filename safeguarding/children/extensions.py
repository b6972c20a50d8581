"""What other areas add to the children area, without the children area importing them.

- ``on_records_linked``: work to do as soon as records are linked to children, after a
  delivery (for the children it touched) and after a full run (for every child); move
  detection is one.
- ``register_child_panel``: a panel on a child's page, from another area's records about
  the child, shown to readers whose desk has the panel's part of the record.

Each area registers in its ``AppConfig.ready``, as navigation and attention items do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from safeguarding.children.policy import Part


@dataclass(frozen=True)
class LinkedFollowUp:
    name: str  # what its count is called in a run's report, e.g. "move_alerts"
    step: str  # the progress line while a full run does it
    # (child_ids: the children to look at, None for all; new_since: the day records
    # count as just arrived from) -> how many things it raised
    run: Callable[..., int]


@dataclass(frozen=True)
class ChildPanel:
    key: str
    part: Part  # the part of the record a reader's desk needs to see the panel
    load: Callable[[set[int]], list]  # the child's IDs (merged ones included) -> the panel's items
    body: str  # the template of the panel; it reads ``items``
    banner: str = ""  # a template shown at the top of the page, if any; it reads ``items``


FOLLOW_UPS: list[LinkedFollowUp] = []
CHILD_PANELS: list[ChildPanel] = []


def on_records_linked(follow_up: LinkedFollowUp) -> None:
    if any(existing.name == follow_up.name for existing in FOLLOW_UPS):
        raise ImproperlyConfigured(f"A follow-up called {follow_up.name!r} is registered already.")
    FOLLOW_UPS.append(follow_up)


def register_child_panel(panel: ChildPanel) -> None:
    if any(existing.key == panel.key for existing in CHILD_PANELS):
        raise ImproperlyConfigured(f"A child panel called {panel.key!r} is registered already.")
    CHILD_PANELS.append(panel)


def records_linked(*, child_ids: Iterable[int] | None, new_since: dt.date | None) -> dict[str, int]:
    """Run every follow-up for these children (None: every child); what each raised, by name."""
    ids = None if child_ids is None else sorted(child_ids)
    return {f.name: f.run(child_ids=ids, new_since=new_since) for f in FOLLOW_UPS}


def child_panels(child_ids: set[int], parts: frozenset) -> list[tuple[ChildPanel, list]]:
    """The panels the reader may see, each with its items."""
    return [(panel, panel.load(child_ids)) for panel in CHILD_PANELS if panel.part in parts]
