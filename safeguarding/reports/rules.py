"""Rules for the annual report, as named functions with tests."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def panel_copy_due(published_on: dt.date, days: int) -> dt.date:
    """The brief: a copy of the published report goes to the Child Safeguarding Practice
    Review Panel within 7 days (unconfirmed; ``REPORT_PANEL_COPY_DAYS``), calendar days."""
    return published_on + dt.timedelta(days=days)


def next_report_due(last_published_on: dt.date) -> dt.date:
    """Working Together: a report at least once in every 12 months."""
    return last_published_on + relativedelta(years=1)


def partners_still_to_sign(partner_ids: set[int], signed_ids: set[int]) -> set[int]:
    """Each statutory partner's Lead Partner signs; the report is signed off when none is
    left."""
    return partner_ids - signed_ids


# Which status may follow which.
TRANSITIONS = {
    "draft": {"in_review"},
    "in_review": {"draft", "signed_off"},
    "signed_off": {"published"},
    "published": set(),
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


# A chapter's place on the report's task list.
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
READY = "ready"
SIGNED_OFF = "signed_off"

CHAPTER_STATUS_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    READY: "Ready",
    SIGNED_OFF: "Signed off",
}


def chapter_status(
    *, has_words: bool, needs_figures: bool, figures_built: bool, open_comments: int, report_signed_off: bool
) -> str:
    """Where one chapter stands. Signed off once every Lead Partner has signed the report
    (they sign the whole report, so every chapter with it); not started until someone
    writes its words; in progress while a comment is open or the figures its area supplies
    are not built; otherwise ready for review."""
    if report_signed_off:
        return SIGNED_OFF
    if not has_words:
        return NOT_STARTED
    if open_comments or (needs_figures and not figures_built):
        return IN_PROGRESS
    return READY
