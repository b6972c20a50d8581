"""The linkage benchmark's own pieces: the deterministic baseline, scoring and the docs section."""

from collections import Counter

import pytest

linkage = pytest.importorskip("bench.linkage")

from safeguarding.synthetic.errors import is_valid_nhs  # noqa: E402
from safeguarding.synthetic.generate import generate, write_csv  # noqa: E402


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    data = generate(2000, seed=9)
    path = tmp_path_factory.mktemp("bench") / "records.csv"
    write_csv(data, path)
    return data, path


def test_deterministic_rule_links_exact_matches_only(small):
    data, path = small
    clusters = linkage.run_deterministic(str(path))
    ids = data.unique_ids()
    assert set(clusters) == set(ids)
    scored = linkage.score(data, ids, clusters)
    assert scored["precision"] > 0.99
    assert 0.5 < scored["recall"] < 0.97  # misses what needs fuzzy matching
    # Two records with the same valid NHS number always share a cluster.
    nhs = data.records["nhs_number"].to_pylist()
    by_number = {}
    for uid, number in zip(ids, nhs, strict=True):
        if number and is_valid_nhs(number):
            assert clusters[uid] == clusters[by_number.setdefault(number, uid)]


def test_docs_section_is_replaced_and_others_kept(tmp_path, monkeypatch):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\n## Other bench\n\nkeep me\n", encoding="utf-8")
    monkeypatch.setattr(linkage, "DOCS", docs)
    result = {
        "size": 10_000, "method": "ours", "precision": 0.999, "recall": 0.98, "f1": 0.989, "moves": 100,
        "moves_linked_all": 0.99, "moves_linked_any": 1.0, "wall_s": 12.3, "peak_mb": 300.0,
        "fp_relations": {"twins": 4}, "intruder_tags": {"nickname": 1}, "split_tags": {"typo_first": 3},
        "split_children": 2, "merged_clusters": 1,
    }  # fmt: skip
    failed = {"size": 10_000, "method": "splink_generic", "error": "timed out after 5 s"}
    linkage.write_docs([result, failed], "bench", {10_000: 1.0}, {10_000: Counter({"typo_first": 30})})
    first = docs.read_text(encoding="utf-8")
    assert "## Other bench\n\nkeep me" in first
    assert first.count(linkage.HEADING) == 1
    assert "| 10k | Safeguarding engine | 0.9990 | 0.9800 |" in first
    assert "failed: timed out" in first
    assert "typo_first 10.0% (3)" in first
    linkage.write_docs([result], "bench", {10_000: 1.0}, {10_000: Counter()})
    second = docs.read_text(encoding="utf-8")
    assert second.count(linkage.HEADING) == 1 and "keep me" in second and "failed" not in second


def test_verdict_against_the_targets():
    base = {"method": "ours", "moves_linked_all": 0.985, "moves_linked_any": 0.998, "load": 1.0}
    results = [
        {**base, "size": 100_000, "precision": 0.9972, "recall": 0.9875, "wall_s": 30.0, "peak_mb": 800.0},
        {**base, "size": 1_000_000, "precision": 0.99, "recall": 0.98, "wall_s": 200.0, "peak_mb": 3000.0},
        {"method": "deterministic", "size": 100_000, "error": "x"},
    ]
    text = "\n".join(linkage.verdict_lines(results))
    assert "Precision 0.9972 (≥ 0.995: met) and recall 0.9875 (≥ 0.97: met) at 100k." in text
    assert "98.5% with all records linked" in text and "NOT met on all records, met on any" in text
    assert "1M end to end: 200 s (≤ 180 s: NOT met), 2.93 GB peak (≤ 4 GB: met)." in text
    assert linkage.verdict_lines([]) == ["- The engine was not run at 100k or 1M in this run."]
