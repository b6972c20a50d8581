"""The annual report's tables fit the page (issue 14, item 1).

A user-tested edition's data chapter had a nine-column table: its last columns fell off
the right edge, numbers ran together ("2,266-282", "182.4a fall of 12%") and the names in a
narrow first column broke into syllables. These tests print a report with a realistic data
chapter (40 indicators, shaped as ``performance.report.data`` shapes them, and a wider
table such as a year-on-year comparison would add) and read the PDF back with poppler's
word positions: every word inside the page's text block, no two words' boxes overlapping,
and every word printed whole (a word the content does not contain means two cells ran
together or a word was broken). The Word document's tables must fit their section."""

from __future__ import annotations

import html
import io
import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import docx
import pytest
from docx.oxml.ns import qn

from safeguarding.core import charts
from safeguarding.core.report_sections import SUPPRESSED, Chart, Figure, SectionContent
from safeguarding.core.tables import Table
from safeguarding.reports import layout
from safeguarding.reports.outputs import cell, report_html, report_pdf
from safeguarding.reports.word import report_docx

poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

MM = 72 / 25.4  # points in a millimetre
TOLERANCE = 1.0  # points

STANDARD = [
    "Contacts to children's social care",
    "Referrals to children's social care",
    "Re-referrals within 12 months",
    "Children in need",
    "New child protection plans",
    "Repeat child protection plans within 2 years",
    "Children looked after",
    "Children discussed at MACE (new)",
    "Children discussed at MACE (repeat)",
    "Missing episodes",
    "Domestic abuse incidents",
    "Domestic abuse crimes",
    "Domestic abuse incidents with children present",
    "Operation Encompass notifications",
    "Graded Care Profile 2 assessments",
    "Graded Care Profile 2 assessments (health)",
    "Early help assessments",
    "Under-18 self-harm attendances at A&E",
    "Permanent exclusions",
]
LOCAL = [
    "Strategy discussions held within one working day",
    "Initial child protection conferences within 15 working days",
    "Child and family assessments completed within 45 working days",
    "Designated safeguarding leads trained in the last two years",
    "Privately fostered children notified to the local authority",
    "Allegations against people who work with children (LADO referrals)",
    "Children electively home educated",
    "Children missing education",
    "Young carers identified by schools",
    "Children referred to the National Referral Mechanism",
    "Multi-agency risk assessment conference (MARAC) cases with children",
    "Health assessments for children looked after within 20 working days",
    "Unaccompanied asylum-seeking children looked after",
    "Children subject to a youth justice outcome for the first time",
    "Police protection powers used",
    "Emergency protection orders granted",
    "Children's centre registrations in the most deprived areas",
    "Two-year-old early education take-up",
    "Perinatal mental health referrals",
    "Children and young people's mental health service waiting over 18 weeks",
    "Neglect strategy: cases with a Graded Care Profile 2 before conference",
]
INDICATORS = STANDARD + LOCAL
DATA_COLUMNS = [
    "Indicator",
    "Period",
    "Value",
    "Same period a year before",
    "Change",
    "Rate per 10,000 children",
    "Is the change more than noise?",
    "Against target",
    "Against benchmark",
]
YEAR_COLUMNS = [
    "Indicator",
    "Kind",
    "Reporting year",
    "Year before",
    "Change",
    "Change (%)",
    "Rate per 10,000 children",
    "Rate the year before",
    "Exact test, adjusted for population",
    "Is the change more than noise?",
    "Against target",
    "Against benchmark",
]


def _verdict(rng: random.Random, before: int, now: int) -> str:
    if now == before:
        return "no change"
    change = abs(now - before) / before * 100
    size = f"a {'rise' if now > before else 'fall'} of {change:.0f}%"
    return rng.choice(
        [
            f"{size}, unlikely to be chance",
            f"{size}, within normal variation",
            f"{size} (no child population to test it with)",
            f"{size} (no denominator sent to test it with)",
        ]
    )


def _compare(rng: random.Random, name: str) -> str:
    return rng.choice(["", f"better than the {name} ({rng.randint(50, 4000):,})", f"worse than the {name} (4.5)"])


