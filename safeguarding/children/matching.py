"""Linking agency records into children, on top of the linkage engine.

- ``full_run``: train a new model version on every record, cluster, and map the
  clusters onto the existing children (``identity.reconcile``), recording merges and
  splits. Practitioners' review decisions override the model.
- ``match_new_records``: records arriving by import or API are matched at once against
  the existing ones through an in-memory candidate index kept in step with the
  database, without re-running everything.
- Uncertain pairs (between ``CHILDREN_REVIEW_FROM`` and ``CHILDREN_LINK_FROM``) go to
  the review queue.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from safeguarding.children import identity, unborn
from safeguarding.children.extensions import FOLLOW_UPS
from safeguarding.children.models import (
    AgencyRecord,
    Child,
    IdentityChange,
    LinkageRun,
    MatchReview,
    ModelVersion,
)
from safeguarding.children.records import COLUMNS
from safeguarding.children.statistics import refresh_statistics
from safeguarding.linkage import engine
from safeguarding.linkage.scorer import CandidateIndex

logger = logging.getLogger(__name__)

# The record's columns the model compares (the import columns less ids and dates of address).
ENGINE_FIELDS = tuple(c for c in COLUMNS if c not in ("source", "record_id", "address_from"))


def link_from() -> float:
    return settings.CHILDREN_LINK_FROM


def review_from() -> float:
    return settings.CHILDREN_REVIEW_FROM


def engine_rows(queryset) -> Iterable[dict]:
    """Records in the engine's input form. An NHS number that failed its check digit is
    left out: it is never used to link."""
    columns = ("pk", "source__code", "record_id", "nhs_number_valid", *ENGINE_FIELDS)
    for values in queryset.values_list(*columns).iterator(chunk_size=5000):
        row = dict(zip(columns, values, strict=True))
        row["unique_id"] = f"{row.pop('source__code')}:{row['record_id']}"
        if not row.pop("nhs_number_valid"):
            row["nhs_number"] = ""
        yield row


def engine_table(rows: list[dict]) -> pa.Table:
    return engine.records_table(rows)


def current_model() -> tuple[ModelVersion, engine.LinkageModel] | None:
    stored = ModelVersion.objects.filter(is_current=True).first()
    if stored is None:
        return None
    return stored, engine.LinkageModel.from_json(json.dumps(stored.parameters))


def model_needs_training_again() -> bool:
    """A current model trained on other comparison levels (by an earlier release): until a
    full run trains a new one, the lookup finds nobody and arriving records wait unlinked."""
    model = current_model()
    return model is not None and not model[1].fits_spec()


def decided_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(confirmed, rejected) pairs of unique ids from the review queue."""
    confirmed, rejected = [], []
    reviews = MatchReview.objects.exclude(status=MatchReview.Status.PENDING).values_list(
        "status", "record_a__source__code", "record_a__record_id", "record_b__source__code", "record_b__record_id"
    )
    for status, source_a, id_a, source_b, id_b in reviews:
        pair = (f"{source_a}:{id_a}", f"{source_b}:{id_b}")
        (confirmed if status == MatchReview.Status.CONFIRMED else rejected).append(pair)
    return confirmed, rejected


# The candidate index ---------------------------------------------------------------------


