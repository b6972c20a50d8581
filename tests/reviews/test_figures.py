"""Questions 2 and 3 worked out from records made through the services, against the
figures worked by hand in ``worked_example``; who may read them, and how; and a bounded
number of queries whatever the number of records."""

import datetime as dt

import pytest
from django.test import override_settings

from safeguarding.reviews import figures, presentation, services
from safeguarding.reviews.figures import RecommendationCounts as Counts
from tests.conftest import make_persona
from tests.reviews.test_learning import opened, recommendation
from tests.reviews.test_services import decided
from tests.reviews.worked_example import WINDOW, record

D = dt.date


@pytest.fixture
def recorded(world):
    return record(world)


def summary(**kwargs):
    return figures._reviews_summary(date_from=WINDOW.start, date_to=WINDOW.end, **kwargs)


def test_question_2_counts_the_windows_notifications_and_what_became_of_their_rapid_reviews(recorded):
    s = summary()
    n, r = s.notifications, s.rapid_reviews
    assert (n.notified, n.within_time, n.late, n.late_with_reason) == (3, 2, 1, 1)
    assert n.share_within_time == pytest.approx(2 / 3)
    assert (n.children, n.looked_after, n.care_leavers) == (4, 1, 1)
    assert (r.opened, r.not_required, r.completed, r.completed_within_time, r.in_progress, r.overdue) == (
        3, 1, 2, 1, 0, 0,
    )  # fmt: skip
    assert r.share_within_time == 0.5
    assert r.outcomes == {"local_cspr": 1, "no_cspr": 1, "other_review": 0, "national_review": 0}
    assert (r.led_to_cspr, r.csprs_opened, s.csprs_opened) == (1, 1, 2)
    assert r.panel_replies == {"agrees": 1, "disagrees": 0, "more_information": 1, "reconsider": 0, "national": 0}
    assert r.awaiting_reply == 0
    assert (s.referrals.decided, s.referrals.not_notified) == (1, 1)


def test_the_year_before_has_its_own_notification(recorded):
    before = figures._reviews_summary(date_from=D(2025, 4, 1), date_to=D(2025, 11, 30))
    assert (before.notifications.notified, before.rapid_reviews.not_required, before.csprs_opened) == (1, 1, 0)
    assert before.practice_reviews == [] and before.recommendations.made == 0


def test_question_3_gives_each_active_cspr_its_months_against_six_with_its_pauses(recorded):
    child_q, child_r = summary().practice_reviews
    assert (child_q.reference, child_q.title, child_q.decided_on, child_q.published_on) == (
        "CSPR-2026-01", "Child Q", D(2026, 4, 22), D(2026, 9, 28),
    )  # fmt: skip
    assert (child_q.due_on, child_q.months_taken, child_q.days_paused, child_q.months_paused) == (
        D(2026, 10, 22), 5.2, 30, 1.0,
    )  # fmt: skip
    assert child_q.on_time is True
    assert [(p.paused_on, p.resumed_on, p.days, p.because) for p in child_q.pauses] == [
        (D(2026, 6, 1), D(2026, 7, 1), 30, "Police investigation or criminal trial")
    ]
    assert child_q.recommendations == Counts("CSPR-2026-01", made=2, open=1, overdue=1, closed=1, closed_with_impact=1)
    assert (child_r.reference, child_r.published_on, child_r.months_taken, child_r.days_paused) == (
        "CSPR-2026-02", None, 3.3, 28,
    )  # fmt: skip
    assert child_r.on_time is None  # not published, due 20 February 2027
    assert [(p.resumed_on, p.because) for p in child_r.pauses] == [(None, "Other reason")]
    assert presentation.on_time_in_words(child_r) == "Not yet due"
    assert "1 June 2026 to 1 July 2026, 30 days (police investigation or criminal trial)" in (
        presentation.pauses_in_words(child_q)
    )


