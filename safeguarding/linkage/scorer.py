"""Real-time matching: an in-memory candidate index in front of the model's scoring, in Python.

`CandidateIndex(model)` holds prepared records as columns of interned values, and a blocking index as one
sorted array of 64-bit key hashes (numpy) plus a small dict for records added since the last rebuild. A query
(possibly partial: name and date of birth, name and postcode, NHS number alone) is prepared like a record,
looked up under the same kinds of keys, and every candidate is scored with the model's match weights and the
term-frequency adjustments Splink makes (frequencies counted over the records in the index), so a pair scores
exactly what `predict_pairs` gives it when the index holds the same records.
"""

from __future__ import annotations

import copy
import math
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from safeguarding.linkage.prepare import PREPARED_COLUMNS, derive, prepare_table
from safeguarding.linkage.spec import COMPARISONS, ComparisonSpec, Row, gamma, level_index, twins_rule

if TYPE_CHECKING:
    from safeguarding.linkage.engine import LinkageModel

_COLUMNS = [c for c in PREPARED_COLUMNS if not c.startswith("tf_")]
_MAX_PER_KEY = 2000
_REBUILD_AFTER = 50_000

# How strong a lookup's details must be on their own to name a candidate: the sum of the
# field weights, the prior left out (it falls as records grow: at 1M an NHS number alone
# would score below zero). 8 means the details are 2^8 = 256 times likelier for the same
# child; siblings and strangers sharing a date of birth score about 2.
LOOKUP_MIN_EVIDENCE = 8.0

# A blocking key: its kind ("nhs", "fd", ...) then the prepared values it joins on.
type BlockingKey = tuple[str | int, ...]
# A level's term-frequency adjustment: (tf column, log2 u of the exact level, tf weight, minimum u).
type TfAdjustment = tuple[str, float, float, float]


@dataclass
class Candidate:
    unique_id: str
    match_probability: float
    match_weight: float
    fields: list[tuple[str, str, float]]
    twins: bool = False  # the twins rule says: a different child (same surname, date of birth, address)
    source: str | None = field(default=None)


def _keys(r: Row) -> list[BlockingKey]:
    """Blocking keys of a prepared record (the index's version of the model's blocking rules)."""
    keys: list[BlockingKey] = []
    fn_c1, fn_c2, ln, dob = r["fn_c1"], r["fn_c2"], r["ln"], r["dob"]
    if r["nhs"]:
        keys.append(("nhs", r["nhs"]))
    if dob:
        if fn_c1:
            keys.append(("fd", fn_c1, dob))
            if fn_c2 != fn_c1:
                keys.append(("fd", fn_c2, dob))
        if ln:
            keys.append(("ld", ln, dob))
    year = r["dob_year"]
    if year is not None and fn_c1 and ln:
        keys.append(("fly", fn_c1, ln, year))
    if year is not None and r["fn_ph"] and r["ln_ph"]:
        keys.append(("ply", r["fn_ph"], r["ln_ph"], year))
    district = r["pc_district"]
    if district:
        if ln:
            keys.append(("lpd", ln, district))
        if r["fn_ph"] and r["ln_ph"]:
            keys.append(("ppd", r["fn_ph"], r["ln_ph"], district))
    return keys


def _query_keys(q: Row) -> list[BlockingKey]:
    keys = _keys(q)
    # First and last names swapped: look for records whose surname is the query's first name.
    if q["dob"] and q["fn"]:
        keys.append(("ld", q["fn"], q["dob"]))
    if q["dob_year"] is not None and q["fn"] and q["ln"]:
        keys.append(("fly", q["ln"], q["fn"], q["dob_year"]))
    return keys


