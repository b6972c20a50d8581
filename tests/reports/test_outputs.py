"""The annual report's narrative syntax and its three files: PDF, Word and open data.

The outputs take the content dict alone, so these tests build one by hand (a chart drawn
by core.charts, a suppressed number, a narrative with every construct) and read the files
back with the tools a reader would: poppler for the PDF, python-docx for Word, csv."""

import contextlib
import csv
import io
import re
import shutil
import subprocess
import zlib

import docx
import pytest

from safeguarding.core import charts
from safeguarding.core.report_sections import SUPPRESSED, Chart, Figure, SectionContent
from safeguarding.core.tables import Table
from safeguarding.reports import markup
from safeguarding.reports.outputs import report_csv, report_pdf, year_before
from safeguarding.reports.word import report_docx

poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

NARRATIVE = """## What went well
Partners trained together <script>alert(1)</script> and [read the figures](/performance/indicators/).
Evil: [click](javascript:alert(1)).

- schools
- health visitors

1. first step
2. second step"""


# ---------------------------------------------------------------------------------------------------------------
# The narrative syntax


def test_parse_reads_headings_paragraphs_lists_and_links():
    blocks = markup.parse(NARRATIVE)
    assert [type(b).__name__ for b in blocks] == ["Heading", "Paragraph", "BulletList", "NumberedList"]
    assert blocks[0] == markup.Heading((markup.Text("What went well"),))
    paragraph = blocks[1].runs
    assert markup.Link("read the figures", "/performance/indicators/") in paragraph
    assert not any(isinstance(r, markup.Link) and "javascript" in r.url for r in paragraph)
    assert [item[0].text for item in blocks[2].items] == ["schools", "health visitors"]
    assert [item[0].text for item in blocks[3].items] == ["first step", "second step"]


def test_lines_run_on_until_a_blank_line_and_a_list_item_carries_on_over_lines():
    blocks = markup.parse("one\ntwo\n\nthree\n- item\n  still the item\n3. third")
    assert blocks == [
        markup.Paragraph((markup.Text("one two"),)),
        markup.Paragraph((markup.Text("three"),)),
        markup.BulletList(((markup.Text("item still the item"),),)),
        markup.NumberedList(((markup.Text("third"),),), start=3),
    ]


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("mailto:board@example.org", True),
        ("/figures/x", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https:/no-host", False),
        ("vbscript:x", False),
    ],
)
def test_only_web_mail_and_site_links_are_links(url, allowed):
    runs = markup.runs(f"[text]({url})")
    assert isinstance(runs[0], markup.Link) is allowed
    if not allowed:
        assert runs == (markup.Text(f"[text]({url})"),)


def test_to_html_escapes_everything_and_never_passes_raw_html():
    html = str(markup.to_html(NARRATIVE, base_url="https://scp.example.org/reports/1"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "[click](javascript:alert(1))" in html
    assert '<a href="https://scp.example.org/performance/indicators/">read the figures</a>' in html
    assert "<h3>What went well</h3>" in html
    assert "<ul><li>schools</li><li>health visitors</li></ul>" in html
    assert "<ol><li>first step</li><li>second step</li></ol>" in html


def test_a_file_read_away_from_the_site_spells_out_a_site_path_it_cannot_make_whole():
    html = str(markup.to_html("[the figures](/figures/x?a=1&b=2)", site_links=False))
    assert html == "<p>the figures (/figures/x?a=1&amp;b=2)</p>"
    assert str(markup.to_html("[the figures](/figures/x)")) == '<p><a href="/figures/x">the figures</a></p>'


def test_to_html_escapes_quotes_in_a_link():
    html = str(markup.to_html('[x](https://example.org/"onmouseover="alert(1))'))
    assert 'onmouseover="' not in html


# ---------------------------------------------------------------------------------------------------------------
# The files


def content() -> dict:
    chart = charts.horizontal_bars(
        title="Places booked by agency",
        rows=[{"agency": "Northshire Police", "places": 120}, {"agency": "Northshire Council", "places": 340}],
        category="agency",
        value="places",
        category_title="Agency",
        value_title="Places booked",
        alt_text="Bar chart of places booked: the council booked most.",
    )
    sections = []
    for n, title in enumerate(["The scrutineer's view", "Training and learning", "Learning from reviews"]):
        section = SectionContent()
        if n == 1:
            section = SectionContent(
                figures=[
                    Figure("places", "Places offered", 4321, 3900, source="/training/summary/?year=2025"),
                    Figure("reached", "Share of the workforce reached", 0.42, 0.38, unit="percent"),
                    Figure("formula", '=HYPERLINK("http://x","click")', SUPPRESSED, 7),
                ],
                tables=[
                    Table("Attendance by agency", ["Agency", "Attended"], [["Police", 88], ["Health", SUPPRESSED]])
                ],
                charts=[Chart(chart.title, chart.alt_text, chart.svg, list(chart.columns), chart.rows)],
            )
        if n == 2:
            section = SectionContent(unavailable="The reviews area of the system is not built yet.")
        sections.append(
            {
                "key": f"chapter_{n}",
                "title": title,
                "guidance": "What to cover.",
                "narrative": NARRATIVE if n == 1 else "",
                "content": section.to_dict(),
                "has_figures": n == 1,
            }
        )
    return {
        "partnership": "Testshire Safeguarding Children Partnership",
        "year": "2025/26",
        "window": {"start": "2025-04-01", "end": "2026-03-31", "label": "1 April 2025 to 31 March 2026"},
        "built_at": "2026-05-01T09:00:00+01:00",
        "sections": sections,
        "sign_offs": [{"organisation": "Testshire Police", "name": "Carl Chief-Constable", "signed_on": "2026-06-02"}],
    }


@pytest.fixture(scope="module")
def report():
    return content()


@pytest.fixture(scope="module")
def pdf(report):
    return report_pdf(report)


def pdftotext(pdf: bytes, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) opened up."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
    return b"".join(parts)


def test_year_before():
    assert year_before("2025/26") == "2024/25"
    assert year_before("1999/00") == "1998/99"


@poppler
def test_pdf_has_a_cover_contents_page_numbers_chapters_and_figures(pdf):
    cover = pdftotext(pdf, 1)
    assert "Testshire Safeguarding Children Partnership" in cover
    assert "Annual report 2025/26" in cover
    assert "1 April 2025 to 31 March 2026" in cover
    assert "Draft: not yet published" in cover

    contents = pdftotext(pdf, 2)
    assert "Contents" in contents
    for title in ["The scrutineer's view", "Training and learning", "Learning from reviews"]:
        assert re.search(rf"{re.escape(title)}\s*\.+\s*\d+", contents), title

    text = pdftotext(pdf)
    pages = text.count("\f")
    assert f"Page 2 of {pages}" in text
    assert text.count("Testshire Safeguarding Children Partnership") >= pages  # cover and every page's margin
    assert "4,321" in text and "3,900" in text and "42%" in text
    assert "[c] marks a number kept back" in text
    assert "The data in the chart: Places booked by agency" in text
    assert "The reviews area of the system is not built yet." in text
    assert "<script>alert(1)</script>" in text  # shown as text, never run
    assert "read the figures (/performance/indicators/)" in text  # a draft has no address for the site path
    assert "Carl Chief-Constable" in text and "2 June 2026" in text


@poppler
def test_pdf_is_tagged_with_its_title_and_language(pdf):
    opened = inflated(pdf)
    assert b"/StructTreeRoot" in opened
    assert b"/MarkInfo" in opened
    assert b"/Lang (en-GB)" in opened
    assert b"/Alt" in opened  # the chart's text alternative
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Title:           Testshire Safeguarding Children Partnership: annual report 2025/26" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


@poppler
def test_pdf_renders_to_images(pdf, tmp_path):
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "4", source, tmp_path / "page"], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 4
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)


