"""How a table of the report is set on the page, decided before either file is written,
so that the PDF and the Word document lay it out the same way.

A table whose columns fit the portrait text block is set as it is, each column given the
room its text needs (a label column never narrower than its longest word, so names are
never broken or hyphenated; a number never narrower than itself, so it never runs into
the next cell). One that does not fit portrait but fits a landscape page goes on landscape
pages of its own. One too wide for either is set one row per block: a small two-column
table per row (its label above, each column's name beside its value).

Widths are estimated from the text with Liberation Sans / Arial's character widths, with
a margin for error; the PDF then sets the columns at these widths (``table-layout:
fixed``) rather than leaving the browser's table layout to squeeze the first column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PORTRAIT, LANDSCAPE, BLOCKS = "portrait", "landscape", "blocks"

# The text block's width on an A4 page: the PDF's margins are 18 mm, the Word document's 20 mm.
PDF_WIDTH_MM = {PORTRAIT: 210 - 36, LANDSCAPE: 297 - 36}
DOCX_WIDTH_MM = {PORTRAIT: 210 - 40, LANDSCAPE: 297 - 40}

FONT_PT = 9.5  # the tables' text, in both files
PT_MM = 25.4 / 72
CELL_PADDING_MM = 2.5  # the PDF's 2 mm between cells, and Word's default cell margins (1.9 mm)
SAFETY = 1.08  # estimated widths are widened by this much
LABEL_CAP_MM = 55  # a label column wider than this wraps its longer labels
TEXT_CAP_MM = 38  # so does any other column of words
LABEL_COMFORT_MM = 40  # narrower, and labels wrap over more lines than a reader follows easily
TEXT_COMFORT_MM = 24
BLOCK_VALUE_CAP_MM = 70  # a block's values wrap beyond this, so that its numbers sit near their names
NARROW = set("iljtf.,:;'!|()[] -")
WIDE = set("mwMW%")
NUMERIC = re.compile(r"^[-+]?[£]?[\d,]*\.?\d+\s*(%|days?)?$|^\[c\]$")


def is_numeric(text: str) -> bool:
    """A number as a cell shows it (with its unit, or "[c]" for one kept back): set on one
    line, to the right."""
    return bool(NUMERIC.match(text.strip()))


def text_mm(text: str, *, bold: bool = False, font_pt: float = FONT_PT) -> float:
    """The width of ``text`` set on one line, estimated."""
    em = 0.0
    for char in text:
        if char in NARROW:
            em += 0.3
        elif char in WIDE:
            em += 0.86
        elif char.isupper():
            em += 0.69
        elif char.isdigit():
            em += 0.56
        else:
            em += 0.54
    return em * font_pt * PT_MM * (1.07 if bold else 1.0) * SAFETY


def _unbreakable(text: str) -> list[str]:
    """The pieces a line may not break inside: a number whole, otherwise each word."""
    return [text] if is_numeric(text) else text.split() or [""]


@dataclass(frozen=True)
class Column:
    least_mm: float  # the longest piece that may not break, with the padding
    comfortable_mm: float  # room enough to read: its words wrap over a few lines at most
    wanted_mm: float  # its longest text on one line, capped


def measure(columns: list[str], rows: list[list[str]]) -> list[Column]:
    measured = []
    for index, name in enumerate(columns):
        values = [row[index] if index < len(row) else "" for row in rows]
        least = max(
            [text_mm(piece, bold=True) for piece in _unbreakable(str(name))]
            + [text_mm(piece) for value in values for piece in _unbreakable(value)]
        )
        longest = max([text_mm(value) for value in values] + [text_mm(word, bold=True) for word in str(name).split()])
        cap, comfort = (LABEL_CAP_MM, LABEL_COMFORT_MM) if index == 0 else (TEXT_CAP_MM, TEXT_COMFORT_MM)
        heading = text_mm(str(name), bold=True) / 2  # a heading on two lines, not three or four
        measured.append(
            Column(
                least + CELL_PADDING_MM,
                max(least, min(max(longest, heading), comfort)) + CELL_PADDING_MM,
                max(least, min(longest, cap)) + CELL_PADDING_MM,
            )
        )
    return measured


@dataclass(frozen=True)
class Layout:
    kind: str  # PORTRAIT, LANDSCAPE or BLOCKS
    fractions: tuple[float, ...]  # each column's share of the text block's width (BLOCKS: may sum to less)

    def widths_mm(self, text_width_mm: float) -> list[float]:
        return [fraction * text_width_mm for fraction in self.fractions]

    def percent(self, index: int) -> str:
        return f"{self.fractions[index] * 100:.2f}%"

    def share(self, index: int) -> str:
        """A column's width as a percentage of the table's own width."""
        return f"{self.fractions[index] / sum(self.fractions) * 100:.2f}%"

    @property
    def total_percent(self) -> str:
        return f"{sum(self.fractions) * 100:.2f}%"


def table_layout(columns: list[str], rows: list[list[str]], widths: dict[str, float] = PDF_WIDTH_MM) -> Layout:
    """Portrait if the columns fit the portrait text block at a comfortable width,
    landscape if they fit a landscape one, otherwise one row per block."""
    measured = measure(columns, rows)
    for kind in (PORTRAIT, LANDSCAPE):
        if sum(c.comfortable_mm for c in measured) <= widths[kind]:
            return Layout(kind, _fractions(measured, rows, widths[kind]))
    return _blocks(columns, rows, widths[PORTRAIT])


def _blocks(columns: list[str], rows: list[list[str]], width_mm: float) -> Layout:
    """Two columns (each column's name, its value), no wider than their text needs, so
    that a value sits near its name: the names on one line where they can be, the values
    as wide as the widest, up to a cap beyond which words wrap."""
    names = [str(name) for name in columns[1:]]
    least = max(text_mm(word, bold=True) for name in [str(columns[0]), *names] for word in name.split() or [""])
    label_mm = min(max(max(map(text_mm, names), default=0), least), width_mm * 0.4) + CELL_PADDING_MM
    values = [value for row in rows for value in [row[0], *row[1:]]]
    least = max((text_mm(piece) for value in values for piece in _unbreakable(value)), default=0)
    value_mm = min(max(map(text_mm, values), default=0), BLOCK_VALUE_CAP_MM)
    value_mm = min(max(value_mm, least, 45.0 - CELL_PADDING_MM) + CELL_PADDING_MM, width_mm - label_mm)
    return Layout(BLOCKS, (label_mm / width_mm, value_mm / width_mm))


def _fractions(measured: list[Column], rows: list[list[str]], width_mm: float) -> tuple[float, ...]:
    """Each column at its comfortable width, then the room left over towards each one's
    wanted width; a little more goes to the label and word columns, never the numbers. A
    table of a few short columns stays narrow, so each number sits near its label."""
    sizes = [c.comfortable_mm for c in measured]
    table_mm = min(width_mm, max(sum(c.wanted_mm for c in measured) * 1.2, width_mm * 0.5))
    spare = table_mm - sum(sizes)
    growth = [c.wanted_mm - c.comfortable_mm for c in measured]
    if sum(growth) > 0:
        share = min(1.0, spare / sum(growth))
        sizes = [size + grow * share for size, grow in zip(sizes, growth, strict=True)]
        spare = table_mm - sum(sizes)
    words = [i for i in range(len(sizes)) if i == 0 or not numeric_column(rows, i)]
    for i in words:
        sizes[i] += spare / len(words)
    return tuple(size / width_mm for size in sizes)


def numeric_column(rows: list[list[str]], index: int) -> bool:
    """Most of the column's filled cells are numbers."""
    filled = [row[index] for row in rows if index < len(row) and row[index].strip()]
    return bool(filled) and sum(map(is_numeric, filled)) * 2 > len(filled)


def block_rows(columns: list[str], row: list[str]) -> list[tuple[str, str]]:
    """One row of a table set as a block: each later column's name beside its value."""
    return [(str(name), row[index] if index < len(row) else "") for index, name in enumerate(columns) if index]
