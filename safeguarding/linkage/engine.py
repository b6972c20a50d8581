"""The record-linkage engine: which agency records are the same child.

Pure Python (Splink 5 on DuckDB, or on Spark), no Django, so the benchmark and the Django app run the same code.

    table = records_table(rows)                 # rows in the import format
    result = link_records(table)                # trains, predicts, clusters
    result.clusters["nhs:123"]                  # -> cluster key (smallest unique_id in the cluster)

Term frequencies: name term-frequency adjustments are computed from the records being linked (as Splink does),
and the real-time `CandidateIndex` computes them from the records it holds; with the same records the two
scores are equal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safeguarding.linkage import normalise
from safeguarding.linkage.clustering import cluster
from safeguarding.linkage.prepare import PREPARED_COLUMNS, prepare_table
from safeguarding.linkage.spec import (
    ADDRESS,
    COMPARISONS,
    DATE_OF_BIRTH,
    FIRST_NAME,
    FIRST_NAME_EXACT,
    LAST_NAME,
    MAX_WEIGHTS,
    NEUTRAL_LEVELS,
    NHS_NUMBER,
    NHS_NUMBER_EXACT,
    SAME_ADDRESS_GAMMA,
    SEX,
    level_index,
    splink_comparison,
)

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import SparkSession
    from splink import DuckDBAPI, Linker, SparkAPI
    from splink.internals.settings import Settings

__all__ = [
    "INPUT_SCHEMA",
    "BLOCKING_RULES",
    "FieldWeight",
    "LinkResult",
    "LinkageModel",
    "link_records",
    "predict_pairs",
    "records_table",
    "spark_session",
    "train_model",
]

logger = logging.getLogger(__name__)

INPUT_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source", pa.string()),
        ("first_name", pa.string()),
        ("middle_names", pa.string()),
        ("last_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("sex", pa.string()),
        ("nhs_number", pa.string()),
        ("postcode", pa.string()),
        ("address", pa.string()),
    ]
)
_TEXT = ("source", "first_name", "middle_names", "last_name", "sex", "postcode", "address")

# Blocking rules for prediction, chosen for recall across moves (postcode and agency change) and for speed.
BLOCKING_RULES = [
    "l.nhs = r.nhs",
    "l.fn_c1 = r.fn_c1 AND l.dob = r.dob",
    "l.ln = r.ln AND l.dob = r.dob",
    "l.fn_c1 = r.fn_c1 AND l.ln = r.ln AND l.dob_year = r.dob_year",
    "l.fn_c1 = r.fn_c1 AND l.ln = r.ln AND l.dob_md = r.dob_md",
    "l.fn_ph = r.fn_ph AND l.ln_ph = r.ln_ph AND l.dob_year = r.dob_year",
    "l.fn = r.ln AND l.ln = r.fn",
    "l.fn_c1 = r.fn_c1 AND l.ln = r.ln AND l.pc_district = r.pc_district",
    "l.dob = r.dob AND l.pc_sector = r.pc_sector",
    # Household: finds siblings and twins so that the twins rule can keep them apart (and missing dates).
    "l.ln = r.ln AND l.addr = r.addr",
    "l.fn_c1 = r.fn_c1 AND l.addr = r.addr",
]
# Deterministic rules (few false positives) for the prior probability that two random records match.
DETERMINISTIC_RULES = ["l.nhs = r.nhs", "l.fn = r.fn AND l.ln = r.ln AND l.dob = r.dob"]
DETERMINISTIC_RECALL = 0.8
# EM sessions: each trains the comparisons not in its rule.
EM_RULES = ["l.dob = r.dob", "l.fn_c1 = r.fn_c1 AND l.ln = r.ln"]
TRAINING_SAMPLE = 150_000
DUCKDB_MEMORY_LIMIT = os.environ.get("SAFEGUARDING_LINKAGE_DUCKDB_MEMORY", "2GB")
U_MAX_PAIRS = 3e6

# Splink's settings as JSON (its `settings_dict`: link type, comparisons with their levels' m and u, ...).
type SplinkSettings = dict[str, Any]


# ---------------------------------------------------------------------------------------------------------------
# Input


_RAW_NAMES = ("unique_id", "record_id", *(f.name for f in INPUT_SCHEMA if f.name != "unique_id"))
_RAW_SCHEMA = pa.schema([(name, pa.string()) for name in _RAW_NAMES])


def records_table(rows: Iterable[Mapping[str, object]]) -> pa.Table:
    """The engine's input table from rows in the import format (all strings, possibly empty or missing).

    Dates that do not parse become null; NHS numbers whose modulus 11 check digit fails are dropped (null).
    Works in batches with arrow compute, mapping each distinct date and NHS number once.
    """
    tables = []
    batch: list[Mapping[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 100_000:
            tables.append(_records_batch(batch))
            batch = []
    if batch or not tables:
        tables.append(_records_batch(batch))
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def _records_batch(rows: list[Mapping[str, object]]) -> pa.Table:
    try:
        raw = pa.Table.from_pylist(rows, schema=_RAW_SCHEMA)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        clean: list[dict[str, object]] = []
        for given in rows:
            row: dict[str, object] = {k: given.get(k) for k in _RAW_SCHEMA.names}
            for k, v in row.items():
                if isinstance(v, dt.date):
                    row[k] = v.isoformat()
                elif v is not None and not isinstance(v, str):
                    row[k] = str(v)
            clean.append(row)
        raw = pa.Table.from_pylist(clean, schema=_RAW_SCHEMA)

    def text(name: str) -> pa.Array:
        column = pc.utf8_trim_whitespace(raw.column(name).combine_chunks())
        return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)

    columns = {name: text(name) for name in _TEXT}
    source = pc.fill_null(columns["source"], "")
    record_id = pc.fill_null(text("record_id"), "")
    given = text("unique_id")
    columns["unique_id"] = pc.coalesce(given, pc.binary_join_element_wise(source, record_id, ":"))
    columns["date_of_birth"] = _map_distinct(text("date_of_birth"), normalise.parse_date, pa.date32())
    columns["nhs_number"] = _map_distinct(raw.column("nhs_number").combine_chunks(), normalise.nhs_number, pa.string())
    return pa.table([columns[f.name] for f in INPUT_SCHEMA], schema=INPUT_SCHEMA)


def _map_distinct(column: pa.Array, fn: Callable[[str | None], object], typ: pa.DataType) -> pa.Array:
    encoded = column.dictionary_encode()
    values = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], type=typ)
    return values.take(encoded.indices)


def _prepared(records: pa.Table) -> pa.Table:
    if "fn" in records.column_names:
        return records.select(PREPARED_COLUMNS)
    return prepare_table(records)


# ---------------------------------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class FieldWeight:
    field: str
    level: str
    match_weight: float
    m: float | None
    u: float | None


@dataclass
class LinkageModel:
    """A trained model: Splink's settings (with m and u per level) plus a version and when it was trained."""

    settings: SplinkSettings
    version: str
    trained_at: str
    info: dict[str, Any] = field(default_factory=dict)  # JSON: records, training records, seed, backend

    def to_json(self) -> str:
        return json.dumps(
            {"version": self.version, "trained_at": self.trained_at, "info": self.info, "settings": self.settings},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> LinkageModel:
        data = json.loads(text)
        return cls(settings=data["settings"], version=data["version"], trained_at=data["trained_at"], info=data["info"])

    @property
    def probability_two_random_records_match(self) -> float:
        return float(self.settings["probability_two_random_records_match"])

    def fits_spec(self) -> bool:
        """Whether the model's comparisons and levels are those of `spec.COMPARISONS`. A model trained before a
        level was added or removed gives each gamma value another meaning: it must be trained again, not used."""
        stored = [
            (c["output_column_name"], [lv.get("label_for_charts") for lv in c["comparison_levels"]])
            for c in self.settings["comparisons"]
        ]
        return stored == [(spec.name, [lv.label for lv in spec.levels]) for spec in COMPARISONS]

    def splink_settings(self, dialect: str = "duckdb") -> Settings:
        """Splink's Settings object for this model (levels with their match weights)."""
        from splink.internals.settings_creator import SettingsCreator  # Splink loads only when a model runs

        return SettingsCreator.from_path_or_dict(self.settings_for(dialect)).get_settings(dialect)

    def settings_for(self, dialect: str) -> SplinkSettings:
        settings: SplinkSettings = json.loads(json.dumps(self.settings))
        settings["sql_dialect"] = dialect
        return settings

    def readable_weights(self) -> list[FieldWeight]:
        """Match weight (log2 Bayes factor), m and u of every level of every field, for a person to read."""
        out = [
            FieldWeight(
                "prior",
                "two random records match",
                _prob_to_weight(self.probability_two_random_records_match),
                None,
                None,
            )
        ]
        for comparison in self.splink_settings().comparisons:
            for level in comparison.comparison_levels:
                out.append(
                    FieldWeight(
                        comparison.output_column_name,
                        level.label_for_charts,
                        float(level._match_weight or 0.0),
                        None if level.is_null_level else _number(level.m_probability),
                        None if level.is_null_level else _number(level.u_probability),
                    )
                )
        return out


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _prob_to_weight(p: float) -> float:
    return float(np.log2(p / (1 - p)))


def base_settings() -> SplinkSettings:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": [splink_comparison(spec) for spec in COMPARISONS],
        "blocking_rules_to_generate_predictions": list(BLOCKING_RULES),
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": ["source"],
        "probability_two_random_records_match": 1e-5,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }


