import datetime as dt

from safeguarding.governance import rules


def test_quorum_counts_members_present_and_optionally_each_statutory_partner():
    assert rules.is_quorate(
        minimum_present=2, needs_each_statutory_partner=False, present_organisation_kinds=["police", "school"]
    )
    assert not rules.is_quorate(
        minimum_present=3, needs_each_statutory_partner=False, present_organisation_kinds=["police", "school"]
    )
    assert not rules.is_quorate(
        minimum_present=2,
        needs_each_statutory_partner=True,
        present_organisation_kinds=["police", "local_authority", "school"],
    )
    assert rules.is_quorate(
        minimum_present=3,
        needs_each_statutory_partner=True,
        present_organisation_kinds=["police", "local_authority", "icb"],
    )


def test_deputy_seniority():
    # A Delegated Partner is the proper deputy for a Lead Partner; a director is not.
    assert not rules.deputy_below_expected(deputy_seniority="delegated_partner", expected_seniority="lead_partner")
    assert rules.deputy_below_expected(deputy_seniority="director", expected_seniority="lead_partner")
    assert rules.deputy_below_expected(deputy_seniority="manager", expected_seniority="senior_manager")
    assert not rules.deputy_below_expected(deputy_seniority="director", expected_seniority="senior_manager")
    assert not rules.deputy_below_expected(deputy_seniority="", expected_seniority="director")


def test_an_action_due_today_is_not_yet_overdue():
    today = dt.date(2026, 5, 5)
    assert not rules.action_is_overdue(status="open", due_on=today, today=today)
    assert rules.action_is_overdue(status="in_progress", due_on=dt.date(2026, 5, 4), today=today)
    assert not rules.action_is_overdue(status="done", due_on=dt.date(2026, 1, 1), today=today)
    assert not rules.action_is_overdue(status="open", due_on=None, today=today)


def test_agreement_review_overdue_only_after_the_date():
    assert not rules.agreement_review_overdue(review_due_on=dt.date(2026, 5, 5), today=dt.date(2026, 5, 5))
    assert rules.agreement_review_overdue(review_due_on=dt.date(2026, 5, 4), today=dt.date(2026, 5, 5))


def test_default_window_is_the_last_twelve_months_even_from_29_february():
    assert rules.default_window(dt.date(2026, 11, 22)) == (dt.date(2025, 11, 23), dt.date(2026, 11, 22))
    assert rules.default_window(dt.date(2028, 2, 29)) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))
