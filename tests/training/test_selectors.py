"""Training reads: the summary worked by hand on tests/training/conftest.py's example, and
who may read what."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from safeguarding.core.permissions import Perm, Role, has_perm
from safeguarding.training import selectors
from tests.conftest import make_persona
from tests.factories import BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.training.conftest import WINDOW


@pytest.fixture
def summary(worked_example):
    return selectors.training_summary_for_report(date_from=WINDOW[0], date_to=WINDOW[1])


def counts(c):
    return (c.places_offered, c.booked, c.attended, c.no_shows, c.late_cancellations, c.waiting_list)


def test_the_totals_count_places_held_attended_missed_and_waiting(summary):
    # 10 + 6 places (the cancelled session and October's are not counted). Held a place:
    # Ann, Bob, Cat, Dan (late) on GCP2; Ann, Hal, Ivy on DA basics.
    assert counts(summary.total) == (16, 7, 4, 1, 1, 1)
    assert summary.total.no_show_rate == pytest.approx(1 / 7)
    assert (summary.date_from, summary.date_to) == WINDOW


def test_the_year_before_is_the_same_window_a_year_earlier(summary):
    assert counts(summary.previous_year) == (4, 2, 1, 1, 0, 0)
    assert summary.previous_year.label == "1 Apr 2025 to 30 Sep 2025"
    assert summary.previous_year.no_show_rate == 0.5


def test_by_organisation_counts_each_booking_under_the_organisation_it_was_made_for(summary):
    assert {c.label: counts(c) for c in summary.by_organisation} == {
        "Riverside High": (None, 1, 0, 0, 0, 1),
        "Testshire Council": (None, 3, 2, 1, 0, 0),
        "Testshire Police": (None, 3, 2, 0, 1, 0),
    }
    assert [c.label for c in summary.by_organisation] == ["Riverside High", "Testshire Council", "Testshire Police"]
    council = next(c for c in summary.by_organisation if c.label == "Testshire Council")
    assert council.no_show_rate == pytest.approx(1 / 3)


def test_by_course_and_topic_a_course_with_two_topics_counts_under_each(summary):
    assert {c.label: counts(c) for c in summary.by_course} == {
        "DA basics": (6, 3, 2, 0, 0, 0),
        "Graded Care Profile 2": (10, 4, 2, 1, 1, 1),
    }
    assert {c.label: counts(c) for c in summary.by_topic} == {
        "Domestic abuse": (6, 3, 2, 0, 0, 0),
        "Neglect": (16, 7, 4, 1, 1, 1),
    }


def test_reach_counts_each_practitioner_once_as_a_share_of_the_windows_workforce_year(summary):
    """Council: Ann, twice on courses and once on e-learning, is one person of 50.
    Police: Cat and Hal of 40. School: Zoe's e-learning; its workforce figure is for
    2025/26, not 2026/27 (the year 30 September 2026 falls in), so no share. Fire: a
    workforce and nobody trained."""
    assert [(r.organisation, r.people_reached, r.workforce, r.elearning_completions) for r in summary.reach] == [
        ("Riverside High", 1, None, 1),
        ("Testshire Council", 1, 50, 1),
        ("Testshire Fire", 0, 20, 0),
        ("Testshire Police", 2, 40, 0),
    ]
    assert [r.share for r in summary.reach] == [None, 0.02, 0.0, 0.05]


def test_impact_averages_confidence_over_answers_and_counts_practice_changed(summary):
    """GCP2 answers: Ann 2→4 twice, Cat 1→5 and 3→3: before 8/4, after 16/4.
    Follow-ups: Ann yes, Cat partly. DA basics: Ann 3→4; Hal said no."""
    impact = {i.label: i for i in summary.impact_by_course}
    gcp2, da = impact["Graded Care Profile 2"], impact["DA basics"]
    assert (gcp2.evaluations, gcp2.confidence_before, gcp2.confidence_after, gcp2.confidence_change) == (
        2,
        2.0,
        4.0,
        2.0,
    )
    assert (gcp2.follow_ups, gcp2.practice_changed, gcp2.practice_partly_changed, gcp2.practice_changed_share) == (
        2,
        1,
        1,
        1.0,
    )
    assert (da.evaluations, da.confidence_before, da.confidence_after) == (1, 3.0, 4.0)
    assert (da.follow_ups, da.practice_changed_share) == (1, 0.0)


def test_impact_by_organisation_rounds_to_two_places(summary):
    """Council: Ann's three answers, 2, 2 and 3 before (7/3), 4 after."""
    impact = {i.label: i for i in summary.impact_by_organisation}
    council, police = impact["Testshire Council"], impact["Testshire Police"]
    assert (council.evaluations, council.confidence_before, council.confidence_after) == (2, 2.33, 4.0)
    assert (council.follow_ups, council.practice_changed_share) == (1, 1.0)
    assert (police.evaluations, police.confidence_before, police.confidence_after) == (1, 2.0, 4.0)
    assert (police.follow_ups, police.practice_changed, police.practice_partly_changed) == (2, 0, 1)
    assert police.practice_changed_share == 0.5
    assert "Riverside High" not in impact


def test_examples_are_of_changed_practice_in_the_window_only(summary):
    assert summary.examples == ["I use the tool at every visit"]


def test_the_summary_as_the_api_gives_it(summary):
    data = summary.as_dict()
    assert (data["from"], data["to"]) == ("2026-04-01", "2026-09-30")
    assert data["total"] | {"no_show_rate": round(data["total"]["no_show_rate"], 4)} == {
        "label": "All training",
        "places_offered": 16,
        "booked": 7,
        "attended": 4,
        "no_shows": 1,
        "late_cancellations": 1,
        "waiting_list": 1,
        "no_show_rate": 0.1429,
    }
    assert data["reach"][1] == {
        "organisation": "Testshire Council",
        "people_reached": 1,
        "workforce": 50,
        "elearning_completions": 1,
        "share": 0.02,
    }
    assert data["impact_by_course"][1]["confidence_change"] == 2.0


