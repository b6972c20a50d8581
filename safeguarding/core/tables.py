"""The one table type: a caption, column headings and rows of cells.

A page's table, its CSV or XLSX download (``core.exports``) and a chapter of the annual
report (``core.report_sections``) all carry this, so an area's ``presentation.py`` builds
a table once and every output shows the same one. A download names a sheet, or heads a
section of a CSV, by the caption; the report stores tables as dicts of these fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]