def data_rows(rng: random.Random) -> list[list]:
    rows = []
    for n, title in enumerate(INDICATORS):
        before, now = rng.randint(150, 12000), rng.randint(150, 12000)
        rows.append(
            [
                title,
                "April 2025 to March 2026" if n == 18 else "January to March 2026",
                SUPPRESSED if n % 11 == 5 else f"{now:,}",
                "no figure sent" if n % 13 == 7 else f"{before:,}",
                f"{now - before:+,} ({(now - before) / before * 100:+.0f}%)",
                round(rng.uniform(20, 900), 1) if n % 3 else "no child population recorded",
                _verdict(rng, before, now),
                _compare(rng, "target") or "no target set",
                _compare(rng, "benchmark") or "no benchmark set",
            ]
        )
    return rows


TWELVE_MONTHS_COLUMNS = [
    "Indicator",
    "12 months",
    "Count",
    "The 12 months before",
    "Change",
    "Is the change more than noise? (exact test, adjusted for population)",
]


def twelve_months_rows(rng: random.Random) -> list[list]:
    """As ``performance.report.year_on_year_table`` shapes them."""
    rows = []
    for title in INDICATORS[:30]:
        before, now = rng.randint(150, 12000), rng.randint(150, 12000)
        rows.append(
            [
                title,
                "April 2025 to March 2026",
                f"{now:,}",
                f"{before:,}",
                f"{now - before:+,} ({(now - before) / before * 100:+.0f}%)",
                f"{_verdict(rng, before, now)} (p = 0.0067)",
            ]
        )
    return rows


def year_rows(rng: random.Random) -> list[list]:
    rows = []
    for title in INDICATORS:
        before, now = rng.randint(150, 12000), rng.randint(150, 12000)
        rows.append(
            [
                title,
                rng.choice(["events in the year", "children at the year's end"]),
                f"{now:,}",
                f"{before:,}",
                f"{now - before:+,}",
                f"{(now - before) / before * 100:+.1f}%",
                f"{rng.uniform(20, 900):,.1f}",
                f"{rng.uniform(20, 900):,.1f}",
                rng.choice(["p < 0.001", "p = 0.0067", "p = 0.41", "not tested: a count of children at a date"]),
                _verdict(rng, before, now),
                _compare(rng, "target"),
                _compare(rng, "benchmark"),
            ]
        )
    return rows


def run_chart(title: str, rng: random.Random) -> Chart:
    periods = [f"{months} {year}" for year in (2024, 2025) for months in ("April to June", "July to September")]
    rows = [{"period": p, "value": rng.randint(800, 2400)} for p in periods]
    drawn = charts.horizontal_bars(
        title=f"{title}: the last two years",
        rows=rows,
        category="period",
        value="value",
        category_title="Quarter",
        value_title=title,
        value_format=",d",
        alt_text=f"Bar chart of {title.lower()} by quarter; the figures are in the table that follows.",
    )
    return Chart(drawn.title, drawn.alt_text, drawn.svg, ["Period", "Value"], [[r["period"], r["value"]] for r in rows])


