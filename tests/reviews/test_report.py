"""The annual report's reviews chapter and the committee's questions 2 and 3, built
through the registry as the reports app builds them, against the figures worked by hand
in ``worked_example``: the year beside the year before, the CSPR table with months
against 6 and its pauses, recommendations by source, children's counts hidden as "[c]",
and no child's name anywhere."""

import json
import shutil
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import resolve
from django.utils import timezone

from safeguarding.core.report_sections import SUPPRESSED, data_changes_since, questions, section
from safeguarding.reports.outputs import report_pdf
from safeguarding.reports.publication_check import scan
from safeguarding.reviews.report import reviews_changed_since
from tests.reports import test_page_geometry as geometry
from tests.reviews.worked_example import WINDOW, record

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]
CHILD_NAMES = ("Amy", "Ann", "Ben", "Cal", "Zed", "Example")


def build(builder):
    content = builder(WINDOW)
    serialised = json.dumps(content.to_dict(), default=str)
    assert not any(name in serialised for name in CHILD_NAMES)
    for figure in content.figures:
        assert resolve(urlsplit(figure.source).path).url_name == "figures", figure.key
        assert "date_from=2026-04-01&date_to=2026-11-30" in figure.source
        assert figure.explanation
    return content, {f.key: (f.value, f.previous) for f in content.figures}


def table(content, caption):
    return next(t for t in content.tables if t.caption == caption)


def question(number):
    return next(q for q in questions() if q.number == number)


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_the_reviews_chapter_gives_the_hand_worked_figures_beside_the_year_before(world):
    record(world)
    content, f = build(section("reviews").build)
    assert content.unavailable == ""
    assert f["notifications"] == (3, 1)
    assert (f["notifications_within_time"], f["notifications_late"]) == ((2, 1), (1, 0))
    assert f["notifications_within_time_share"] == (pytest.approx(2 / 3), 1.0)
    assert f["children_notified"] == (SUPPRESSED, SUPPRESSED)  # 4 and 1: both hidden
    assert f["rapid_reviews_completed"] == (2, 0)
    assert f["rapid_reviews_within_time_share"] == (0.5, None)
    assert f["rapid_reviews_not_required"] == (1, 1)
    assert (f["led_to_cspr"], f["csprs_opened"], f["panel_agreed"]) == ((1, 0), (2, 0), (1, 0))
    assert f["referrals_not_notified"] == (1, 0)
    assert (f["csprs_active"], f["csprs_published"], f["csprs_published_on_time"]) == ((2, 0), (1, 0), (1, 0))
    assert (f["recommendations_open"], f["recommendations_overdue"]) == ((2, 0), (1, 0))
    assert f["recommendations_closed_with_impact"] == (1, 0)

    assert table(content, "Serious incident notifications").rows[5] == [
        "Children the notifications were about",
        SUPPRESSED,
    ]
    cspr = table(content, "Practice reviews (CSPRs)")
    assert cspr.columns[5] == "Months taken (against 6)"
    assert cspr.rows == [
        ["CSPR-2026-01", "Child Q", "22 April 2026", "22 October 2026", "28 September 2026", 5.2, 30, 1.0,
         "1 June 2026 to 1 July 2026, 30 days (police investigation or criminal trial)", "Yes"],
        ["CSPR-2026-02", "Child R", "20 August 2026", "20 February 2027", "Not yet", 3.3, 28, 0.9,
         "2 November 2026 to still paused, 28 days (other reason)", "Not yet due"],
    ]  # fmt: skip
    assert table(content, "Recommendations by source").rows == [
        ["Child Safeguarding Practice Review", 2, 1, 1, 1],
        ["Rapid review", 1, 1, 0, 0],
        ["National review", 0, 0, 0, 0],
        ["Independent scrutineer", 0, 0, 0, 0],
        ["All recommendations", 3, 2, 1, 1],
    ]
    assert table(content, "The Panel's replies").rows[0] == ["Agrees", 1]
    assert any(SUPPRESSED in row[0] for row in table(content, "Notes").rows)
    assert "The trial." not in json.dumps(content.to_dict())  # a pause's reason is free text: left out


def test_questions_2_and_3_are_answered_from_the_recorded_data(world):
    record(world)
    two, f2 = build(question(2).build)
    three, f3 = build(question(3).build)
    assert f2["notifications"] == (3, 1) and "csprs_active" not in f2
    assert f3["csprs_active"] == (2, 0) and "notifications" not in f3
    assert [t.caption for t in two.tables] == [
        "Serious incident notifications",
        "Rapid reviews",
        "Rapid reviews' decisions",
        "The Panel's replies",
        "Notes",
    ]
    assert table(three, "Each CSPR's recommendations").rows[0] == ["CSPR-2026-01", "Child Q", 2, 1, 1, 1]
    assert question(2).not_built == "" and question(3).not_built == ""


