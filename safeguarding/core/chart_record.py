"""A chart as every part of the service holds it: drawn for a page (``core.charts``),
and stored with a report's content. Its SVG, its text alternative and the table of its
data travel together. No drawing library here, so the report's registry imports it cheaply."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chart:
    title: str
    alt_text: str
    svg: str
    columns: list[str]
    rows: list[list[Any]]

    @property
    def data_uri(self) -> str:
        return svg_data_uri(self.svg)


def svg_data_uri(svg: str) -> str:
    """An SVG as an image address a page or a PDF can use inline (the CSP allows data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