class _IndexCache:
    """One candidate index per process, brought up to date with the database (records
    changed since it last looked) each time it is used.

    Building it reads and prepares every record: seconds for the demo's 50,000, a minute
    at a million. That cost once per process is why the lookup page took 7-10 s in the
    demo: each web worker built its index on its first search, and again on the first
    search after every full run. So a new model version keeps the records and changes
    only the weights (``CandidateIndex.with_model``), and the web server builds the index
    as each worker starts (``warm_in_background``, from ``config/gunicorn.py``) rather
    than on somebody's search."""

    def __init__(self):
        self._lock = threading.Lock()
        self._index: CandidateIndex | None = None
        self._version: str | None = None
        self._synced_to = None
        self.pk_of: dict[str, int] = {}
        self.builds = 0  # full builds from the database in this process (the benchmark reads it)

    def reset(self) -> None:
        with self._lock:
            self._index, self._version, self._synced_to, self.pk_of = None, None, None, {}

    def get(self) -> CandidateIndex | None:
        version = ModelVersion.objects.filter(is_current=True).values_list("version", flat=True).first()
        if version is None:
            return None
        with self._lock:
            if self._index is None or self._version != version:
                # Only now the model's parameters: a search under an unchanged version
                # neither reads nor parses them.
                model = current_model()
                if model is None or not model[1].fits_spec():
                    return None  # none yet, or trained on other comparison levels: the next full run trains one
                stored, linkage_model = model
                if self._index is None:
                    self._index = CandidateIndex(linkage_model)
                    self._synced_to, self.pk_of = None, {}
                    self.builds += 1
                else:
                    self._index = self._index.with_model(linkage_model)
                self._version = stored.version
            self._sync()
            return self._index

    def warm(self) -> None:
        """Build the index now if it is not built (a process about to serve pages)."""
        try:
            self.get()
        except Exception:  # a database not migrated yet, say: the first search builds it
            logger.warning("The lookup's candidate index was not built at start-up.", exc_info=True)

    def warm_in_background(self) -> threading.Thread:
        """``warm`` in a daemon thread, so that a worker starts serving at once; a search
        that arrives meanwhile waits on the lock for the build under way, not for a
        second one."""

        def build() -> None:
            try:
                self.warm()
            finally:
                connection.close()  # the thread's own connection

        thread = threading.Thread(target=build, name="lookup-index-warm", daemon=True)
        thread.start()
        return thread

    def _sync(self) -> None:
        records = AgencyRecord.objects.all()
        newest = records.aggregate(newest=Max("updated_at"))["newest"]
        if newest is None or (self._synced_to is not None and newest <= self._synced_to):
            return
        if self._synced_to is not None:
            records = records.filter(updated_at__gte=self._synced_to)
        rows = list(engine_rows(records.order_by()))
        changed = [row for row in rows if row["unique_id"] in self.pk_of]
        for row in changed:
            self._index.remove(row["unique_id"])
        if rows:
            self._index.add_many(engine_table(rows))
            self.pk_of.update({row["unique_id"]: row["pk"] for row in rows})
        self._synced_to = newest


index_cache = _IndexCache()


# Incremental matching -----------------------------------------------------------------


@dataclass
class MatchReport:
    linked: int = 0
    new_children: int = 0
    queued_for_review: int = 0
    not_matched_no_model: int = 0
    left_for_full_run: int = 0


@transaction.atomic
def match_new_records(record_pks: list[int], *, now=None) -> MatchReport:
    """Give each new record a child: the child of its best candidate at or above the link
    probability (unless the twins rule or a practitioner's rejection says otherwise),
    or a new child. Uncertain candidates go to the review queue."""
    report = MatchReport()
    if not record_pks:
        return report
    now = now or timezone.now()
    index = index_cache.get()
    records = list(AgencyRecord.objects.filter(pk__in=record_pks).select_related("source").order_by("pk"))
    if index is None:
        # No model trained yet: the records wait, unlinked, for the first full run.
        report.not_matched_no_model = len(records)
        return report
    _confirmed, rejected = decided_pairs()
    rejected_pairs = {frozenset(pair) for pair in rejected}
    household = unborn.pairs_for(records)
    rejected_pairs |= household.apart  # an unborn child is not its brother or sister
    rows = {row["pk"]: row for row in engine_rows(AgencyRecord.objects.filter(pk__in=record_pks))}
    child_of: dict[str, int | None] = {}
    reviews: list[MatchReview] = []
    for record in records:
        uid = record.unique_id
        if _link_by_the_unborn_rule(record, household, child_of):
            report.linked += 1
            continue
        candidates = [
            c
            for c in index.match(rows[record.pk], limit=10, min_probability=review_from())
            if c.unique_id != uid and not c.twins and frozenset((uid, c.unique_id)) not in rejected_pairs
        ]
        _fill_children(candidates, child_of)
        linkable = [c for c in candidates if c.match_probability >= link_from() and child_of.get(c.unique_id)]
        if linkable:
            best = max(linkable, key=lambda c: c.match_probability)
            record.child_id = child_of[best.unique_id]
            record.match_probability = best.match_probability
            record.save(update_fields=["child", "match_probability"])
            report.linked += 1
        else:
            _new_child_for(record, now, reason="no existing record matched closely enough")
            report.new_children += 1
        child_of[uid] = record.child_id
        for candidate in candidates:
            other_child = child_of.get(candidate.unique_id)
            if candidate.match_probability < link_from() or other_child != record.child_id:
                other_pk = index_cache.pk_of.get(candidate.unique_id)
                if other_pk:
                    reviews.append(_review(record.pk, other_pk, candidate, now))
    report.queued_for_review = _queue(reviews)
    return report