def content() -> dict:
    rng = random.Random(1426)
    data = SectionContent(
        figures=[
            Figure(f"i{n}", f"{title} (January to March 2026)", rng.randint(0, 9000), rng.randint(0, 9000))
            for n, title in enumerate(INDICATORS)
        ],
        tables=[
            Table("Indicators: the year's last period against the same period a year before", DATA_COLUMNS, data_rows(rng)),
            Table("Counts over the year: the 12 months against the 12 before", TWELVE_MONTHS_COLUMNS, twelve_months_rows(rng)),
            Table("Indicators: the reporting year against the year before", YEAR_COLUMNS, year_rows(rng)),
            Table("Notes", ["Note"], [[f"{SUPPRESSED}: a count from 1 to 4, or a figure hidden so that one cannot be worked out from the others."]]),
        ],
        charts=[run_chart(title, rng) for title in INDICATORS[:3]],
    )  # fmt: skip
    context = SectionContent(
        tables=[
            Table(
                "Children aged 0 to 17 by area",
                ["Area", "Children", "Estimate for", "Year before"],
                [["Northshire", 81234, 2025, 80990], ["Southvale-on-the-Marsh", 42110, 2025, 41876]],
            )
        ]
    )
    sections = [
        ("context", "Local context", context),
        ("data", "Data and performance", data),
    ]
    return {
        "partnership": "Testshire Safeguarding Children Partnership",
        "year": "2025/26",
        "window": {"start": "2025-04-01", "end": "2026-03-31", "label": "1 April 2025 to 31 March 2026"},
        "built_at": "2026-05-01T09:00:00+01:00",
        "sections": [
            {
                "key": key,
                "title": title,
                "guidance": "What to cover.",
                "narrative": "The partners looked at the figures together and asked what lay behind each change.",
                "content": section.to_dict(),
                "has_figures": True,
            }
            for key, title, section in sections
        ],
        "sign_offs": [{"organisation": "Testshire Police", "name": "Carl Chief-Constable", "signed_on": "2026-06-02"}],
        "published_at": "2026-06-30T10:00:00",
    }


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pages(pdf: bytes) -> list[Page]:
    """Every page's size and words, with their boxes, from ``pdftotext -bbox-layout``."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    root = ET.fromstring(out)
    result = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        words = [
            Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        result.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return result


@pytest.fixture(scope="module")
def report():
    return content()


@pytest.fixture(scope="module")
def printed(report):
    return pages(report_pdf(report))


def test_the_fixture_prints_several_pages_of_data_chapter(printed):
    assert len(printed) >= 10


@poppler
def test_no_word_lies_outside_the_pages_text_block(printed):
    """The text block is the page less its 18 mm side margins; the running header and
    footer sit in the top and bottom margins, inside the same left and right edges."""
    outside = []
    for page in printed:
        left, right = 18 * MM - TOLERANCE, page.width - 18 * MM + TOLERANCE
        for word in page.words:
            if word.x0 < left or word.x1 > right or word.y0 < 0 or word.y1 > page.height:
                outside.append((page.number, word.text, round(word.x0), round(word.x1)))
    assert outside == []


@poppler
def test_no_two_words_boxes_overlap(report, printed):
    """Two cells' text never overlaps. (The charts' axes are left out: Vega hides a tick
    label that would overlap its neighbour by making it transparent, which poppler
    still reads.)"""
    page_text, chart_text = source_text(report)
    axes = chart_text - page_text
    overlaps = []
    for page in printed:
        words = sorted((w for w in page.words if w.text not in axes), key=lambda w: w.y0)
        for index, a in enumerate(words):
            for b in words[index + 1 :]:
                if b.y0 >= a.y1 - TOLERANCE:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE:
                    overlaps.append((page.number, a.text, b.text))
    assert overlaps == []


def source_text(report: dict) -> tuple[set[str], set[str]]:
    """The words of the report's HTML (less the word joiners that keep hyphenated words
    whole), and the words of its charts' SVG."""
    page = report_html(report)
    text = html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S)).replace("\u2060", "")
    svgs = "".join(chart["svg"] for s in report["sections"] for chart in s["content"]["charts"])
    chart_text = {w for t in re.findall(r"<text[^>]*>([^<]*)</text>", svgs) for w in html.unescape(t).split()}
    return set(text.split()), chart_text


@poppler
def test_every_word_is_printed_whole(report, printed):
    """A printed word the content does not hold is two cells run together ("2,266-282")
    or a word broken across lines ("pro-" "tection")."""
    page_text, chart_text = source_text(report)
    known = page_text | chart_text

    def axis_labels(word: str) -> bool:
        """Tick labels that Vega hid (transparent) over their neighbours, read as one word."""
        ends = {0}
        for end in range(1, len(word) + 1):
            if any(word[start:end] in chart_text for start in ends if start < end):
                ends.add(end)
        return len(word) in ends

    generated = re.compile(r"^\.*\d*$|^Page$|^of$")  # the contents' leaders and page numbers, "Page 3 of 12"
    strange = [
        (p.number, w.text)
        for p in printed
        for w in p.words
        if w.text not in known and not generated.match(w.text) and not axis_labels(w.text)
    ]
    assert strange == []