# ---------------------------------------------------------------------------------------------------------------
# Backends


def spark_session() -> SparkSession:
    """A local SparkSession for the Spark backend (driver on 127.0.0.1, small shuffles, no UI).

    `getOrCreate`: where a session already exists (e.g. one built for a cluster by the caller, or by
    spark-submit), that session is used and these settings do not replace its own."""
    from pyspark.sql import SparkSession  # Spark is optional and slow to load: only for the Spark backend

    cores = os.cpu_count() or 2
    # On a cluster: SAFEGUARDING_SPARK_MASTER (e.g. spark://host:7077 or yarn) and the
    # driver's address the executors can reach, SAFEGUARDING_SPARK_DRIVER_HOST.
    driver_host = os.environ.get("SAFEGUARDING_SPARK_DRIVER_HOST", "127.0.0.1")
    spark = (
        SparkSession.builder.master(os.environ.get("SAFEGUARDING_SPARK_MASTER", f"local[{cores}]"))
        .appName("safeguarding-linkage")
        .config("spark.driver.host", driver_host)
        .config("spark.driver.bindAddress", "0.0.0.0" if driver_host != "127.0.0.1" else "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(max(2, cores)))
        .config("spark.default.parallelism", str(max(2, cores)))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", os.path.join(tempfile.gettempdir(), "safeguarding-spark-warehouse"))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        # a quicker start for a small local JVM (C1 compiler only); set the variable empty for long local runs
        .config(
            "spark.driver.extraJavaOptions",
            os.environ.get("SAFEGUARDING_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"),
        )
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    checkpoints = os.path.join(tempfile.gettempdir(), "safeguarding-spark-checkpoints")
    spark.sparkContext.setCheckpointDir(checkpoints)
    return spark


class _Backend:
    """A Splink database API over one prepared table, for DuckDB or Spark."""

    def __init__(self, backend: str, prepared: pa.Table) -> None:
        self.backend = backend
        self._tmp: str | None = None
        # The engine's own handle on the database Splink runs in: DuckDB's connection or the Spark session.
        self._con: duckdb.DuckDBPyConnection | None = None
        self._spark: SparkSession | None = None
        self.db_api: DuckDBAPI | SparkAPI
        if backend == "duckdb":
            import duckdb  # DuckDB loads only when a model is trained or run
            from splink import DuckDBAPI  # Splink loads only when a model is trained or run

            con = duckdb.connect()
            # Spill to a directory of our own: the default ".tmp" in the working directory is shared by every
            # DuckDB process started there, and two runs at once corrupt each other's spill files.
            self._tmp = tempfile.mkdtemp(prefix="safeguarding-duckdb-")
            con.execute(f"SET temp_directory = '{self._tmp}'")
            con.execute(f"SET threads = {max(1, os.cpu_count() or 2)}")
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
            self._con = con
            self.db_api = DuckDBAPI(connection=con)
            self.table = self.db_api.register(prepared, table_name="records")
            self.dialect = "duckdb"
        elif backend == "spark":
            import pyarrow.parquet as pq  # parquet only for handing a table to Spark
            from splink import SparkAPI  # Spark is optional: only for the Spark backend

            spark = self._spark = spark_session()
            self._tmp = tempfile.mkdtemp(prefix="safeguarding-linkage-")
            path = os.path.join(self._tmp, "records.parquet")
            # Splink computes the same term frequencies itself on Spark (precomputed ones clash there).
            pq.write_table(prepared.drop_columns(["tf_fn", "tf_ln"]), path)
            frame = spark.read.parquet(path)
            # SparkAPI's __init__ is unannotated in Splink.
            self.db_api = SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=spark,
                num_partitions_on_repartition=4,
                register_udfs_automatically=False,
                break_lineage_method=os.environ.get("SAFEGUARDING_SPARK_LINEAGE", "parquet"),
            )
            self.table = self.db_api.register(frame, table_name=f"records_{os.urandom(4).hex()}")
            self.dialect = "spark"
        else:
            raise ValueError(f"unknown backend {backend!r}: use 'duckdb' or 'spark'")

    def linker(self, settings: SplinkSettings) -> Linker:
        from splink import Linker  # Splink loads only when a model is trained or run

        return Linker(self.table, settings, log_level=logging.WARNING)

    def select(self, table_name: str, columns: list[str]) -> pa.Table:
        """Only the columns needed, as arrow (Splink keeps the compared values too; they are not copied out)."""
        sql = f"SELECT {', '.join(columns)} FROM {table_name}"
        if self._con is not None:
            return self._con.sql(sql).to_arrow_table()
        assert self._spark is not None  # the one or the other, set by the constructor
        return self._spark.sql(sql).toArrow()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _sample(prepared: pa.Table, size: int, seed: int) -> pa.Table:
    if prepared.num_rows <= size:
        return prepared
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(prepared.num_rows, size=size, replace=False))
    sample = prepared.take(pa.array(idx))
    # Term frequencies of the sample itself, as Splink would compute them.
    from safeguarding.linkage.prepare import term_frequencies

    sample = sample.set_column(
        sample.schema.get_field_index("tf_fn"), "tf_fn", term_frequencies(sample.column("fn").combine_chunks())
    )
    sample = sample.set_column(
        sample.schema.get_field_index("tf_ln"), "tf_ln", term_frequencies(sample.column("ln").combine_chunks())
    )
    return sample


