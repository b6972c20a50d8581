"""The reviews clocks on England working days, worked by hand across Christmas and Easter.

England bank holidays used below: Good Friday 3 April and Easter Monday 6 April 2026;
Christmas Day Friday 25 December 2026, Boxing Day Saturday 26 December 2026 (substitute
Monday 28 December); New Year's Day Friday 1 January 2027; Good Friday 26 March and Easter
Monday 29 March 2027; Christmas Saturday 25 and Boxing Day Sunday 26 December 2027
(substitutes Monday 27 and Tuesday 28 December); New Year's Day Saturday 1 January 2028
(substitute Monday 3 January).
"""

import datetime as dt

import pytest

from safeguarding.reviews import rules

D = dt.date


# Notifying the Panel within 5 working days -----------------------------------------------


def test_notification_due_skips_christmas_boxing_day_substitute_and_new_year():
    # Aware Wednesday 23 December 2026. Working days after it: Thu 24 (1); Fri 25 Christmas,
    # Sat 26, Sun 27, Mon 28 Boxing Day substitute; Tue 29 (2), Wed 30 (3), Thu 31 (4);
    # Fri 1 January New Year, Sat 2, Sun 3; Mon 4 January 2027 (5).
    assert rules.notification_due(D(2026, 12, 23)) == D(2027, 1, 4)


def test_notification_due_skips_easter_2026():
    # Aware Wednesday 1 April 2026: Thu 2 (1); Fri 3 Good Friday, Sat, Sun, Mon 6 Easter
    # Monday; Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 April (5).
    assert rules.notification_due(D(2026, 4, 1)) == D(2026, 4, 10)


def test_notification_due_skips_easter_2027():
    # Aware Thursday 25 March 2027: Fri 26 Good Friday, Sat, Sun, Mon 29 Easter Monday;
    # Tue 30 (1), Wed 31 (2), Thu 1 April (3), Fri 2 (4), Mon 5 April (5). Without the
    # holidays it would be Thursday 1 April.
    assert rules.notification_due(D(2027, 3, 25)) == D(2027, 4, 5)


def test_notification_due_skips_two_substitute_days_at_christmas_2027():
    # Aware Friday 24 December 2027: Mon 27 and Tue 28 are the substitutes for Christmas and
    # Boxing Day; Wed 29 (1), Thu 30 (2), Fri 31 (3); Sat 1 January 2028 New Year, its
    # substitute Mon 3; Tue 4 (4), Wed 5 January 2028 (5).
    assert rules.notification_due(D(2027, 12, 24)) == D(2028, 1, 5)


def test_a_notification_on_the_fifth_working_day_is_on_time_and_the_next_day_late():
    aware = D(2026, 12, 23)
    assert not rules.notification_is_late(became_aware_on=aware, notified_panel_on=D(2027, 1, 4))
    assert rules.notification_is_late(became_aware_on=aware, notified_panel_on=D(2027, 1, 5))
    # Christmas Eve is the first of the five, not a free day.
    assert not rules.notification_is_late(became_aware_on=aware, notified_panel_on=D(2026, 12, 24))


# The rapid review's 15 working days ------------------------------------------------------


def test_rapid_review_due_across_christmas_and_new_year():
    # From Wednesday 23 December 2026: day 5 is Mon 4 January 2027 (above); Tue 5 (6),
    # Wed 6 (7), Thu 7 (8), Fri 8 (9), Mon 11 (10), Tue 12 (11), Wed 13 (12), Thu 14 (13),
    # Fri 15 (14), Mon 18 January 2027 (15).
    assert rules.rapid_review_due(D(2026, 12, 23)) == D(2027, 1, 18)


def test_rapid_review_due_across_easter_2027():
    # From Thursday 25 March 2027: day 5 is Mon 5 April (above); Tue 6 (6) ... Fri 9 (9),
    # Mon 12 (10), Tue 13 (11), Wed 14 (12), Thu 15 (13), Fri 16 (14), Mon 19 April (15).
    assert rules.rapid_review_due(D(2027, 3, 25)) == D(2027, 4, 19)