@poppler
def test_each_number_of_the_data_table_is_a_word_of_its_own(report, printed):
    words = {w.text for page in printed for w in page.words}
    table = report["sections"][1]["content"]["tables"][0]
    for row in table["rows"]:
        for value in row[2:4]:
            if layout.is_numeric(value):
                assert value in words, value


def texts(rows: list[list]) -> list[list[str]]:
    return [[cell(value) for value in row] for row in rows]


@poppler
def test_every_page_of_a_wide_table_is_landscape_and_what_follows_is_portrait(report):
    """Two long landscape tables one after the other, then a narrow one: each page is
    the right way round (WeasyPrint, unforced, set a wide table's last page portrait)."""
    rng = random.Random(3)
    wide = [["Wide", *row[1:]] for row in data_rows(rng)]
    data = SectionContent(
        tables=[
            Table("First", DATA_COLUMNS, wide),
            Table("Second", DATA_COLUMNS, wide[:14]),
            Table("Notes", ["Note"], [["Narrow"]] * 3),
        ]
    )
    chapter = {**report["sections"][1], "content": data.to_dict()}
    printed = pages(report_pdf({**report, "sections": [chapter]}))
    for page in printed:
        texts = {w.text for w in page.words}
        if "Wide" in texts:
            assert page.width > page.height, page.number
        if "Narrow" in texts:
            assert page.width < page.height, page.number
    assert sum("Wide" in {w.text for w in page.words} for page in printed) >= 4


def test_tables_choose_portrait_landscape_or_blocks():
    rng = random.Random(1)
    assert layout.table_layout(["Area", "Children"], [["Northshire", "81,234"]]).kind == layout.PORTRAIT
    assert layout.table_layout(DATA_COLUMNS, texts(data_rows(rng))).kind == layout.LANDSCAPE
    assert layout.table_layout(YEAR_COLUMNS, texts(year_rows(rng))).kind == layout.BLOCKS
    assert layout.table_layout(TWELVE_MONTHS_COLUMNS, texts(twelve_months_rows(rng))).kind != layout.BLOCKS


def test_a_column_is_never_narrower_than_its_longest_word_or_number():
    rng = random.Random(2)
    rows = texts(data_rows(rng))
    chosen = layout.table_layout(DATA_COLUMNS, rows)
    widths = chosen.widths_mm(layout.PDF_WIDTH_MM[chosen.kind])
    for width, column in zip(widths, layout.measure(DATA_COLUMNS, rows), strict=True):
        assert width >= column.least_mm - 0.01
    assert sum(widths) <= layout.PDF_WIDTH_MM[chosen.kind] + 0.01


def _sections_of_tables(document) -> list[tuple[object, object]]:
    """Each table with the section it lies in (a section ends at a paragraph holding its
    sectPr; the body's own sectPr is the last section's)."""
    body = document.element.body
    sections = list(document.sections)
    index, found = 0, []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            found.append((child, sections[index]))
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    return found


def test_every_word_table_fits_its_sections_text_width(report):
    document = docx.Document(io.BytesIO(report_docx(report)))
    tables = _sections_of_tables(document)
    assert len(tables) >= 40
    for table, section in tables:
        usable = section.page_width - section.left_margin - section.right_margin
        grid = sum(int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol")))
        assert grid * 635 <= usable + 635 * 2, (grid * 635, usable)  # twentieths of a point to EMU
        for row in table.iter(qn("w:tr")):
            cells = sum(int(w.get(qn("w:w"))) for w in row.iter(qn("w:tcW")))
            assert cells * 635 <= usable + 635 * 2


def test_the_wide_table_is_on_a_landscape_section_of_the_word_document(report):
    document = docx.Document(io.BytesIO(report_docx(report)))
    landscape = [
        section for table, section in _sections_of_tables(document) if section.page_width > section.page_height
    ]
    assert landscape, "the nine-column table should be set on a landscape page"
    assert document.sections[-1].page_width < document.sections[-1].page_height  # and back to portrait after
