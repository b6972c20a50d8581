"""The one small interface through which each area contributes to the annual report and
the scrutiny evidence pack.

An area registers a ``ReportSection`` (a chapter of the report) or a
``ScrutinyQuestion`` (one of the brief's ten questions) in its ``AppConfig.ready``, with
a ``build`` that reads the area's own selectors for a reporting window and returns
``SectionContent``: figures (each with the year before and the page that shows how it
was computed), tables and charts. The reports app calls ``build`` and never reads
another app's models, so a later area (reviews, audits) adds its section without
touching the others.

Everything a section returns is publishable: small numbers already suppressed,
nothing about an individual child.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ImproperlyConfigured

from safeguarding.core.chart_record import Chart
from safeguarding.core.tables import Table


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @classmethod
    def reporting_year(cls, year_start: int) -> Window:
        """The partnership's year, 1 April to 31 March."""
        return cls(dt.date(year_start, 4, 1), dt.date(year_start + 1, 3, 31))

    def year_before(self) -> Window:
        return Window(self.start - relativedelta(years=1), self.end - relativedelta(years=1))

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def query(self) -> str:
        """The window as the figures pages take it in their query string."""
        return f"date_from={self.start.isoformat()}&date_to={self.end.isoformat()}"


SUPPRESSED = "[c]"


@dataclass
class Figure:
    """One number in the report. ``source`` is the path of the page that shows how it
    was computed from which records; ``explanation`` says so in words."""

    key: str
    label: str
    value: Any
    previous: Any = None
    unit: str = "count"  # count, percent (0–1), days, rate, text
    source: str = ""
    explanation: str = ""


@dataclass
class SectionContent:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # Said plainly where the area that would answer is not built yet (no empty figures).
    unavailable: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SectionContent:
        return cls(
            figures=[Figure(**f) for f in data.get("figures", [])],
            tables=[Table(**t) for t in data.get("tables", [])],
            charts=[Chart(**c) for c in data.get("charts", [])],
            unavailable=data.get("unavailable", ""),
        )


def chart_data(chart: Chart) -> Chart:
    """A chart as stored with a report: its columns and rows as plain lists (JSON)."""
    return Chart(chart.title, chart.alt_text, chart.svg, list(chart.columns), [list(r) for r in chart.rows])


# The report's chapters in the order Working Together expects them, with who supplies the figures.
ORDER = {
    "scrutineer": 10,  # governance
    "context": 20,  # performance
    "priorities": 30,  # governance
    "governance": 40,  # governance
    "learning": 50,  # training
    "data": 60,  # performance
    "moves": 70,  # children
    "reviews": 80,
    "voice": 90,
    "next_year": 100,
}


Builder = Callable[[Window], SectionContent]


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    guidance: str  # what the narrative should cover, from Working Together
    build: Builder | None = None


@dataclass(frozen=True)
class ScrutinyQuestion:
    number: int
    question: str
    build: Builder | None = None
    not_built: str = ""  # which area would answer it, when nothing is registered


_SECTIONS: dict[str, ReportSection] = {}
_QUESTIONS: dict[int, ScrutinyQuestion] = {}


def register_section(section: ReportSection) -> None:
    """Each chapter once: a second registration of a key is a mistake (it would silently
    replace the first, so an area's chapter could lose to a placeholder)."""
    if section.key in _SECTIONS:
        raise ImproperlyConfigured(f"The report chapter '{section.key}' is registered twice.")
    _SECTIONS[section.key] = section


def register_question(question: ScrutinyQuestion) -> None:
    _QUESTIONS[question.number] = question


def sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def section(key: str) -> ReportSection | None:
    return _SECTIONS.get(key)


# The brief's ten questions, and the area each waits for when it has no answer yet.
QUESTIONS = {
    1: ("Board attendance: did each Lead Partner attend, delegate (to whom, how senior) or send apologies; "
        "attendance by agency; meetings virtual, in person, hybrid", "governance"),
    2: ("Serious incident notifications within 5 working days; rapid reviews within 15 working days; "
        "how many led to a CSPR; what the Panel said", "reviews"),
    3: ("Each CSPR: started, published, months taken against 6; recommendations open, overdue, closed "
        "with evidence of impact", "reviews"),
    4: ("Training: places offered, booked, attended by agency, no-show rate, share of each agency's "
        "workforce reached, evidence of impact", "training"),
    5: ("Section 11: share of agencies that returned; rating by standard; overdue actions; challenges", "audits"),
    6: ("Multi-agency case audits: how many, themes, grades, actions completed", "audits"),
    7: ("Trends against last year, and whether a change is more than noise", "performance"),
    8: ("Which priorities show little or no progress, and what was decided", "governance"),
    9: ("What the independent scrutineer recommended, and whether partners accepted it", "governance"),
    10: ("Children open to social care or on a CP plan who moved in or out; moves found late; transfer-in "
         "conferences within 15 working days", "children"),
}  # fmt: skip


def questions() -> list[ScrutinyQuestion]:
    """All ten, in order; a question no area answers yet says which area will."""
    return [
        _QUESTIONS.get(number)
        or ScrutinyQuestion(number, text, None, not_built=f"The {area} area of the system is not built yet.")
        for number, (text, area) in QUESTIONS.items()
    ]


# What each area says has changed in its data since a moment: the report's figures built
# before it are out of date. Each returns plain sentences ("2 performance returns received
# …"), none naming a child; nothing changed is an empty list.
ChangeFeed = Callable[[dt.datetime], list[str]]
_CHANGE_FEEDS: dict[str, ChangeFeed] = {}


def register_change_feed(name: str, feed: ChangeFeed) -> None:
    _CHANGE_FEEDS[name] = feed


def data_changes_since(when: dt.datetime) -> list[str]:
    """Every area's changes since ``when``, in the order the areas registered."""
    return [line for feed in _CHANGE_FEEDS.values() for line in feed(when)]
