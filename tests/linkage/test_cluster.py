"""Constrained clustering: thresholds, confirmed and rejected pairs, the twins rule through chains."""

import pyarrow as pa

from safeguarding.linkage.clustering import cluster


def pairs(*edges, twins=()):
    """edges: (left, right, probability)."""
    twin_set = {frozenset(t) for t in twins}
    return pa.table(
        {
            "unique_id_l": [e[0] for e in edges],
            "unique_id_r": [e[1] for e in edges],
            "match_probability": [float(e[2]) for e in edges],
            "twins": [frozenset(e[:2]) in twin_set for e in edges],
        }
    )


def groups(clusters: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for uid, key in clusters.items():
        out.setdefault(key, set()).add(uid)
    return {frozenset(g) for g in out.values()}


def test_threshold_and_cluster_key_is_smallest_id():
    result = cluster(pairs(("b", "c", 0.95), ("c", "d", 0.5), ("e", "a", 0.99)), ["a", "b", "c", "d", "e", "f"])
    assert result == {"a": "a", "e": "a", "b": "b", "c": "b", "d": "d", "f": "f"}
    assert groups(cluster(pairs(("c", "d", 0.5)), ["c", "d"], threshold=0.4)) == {frozenset("cd")}


def test_every_id_gets_a_cluster_even_without_pairs():
    empty = pairs()
    assert cluster(empty, ["x", "y"]) == {"x": "x", "y": "y"}


def test_must_link_always_joins():
    result = cluster(pairs(("a", "b", 0.1)), ["a", "b", "c"], must_link=[("a", "b"), ("b", "c")])
    assert groups(result) == {frozenset("abc")}


def test_cannot_link_refuses_direct_and_chained_joins():
    edges = pairs(("a", "b", 0.99), ("b", "c", 0.98), ("c", "d", 0.97))
    assert groups(cluster(edges, list("abcd"))) == {frozenset("abcd")}
    result = cluster(edges, list("abcd"), cannot_link=[("a", "d")])
    assert result["a"] != result["d"]
    # the strongest edges win: a-b-c join, the weakest link c-d is refused
    assert groups(result) == {frozenset("abc"), frozenset("d")}


def test_cannot_link_between_merged_components():
    edges = pairs(("a", "b", 0.99), ("c", "d", 0.99), ("b", "c", 0.95), ("a", "e", 0.9))
    result = cluster(edges, list("abcde"), cannot_link=[("e", "d")])
    # b-c (0.95) joins {a, b} and {c, d} first; then a-e (0.9) would bring e to d, so it is refused
    assert groups(result) == {frozenset("abcd"), frozenset("e")}


def test_twins_never_share_a_cluster_even_through_a_third_record():
    # twin1 and twin2 are flagged by the twins rule; a police record without first name matches both
    edges = pairs(
        ("police", "twin1", 0.97), ("police", "twin2", 0.96), ("twin1", "twin2", 0.95), twins=[("twin1", "twin2")]
    )
    result = cluster(edges, ["twin1", "twin2", "police"])
    assert result["twin1"] != result["twin2"]
    assert result["police"] == result["twin1"]  # the stronger match wins


def test_confirmed_pair_overrides_the_twins_rule_but_rejected_wins_over_the_model():
    edges = pairs(("a", "b", 0.95), twins=[("a", "b")])
    assert cluster(edges, ["a", "b"])["a"] != cluster(edges, ["a", "b"])["b"]
    assert groups(cluster(edges, ["a", "b"], must_link=[("a", "b")])) == {frozenset("ab")}
    strong = pairs(("a", "b", 0.9999))
    assert groups(cluster(strong, ["a", "b"], cannot_link=[("b", "a")])) == {frozenset("a"), frozenset("b")}


def test_unknown_ids_in_pairs_and_constraints_are_ignored():
    edges = pairs(("a", "zz", 0.99), ("a", "b", 0.99))
    result = cluster(edges, ["a", "b"], must_link=[("a", "yy")], cannot_link=[("b", "xx")])
    assert result == {"a": "a", "b": "a"}


def test_larger_chain_with_many_constraints():
    n = 2000
    ids = [f"r{i:05d}" for i in range(n)]
    edges = pairs(*[(ids[i], ids[i + 1], 0.99 - i * 1e-6) for i in range(n - 1)])
    forbidden = [(ids[i], ids[i + 500]) for i in range(0, n - 500, 500)]
    result = cluster(edges, ids, cannot_link=forbidden)
    for a, b in forbidden:
        assert result[a] != result[b]
    assert len(groups(result)) == 4


def test_a_constraint_reaching_into_another_component_does_not_split_it():
    # x-y is forbidden, and x, y sit in one component; a-b are another component, and a is also forbidden
    # with x: that must not cut a from b.
    edges = pairs(("x", "m", 0.99), ("m", "y", 0.98), ("a", "b", 0.97))
    result = cluster(edges, ["a", "b", "m", "x", "y"], cannot_link=[("x", "y"), ("x", "a"), ("b", "y")])
    assert result["a"] == result["b"]
    assert result["x"] != result["y"]
