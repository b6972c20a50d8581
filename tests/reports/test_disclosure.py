"""Before publication: nothing in the report that identifies a child held in the records,
and no count small enough to point at one."""

import pytest

from safeguarding.accounts.models import Area
from safeguarding.children import records, services
from safeguarding.children.identifying_details import personal_details_in
from safeguarding.core.report_sections import SUPPRESSED, Figure, SectionContent
from safeguarding.core.tables import Table
from safeguarding.reports.publication_check import scan
from tests.children.conftest import SYSTEM, TODAY
from tests.factories import OrganisationFactory

HEADER = (
    "source,record_id,first_name,middle_names,last_name,date_of_birth,sex,nhs_number,postcode,address,address_from\n"
)
ROWS = (
    "ns-csc,C1,Amelia,Rose,Nowak,2016-05-04,F,999 000 0018,NS1 4AB,1 Mill Lane,2024-01-01\n"
    "ns-csc,C2,OLIVER,,SMITH-JONES,2014-11-23,M,943 476 5919,NS1 4AB,2 Mill Lane,2024-01-01\n"
    "ns-csc,C3,Łukasz,,Wiśniewski,2012-02-29,M,,NS1 4AB,3 Mill Lane,2024-01-01\n"
    "ns-csc,C4,Sofia,,van der Berg,2013-07-01,F,,NS1 4AB,4 Mill Lane,2024-01-01\n"
)


@pytest.fixture
def held(db):
    """Four synthetic children's records, checked and imported as an agency sends them."""
    north = Area.objects.create(code="E06999001", name="Northshire")
    services.postcode_areas_set(prefixes={"NS1": north}, actor=SYSTEM)
    services.source_register(
        code="ns-csc",
        name="Northshire social care",
        organisation=OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner"),
        kind="social_care",
        areas=[north],
        actor=SYSTEM,
    )
    rows = records.read_table("records.csv", (HEADER + ROWS).encode())
    clean = records.check_rows("records.csv", rows, known_sources={"ns-csc"}, today=TODAY)
    services.import_records(clean, actor=SYSTEM, origin="command", file_name="records.csv")


def found(*texts):
    return [(f.kind, f.text) for f in personal_details_in(list(texts))]


# Names


@pytest.mark.parametrize(
    "written",
    [
        "Amelia Nowak",
        "amelia nowak",
        "AMELIA NOWAK",
        "Nowak Amelia",
        "Nowak, Amelia",
        "Amelia Rose Nowak",
        "Oliver Smith-Jones",
        "Łukasz Wiśniewski",
        "Sofia van der Berg",
    ],
)
def test_a_childs_full_name_is_found_however_it_is_written(held, written):
    assert found(f"We met {written} in March.") == [("name", written)]


def test_names_not_held_together_are_not_found(held):
    # A first name and a last name of different records, a name nobody has, first names alone.
    assert found("Amelia Smith-Jones and Oliver Nowak met Jane Doe; Amelia spoke for Sofia.") == []


def test_a_finding_gives_back_the_words_written_and_where_nothing_else(held):
    (finding,) = personal_details_in(["Nothing here.", "Our thanks to Amelia Rose Nowak and her school."])
    assert (finding.index, finding.start, finding.end) == (1, 14, 31)
    assert finding.context == "Our thanks to Amelia Rose Nowak and her school."
    assert "2016" not in repr(finding) and "0018" not in repr(finding)


# Dates of birth, child IDs, NHS numbers


@pytest.mark.parametrize(
    "written", ["4 May 2016", "4th May 2016", "04/05/2016", "4/5/2016", "2016-05-04", "May 4, 2016"]
)
def test_a_date_of_birth_held_is_found_in_each_common_form(held, written):
    assert found(f"Born on {written}, she") == [("date_of_birth", written)]


def test_a_date_that_is_nobodys_birthday_is_not_found(held):
    assert found("The board met on 5 May 2016 and on 12/07/2025.") == []


def test_a_child_id_is_found(held):
    assert found("See CH-AB2CD-EF3GH for the history.") == [("child_id", "CH-AB2CD-EF3GH")]


@pytest.mark.parametrize("written", ["9990000018", "999 000 0018", "943-476-5919"])
def test_an_nhs_number_held_is_found_with_or_without_spaces(held, written):
    assert found(f"NHS number {written}.") == [("nhs_number", written)]


def test_an_nhs_number_not_held_or_not_valid_is_not_found(held):
    # 999 000 0026 is valid but nobody's; 999 000 0019 fails its check digit.
    assert found("Numbers 999 000 0026 and 999 000 0019 and 0161 496 0018.") == []


def test_the_queries_do_not_grow_with_the_text(held, django_assert_max_num_queries):
    paragraph = (
        "Amelia Nowak was born on 4 May 2016 (NHS 999 000 0018). The Board met Harriet Long and "
        "Young People's Forum members on 5 June 2025 to discuss {n} ideas from Northshire. "
    )
    with django_assert_max_num_queries(3):
        short = personal_details_in([paragraph.format(n=0)])
    with django_assert_max_num_queries(3):
        long = personal_details_in([paragraph.format(n=n) for n in range(500)])
    assert len(short) == 3 and len(long) == 1_500


# The report's check before publication