def test_docx_has_a_heading_per_chapter_tables_lists_links_and_charts(report):
    document = docx.Document(io.BytesIO(report_docx(report)))
    assert document.core_properties.title == "Testshire Safeguarding Children Partnership: annual report 2025/26"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "The scrutineer's view",
        "Training and learning",
        "Learning from reviews",
        "Signed on behalf of the safeguarding partners",
    ]
    assert "What went well" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    figures = document.tables[0]
    assert [c.text for c in figures.rows[0].cells] == ["Figure", "2025/26", "2024/25"]
    assert [c.text for c in figures.rows[1].cells] == ["Places offered", "4,321", "3,900"]
    assert figures.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Bullet") == 2 and styles.count("List Number") == 2
    links = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == []  # the only link is a site path, and this draft has no address to make it whole
    assert any("read the figures (/performance/indicators/)" in p.text for p in document.paragraphs)
    assert any("trained together <script>alert(1)</script> and" in p.text for p in document.paragraphs)
    settings = [child.tag.rsplit("}", 1)[1] for child in document.settings.element]
    assert settings.index("updateFields") < settings.index("compat")  # Word reads settings in schema order
    assert len(document.inline_shapes) == 1
    assert (
        document.inline_shapes[0]._inline.docPr.get("descr") == "Bar chart of places booked: the council booked most."
    )


def test_docx_links_are_hyperlinks_once_published(report):
    published = {**report, "url": "https://scp.example.org/reports/2025-26/", "published_at": "2026-06-30T10:00:00"}
    document = docx.Document(io.BytesIO(report_docx(published)))
    links = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://scp.example.org/performance/indicators/"]
    assert "Published 30 June 2026" in [p.text for p in document.paragraphs]


def test_csv_has_a_row_per_figure_then_each_table_in_long_form(report):
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    figures = [r for r in rows if r["kind"] == "figure"]
    assert [r["figure or table"] for r in figures] == ["places", "reached", "formula"]
    assert figures[0]["value"] == "4321" and figures[0]["last year"] == "3900"
    assert figures[1]["unit"] == "proportion (0 to 1)" and figures[1]["value"] == "0.42"
    assert figures[0]["source"] == "/training/summary/?year=2025"
    assert figures[2]["label or row"].startswith("'=HYPERLINK")  # neutralised
    assert figures[2]["value"] == SUPPRESSED
    table = [(r["label or row"], r["column"], r["value"]) for r in rows if r["kind"] == "table"]
    assert table == [("Police", "Attended", "88"), ("Health", "Attended", SUPPRESSED)]
    chart = [(r["label or row"], r["value"]) for r in rows if r["kind"] == "chart"]
    assert chart == [("Northshire Police", "120"), ("Northshire Council", "340")]


def test_a_published_pdf_links_each_figure_to_the_page_that_shows_how_it_was_computed(report):
    published = {**report, "url": "https://scp.example.org/reports/2025-26/", "published_at": "2026-06-30T10:00:00"}
    opened = inflated(report_pdf(published))
    assert b"/URI (https://scp.example.org/training/summary/?year=2025)" in opened
    assert b"/URI (https://scp.example.org/performance/indicators/)" in opened


def test_pages_get_the_design_systems_classes_and_still_escape_everything():
    from safeguarding.reports.markup import to_html

    html = str(to_html("## Heard\n- <b>more</b> [say](https://example.org)\n\nText.", govuk=True))
    assert '<h3 class="govuk-heading-m">Heard</h3>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html and '<p class="govuk-body">Text.</p>' in html
    assert '<a href="https://example.org" class="govuk-link">say</a>' in html
    assert "<b>" not in html and "&lt;b&gt;" in html
