"""Child IDs survive re-runs: merges redirect, splits are recorded, and the answer does
not depend on the order records arrived in."""

from hypothesis import given
from hypothesis import strategies as st

from safeguarding.children.identity import reconcile


def test_a_rerun_with_the_same_clusters_changes_nothing():
    current = {1: 10, 2: 10, 3: 11}
    plan = reconcile(current, {1: "a", 2: "a", 3: "b"}, {10: 1, 11: 2})
    assert plan.cluster_child == {"a": 10, "b": 11}
    assert plan.new_clusters == [] and plan.merges == [] and plan.moves == []


def test_a_new_record_joins_the_child_its_cluster_already_has():
    plan = reconcile({1: 10, 2: None}, {1: "x", 2: "x"}, {10: 1})
    assert plan.cluster_child == {"x": 10} and not plan.new_clusters


def test_two_children_in_one_cluster_merge_into_the_one_with_more_records():
    plan = reconcile({1: 10, 2: 11, 3: 11}, {1: "a", 2: "a", 3: "a"}, {10: 1, 11: 2})
    assert plan.cluster_child == {"a": 11}
    assert plan.merges == [(10, 11)]


def test_a_tie_is_won_by_the_older_child():
    plan = reconcile({1: 10, 2: 11}, {1: "a", 2: "a"}, {10: 5, 11: 2})
    assert plan.merges == [(10, 11)]


def test_a_split_keeps_the_id_where_most_records_are_and_records_the_move():
    plan = reconcile({1: 10, 2: 10, 3: 10}, {1: "a", 2: "a", 3: "b"}, {10: 1})
    assert plan.cluster_child == {"a": 10}
    assert plan.new_clusters == ["b"]
    assert plan.moves == [(10, "b", [3])]


def test_a_cluster_of_new_records_gets_a_new_child():
    plan = reconcile({1: None, 2: None}, {1: "a", 2: "a"}, {})
    assert plan.new_clusters == ["a"] and not plan.cluster_child


@given(
    st.dictionaries(st.integers(0, 30), st.one_of(st.none(), st.integers(100, 106)), min_size=1),
    st.lists(st.sampled_from("abcdef"), min_size=31, max_size=31),
)
def test_every_child_is_kept_or_merged_into_a_kept_one(current, keys):
    clusters = {record: keys[record] for record in current}
    plan = reconcile(current, clusters, {c: c for c in range(100, 107)})
    kept = set(plan.cluster_child.values())
    merged = dict(plan.merges)
    for child in {c for c in current.values() if c is not None}:
        assert (child in kept) != (child in merged)
        if child in merged:
            assert merged[child] in kept
    # Each cluster has exactly one child, old or new.
    assert set(plan.cluster_child) | set(plan.new_clusters) == set(clusters.values())
    assert not set(plan.cluster_child) & set(plan.new_clusters)
    # The plan does not depend on the order the mappings were built in.
    again = reconcile(
        dict(reversed(list(current.items()))), dict(reversed(list(clusters.items()))), {c: c for c in range(100, 107)}
    )
    assert (again.cluster_child, again.new_clusters, sorted(again.merges), again.moves) == (
        plan.cluster_child,
        plan.new_clusters,
        sorted(plan.merges),
        plan.moves,
    )
