"""The same model on Spark (local session on 127.0.0.1): predictions and clusters agree with DuckDB's.

Training on Spark runs the same code path (`train_model(..., backend="spark")`) but pays a fixed cost per query
for every EM iteration (minutes on 2 cores), so this test trains on DuckDB and predicts on both backends.
"""

from collections import defaultdict

import pyarrow.compute as pc
import pytest

from safeguarding.linkage.engine import link_records, records_table, spark_session, train_model

from .test_model import make_records

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark  # CI runs these once, on the SQLite pass


def memberships(clusters: dict[str, str]) -> dict[str, frozenset[str]]:
    groups = defaultdict(set)
    for uid, key in clusters.items():
        groups[key].add(uid)
    return {uid: frozenset(groups[key]) for uid, key in clusters.items()}


def test_spark_backend_agrees_with_duckdb():
    rows, _, _ = make_records(n_families=400, seed=11)
    table = records_table(rows)
    assert 1500 < table.num_rows < 2500
    model = train_model(table, seed=3)
    spark = spark_session()
    assert spark.conf.get("spark.driver.host") == "127.0.0.1"
    on_spark = link_records(table, model=model, backend="spark")
    on_duckdb = link_records(table, model=model, backend="duckdb")

    spark_groups, duck_groups = memberships(on_spark.clusters), memberships(on_duckdb.clusters)
    same = sum(spark_groups[uid] == duck_groups[uid] for uid in duck_groups)
    assert same / len(duck_groups) > 0.98

    # the same pairs with the same weights (term frequencies computed by Splink on Spark, by us for DuckDB)
    def weights(pairs):
        pairs = pairs.filter(pc.greater(pairs["match_probability"], 0.5))
        return {
            frozenset((a, b)): w
            for a, b, w in zip(
                pairs["unique_id_l"].to_pylist(),
                pairs["unique_id_r"].to_pylist(),
                pairs["match_weight"].to_pylist(),
                strict=True,
            )
        }

    spark_w, duck_w = weights(on_spark.pairs), weights(on_duckdb.pairs)
    common = spark_w.keys() & duck_w.keys()
    assert len(common) > 0.98 * len(duck_w)
    for key in common:
        assert spark_w[key] == pytest.approx(duck_w[key], abs=1e-6)
