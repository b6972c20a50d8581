"""The statutory contents checklist shown before sign-off."""

import pytest

from safeguarding.core.report_sections import ORDER, Figure, SectionContent
from safeguarding.reports import checklist


def _chapter(key, narrative="", content=None, has_figures=True):
    return {
        "key": key,
        "title": f"The {key} chapter",
        "guidance": "",
        "narrative": narrative,
        "content": (content or SectionContent()).to_dict(),
        "has_figures": has_figures,
    }


def _status(items):
    return {item.key: item.status for item in items}


FIGURES = SectionContent(figures=[Figure("n", "Children who moved", 12)])


def test_every_element_names_chapters_of_the_report_and_what_it_needs():
    assert {key for e in checklist.STATUTORY_ELEMENTS for key in e.chapters} == set(ORDER)
    assert {e.needs for e in checklist.STATUTORY_ELEMENTS} <= {checklist.WORDS, checklist.FIGURES, checklist.BOTH}
    assert len({e.key for e in checklist.STATUTORY_ELEMENTS}) == len(checklist.STATUTORY_ELEMENTS)


def test_a_report_with_every_chapter_written_and_built_is_complete():
    content = {"sections": [_chapter(key, "Words.", FIGURES) for key in ORDER]}
    items = checklist.checklist(content)
    assert set(_status(items).values()) == {checklist.PRESENT}
    moves = next(i for i in items if i.key == "moves")
    assert moves.message == "Covered in “The moves chapter”."


def test_a_chapter_without_words_is_empty_and_says_so():
    (item,) = checklist.checklist(
        {"sections": [_chapter("voice")]}, [e for e in checklist.STATUTORY_ELEMENTS if e.key == "voice"]
    )
    assert (item.status, item.message) == (checklist.EMPTY, "Write the narrative of “The voice chapter”.")


@pytest.mark.parametrize(
    ("content", "has_figures", "says"),
    [
        (SectionContent(unavailable="The reviews area is not built yet."), True, "has no figures: The reviews area"),
        (SectionContent(), False, "No area of the system supplies figures"),
        (SectionContent(), True, "build the report's figures"),
    ],
)
def test_figures_unavailable_or_not_built_leave_the_element_empty(content, has_figures, says):
    (item,) = checklist.checklist(
        {"sections": [_chapter("moves", "Words.", content, has_figures)]},
        [e for e in checklist.STATUTORY_ELEMENTS if e.key == "moves"],
    )
    assert item.status == checklist.EMPTY and says in item.message


def test_words_alone_are_enough_where_only_words_are_needed():
    items = checklist.checklist(
        {"sections": [_chapter("reviews", "Two rapid reviews.", SectionContent(unavailable="Not built."))]}
    )
    assert _status(items)["review_actions"] == checklist.PRESENT
    assert _status(items)["reviews_undertaken"] == checklist.EMPTY


def test_an_element_over_several_chapters_takes_words_and_figures_from_any_of_them():
    content = {"sections": [_chapter("context", "The area's children."), _chapter("data", "", FIGURES)]}
    assert _status(checklist.checklist(content))["data"] == checklist.PRESENT


def test_a_chapter_nobody_registered_is_missing():
    items = checklist.checklist({"sections": [_chapter("voice", "Words.")]})
    scrutineer = next(i for i in items if i.key == "scrutineer")
    assert scrutineer.status == checklist.MISSING
    assert scrutineer.message.startswith("The report has no chapter “scrutineer”")


def test_the_checklist_reads_the_assembled_report(db):
    import datetime as dt

    from safeguarding.reports.assembly import report_content
    from safeguarding.reports.models import Narrative, Report

    now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    report = Report.objects.create(year_start=2025, created_at=now)
    Narrative.objects.create(
        report=report, section_key="voice", text="Children told us…", updated_at=now, updated_by="t"
    )
    status = _status(checklist.checklist(report_content(report)))
    assert status["voice"] == checklist.PRESENT
    assert status["next_year"] == checklist.EMPTY