def test_a_cspr_is_seen_as_the_windows_end_saw_it(recorded):
    """Before Child Q's publication it was still running; once past its due day unpublished, it is overdue."""
    august = figures._reviews_summary(date_from=D(2026, 4, 1), date_to=D(2026, 8, 31))
    child_q = next(row for row in august.practice_reviews if row.title == "Child Q")
    assert (child_q.published_on, child_q.months_taken, child_q.on_time) == (None, 4.3, None)
    assert child_q.recommendations.made == 0  # made in September
    later = figures._reviews_summary(date_from=D(2026, 10, 1), date_to=D(2026, 11, 30))
    assert [row.title for row in later.practice_reviews] == ["Child R"]  # Child Q published before the window


def test_recommendations_open_in_the_window_by_source_organisation_and_theme(recorded):
    s = summary()
    assert s.recommendations == Counts("All recommendations", made=3, open=2, overdue=1, closed=1, closed_with_impact=1)
    assert s.by_source == [
        Counts("Child Safeguarding Practice Review", made=2, open=1, overdue=1, closed=1, closed_with_impact=1),
        Counts("Rapid review", made=1, open=1),
        Counts("National review"),  # closed before the window began
        Counts("Independent scrutineer"),
    ]
    assert s.by_organisation == [
        Counts("Testshire Council", made=2, open=1, overdue=1, closed=1, closed_with_impact=1),
        Counts("Testshire Police", made=1, open=1),
    ]
    assert s.by_theme == [
        Counts("Transience and moves", made=2, open=1, overdue=1, closed=1, closed_with_impact=1),
        Counts("No theme recorded", made=1, open=1),
    ]


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_counts_of_children_are_hidden_for_readers_without_view_unsuppressed(recorded):
    agency_lead, scrutineer = make_persona("agency_lead"), make_persona("scrutineer")
    true = figures.reviews_summary(user=agency_lead, date_from=WINDOW.start, date_to=WINDOW.end)
    assert not true.suppressed and true.notifications.children == 4
    hidden = figures.reviews_summary(user=scrutineer, date_from=WINDOW.start, date_to=WINDOW.end)
    n = hidden.notifications
    assert hidden.suppressed and (n.children, n.looked_after, n.care_leavers) == (None, None, None)
    assert n.notified == 3 and hidden.rapid_reviews == true.rapid_reviews  # only children are hidden
    assert presentation.notifications_table(hidden).rows[5] == ["Children the notifications were about", "[c]"]
    with override_settings(SUPPRESSION_THRESHOLD=2):
        assert figures.published(true).notifications.children == 4
        assert figures.published(true).notifications.looked_after is None


def test_a_reader_without_the_permission_or_with_no_organisation(recorded):
    with pytest.raises(PermissionError):
        figures.reviews_summary(user=make_persona("scrutiny_member"), date_from=WINDOW.start, date_to=WINDOW.end)
    with pytest.raises(PermissionError):
        figures.reviews_summary(user=make_persona("mash_practitioner"), date_from=WINDOW.start, date_to=WINDOW.end)
    analyst = make_persona("analyst")
    analyst.person.posts.all().delete()  # the figures are the partnership's: no organisation is needed
    assert figures.reviews_summary(user=analyst, date_from=WINDOW.start, date_to=WINDOW.end).notifications.notified == 3


def test_nothing_in_the_summary_names_a_child(recorded):
    text = str(summary().as_dict()) + str(presentation.download_tables(summary()))
    for name in ("Amy", "Ann", "Ben", "Cal", "Zed", "Example", "The trial.", "Waiting."):
        assert name not in text


def test_the_summary_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    record(world)
    with django_assert_max_num_queries(10) as few:
        summary()
    for n in range(3):
        review = world.notify(
            children=[services.ChildDetails(first_name=f"Child{n}", last_name="Example")]
        ).rapid_review
        recommendation(world, opened(world, rapid_review=decided(world, review), title=f"Child {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        s = summary()
    assert len(s.practice_reviews) == 5