def test_an_empty_window_has_no_rates_rather_than_zero(worked_example):
    empty = selectors.training_summary_for_report(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 1, 31))
    assert counts(empty.total) == (0, 0, 0, 0, 0, 0)
    assert empty.total.no_show_rate is None
    assert (empty.by_organisation, empty.by_course, empty.by_topic, empty.impact_by_course) == ([], [], [], [])
    assert empty.examples == []


def test_a_one_day_window_counts_that_days_session(worked_example):
    day = dt.date(2026, 6, 15)
    assert counts(selectors.training_summary_for_report(date_from=day, date_to=day).total) == (6, 3, 2, 0, 0, 0)


# Who may read what ------------------------------------------------------------------------------

FIGURE_READERS = [
    Role.TRAINING_COORDINATOR,
    Role.BUSINESS_MANAGER,
    Role.ANALYST,
    Role.AGENCY_LEAD,
    Role.BOARD_MEMBER,
    Role.SCRUTINEER,
    Role.ADMINISTRATOR,
]


@pytest.mark.parametrize("role", FIGURE_READERS)
def test_each_reader_of_the_figures_sees_the_whole_partnerships_figures_whatever_their_organisation(
    worked_example, role
):
    """Training is the partnership's, not an agency's: Hana at the ICB, which booked
    nobody, sees the same totals as the coordinator."""
    reader = make_persona(role)
    summary = selectors.training_summary(user=reader, date_from=WINDOW[0], date_to=WINDOW[1])
    assert counts(summary.total) == (16, 7, 4, 1, 1, 1)
    assert len(summary.by_organisation) == 3


@pytest.mark.parametrize("role", [Role.MASH_PRACTITIONER, Role.SCRUTINY_MEMBER])
def test_roles_without_the_figures_are_refused(worked_example, role):
    with pytest.raises(PermissionError):
        selectors.training_summary(user=make_persona(role), date_from=WINDOW[0], date_to=WINDOW[1])


def test_a_user_with_no_role_no_organisation_or_no_account_is_refused(worked_example):
    nobody = UserFactory(username="nobody", person=None)
    inactive = make_persona(Role.ANALYST)
    inactive.is_active = False
    inactive.save()
    for user in (nobody, inactive, AnonymousUser()):
        with pytest.raises(PermissionError):
            selectors.training_summary(user=user, date_from=WINDOW[0], date_to=WINDOW[1])
        assert not selectors.sessions_for_coordinator(user=user).exists()


def test_a_reader_with_a_role_but_no_organisation_reads_as_their_role_allows(worked_example):
    andy = UserFactory(username="andy-without-post", roles=[Role.ANALYST])
    assert not andy.person.posts.exists()
    assert selectors.training_summary(user=andy, date_from=WINDOW[0], date_to=WINDOW[1]).total.booked == 7
    assert not selectors.sessions_for_coordinator(user=andy).exists()


@pytest.mark.parametrize(
    "role", [r for r in Role.values if r not in {Role.TRAINING_COORDINATOR, Role.BUSINESS_MANAGER}]
)
def test_only_those_who_manage_training_see_the_sessions_list(worked_example, role):
    reader = make_persona(role)
    assert not has_perm(reader, Perm.MANAGE_TRAINING)
    assert list(selectors.sessions_for_coordinator(user=reader)) == []


@pytest.mark.parametrize("role", [Role.TRAINING_COORDINATOR, Role.BUSINESS_MANAGER])
def test_those_who_manage_training_see_every_session_with_places_taken_and_waiting(worked_example, role):
    sessions = {s.pk: s for s in selectors.sessions_for_coordinator(user=make_persona(role))}
    s1 = worked_example["sessions"]["s1"]
    assert len(sessions) == 5  # cancelled and past ones too
    # Confirmed: Ann, Bob, Cat (Dan cancelled late, Eve waits, Fay cancelled, Gus pending).
    assert (sessions[s1.pk].places_taken, sessions[s1.pk].waiting) == (3, 1)


def test_sessions_open_for_booking_leave_out_cancelled_and_closed_ones(db):
    course = CourseFactory()
    now = timezone.now()
    today = timezone.localdate()
    open_one = SessionFactory(course=course, starts_at=now + dt.timedelta(days=5), capacity=3)
    closes_today = SessionFactory(
        course=course, starts_at=now + dt.timedelta(days=9), booking_deadline=today, capacity=3
    )
    SessionFactory(course=course, starts_at=now + dt.timedelta(days=3), cancelled_at=now)
    SessionFactory(course=course, starts_at=now + dt.timedelta(days=7), booking_deadline=today - dt.timedelta(days=1))
    SessionFactory(starts_at=now + dt.timedelta(days=5))  # another course's
    BookingFactory(session=open_one)
    BookingFactory(session=open_one, waiting=True)
    BookingFactory(session=open_one, pending=True)
    found = list(selectors.sessions_open_for_booking(course=course, today=today))
    assert [s.pk for s in found] == [open_one.pk, closes_today.pk]
    assert [s.places_taken for s in found] == [1, 0]


def test_the_catalogue_shows_active_courses_unless_asked_for_all(db):
    CourseFactory(code="live", title="Live")
    CourseFactory(code="retired", title="Retired", is_active=False)
    assert [c.code for c in selectors.courses()] == ["live"]
    assert sorted(c.code for c in selectors.courses(active_only=False)) == ["live", "retired"]
