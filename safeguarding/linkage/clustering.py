"""Records into children: the pairs a model scored, joined where they reach the threshold,
never across a cannot-link pair (twins, a practitioner's "different children") and always
along a must-link pair (a practitioner's "same child"). Pure NumPy and PyArrow, no Splink,
so a run's clusters can be recomputed from its stored pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def cluster(
    pairs: pa.Table,
    unique_ids: Sequence[str],
    *,
    threshold: float = 0.9,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Constrained clustering: every unique_id -> its cluster key (the smallest unique_id in the cluster).

    Confirmed pairs (must_link) always join. Edges at or above `threshold` join in descending probability,
    unless the join would put a rejected pair (cannot_link) or a twins-rule pair in one cluster, even through
    a chain of other records; such a join is refused.

    Fast at a million records: connected components of all the edges are found with numpy first; only the
    components that would hold a forbidden pair are clustered again, edge by edge, with the constraints.
    """
    ids = pa.array(list(dict.fromkeys(unique_ids)), type=pa.string())
    order = pc.array_sort_indices(ids)
    ids = ids.take(order)  # sorted, so the smallest index in a cluster is its smallest unique_id
    n = len(ids)

    def to_index(
        left: Sequence[str] | pa.ChunkedArray, right: Sequence[str] | pa.ChunkedArray
    ) -> tuple[np.ndarray, np.ndarray]:
        li = pc.index_in(pa.array(left, type=pa.string()), value_set=ids)
        ri = pc.index_in(pa.array(right, type=pa.string()), value_set=ids)
        ok = pc.and_(pc.is_valid(li), pc.is_valid(ri)).to_numpy(zero_copy_only=False)
        li = li.to_numpy(zero_copy_only=False)[ok].astype(np.int64)
        ri = ri.to_numpy(zero_copy_only=False)[ok].astype(np.int64)
        keep = li != ri
        return li[keep], ri[keep]

    must = list(must_link)
    must_l, must_r = to_index([a for a, _ in must], [b for _, b in must])
    cannot = list(cannot_link)
    cannot_l, cannot_r = to_index([a for a, _ in cannot], [b for _, b in cannot])

    edge_l = edge_r = np.empty(0, dtype=np.int64)
    if pairs.num_rows:
        mask = pc.greater_equal(pairs.column("match_probability"), threshold)
        if "twins" in pairs.column_names:
            twins_mask = pc.fill_null(pairs.column("twins"), False)
            twins = pairs.filter(twins_mask)
            tl, tr = to_index(twins.column("unique_id_l"), twins.column("unique_id_r"))
            cannot_l, cannot_r = np.concatenate([cannot_l, tl]), np.concatenate([cannot_r, tr])
            mask = pc.and_(mask, pc.invert(twins_mask))
        edges = pairs.filter(mask)
        probability = edges.column("match_probability").combine_chunks()
        edges = edges.take(pc.array_sort_indices(probability, order="descending"))
        edge_l, edge_r = to_index(edges.column("unique_id_l"), edges.column("unique_id_r"))

    labels = _components(n, np.concatenate([must_l, edge_l]), np.concatenate([must_r, edge_r]))

    # Components holding a forbidden pair are clustered again with the constraints.
    conflicted = np.unique(labels[cannot_l[labels[cannot_l] == labels[cannot_r]]])
    if len(conflicted):
        in_conflict = np.isin(labels, conflicted)

        def sub(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            keep = in_conflict[a] & in_conflict[b]  # a constraint across components can never bind
            return a[keep], b[keep]

        labels = labels.copy()
        for node, root in _constrained(*sub(must_l, must_r), *sub(cannot_l, cannot_r), *sub(edge_l, edge_r)).items():
            labels[node] = root
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n, dtype=np.int64))
    keys = ids.take(pa.array(smallest[labels]))
    return dict(zip(ids.to_pylist(), keys.to_pylist(), strict=True))


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components by hooking and pointer jumping: each node -> the smallest node of its component."""
    parent = np.arange(n, dtype=np.int64)
    if not len(left):
        return parent
    while True:
        pl, pr = parent[left], parent[right]
        if np.array_equal(pl, pr):
            return parent
        low = np.minimum(pl, pr)
        np.minimum.at(parent, pl, low)
        np.minimum.at(parent, pr, low)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def _constrained(
    must_l: np.ndarray,
    must_r: np.ndarray,
    cannot_l: np.ndarray,
    cannot_r: np.ndarray,
    edge_l: np.ndarray,
    edge_r: np.ndarray,
) -> dict[int, int]:
    """Union-find over the edges in the given order, refusing a union that would join a forbidden pair.
    Returns node -> root for every node touched."""
    parent: dict[int, int] = {}
    forbidden: dict[int, set[int]] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def join(a: int, b: int, force: bool = False) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        fa, fb = forbidden.get(ra), forbidden.get(rb)
        if not force and (fa or fb):
            # fb is set whenever fa is not chosen (one of the two is set); `or set()` only tells mypy so.
            small, other = (fa, rb) if fa and (not fb or len(fa) <= len(fb)) else (fb or set(), ra)
            if any(find(x) == other for x in small):
                return
        parent[rb] = ra
        if fb:
            forbidden.pop(rb)
            if fa:
                fa |= fb
            else:
                forbidden[ra] = fb

    for a, b in zip(must_l.tolist(), must_r.tolist(), strict=True):
        join(a, b, force=True)
    for a, b in zip(cannot_l.tolist(), cannot_r.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue  # already joined by a confirmed pair: the practitioner's confirmation wins
        forbidden.setdefault(ra, set()).add(b)
        forbidden.setdefault(rb, set()).add(a)
    for a, b in zip(edge_l.tolist(), edge_r.tolist(), strict=True):
        join(a, b)
    return {x: find(x) for x in list(parent)}
