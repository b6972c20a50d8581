"""Each governance rule on its own, with its edge cases."""

import datetime as dt

import pytest

from safeguarding.governance import rules

D = dt.date
ALL_THREE = ["local_authority", "police", "icb"]


@pytest.mark.parametrize(
    ("minimum", "kinds", "quorate"),
    [
        (2, ["police", "school"], True),
        (3, ["police", "school"], False),
        (0, [], True),
        (3, ["police", "police", "school"], True),  # two from one agency both count towards the number
    ],
)
def test_quorum_without_the_statutory_partner_rule_counts_members_present(minimum, kinds, quorate):
    assert (
        rules.is_quorate(minimum_present=minimum, needs_each_statutory_partner=False, present_organisation_kinds=kinds)
        is quorate
    )


@pytest.mark.parametrize("missing", ALL_THREE)
def test_quorum_needing_each_statutory_partner_fails_without_any_one_of_them(missing):
    present = [kind for kind in ALL_THREE if kind != missing] + ["school", "nhs_trust", "voluntary"]
    assert not rules.is_quorate(
        minimum_present=3, needs_each_statutory_partner=True, present_organisation_kinds=present
    )
    # The same members make a quorum where the terms of reference do not ask for all three.
    assert rules.is_quorate(minimum_present=3, needs_each_statutory_partner=False, present_organisation_kinds=present)


def test_quorum_needing_each_statutory_partner_also_needs_the_number():
    assert rules.is_quorate(minimum_present=3, needs_each_statutory_partner=True, present_organisation_kinds=ALL_THREE)
    assert not rules.is_quorate(
        minimum_present=4, needs_each_statutory_partner=True, present_organisation_kinds=ALL_THREE
    )
    assert rules.is_quorate(
        minimum_present=4, needs_each_statutory_partner=True, present_organisation_kinds=[*ALL_THREE, "school"]
    )


def test_quorum_accepts_any_iterable_once():
    kinds = (kind for kind in ALL_THREE)  # a generator is read once: both checks must see it all
    assert rules.is_quorate(minimum_present=3, needs_each_statutory_partner=True, present_organisation_kinds=kinds)


@pytest.mark.parametrize(
    ("deputy", "expected", "below"),
    [
        # A Lead Partner may delegate to their Delegated Partner (WT2023): not below.
        ("delegated_partner", "lead_partner", False),
        ("lead_partner", "lead_partner", False),
        ("director", "lead_partner", True),
        ("senior_manager", "lead_partner", True),  # a Detective Superintendent for the Chief Constable
        ("manager", "lead_partner", True),  # a Chief Inspector
        ("delegated_partner", "delegated_partner", False),
        ("senior_manager", "delegated_partner", True),
        ("director", "senior_manager", False),
        ("senior_manager", "senior_manager", False),
        ("manager", "senior_manager", True),
        ("practitioner", "manager", True),
        ("practitioner", "practitioner", False),
        # Nothing recorded to compare: not counted as below.
        ("", "director", False),
        ("manager", "", False),
    ],
)
def test_deputy_seniority_is_compared_with_the_seat(deputy, expected, below):
    assert rules.deputy_below_expected(deputy_seniority=deputy, expected_seniority=expected) is below


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("open", D(2026, 5, 5), False),  # due today is not yet overdue
        ("open", D(2026, 5, 4), True),
        ("in_progress", D(2026, 5, 4), True),
        ("open", D(2026, 5, 6), False),
        ("done", D(2026, 1, 1), False),
        ("dropped", D(2026, 1, 1), False),
        ("open", None, False),  # a decision has no due date
    ],
)
def test_an_action_is_overdue_only_when_open_and_past_its_due_date(status, due_on, overdue):
    assert rules.action_is_overdue(status=status, due_on=due_on, today=D(2026, 5, 5)) is overdue


def test_an_agreement_is_overdue_for_review_only_after_the_date():
    assert not rules.agreement_review_overdue(review_due_on=D(2026, 5, 5), today=D(2026, 5, 5))
    assert rules.agreement_review_overdue(review_due_on=D(2026, 5, 4), today=D(2026, 5, 5))
    assert not rules.agreement_review_overdue(review_due_on=D(2027, 5, 5), today=D(2026, 5, 5))


@pytest.mark.parametrize(
    ("today", "window"),
    [
        (D(2026, 11, 22), (D(2025, 11, 23), D(2026, 11, 22))),
        (D(2026, 1, 1), (D(2025, 1, 2), D(2026, 1, 1))),
        (D(2028, 2, 29), (D(2027, 3, 1), D(2028, 2, 29))),  # no 29 February a year before
        (D(2028, 2, 28), (D(2027, 3, 1), D(2028, 2, 28))),
        (D(2028, 3, 1), (D(2027, 3, 2), D(2028, 3, 1))),  # spans 29 February 2028: 366 days
        (D(2029, 3, 1), (D(2028, 3, 2), D(2029, 3, 1))),
    ],
)
def test_default_window_is_the_last_twelve_months_ending_today(today, window):
    assert rules.default_window(today) == window


def test_rate_is_a_fraction_or_none_when_nothing_was_expected():
    assert rules.rate(1, 4) == 0.25
    assert rules.rate(0, 3) == 0
    assert rules.rate(0, 0) is None


def test_only_this_partnership_s_statutory_partners_count_as_their_kind_in_a_quorum():
    from types import SimpleNamespace

    from safeguarding.governance.rules import quorum_kind

    ours = SimpleNamespace(kind="local_authority", is_statutory_partner=True)
    neighbours = SimpleNamespace(kind="local_authority", is_statutory_partner=False)
    assert quorum_kind(ours) == "local_authority"
    assert quorum_kind(neighbours) == "other"