def train_model(
    records: pa.Table,
    *,
    backend: str = "duckdb",
    seed: int = 42,
    sample_size: int = TRAINING_SAMPLE,
    progress: Callable[[str, float], None] | None = None,
) -> LinkageModel:
    """Train the model without labels: prior from deterministic rules, u by random sampling, m by EM on blocked
    pairs. Trains on a random sample of at most `sample_size` records."""
    prepared = _prepared(records)
    sample = _sample(prepared, sample_size, seed)
    backend_ = _Backend(backend, sample)
    try:
        settings = base_settings()
        settings["sql_dialect"] = backend_.dialect
        if backend_.dialect == "spark":
            settings["max_iterations"] = 8
        linker = backend_.linker(settings)
        linker.training.estimate_probability_two_random_records_match(
            list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
        )
        if progress:
            progress("train: prior", 0.2)
        # Spark pays a fixed cost per query: one chunk for u, fewer EM iterations.
        chunks = 10 if backend_.dialect == "duckdb" else 1
        linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed, num_chunks=chunks)
        if progress:
            progress("train: u", 0.5)
        for i, rule in enumerate(EM_RULES):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
            if progress:
                progress("train: EM", 0.5 + 0.5 * (i + 1) / len(EM_RULES))
        trained = linker.misc.save_model_to_json()
    finally:
        backend_.close()
    trained = _fill_untrained(trained)
    trained["sql_dialect"] = "duckdb"
    trained.pop("linker_uid", None)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    digest = hashlib.sha256(json.dumps(trained, sort_keys=True).encode()).hexdigest()[:8]
    info = {"records": prepared.num_rows, "training_records": sample.num_rows, "seed": seed, "backend": backend}
    return LinkageModel(settings=trained, version=f"{now:%Y%m%d%H%M%S}-{digest}", trained_at=now.isoformat(), info=info)


