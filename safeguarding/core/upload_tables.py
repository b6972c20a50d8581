"""One reader for the tables people upload (issue 15, item 3): CSV (UTF-8) or XLSX, as
rows of text under a lower-cased header.

Each area says which columns it wants and checks the cells; what every upload needs is
here, once: a size limit, the encoding, a workbook read row by row and only as wide as
each row's cells (never its declared dimension, so a small hostile file cannot exhaust
memory), a workbook or CSV that breaks part-way refused like one that cannot be opened,
a control character or a repeated column in the header refused, and a row with more
cells than the header refused. Blank rows are kept, as rows of empty text, so row
numbers are the spreadsheet's. Every problem names file, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from safeguarding.core.refusals import FileRefused, Problem
from safeguarding.core.text import describe_control_character, find_control_character

MAX_PROBLEMS = 200  # beyond this the list stops, with a count
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class UploadedTable:
    header: list[str]
    rows: list[dict[str, str]]  # the row after the header is row 2, as in a spreadsheet

    def numbered(self) -> Iterator[tuple[int, dict[str, str]]]:
        return enumerate(self.rows, start=2)


def read_uploaded_table(
    file_name: str,
    data: bytes,
    *,
    max_bytes: int,
    refusal: type[FileRefused] = FileRefused,
    check_header: Callable[[list[str]], None] | None = None,
) -> UploadedTable:
    """The file's rows. Raises ``refusal`` with every problem for a file that cannot be
    read; ``check_header`` (the area's columns) is called on the header before any row."""
    if len(data) > max_bytes:
        raise refusal([f"{file_name}: the file is larger than {max_bytes // MEGABYTE} MB."])
    if file_name.lower().endswith(".xlsx"):
        lines, unreadable = _xlsx_lines(file_name, data, refusal), f"{file_name}: not a readable Excel (XLSX) file"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise refusal([f"{file_name}: not UTF-8 text; save it as 'CSV UTF-8'."]) from None
        lines, unreadable = csv.reader(io.StringIO(text, newline="")), f"{file_name}: not a readable CSV file"
    problems: list[Problem | str] = []
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    try:
        for number, cells in enumerate(lines, start=1):
            if header is None:
                header = _header(file_name, cells, refusal)
                if check_header is not None:
                    check_header(header)
                _no_repeated_columns(file_name, header, refusal)
                continue
            if any(cell.strip() for cell in cells[len(header) :]):
                width = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
                problems.append(
                    f"{file_name}, row {number}: more cells than the header ({width} cells but the header has "
                    f"{len(header)} columns)."
                )
                if len(problems) >= MAX_PROBLEMS:
                    problems.append(
                        f"{file_name}: stopped after {MAX_PROBLEMS} problems; fix these and send the file again."
                    )
                    break
                continue
            rows.append({h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h})
    except FileRefused:
        raise
    except csv.Error as error:
        raise refusal([f"{unreadable} (line {getattr(lines, 'line_num', '?')}: {error})."]) from None
    except Exception:  # noqa: BLE001  (a workbook that breaks part-way gets the same answer as one that cannot open)
        raise refusal([f"{unreadable}: it could not be read to the end."]) from None
    if header is None:
        raise refusal([f"{file_name}: the file is empty."])
    if problems:
        raise refusal(problems)
    return UploadedTable(header, rows)


def _xlsx_lines(file_name: str, data: bytes, refusal: type[FileRefused]) -> Iterator[list[str]]:
    """The first sheet's rows as lists of text, each only as long as its last cell."""
    from openpyxl import load_workbook  # openpyxl loads only when a spreadsheet is read

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        # The declared dimension (e.g. A1:XFD1000) would make every row 16,384 cells wide.
        sheet.reset_dimensions()
    except Exception:  # noqa: BLE001  (any unreadable workbook gets the same answer)
        raise refusal([f"{file_name}: not a readable Excel (XLSX) file."]) from None
    for row in sheet.iter_rows(values_only=True):
        yield [cell_text(v) for v in row]


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold: dates as ISO dates, whole numbers
    without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(file_name: str, cells: list[str], refusal: type[FileRefused]) -> list[str]:
    header = [h.strip().lower() for h in cells]
    while header and not header[-1]:
        header.pop()
    problems: list[Problem | str] = []
    for number, name in enumerate(header, start=1):
        position = find_control_character(name)
        if position is not None:
            problems.append(
                Problem(
                    f"the header contains a control character ({describe_control_character(name, position)}); "
                    "remove it.",
                    file=file_name,
                    row=1,
                    column=str(number),
                )
            )
    if problems:
        raise refusal(problems)
    return header


def _no_repeated_columns(file_name: str, header: list[str], refusal: type[FileRefused]) -> None:
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise refusal([f"{file_name}: column {h} appears twice in the header." for h in repeated])