def _link_by_the_unborn_rule(record: AgencyRecord, household: unborn.RulePairs, child_of: dict) -> bool:
    """Join the record to the child of a record the unborn rule says is the same child."""
    partners = household.same_child_as(record.unique_id)
    missing = {household.pk_of[u]: u for u in partners if u not in child_of}
    for pk, child in AgencyRecord.objects.filter(pk__in=list(missing)).values_list("pk", "child_id"):
        child_of[missing[pk]] = child
    children = sorted({child_of[u] for u in partners if child_of.get(u)})
    if not children:
        return False
    record.child_id, record.match_probability = children[0], None
    record.save(update_fields=["child", "match_probability"])
    child_of[record.unique_id] = record.child_id
    return True


def _fill_children(candidates, child_of: dict[str, int | None]) -> None:
    missing = [c.unique_id for c in candidates if c.unique_id not in child_of]
    pks = {index_cache.pk_of[uid]: uid for uid in missing if uid in index_cache.pk_of}
    for pk, child in AgencyRecord.objects.filter(pk__in=list(pks)).values_list("pk", "child_id"):
        child_of[pks[pk]] = child


def _new_child_for(record: AgencyRecord, now, *, reason: str) -> Child:
    child = Child.objects.create(created_at=now)
    record.child = child
    record.match_probability = None
    record.save(update_fields=["child", "match_probability"])
    IdentityChange.objects.create(
        kind=IdentityChange.Kind.CREATED, child=child, reason=reason, record_ids=[record.unique_id], at=now
    )
    return child


def _review(pk_a: int, pk_b: int, candidate, now) -> MatchReview:
    low, high = sorted((pk_a, pk_b))
    return MatchReview(
        record_a_id=low,
        record_b_id=high,
        match_probability=candidate.match_probability,
        match_weight=candidate.match_weight,
        fields=[list(f) for f in candidate.fields],
        created_at=now,
    )


def _queue(reviews: list[MatchReview]) -> int:
    """Add pairs to the review queue unless already there (decided or not)."""
    if not reviews:
        return 0
    unique = {(r.record_a_id, r.record_b_id): r for r in reviews}
    existing = set(
        MatchReview.objects.filter(record_a_id__in={a for a, _ in unique}).values_list("record_a_id", "record_b_id")
    )
    new = [review for key, review in unique.items() if key not in existing]
    MatchReview.objects.bulk_create(new, batch_size=1000)
    return len(new)


# Full runs ------------------------------------------------------------------------------