def _fill_untrained(settings: SplinkSettings) -> SplinkSettings:
    """Make every level's weight sensible after unsupervised training.

    - a level random sampling never saw gets the u of the stricter level before it (so it never weighs more
      than agreeing more closely would);
    - a level neither random sampling nor EM saw weighs 0 (m = u): nothing was learnt about it. On FEBRL, with
      no sex and no NHS number in the data, every level of both came out at +13.3, "different" included;
    - a level EM never saw gets the smallest m seen in that comparison, but never more than its u: it is never
      positive evidence;
    - a level in `spec.MAX_WEIGHTS` weighs at most its cap there, once trained (a different surname);
    - no agreeing level weighs less than the comparison's ELSE level (EM drives m to ~0 for a level that true
      matches rarely reach, e.g. same postcode district when a family either stays or moves away; that must not
      make "same district" worse evidence than "different postcode").
    """

    def trained(level: dict[str, Any], name: str) -> bool:
        value = level.get(name)
        return isinstance(value, int | float) and value > 0

    for comparison in settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        ms = [lv["m_probability"] for lv in levels if trained(lv, "m_probability")]
        previous_u = None
        for level in levels:
            seen_u, seen_m = trained(level, "u_probability"), trained(level, "m_probability")
            if not seen_u:
                level["u_probability"] = previous_u if previous_u is not None else 1e-6
            previous_u = level["u_probability"]
            if not seen_m:
                u = level["u_probability"]
                level["m_probability"] = min(min(ms), u) if ms and seen_u else u
            key = (comparison["output_column_name"], level.get("label_for_charts"))
            if key in NEUTRAL_LEVELS:
                level["m_probability"] = level["u_probability"]
            cap = MAX_WEIGHTS.get(key)
            if cap is not None and (seen_m or seen_u) and level["m_probability"] > 2**cap * level["u_probability"]:
                level["m_probability"] = 2**cap * level["u_probability"]
        else_level = levels[-1]
        floor = else_level["m_probability"] / else_level["u_probability"]
        for level in levels[:-1]:
            if level["m_probability"] / level["u_probability"] < floor:
                level["m_probability"] = floor * level["u_probability"]
    return settings