def test_rapid_review_on_time_is_on_or_before_the_fifteenth_working_day():
    start = D(2027, 3, 25)
    assert rules.rapid_review_on_time(start=start, sent_to_panel_on=D(2027, 4, 19))
    assert not rules.rapid_review_on_time(start=start, sent_to_panel_on=D(2027, 4, 20))


def test_the_clock_starts_when_the_partners_became_aware_or_when_the_panel_was_notified():
    aware, notified = D(2026, 12, 23), D(2027, 1, 4)
    start = rules.rapid_review_clock_start(became_aware_on=aware, notified_panel_on=notified, clock_start="aware")
    assert start == aware
    start = rules.rapid_review_clock_start(became_aware_on=aware, notified_panel_on=notified, clock_start="notified")
    assert start == notified
    # From Monday 4 January 2027: Tue 5 (1), Wed 6, Thu 7, Fri 8 (4), Mon 11 ... Fri 15 (9),
    # Mon 18 ... Fri 22 (14), Mon 25 January 2027 (15): a week later than from "aware".
    assert rules.rapid_review_due(start) == D(2027, 1, 25)


def test_an_unknown_clock_start_is_refused():
    with pytest.raises(ValueError, match="'incident' is not a rapid review clock start"):
        rules.rapid_review_clock_start(
            became_aware_on=D(2026, 1, 5), notified_panel_on=D(2026, 1, 6), clock_start="incident"
        )


# The day plan ---------------------------------------------------------------------------


def test_the_default_day_plan_across_christmas():
    # From Wednesday 23 December 2026: day 1 Thu 24 December; day 10 Mon 11 January 2027;
    # day 12 Wed 13 January; day 15 Mon 18 January (the rapid review's due date).
    plan = {p.step.code: p.due_on for p in rules.day_plan(D(2026, 12, 23))}
    assert plan == {
        "summaries_requested": D(2026, 12, 24),
        "summaries_due": D(2027, 1, 11),
        "review_panel": D(2027, 1, 13),
        "sign_off": D(2027, 1, 18),
    }
    assert plan["sign_off"] == rules.rapid_review_due(D(2026, 12, 23))
    assert rules.step_due(D(2026, 12, 23), "summaries_due") == D(2027, 1, 11)


def test_a_partnership_template_is_laid_on_working_days():
    template = (rules.DayPlanStep("strategy", "Strategy call", 2), rules.DayPlanStep("panel", "Panel", 8))
    # From Thursday 25 March 2027: Tue 30 (1), Wed 31 March (2); ... Mon 5 April (5),
    # Tue 6 (6), Wed 7 (7), Thu 8 April (8).
    assert [p.due_on for p in rules.day_plan(D(2027, 3, 25), template)] == [D(2027, 3, 31), D(2027, 4, 8)]


def test_a_template_step_after_day_fifteen_is_refused():
    with pytest.raises(ValueError, match="late_panel"):
        rules.day_plan(D(2027, 3, 25), (rules.DayPlanStep("late_panel", "Panel", 16),))


# Care leavers and the CSPR's six months --------------------------------------------------


def test_a_care_leaver_is_notified_up_to_and_including_age_24():
    born = D(2002, 6, 10)
    assert rules.is_care_leaver_age(born, D(2027, 6, 9))  # the day before the 25th birthday
    assert not rules.is_care_leaver_age(born, D(2027, 6, 10))  # 25 today
    assert rules.is_care_leaver_age(born, D(2020, 6, 10))  # 18
    assert not rules.is_care_leaver_age(born, D(2001, 1, 1))  # not yet born


def test_age_of_a_leap_day_birthday():
    assert rules.age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17
    assert rules.age_on(D(2008, 2, 29), D(2026, 3, 1)) == 18