def _content(*chapters):
    return {
        "partnership": "Testshire",
        "year": "2025/26",
        "sections": [
            {
                "key": key,
                "title": key.title(),
                "guidance": "",
                "narrative": narrative,
                "content": (content or SectionContent()).to_dict(),
                "has_figures": content is not None,
            }
            for key, narrative, content in chapters
        ],
        "sign_offs": [],
    }


def test_a_name_in_the_narrative_blocks_publication(held):
    (problem,) = scan(_content(("voice", "Amelia Nowak told us what helped.", None)), threshold=5)
    assert (problem.section, problem.kind, problem.found, problem.where) == (
        "voice",
        "name",
        "Amelia Nowak",
        "narrative",
    )
    assert "Take it out" in problem.message


def test_small_counts_written_in_the_narrative_are_found(held):
    narrative = (
        "3 children moved. 12 children were seen. Two families and 4 young people spoke to us, and 1 baby "
        "was born. Three more referrals came in. One of the children wrote a poem; one in five pupils "
        "answered; Year 2 pupils drew; 3% of children and 0 cases. Nine children went."
    )
    problems = scan(_content(("voice", narrative, None)), threshold=5)
    assert [p.found for p in problems] == [
        "3 children",
        "Two families",
        "4 young people",
        "1 baby",
        "Three more referrals",
    ]
    assert problems[0].message.startswith("“3 children” in the narrative is a count under 5")
    assert "Nine children" in [p.found for p in scan(_content(("voice", narrative, None)), threshold=10)]


def test_a_count_figure_under_the_threshold_is_flagged_and_a_suppressed_one_is_not(held):
    content = SectionContent(
        figures=[
            Figure("moves", "Children who moved", 2, previous=SUPPRESSED),
            Figure("all", "All moves", 40, previous=3),
            Figure("share", "Share in time", 0.5, unit="percent"),
            Figure("days", "Median days", 2, unit="days"),
        ],
        tables=[
            Table(
                "Moves into each area",
                ["Area", "All", "Median days"],
                [["Northshire", 4, 2], ["Southvale", SUPPRESSED, 1], ["Days to alert, median", 3, 3]],
            )
        ],
    )
    problems = scan(_content(("moves", "", content)), threshold=5)
    assert [(p.kind, p.found, p.where) for p in problems] == [
        ("unsuppressed", "2", "figure 'Children who moved'"),
        ("unsuppressed", "3", "figure 'All moves' (the year before)"),
        ("unsuppressed", "4", "table 'Moves into each area', row 'Northshire', column 'All'"),
    ]
    assert "should show “[c]”" in problems[0].message


def test_names_in_tables_are_found_but_dates_there_are_not(held):
    content = SectionContent(
        tables=[Table("Meetings", ["Meeting", "Note"], [["Board, 4 May 2016", "Amelia Nowak attended"]])]
    )
    problems = scan(_content(("governance", "", content)), threshold=5)
    assert [(p.kind, p.found, p.where) for p in problems] == [("name", "Amelia Nowak", "table 'Meetings'")]


def test_a_clean_report_passes(held):
    content = SectionContent(figures=[Figure("moves", "Children who moved", SUPPRESSED, previous=12)])
    narrative = "Fewer than 5 children moved. 40 families told us that the early help offer was clear."
    assert scan(_content(("moves", narrative, content), ("voice", "", None)), threshold=5) == []


def test_counts_of_meetings_and_training_are_not_suppressed_so_not_flagged(held):
    content = SectionContent(figures=[Figure("meetings_held", "Board meetings held", 4, previous=3)])
    assert scan(_content(("governance", "", content)), threshold=5) == []
    flagged = scan(_content(("governance", "", content)), threshold=5, count_chapters={"governance"})
    assert [p.found for p in flagged] == ["4", "3"]


def test_the_adults_the_report_may_name_are_not_flagged(held):
    chapter = ("scrutineer", "Our scrutineer, AMELIA NOWAK, found that Oliver Smith-Jones was seen late.", None)
    problems = scan(_content(chapter), threshold=5, allowed_names=["Amelia  Nowak"])
    assert [p.found for p in problems] == ["Oliver Smith-Jones"]


def test_a_text_of_more_words_than_one_query_takes_is_still_read_whole(held, monkeypatch):
    from safeguarding.children import identifying_details

    monkeypatch.setattr(identifying_details, "MAX_WORDS_PER_QUERY", 3)
    assert found("Many words before the name of Amelia Rose Nowak and after it.") == [("name", "Amelia Rose Nowak")]


def test_in_the_reviews_chapter_only_counts_of_children_are_checked(held):
    content = SectionContent(
        figures=[
            Figure("notifications", "Serious incident notifications", 3, previous=1),
            Figure("children_notified", "Children the notifications were about", 4, previous=SUPPRESSED),
        ],
        tables=[
            Table(
                "Serious incident notifications",
                ["Measure", "Count"],
                [["Made late", 1], ["Of those children, looked after", 2], ["Children in all", SUPPRESSED]],
            )
        ],
    )
    problems = scan(_content(("reviews", "", content)), threshold=5)
    assert [(p.found, p.where) for p in problems] == [
        ("4", "figure 'Children the notifications were about'"),
        ("2", "table 'Serious incident notifications', row 'Of those children, looked after', column 'Count'"),
    ]