# ---------------------------------------------------------------------------------------------------------------
# Prediction


def predict_pairs(
    model: LinkageModel,
    records: pa.Table,
    *,
    backend: str = "duckdb",
    threshold: float = 0.01,
) -> pa.Table:
    """Scored candidate pairs: unique_id_l, unique_id_r, source_l, source_r, match_probability, match_weight,
    per comparison gamma_<field> (Splink's level value: -1 missing, then highest = best; labels from
    `level_labels()`) and weight_<field> (the match weight that field contributes, term-frequency adjustment
    included; match_weight = prior + their sum), and `twins` (the twins rule applies: never the same child).

    Records may share a unique_id (earlier versions of a record kept as evidence): each pair of unique_ids is
    then returned once, at its best-scoring pair of versions."""
    prepared = _prepared(records)
    uids = prepared.column("unique_id").combine_chunks()
    versions = pc.count_distinct(uids).as_py() < len(uids)
    if versions:
        # Several rows share a unique_id (earlier versions of a record kept as evidence): link rows, then keep
        # each pair of unique_ids once, at its best-scoring pair of versions.
        row_ids = pa.array(np.arange(len(uids)).astype(str))
        prepared = prepared.set_column(0, "unique_id", row_ids)
    backend_ = _Backend(backend, prepared)
    try:
        linker = backend_.linker(model.settings_for(backend_.dialect))
        result = linker.inference.predict(threshold_match_probability=threshold)
        table = backend_.select(result.physical_name, _predict_columns(model))
    finally:
        backend_.close()
    pairs = _finish_pairs(table)
    if versions:
        pairs = _collapse_versions(pairs, uids)
    return pairs


def _collapse_versions(pairs: pa.Table, uids: pa.Array) -> pa.Table:
    import duckdb  # DuckDB loads only when a model is trained or run

    left = uids.take(pc.cast(pairs.column("unique_id_l"), pa.int64()))
    right = uids.take(pc.cast(pairs.column("unique_id_r"), pa.int64()))
    pairs = pairs.set_column(0, "unique_id_l", left).set_column(1, "unique_id_r", right)
    con = duckdb.connect()
    try:
        con.register("pairs", pairs)
        others = [c for c in pairs.column_names if c not in ("unique_id_l", "unique_id_r", "source_l", "source_r")]
        swap = "unique_id_l > unique_id_r"
        select = ", ".join(
            [
                f"CASE WHEN {swap} THEN unique_id_r ELSE unique_id_l END AS unique_id_l",
                f"CASE WHEN {swap} THEN unique_id_l ELSE unique_id_r END AS unique_id_r",
                f"CASE WHEN {swap} THEN source_r ELSE source_l END AS source_l",
                f"CASE WHEN {swap} THEN source_l ELSE source_r END AS source_r",
                *others,
            ]
        )
        sql = f"""
            SELECT * EXCLUDE (rn) FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY unique_id_l, unique_id_r ORDER BY match_weight DESC
                ) AS rn
                FROM (SELECT {select} FROM pairs WHERE unique_id_l <> unique_id_r)
            ) WHERE rn = 1
        """
        return con.sql(sql).to_arrow_table().cast(pairs.schema)
    finally:
        con.close()


def _predict_columns(model: LinkageModel) -> list[str]:
    columns = ["unique_id_l", "unique_id_r", "source_l", "source_r", "match_probability", "match_weight"]
    for comparison in model.settings["comparisons"]:
        name = comparison["output_column_name"]
        columns += [f"gamma_{name}", f"mw_{name}"]
        if any(level.get("tf_adjustment_column") for level in comparison["comparison_levels"]):
            columns.append(f"mw_tf_adj_{name}")
    return columns