def full_run(run: LinkageRun, *, progress: Callable[[str, float], None] | None = None) -> dict:
    """Train a new model on every record (or reuse the current one when the run says
    so), link, and keep every child ID it can."""
    started = time.monotonic()
    now = timezone.now()

    def step(name: str, fraction: float) -> None:
        if progress:
            progress(name, fraction)

    step("Reading the records", 0.02)
    rows = list(engine_rows(AgencyRecord.objects.order_by("pk")))
    if not rows:
        return {"records": 0}
    pk_of = {row["unique_id"]: row["pk"] for row in rows}
    table = engine_table(rows)
    confirmed, rejected = decided_pairs()
    household = unborn.pairs_for()
    reused = current_model() if run.reuse_model else None
    if reused and not reused[1].fits_spec():
        reused = None  # trained on other comparison levels (an older release): trained again

    def engine_progress(name: str, fraction: float) -> None:
        step(name, 0.05 + 0.75 * fraction)

    result = engine.link_records(
        table,
        backend=run.backend,
        model=reused[1] if reused else None,
        threshold=link_from(),
        must_link=[*confirmed, *(tuple(sorted(p)) for p in household.same)],
        cannot_link=[*rejected, *(tuple(sorted(p)) for p in household.apart)],
        progress=engine_progress,
    )
    step("Keeping the children's IDs", 0.85)
    with transaction.atomic():
        model_version = reused[0] if reused else _store_model(result.model, len(rows), now)
        run.model = model_version
        report = _apply_clusters(result.clusters, pk_of, run, now)
        step("Queueing uncertain matches for review", 0.95)
        report["review_pairs_added"] = _queue_uncertain(result.pairs, pk_of, now)
    index_cache.reset()
    refresh_statistics()  # new children and links: plans for what follows see them
    for follow_up in FOLLOW_UPS:  # e.g. looking for children who moved
        step(follow_up.step, 0.97)
        report[follow_up.name] = follow_up.run(child_ids=None, new_since=_last_run_day(run))
    report.update({"records": len(rows), "model_version": model_version.version})
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def _last_run_day(run: LinkageRun):
    """Records received since the last finished run count as just arrived; on the first
    run nothing does (a first load says nothing about when an undated address began)."""
    previous = (
        LinkageRun.objects.filter(status=LinkageRun.Status.FINISHED, created_at__lt=run.created_at)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(previous) if previous else None


def _store_model(model: engine.LinkageModel, records: int, now) -> ModelVersion:
    ModelVersion.objects.filter(is_current=True).update(is_current=False)
    version = model.version
    if ModelVersion.objects.filter(version=version).exists():
        version = f"{version}-{now:%H%M%S}"
    return ModelVersion.objects.create(
        version=version,
        trained_at=now,
        records_trained_on=records,
        parameters=json.loads(model.to_json()),
        is_current=True,
    )


def _apply_clusters(clusters: dict[str, str], pk_of: dict[str, int], run: LinkageRun, now) -> dict:
    current = dict(AgencyRecord.objects.values_list("pk", "child_id"))
    by_pk = {pk_of[uid]: key for uid, key in clusters.items() if uid in pk_of}
    child_order = {pk: pk for pk in set(current.values()) if pk is not None}
    plan = identity.reconcile(current, by_pk, child_order)

    new_children = Child.objects.bulk_create([Child(created_at=now) for _ in plan.new_clusters], batch_size=2000)
    cluster_child = dict(plan.cluster_child)
    cluster_child.update({key: child.pk for key, child in zip(plan.new_clusters, new_children, strict=True)})
    references = dict(Child.objects.filter(pk__in=set(cluster_child.values())).values_list("pk", "reference"))
    uid_of = {pk: uid for uid, pk in pk_of.items()}

    changes = []
    for merged, survivor in plan.merges:
        Child.objects.filter(pk=merged).update(status=Child.Status.MERGED, merged_into_id=survivor)
        changes.append(
            IdentityChange(
                kind=IdentityChange.Kind.MERGED,
                child_id=survivor,
                other_id=merged,
                reason=f"Run {run.pk}: the model (version {run.model.version}) found their records are one child.",
                run=run,
                at=now,
            )
        )
    for from_child, key, record_pks in plan.moves:
        changes.append(
            IdentityChange(
                kind=IdentityChange.Kind.SPLIT,
                child_id=from_child,
                other_id=cluster_child[key],
                reason=f"Run {run.pk}: records moved to {references[cluster_child[key]]}; "
                "the model or a practitioner's decision says they are a different child.",
                record_ids=[uid_of[pk] for pk in record_pks],
                run=run,
                at=now,
            )
        )
    IdentityChange.objects.bulk_create(changes, batch_size=1000)

    changed = [(pk, cluster_child[key]) for pk, key in by_pk.items() if current.get(pk) != cluster_child[key]]
    _assign_children(changed)
    return {
        "children": len(cluster_child),
        "new_children": len(new_children),
        "merged": len(plan.merges),
        "split": len(plan.moves),
        "records_moved": sum(len(records) for _f, _k, records in plan.moves),
        "records_assigned": len(changed),
    }


def _assign_children(assignments: list[tuple[int, int]]) -> None:
    """Point many records at their children in a few set-based statements (a staging
    table and one UPDATE), not a statement or a CASE branch per record."""
    if not assignments:
        return

    table = AgencyRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE linkage_assignment (record_id bigint PRIMARY KEY, child_id bigint)")
        try:
            for start in range(0, len(assignments), 10_000):
                cursor.executemany(
                    "INSERT INTO linkage_assignment (record_id, child_id) VALUES (%s, %s)",
                    assignments[start : start + 10_000],
                )
            cursor.execute(
                f"UPDATE {table} SET match_probability = NULL, child_id = "
                f"(SELECT a.child_id FROM linkage_assignment a WHERE a.record_id = {table}.id) "
                f"WHERE id IN (SELECT record_id FROM linkage_assignment)"
            )
        finally:
            cursor.execute("DROP TABLE linkage_assignment")


def _queue_uncertain(pairs: pa.Table, pk_of: dict[str, int], now) -> int:
    if not pairs.num_rows:
        return 0
    probability = pairs.column("match_probability")
    mask = pc.and_(pc.greater_equal(probability, review_from()), pc.less(probability, link_from()))
    if "twins" in pairs.column_names:
        mask = pc.and_(mask, pc.invert(pc.fill_null(pairs.column("twins"), False)))
    uncertain = pairs.filter(mask)
    reviews = []
    for left, right, p, w in zip(
        uncertain.column("unique_id_l").to_pylist(),
        uncertain.column("unique_id_r").to_pylist(),
        uncertain.column("match_probability").to_pylist(),
        uncertain.column("match_weight").to_pylist(),
        strict=True,
    ):
        if left in pk_of and right in pk_of:
            low, high = sorted((pk_of[left], pk_of[right]))
            reviews.append(
                MatchReview(
                    record_a_id=low, record_b_id=high, match_probability=p, match_weight=w, fields=[], created_at=now
                )
            )
    return _queue(reviews)
