"""Pair metrics worked by hand."""

from types import SimpleNamespace

import pytest

from safeguarding.synthetic.evaluation import (
    NO_ERROR,
    PairMetrics,
    error_breakdown,
    moves_linked,
    pair_metrics,
    predicted_labels,
)


def test_perfect_clustering():
    m = pair_metrics(["x", "x", "y"], ["a", "a", "b"])
    assert (m.true_positives, m.false_positives, m.false_negatives) == (1, 0, 0)
    assert m.precision == m.recall == m.f1 == 1.0


def test_hand_worked_example():
    # Truth: A = {1, 2, 3}, B = {4, 5}: 3 + 1 = 4 true pairs.
    # Predicted: X = {1, 2, 4}, Y = {3}, Z = {5}: 3 predicted pairs.
    # True positives: (1, 2) only. False positives: (1, 4), (2, 4). False negatives: (1, 3), (2, 3), (4, 5).
    m = pair_metrics(["X", "X", "Y", "X", "Z"], ["A", "A", "A", "B", "B"])
    assert (m.true_positives, m.false_positives, m.false_negatives) == (1, 2, 3)
    assert m.precision == pytest.approx(1 / 3)
    assert m.recall == pytest.approx(1 / 4)
    assert m.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))


def test_everything_in_one_cluster():
    # Four records of two children (2 + 2): truth has 2 pairs, one cluster has 6, 2 right.
    m = pair_metrics([1, 1, 1, 1], ["a", "a", "b", "b"])
    assert (m.true_positives, m.false_positives, m.false_negatives) == (2, 4, 0)
    assert m.precision == pytest.approx(1 / 3)
    assert m.recall == 1.0


def test_all_singletons():
    m = pair_metrics([1, 2, 3], ["a", "a", "a"])
    assert (m.true_positives, m.false_positives, m.false_negatives) == (0, 0, 3)
    assert m.precision == 1.0  # no predicted pairs: nothing wrong was claimed
    assert m.recall == 0.0
    assert m.f1 == 0.0


def test_no_pairs_anywhere():
    assert pair_metrics([], []) == PairMetrics(0, 0, 0)


def test_lengths_must_match():
    with pytest.raises(ValueError):
        pair_metrics([1], [])


def test_records_left_out_of_the_clustering_are_singletons():
    labels = predicted_labels(["s:1", "s:2", "s:3"], {"s:1": 7, "s:2": 7})
    assert labels[0] == labels[1] == 7
    assert labels[2] not in (7,)
    m = pair_metrics(labels, ["a", "a", "a"])
    assert (m.true_positives, m.false_negatives) == (1, 2)


def test_moves_linked_strict_and_any():
    moves = [
        SimpleNamespace(old_records=(("n", "1"), ("n", "2")), new_records=(("s", "1"),)),  # all together
        SimpleNamespace(old_records=(("n", "3"), ("n", "4")), new_records=(("s", "2"),)),  # one old record apart
        SimpleNamespace(old_records=(("n", "5"),), new_records=(("s", "3"),)),  # apart
    ]
    clusters = {"n:1": "A", "n:2": "A", "s:1": "A", "n:3": "B", "n:4": "C", "s:2": "B", "n:5": "D", "s:3": "E"}
    assert moves_linked(moves, clusters) == (1, 3)
    assert moves_linked(moves, clusters, strict=False) == (2, 3)
    assert moves_linked([], clusters) == (0, 0)


def test_error_breakdown():
    # Cluster X merges twins t1 and t2 (2 x 1 = 2 wrong pairs) and an unrelated child u (1 x 3 = 3 more).
    # Child s is split: one record, tagged with a typo, sits apart.
    predicted = ["X", "X", "X", "X", "Y", "Y", "Z"]
    truth = ["t1", "t1", "t2", "u", "s", "s", "s"]
    tags = [(), (), ("nickname",), (), (), (), ("typo_first",)]
    b = error_breakdown(
        predicted,
        truth,
        tags,
        family_of={"t1": "F1", "t2": "F1", "u": "F2", "s": "F3"},
        twin_of={"t1": "t2", "t2": "t1"},
    )
    assert b.false_positive_pairs == {"twins": 2, "unrelated": 3}
    assert b.intruder_tags == {"nickname": 1, NO_ERROR: 1}
    assert b.split_tags == {"typo_first": 1}
    assert b.split_children == 1
    assert b.merged_clusters == 1


def test_error_breakdown_siblings():
    b = error_breakdown(["X", "X"], ["a", "b"], [(), ()], family_of={"a": "F", "b": "F"}, twin_of={})
    assert b.false_positive_pairs == {"siblings": 1}