def _finish_pairs(table: pa.Table) -> pa.Table:
    def col(name: str) -> pa.ChunkedArray:
        return table.column(name)

    def positive(name: str) -> pa.ChunkedArray:
        return pc.fill_null(pc.greater(col(f"gamma_{name}"), 0), False)

    def gamma_is(name: str, value: int) -> pa.ChunkedArray:
        return pc.fill_null(pc.equal(col(f"gamma_{name}"), value), False)

    # The twins rule (spec.twins_rule), on the whole table.
    first = col(f"gamma_{FIRST_NAME.name}")
    similar = pc.and_(positive(LAST_NAME.name), positive(DATE_OF_BIRTH.name))
    same_address = pc.fill_null(pc.greater_equal(col(f"gamma_{ADDRESS.name}"), SAME_ADDRESS_GAMMA), False)
    different_first = gamma_is(FIRST_NAME.name, 0)
    not_same_first = pc.fill_null(pc.and_(pc.not_equal(first, FIRST_NAME_EXACT), pc.not_equal(first, -1)), False)
    conflict = pc.or_(gamma_is(NHS_NUMBER.name, 0), gamma_is(SEX.name, 0))
    twins = pc.or_(
        pc.and_(similar, pc.or_(pc.and_(same_address, different_first), pc.and_(not_same_first, conflict))),
        pc.and_(
            pc.and_(positive(LAST_NAME.name), gamma_is(DATE_OF_BIRTH.name, 0)), pc.and_(same_address, not_same_first)
        ),
    )
    twins = pc.and_(twins, pc.invert(gamma_is(NHS_NUMBER.name, NHS_NUMBER_EXACT)))  # one valid NHS number: one child
    columns = {
        "unique_id_l": col("unique_id_l").cast(pa.string()),
        "unique_id_r": col("unique_id_r").cast(pa.string()),
        "source_l": col("source_l").cast(pa.string()),
        "source_r": col("source_r").cast(pa.string()),
        "match_probability": col("match_probability").cast(pa.float64()),
        "match_weight": col("match_weight").cast(pa.float64()),
    }
    for spec in COMPARISONS:
        columns[f"gamma_{spec.name}"] = col(f"gamma_{spec.name}").cast(pa.int8())
    for spec in COMPARISONS:
        weight = col(f"mw_{spec.name}").cast(pa.float64())
        if f"mw_tf_adj_{spec.name}" in table.column_names:
            weight = pc.add(weight, pc.fill_null(col(f"mw_tf_adj_{spec.name}").cast(pa.float64()), 0.0))
        columns[f"weight_{spec.name}"] = weight
    columns["twins"] = twins
    return pa.table(columns)


def level_labels() -> dict[str, dict[int, str]]:
    """gamma value -> level label, per comparison."""
    out: dict[str, dict[int, str]] = {}
    for spec in COMPARISONS:
        values = [-1] + list(range(len(spec.levels) - 2, -1, -1))
        out[spec.name] = {g: spec.levels[level_index(spec, g)].label for g in values}
    return out


# ---------------------------------------------------------------------------------------------------------------
# End to end


@dataclass
class LinkResult:
    model: LinkageModel
    pairs: pa.Table
    clusters: dict[str, str]


def link_records(
    records: pa.Table,
    *,
    backend: str = "duckdb",
    model: LinkageModel | None = None,
    threshold: float = 0.9,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    progress: Callable[[str, float], None] | None = None,
) -> LinkResult:
    """Prepare, train (when no model is given), predict and cluster."""

    def report(step: str, fraction: float) -> None:
        if progress:
            progress(step, fraction)

    report("prepare", 0.0)
    prepared = _prepared(records)
    report("prepare", 0.05)
    if model is None:
        model = train_model(
            prepared, backend=backend, progress=lambda s, f: report(s, 0.05 + 0.25 * f) if progress else None
        )
    report("predict", 0.3)
    pairs = predict_pairs(model, prepared, backend=backend, threshold=min(0.01, threshold))
    report("cluster", 0.85)
    clusters = cluster(
        pairs,
        prepared.column("unique_id").to_pylist(),
        threshold=threshold,
        must_link=must_link,
        cannot_link=cannot_link,
    )
    report("done", 1.0)
    return LinkResult(model=model, pairs=pairs, clusters=clusters)
