"""The annual report as a file: PDF (WeasyPrint, tagged), Word (python-docx) and the open
data behind it (CSV). Each takes the plain content dict of ``assembly.report_content``
(or a published edition's frozen copy) and nothing else, so a published edition renders
the same years later, without the database.

The three follow the same order: cover, contents, each chapter (narrative, figures with
last year beside them, tables, charts each followed by its data), then the sign-offs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone
from django.utils.text import slugify

from safeguarding.core.exports import neutralised
from safeguarding.core.report_sections import SUPPRESSED, SectionContent
from safeguarding.reports import layout, markup
from safeguarding.reports.assembly import section_contents
from safeguarding.reports.layout import is_numeric

SUPPRESSION_NOTE = (
    f"{SUPPRESSED} marks a number kept back because it is small enough that a child or family could be "
    "identified from it."
)
CSV_UNITS = {"percent": "proportion (0 to 1)"}


# ---------------------------------------------------------------------------------------------------------------
# What the outputs share


def year_before(year: str) -> str:
    """ "2025/26" -> "2024/25"; anything else is returned as "year before"."""
    match = re.fullmatch(r"(\d{4})/(\d{2})", year or "")
    if not match:
        return "Year before"
    start = int(match.group(1)) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def display(value: Any, unit: str = "count") -> str:
    """A figure as a reader sees it: percentages from fractions, thousands separated."""
    if value is None or value == "":
        return "no data"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == "percent":
        return f"{value:.0%}"
    number = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    return f"{number} day{'' if value == 1 else 's'}" if unit == "days" else number


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def has_suppression(section: SectionContent) -> bool:
    values = [v for f in section.figures for v in (f.value, f.previous)]
    values += [v for t in section.tables for row in t.rows for v in row]
    values += [v for c in section.charts for row in c.rows for v in row]
    return any(v == SUPPRESSED for v in values)


def published_on(content: dict) -> str:
    when = content.get("published_at")
    if not when:
        return ""
    return f"{dt.datetime.fromisoformat(when):%-d %B %Y}"


def signed_on(value: str) -> str:
    return f"{dt.date.fromisoformat(value):%-d %B %Y}" if value else ""


def document_title(content: dict) -> str:
    heading = content.get("heading") or f"annual report {content['year']}"
    return f"{content['partnership']}: {heading[:1].lower() + heading[1:]}"


def base_url(content: dict) -> str | None:
    """Where the published edition lives, so that site paths in it can be made whole."""
    return content.get("url") or None


@dataclass
class Chapter:
    """A chapter as the templates and writers take it."""

    key: str
    anchor: str
    title: str
    guidance: str
    narrative: str
    section: SectionContent
    suppressed: bool


def chapters(content: dict) -> list[Chapter]:
    return [
        Chapter(
            key=chapter["key"],
            anchor="chapter-" + (slugify(chapter["key"]) or str(index)),
            title=chapter["title"],
            guidance=chapter.get("guidance", ""),
            narrative=chapter.get("narrative", ""),
            section=section,
            suppressed=has_suppression(section),
        )
        for index, (chapter, section) in enumerate(section_contents(content))
    ]


@dataclass
class SetTable:
    """A table as the files set it: its text, cell by cell, and how it goes on the page
    (``layout.table_layout``: portrait, landscape pages of its own, or a block per row)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    layout: layout.Layout

    @property
    def numeric(self) -> list[bool]:
        """Whether each column holds numbers (most of its cells), so its heading sits over them."""
        return [index > 0 and layout.numeric_column(self.rows, index) for index in range(len(self.columns))]

    def blocks(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each row as a block: its label, then each later column's name and value."""
        return [(row[0] if row else "", layout.block_rows(self.columns, row)) for row in self.rows]


def set_table(
    caption: str, columns: list, rows: list[list], widths: Mapping[str, float] = layout.PDF_WIDTH_MM
) -> SetTable:
    texts = [[cell(value) for value in row] for row in rows]
    names = [str(column) for column in columns]
    return SetTable(caption, names, texts, layout.table_layout(names, texts, widths))


def unbroken(text: Any) -> str:
    """Cell text with each hyphenated word ("2025-Q4", "Southvale-on-the-Marsh") kept on
    one line: a word joiner after each hyphen, so a line breaks only between words. The
    column was measured to hold the longest word, so nothing overflows. (A nowrap span
    would do the same in a browser, but WeasyPrint then breaks the line too early.)"""
    return str(text).replace("-", "-\u2060")


# ---------------------------------------------------------------------------------------------------------------
# PDF


def report_html(content: dict) -> str:
    """The HTML the PDF is printed from (also useful to look at in a browser)."""
    base = base_url(content)
    return get_template("reports/pdf.html", using="jinja2").render(
        {
            "content": content,
            "title": document_title(content),
            "chapters": chapters(content),
            "this_year": content["year"],
            "last_year": year_before(content["year"]),
            "published_on": published_on(content),
            "suppression_note": SUPPRESSION_NOTE,
            "narrative": lambda text: markup.to_html(text, heading_level=3, base_url=base, site_links=False),
            "display": display,
            "cell": cell,
            "is_numeric": is_numeric,
            "set_table": set_table,
            "unbroken": unbroken,
            "signed_on": signed_on,
            "source_url": lambda path: source_url(path, base),
        }
    )


def source_url(path: str, base: str | None) -> str:
    """The page that shows how a figure was computed, as a link a PDF can follow: only
    once the edition has an address to make the path whole."""
    url = markup.absolute(path, base) if path and markup.safe_url(path) else ""
    return "" if url.startswith("/") else url


def report_pdf(content: dict) -> bytes:
    """A4, tagged (PDF/UA-1: structure tree, title shown, language set), so a screen
    reader reads the headings, tables and the charts' text alternatives."""
    from weasyprint import HTML  # WeasyPrint is slow to load: only when a PDF is made

    return HTML(string=report_html(content), base_url=base_url(content)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


# ---------------------------------------------------------------------------------------------------------------
# Open data


CSV_COLUMNS = [
    "chapter",
    "kind",
    "figure or table",
    "label or row",
    "column",
    "value",
    "last year",
    "unit",
    "how it is computed",
    "source",
]


def report_csv(content: dict) -> bytes:
    """Every number in the report in one long table: a row per figure (with last year, its
    unit and how it is computed), then each table's and chart's cells, one row each
    (row label, column, value). UTF-8 with a byte-order mark, so that Excel reads it."""
    base = base_url(content)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows: list[list[Any]] = []
    for chapter in chapters(content):
        for figure in chapter.section.figures:
            rows.append(
                [
                    chapter.title,
                    "figure",
                    figure.key,
                    figure.label,
                    "",
                    figure.value,
                    figure.previous,
                    CSV_UNITS.get(figure.unit, figure.unit),
                    figure.explanation,
                    markup.absolute(figure.source, base) if figure.source else "",
                ]
            )
        for kind, items in (("table", chapter.section.tables), ("chart", chapter.section.charts)):
            for item in items:
                name = item.caption if kind == "table" else item.title
                for row in item.rows:
                    label = row[0] if row else ""
                    for column, value in zip(item.columns[1:], row[1:], strict=False):
                        rows.append([chapter.title, kind, name, label, column, value, "", "", "", ""])
    writer.writerows([neutralised("" if value is None else value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------------------------
# The scrutiny evidence pack


def evidence_pack_pdf(window, answers) -> bytes:
    """The ten questions and their answers for a window, printed as the report is: each
    question a chapter, its figures beside the year before."""
    content = {
        "partnership": settings.PARTNERSHIP_NAME,
        "heading": "Scrutiny evidence pack",
        "status_line": f"From the recorded data, {timezone.localdate():%-d %B %Y}",
        "year": "This period",
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label},
        "sections": [
            {
                "key": f"q{question.number}",
                "title": f"{question.number}. {question.question}",
                "guidance": "",
                "narrative": "",
                "content": body.to_dict(),
                "has_figures": question.build is not None,
            }
            for question, body in answers
        ],
        "sign_offs": [],
        "published_at": timezone.now().isoformat(),
    }
    return report_pdf(content)