class CandidateIndex:
    """In-memory index of prepared records for matching one record at a time."""

    def __init__(self, model: LinkageModel) -> None:
        self._use_model(model)
        self._cols: dict[str, list[Any]] = {c: [] for c in _COLUMNS}
        self._alive: list[bool] = []
        self._pos: dict[str, list[int]] = {}  # unique_id -> rows (versions of the record)
        self._tf_counts: dict[str, Counter[str]] = {"fn": Counter(), "ln": Counter()}
        self._tf_totals = {"fn": 0, "ln": 0}
        self._hashes = np.empty(0, dtype=np.int64)
        self._hash_pos = np.empty(0, dtype=np.int64)
        self._delta: dict[int, list[int]] = {}
        self._delta_size = 0
        self._intern: dict[str, str] = {}

    def with_model(self, model: LinkageModel) -> CandidateIndex:
        """The same records scored by another model version. What the index holds (the
        prepared records, the blocking keys, the term frequencies) does not depend on the
        model, so a new version after a full run costs no rebuild from the database; this
        index hands its records over and must not be used again."""
        other = copy.copy(self)
        other._use_model(model)
        return other

    def _use_model(self, model: LinkageModel) -> None:
        if not model.fits_spec():
            raise ValueError(f"model {model.version} was trained on other comparison levels: train it again")
        self.model = model
        settings = model.splink_settings()
        self.prior_weight = math.log2(
            model.probability_two_random_records_match / (1 - model.probability_two_random_records_match)
        )
        # Per comparison: (spec, [weight per level index], [(tf column, u of exact level, tf weight, min u) or None])
        self._comparisons: list[tuple[ComparisonSpec, list[float], list[TfAdjustment | None]]] = []
        for spec, comparison in zip(COMPARISONS, settings.comparisons, strict=True):
            levels = comparison.comparison_levels
            weights: list[float] = []
            tfs: list[TfAdjustment | None] = []
            for level in levels:
                weights.append(float(level._match_weight or 0.0))
                if level._has_tf_adjustments and not level.is_null_level and not level._is_else_level:
                    u_exact = level._u_probability_corresponding_to_exact_match(levels)
                    tfs.append(
                        (
                            level._tf_adjustment_input_column_name,
                            math.log2(u_exact),
                            float(level._tf_adjustment_weight),
                            float(level._tf_minimum_u_value),
                        )
                    )
                else:
                    tfs.append(None)
            self._comparisons.append((spec, weights, tfs))

    # -- contents ---------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, unique_id: str) -> bool:
        return unique_id in self._pos

    def add_many(self, records: pa.Table) -> None:
        """Add records (the engine's input table, or a prepared table)."""
        prepared = records if "fn" in records.column_names else prepare_table(records)
        start = len(self._alive)
        n = prepared.num_rows
        for name in _COLUMNS:
            column = prepared.column(name).combine_chunks()
            if pa.types.is_integer(column.type):
                self._cols[name].extend(column.to_pylist())
                continue
            encoded = column.dictionary_encode()
            values = [self._intern.setdefault(v, v) for v in encoded.dictionary.to_pylist()]
            self._cols[name].extend(None if i is None else values[i] for i in encoded.indices.to_pylist())
        for i in range(start, start + n):
            uid = self._cols["unique_id"][i]
            old = self._pos.get(uid)
            if old and old[0] < start:  # a record already indexed: replaced (versions within one batch are kept)
                for j in self._pos.pop(uid):
                    self._kill(j)
            self._pos.setdefault(uid, []).append(i)
            self._alive.append(True)
            self._count_tf(i, +1)
        new_hashes, new_pos = [], []
        for i in range(start, start + n):
            for key in _keys(self._row(i)):
                new_hashes.append(hash(key))
                new_pos.append(i)
        hashes = np.concatenate([self._hashes, np.array(new_hashes, dtype=np.int64)])
        positions = np.concatenate([self._hash_pos, np.array(new_pos, dtype=np.int64)])
        self._set_index(hashes, positions)

    def _set_index(self, hashes: np.ndarray, positions: np.ndarray) -> None:
        if self._delta:
            extra_h = [h for h, ps in self._delta.items() for _ in ps]
            extra_p = [p for ps in self._delta.values() for p in ps]
            hashes = np.concatenate([hashes, np.array(extra_h, dtype=np.int64)])
            positions = np.concatenate([positions, np.array(extra_p, dtype=np.int64)])
            self._delta, self._delta_size = {}, 0
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._hash_pos = hashes[order], positions[order]

    def add(self, row: dict[str, Any]) -> None:
        """Add or replace one record (a dict in the import/engine format, with unique_id)."""
        r = derive(row)
        uid = r["unique_id"]
        if uid is None:
            raise ValueError("a record needs a unique_id")
        for j in self._pos.pop(uid, ()):
            self._kill(j)
        i = len(self._alive)
        for name in _COLUMNS:
            value = r[name]
            if isinstance(value, str):
                value = self._intern.setdefault(value, value)
            self._cols[name].append(value)
        self._alive.append(True)
        self._pos[uid] = [i]
        self._count_tf(i, +1)
        for key in _keys(r):
            self._delta.setdefault(hash(key), []).append(i)
            self._delta_size += 1
        if self._delta_size > _REBUILD_AFTER:
            self._set_index(self._hashes, self._hash_pos)

    def remove(self, unique_id: str) -> bool:
        rows = self._pos.pop(unique_id, None)
        if not rows:
            return False
        for i in rows:
            self._kill(i)
        return True

    def _kill(self, i: int) -> None:
        if self._alive[i]:
            self._alive[i] = False
            self._count_tf(i, -1)

    def _count_tf(self, i: int, delta: int) -> None:
        for col in ("fn", "ln"):
            value = self._cols[col][i]
            if value is not None:
                self._tf_counts[col][value] += delta
                self._tf_totals[col] += delta

    def _row(self, i: int) -> Row:
        return {name: column[i] for name, column in self._cols.items()}

    def row(self, unique_id: str) -> Row | None:
        """The prepared record (its latest version)."""
        rows = self._pos.get(unique_id)
        return self._row(rows[-1]) if rows else None

    # -- scoring ----------------------------------------------------------------------------------------------

    def _tf(self, col: str, value: str | None) -> float | None:
        total = self._tf_totals[col]
        if value is None or total <= 0:
            return None
        count = self._tf_counts[col].get(value, 0)
        return count / total if count else None

    def score(self, left: Row, right: Row) -> tuple[float, list[tuple[str, str, float]]]:
        """Match weight of two prepared records and each field's (level label, weight) contribution."""
        total = self.prior_weight
        fields = []
        for spec, weights, tfs in self._comparisons:
            g = gamma(spec, left, right)
            idx = level_index(spec, g)
            weight = weights[idx]
            tf = tfs[idx]
            if tf is not None:
                col, log2_u, tf_weight, min_u = tf
                tf_l, tf_r = self._tf(col, left[col]), self._tf(col, right[col])
                known = [t for t in (tf_l, tf_r) if t is not None]
                if known:  # one side's frequency stands for both when the other's value is not in the index
                    weight += tf_weight * (log2_u - math.log2(max(*known, min_u)))
            total += weight
            fields.append((spec.name, spec.levels[idx].label, weight))
        return total, fields

    def score_records(self, left: dict[str, Any], right: dict[str, Any]) -> tuple[float, list[tuple[str, str, float]]]:
        """Score two raw records (import-format dicts); term frequencies from the index."""
        return self.score(derive(left), derive(right))

    def score_ids(self, unique_id_l: str, unique_id_r: str) -> float:
        """Match weight of two indexed records (their latest versions); KeyError for an id not indexed."""
        left, right = self.row(unique_id_l), self.row(unique_id_r)
        if left is None or right is None:
            raise KeyError(unique_id_l if left is None else unique_id_r)
        return self.score(left, right)[0]

    def _candidates(self, q: Row) -> set[int]:
        keys = _query_keys(q)
        if not keys:
            return set()
        wanted = np.array([hash(k) for k in keys], dtype=np.int64)
        lo = np.searchsorted(self._hashes, wanted, side="left")
        hi = np.searchsorted(self._hashes, wanted, side="right")
        found: set[int] = set()
        for a, b, h in zip(lo.tolist(), hi.tolist(), wanted.tolist(), strict=True):
            if b > a:
                found.update(self._hash_pos[a : min(b, a + _MAX_PER_KEY)].tolist())
            extra = self._delta.get(h)
            if extra:
                found.update(extra[:_MAX_PER_KEY])
        alive = self._alive
        return {i for i in found if alive[i]}

    def match(self, partial: dict[str, Any], *, limit: int = 10, min_probability: float = 0.01) -> list[Candidate]:
        """Best-scoring records for a (possibly partial) record, highest match weight first."""
        q = derive(partial)
        min_weight = -math.inf if min_probability <= 0 else math.log2(min_probability / (1 - min_probability))
        best: dict[str, Candidate] = {}
        for i in self._candidates(q):
            r = self._row(i)
            if r["unique_id"] == q["unique_id"] and q["unique_id"] is not None:
                continue
            weight, fields = self.score(q, r)
            if weight < min_weight:
                continue
            uid = r["unique_id"]
            if uid in best and best[uid].match_weight >= weight:
                continue  # another version of the record scores at least as well
            best[uid] = Candidate(uid, _weight_to_prob(weight), weight, fields, twins_rule(q, r), r["source"])
        out = sorted(best.values(), key=lambda c: (-c.match_weight, c.unique_id))
        return out[:limit]


def _weight_to_prob(weight: float) -> float:
    if weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -weight))
    p = math.pow(2.0, weight)
    return p / (1.0 + p)


def time_matches(index: CandidateIndex, queries: Iterable[dict[str, Any]], *, limit: int = 10) -> dict[str, float]:
    """Time `index.match` over the queries: milliseconds at the 50th, 95th and 99th percentile, mean and max."""
    times = []
    for q in queries:
        start = time.perf_counter()
        index.match(q, limit=limit)
        times.append((time.perf_counter() - start) * 1000)
    if not times:
        return {}
    arr = np.array(times)
    return {
        "n": len(times),
        "p50_ms": float(np.percentile(arr, 50)),
        "p95_ms": float(np.percentile(arr, 95)),
        "p99_ms": float(np.percentile(arr, 99)),
        "mean_ms": float(arr.mean()),
        "max_ms": float(arr.max()),
    }
