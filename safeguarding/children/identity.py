"""Child IDs that never change, over clusters that do.

A linkage run gives every record a cluster; clusters have no lasting identity (Splink's
cluster IDs change when a record with a lower ID arrives). ``reconcile`` maps a run's
clusters onto the children that already exist, keeping every ID it can:

- each existing child keeps living in the cluster that holds most of its records (its
  *home*; ties go to the smaller cluster key, so the answer never depends on order);
- a cluster that is home to several children is one child: the one with most records
  there survives (ties: the oldest), and the others are merged into it, their IDs
  redirecting to it;
- a cluster that is home to none gets a new child;
- records that leave a child for another cluster are moved, and the move is recorded
  as a split with its reason.

Pure: it works on plain mappings, so the rules are tested without a database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Plan:
    # cluster key -> the existing child it keeps (absent: a new child is needed)
    cluster_child: dict[str, int] = field(default_factory=dict)
    # clusters that need a new child
    new_clusters: list[str] = field(default_factory=list)
    # (merged child, surviving child)
    merges: list[tuple[int, int]] = field(default_factory=list)
    # (from child, to cluster key, records) for records leaving a child that lives on elsewhere
    moves: list[tuple[int, str, list[int]]] = field(default_factory=list)
    # record -> cluster key, for every record
    record_cluster: dict[int, str] = field(default_factory=dict)


def reconcile(current: dict[int, int | None], clusters: dict[int, str], child_order: dict[int, int]) -> Plan:
    """``current``: record -> its child now (None for a new record); ``clusters``: record ->
    cluster key from the run; ``child_order``: child -> a number giving its age (smaller is
    older), used to break ties."""
    members: dict[str, list[int]] = defaultdict(list)
    for record, key in clusters.items():
        members[key].append(record)

    # Where does each existing child have most of its records?
    spread: dict[int, Counter] = defaultdict(Counter)
    for record, child in current.items():
        if child is not None and record in clusters:
            spread[child][clusters[record]] += 1
    home = {child: min(counts, key=lambda key: (-counts[key], key)) for child, counts in spread.items()}
    homed: dict[str, list[int]] = defaultdict(list)
    for child, key in home.items():
        homed[key].append(child)

    plan = Plan(record_cluster=dict(clusters))
    for key in sorted(members):
        children = homed.get(key, [])
        if not children:
            plan.new_clusters.append(key)
            continue
        survivor = min(children, key=lambda c: (-spread[c][key], child_order.get(c, c)))
        plan.cluster_child[key] = survivor
        plan.merges += [(child, survivor) for child in sorted(children) if child != survivor]

    leaving: dict[tuple[int, str], list[int]] = defaultdict(list)
    for record, child in current.items():
        if child is None or record not in clusters:
            continue
        key = clusters[record]
        if key != home[child]:
            leaving[(child, key)].append(record)
    plan.moves = [(child, key, sorted(records)) for (child, key), records in sorted(leaving.items())]
    return plan