def test_the_chapter_builds_from_an_empty_partnership(db):
    content, f = build(section("reviews").build)
    assert f["notifications"] == (0, 0) and f["notifications_within_time_share"] == (None, None)
    assert f["children_notified"] == (0, 0)  # zero is never hidden
    assert table(content, "Practice reviews (CSPRs)").rows == []


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_the_chapter_as_built_passes_the_check_before_publication(world):
    record(world)
    chapter = {"key": "reviews", "title": "Learning from reviews", "narrative": "", "content": {}}
    chapter["content"] = section("reviews").build(WINDOW).to_dict()
    assert scan({"sections": [chapter]}, threshold=5, allowed_names=["Bella Business-Manager"]) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_chapter_prints_inside_the_page(world, settings, tmp_path):
    record(world)
    _briefing_with_reach(
        world,
        settings,
        tmp_path,
        title="7-minute briefing: exploitation outside the home, and what the partners learnt",
    )
    chapter = section("reviews")
    report = {
        "partnership": "Testshire Safeguarding Children Partnership",
        "year": "2026/27",
        "window": {"start": "2026-04-01", "end": "2026-11-30", "label": WINDOW.label},
        "built_at": "2026-12-01T09:00:00+00:00",
        "sections": [
            {"key": chapter.key, "title": chapter.title, "guidance": "", "narrative": "The reviews.",
             "content": chapter.build(WINDOW).to_dict(), "has_figures": True}
        ],
        "sign_offs": [],
    }  # fmt: skip
    outside = [
        (page.number, word.text)
        for page in geometry.pages(report_pdf(report))
        for word in page.words
        if word.x0 < 18 * geometry.MM - 1 or word.x1 > page.width - 18 * geometry.MM + 1
    ]
    assert outside == []


def test_the_report_knows_its_figures_are_out_of_date_once_a_review_record_changes(world):
    built = timezone.now()
    assert reviews_changed_since(built) == []
    world.notify()  # the notification, its child and its rapid review
    (line,) = reviews_changed_since(built)
    assert line.startswith("3 changes were made to the review records")
    assert line in data_changes_since(built)


def _briefing_with_reach(world, settings, tmp_path, title="7-minute briefing: Child Q"):
    """A briefing published in the window with 3 downloads in it (2 agencies) and one after,
    carried by a course attended by 2 people in the window and 1 before it."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguarding.reviews import learning
    from safeguarding.reviews.models import BriefingDownload
    from safeguarding.training.models import Booking
    from tests.factories import CourseFactory, SessionFactory
    from tests.reviews.conftest import SYSTEM
    from tests.reviews.test_services import decided

    settings.MEDIA_ROOT = tmp_path
    course = CourseFactory(title="Neglect")
    inside = SessionFactory(course=course, starts_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    outside = SessionFactory(course=course, starts_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    for n, (session, organisation) in enumerate([(inside, "police"), (inside, "school"), (outside, "police")]):
        Booking.objects.create(
            session=session, full_name=f"T{n}", email=f"t{n}@example.org", organisation=world.org[organisation],
            job_role="Officer", status="confirmed", outcome="attended", booked_at=timezone.now(),
        )  # fmt: skip
    briefing = learning.briefing_publish(
        title=title, published_on=dt.date(2026, 5, 1), what_to_do_differently="Ask.",
        uploaded=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"), rapid_reviews=[decided(world)],
        courses=[course], actor=SYSTEM,
    )  # fmt: skip
    for when, organisation in [((2026, 5, 2), "police"), ((2026, 5, 3), "police"), ((2026, 5, 4), "school")]:
        BriefingDownload.objects.create(
            briefing=briefing, organisation=world.org[organisation], downloaded_at=dt.datetime(*when, tzinfo=dt.UTC)
        )
    BriefingDownload.objects.create(  # after the window: not counted
        briefing=briefing, organisation=None, downloaded_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    )
    return briefing


def test_the_chapter_says_how_far_the_briefings_reached_in_the_year(world, settings, tmp_path):
    _briefing_with_reach(world, settings, tmp_path)
    content, _ = build(section("reviews").build)
    reach = table(content, "7-minute briefings and their reach in the year")
    assert reach.rows == [["7-minute briefing: Child Q", "1 May 2026", 3, 2, 2]]