def test_cspr_due_six_calendar_months_after_the_decision():
    assert rules.cspr_due(D(2027, 1, 15)) == D(2027, 7, 15)
    # 31 August 2026 + 6 months: there is no 31 February; 2027 is not a leap year.
    assert rules.cspr_due(D(2026, 8, 31)) == D(2027, 2, 28)
    # 29 August 2027 + 6 months: 2028 is a leap year.
    assert rules.cspr_due(D(2027, 8, 29)) == D(2028, 2, 29)


# Who may sign for a partner --------------------------------------------------------------


@pytest.mark.parametrize(
    ("seniority", "kind", "statutory", "partner_kind", "expected"),
    [
        ("lead_partner", "police", True, "police", True),
        ("delegated_partner", "icb", True, "icb", True),
        ("director", "local_authority", True, "local_authority", False),  # not a partner post
        ("lead_partner", "police", True, "icb", False),  # another partner's
        ("lead_partner", "local_authority", False, "local_authority", False),  # a neighbouring council
    ],
)
def test_only_a_lead_or_delegated_partner_of_that_partner_may_sign(seniority, kind, statutory, partner_kind, expected):
    assert (
        rules.may_sign_for_partner(
            post_seniority=seniority, organisation_kind=kind, is_statutory_partner=statutory, partner_kind=partner_kind
        )
        is expected
    )


def test_the_four_regulation_11_criteria():
    assert rules.CRITERION_CODES == ("improvements", "recurrent_themes", "joint_working", "panel_view")


def test_publication_waits_seven_working_days_after_the_copy_to_the_panel_across_christmas():
    # Sent Tuesday 22 December 2026: 23, 24, 29, 30, 31 December, 4 and 5 January (25, 28
    # December and 1 January are bank holidays; 26 and 27 December a weekend).
    assert rules.earliest_publication(dt.date(2026, 12, 22), 7) == dt.date(2027, 1, 5)
    assert rules.earliest_publication(dt.date(2026, 12, 22), 0) == dt.date(2026, 12, 22)


def test_days_paused_counts_each_day_once_and_a_running_pause_to_the_day_asked():
    spans = [
        rules.Span(dt.date(2026, 6, 1), dt.date(2026, 6, 11)),
        rules.Span(dt.date(2026, 6, 6), dt.date(2026, 6, 16)),  # overlaps the first by 5 days
        rules.Span(dt.date(2026, 9, 1), None),
    ]
    assert rules.days_paused(spans, until=dt.date(2026, 9, 11)) == 15 + 10
    assert rules.days_paused(spans, until=dt.date(2026, 6, 3)) == 2
    assert rules.days_paused([], until=dt.date(2026, 6, 3)) == 0


@pytest.mark.parametrize(
    "start, end, months",
    [
        (dt.date(2026, 3, 1), dt.date(2026, 9, 1), 6.0),
        (dt.date(2026, 3, 1), dt.date(2026, 9, 16), 6.5),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 1.0),
        (dt.date(2026, 4, 22), dt.date(2027, 1, 22), 9.0),
        (dt.date(2026, 4, 22), dt.date(2026, 4, 22), 0.0),
    ],
)
def test_months_between_counts_calendar_months_and_the_part_month(start, end, months):
    assert rules.months_between(start, end) == months


def test_a_cspr_is_on_time_published_by_its_six_months_pauses_or_not():
    decided = dt.date(2026, 4, 22)
    assert rules.cspr_published_on_time(decided_on=decided, published_on=dt.date(2026, 10, 22))
    assert not rules.cspr_published_on_time(decided_on=decided, published_on=dt.date(2026, 10, 23))


def test_only_an_open_recommendation_past_its_date_is_overdue():
    today = dt.date(2026, 12, 4)
    assert rules.recommendation_is_overdue(due_on=dt.date(2026, 12, 3), closed=False, today=today)
    assert not rules.recommendation_is_overdue(due_on=dt.date(2026, 12, 4), closed=False, today=today)
    assert not rules.recommendation_is_overdue(due_on=dt.date(2026, 12, 3), closed=True, today=today)
