"""Scoring a clustering of records against the ground truth, over record pairs.

Pairs are counted from cluster-intersection sizes (a contingency table), never by listing them, so a million
records score in seconds: a cluster of n records holds n(n-1)/2 pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

NO_ERROR = "(no error tag)"


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True, slots=True)
class PairMetrics:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if (p + r) else 0.0


def predicted_labels(ids: Sequence[str], clusters: Mapping[str, Hashable]) -> list[Hashable]:
    """The cluster of each record, in ``ids`` order; a record the clustering left out is its own cluster."""
    return [clusters.get(uid, ("unclustered", uid)) for uid in ids]


def pair_metrics(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> PairMetrics:
    """Pair precision, recall and F1 of ``predicted`` cluster labels against ``truth`` labels (aligned)."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must be the same length")
    both = Counter(zip(predicted, truth, strict=True))
    tp = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth).values())
    return PairMetrics(tp, predicted_pairs - tp, true_pairs - tp)


def moves_linked(moves: Iterable, clusters: Mapping[str, Hashable], *, strict: bool = True) -> tuple[int, int]:
    """(linked, total) over moves with ``old_records`` and ``new_records`` as (source, record_id) pairs.

    ``strict``: every old-area and new-area record is in one cluster. Otherwise: at least one old-area
    record shares a cluster with at least one new-area record (the information followed the child).
    """
    linked = total = 0
    for move in moves:
        total += 1
        old = [clusters.get(f"{s}:{r}", ("unclustered", s, r)) for s, r in move.old_records]
        new = [clusters.get(f"{s}:{r}", ("unclustered", s, r)) for s, r in move.new_records]
        ok = len(set(old) | set(new)) == 1 if strict else bool(set(old) & set(new))
        linked += ok
    return linked, total


@dataclass
class ErrorBreakdown:
    """Why pairs went wrong.

    ``false_positive_pairs``: wrongly joined pairs by how the two children are related (twins, siblings,
    unrelated). ``intruder_tags``: error tags on records placed in a cluster that mostly holds another child.
    ``split_tags``: error tags on records kept apart from the main cluster of their own child.
    """

    false_positive_pairs: Counter
    intruder_tags: Counter
    split_tags: Counter
    split_children: int
    merged_clusters: int


def error_breakdown(
    predicted: Sequence[Hashable],
    truth: Sequence[str],
    tags: Sequence[tuple[str, ...]],
    *,
    family_of: Mapping[str, str],
    twin_of: Mapping[str, str],
) -> ErrorBreakdown:
    """Classify the false positives and false negatives of a clustering (aligned sequences)."""
    by_cluster: dict[Hashable, list[int]] = defaultdict(list)
    by_child: dict[str, list[int]] = defaultdict(list)
    for i, (p, t) in enumerate(zip(predicted, truth, strict=True)):
        by_cluster[p].append(i)
        by_child[t].append(i)
    fp_pairs: Counter = Counter()
    intruders: Counter = Counter()
    merged = 0
    for rows in by_cluster.values():
        if len(rows) < 2:
            continue
        children = Counter(truth[i] for i in rows)
        if len(children) < 2:
            continue
        merged += 1
        keys = list(children)
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                ka, kb = keys[a], keys[b]
                if twin_of.get(ka) == kb:
                    relation = "twins"
                elif family_of.get(ka) is not None and family_of.get(ka) == family_of.get(kb):
                    relation = "siblings"
                else:
                    relation = "unrelated"
                fp_pairs[relation] += children[ka] * children[kb]
        main = children.most_common(1)[0][0]
        for i in rows:
            if truth[i] != main:
                intruders.update(tags[i] or (NO_ERROR,))
    split_tags: Counter = Counter()
    split = 0
    for rows in by_child.values():
        if len(rows) < 2:
            continue
        fragments = Counter(predicted[i] for i in rows)
        if len(fragments) < 2:
            continue
        split += 1
        main = fragments.most_common(1)[0][0]
        for i in rows:
            if predicted[i] != main:
                split_tags.update(tags[i] or (NO_ERROR,))
    return ErrorBreakdown(fp_pairs, intruders, split_tags, split, merged)
