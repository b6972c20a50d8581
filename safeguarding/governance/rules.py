"""Governance rules as named functions, each testable on its own."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from safeguarding.accounts.models import Organisation, seniority_rank
from safeguarding.core.windows import last_twelve_months

STATUTORY_KINDS = frozenset({"local_authority", "police", "icb"})
PRESENT_STATUSES = frozenset({"in_person", "virtual", "deputy"})


def is_quorate(
    *,
    minimum_present: int,
    needs_each_statutory_partner: bool,
    present_organisation_kinds: Iterable[str],
) -> bool:
    """A meeting is quorate when at least ``minimum_present`` members are represented
    (in person, virtually or by a named deputy) and, where the group's terms of
    reference say so, each statutory partner (WT2023: local authority, police, ICB)
    is represented."""
    kinds = list(present_organisation_kinds)
    if len(kinds) < minimum_present:
        return False
    return not needs_each_statutory_partner or set(kinds) >= STATUTORY_KINDS


def deputy_below_expected(*, deputy_seniority: str, expected_seniority: str) -> bool:
    """The committee's worry: a delegate too junior to take decisions for their agency.

    A Lead Partner may delegate to their Delegated Safeguarding Partner (WT2023), so
    for a Lead Partner's seat a Delegated Partner is not "below"; anyone less senior is.
    For every other seat the deputy must be at least the expected seniority."""
    if not deputy_seniority or not expected_seniority:
        return False
    required = "delegated_partner" if expected_seniority == "lead_partner" else expected_seniority
    return seniority_rank(deputy_seniority) < seniority_rank(required)


def action_is_overdue(*, status: str, due_on: datetime.date | None, today: datetime.date) -> bool:
    """Open or in progress, and its due date has passed."""
    return status in ("open", "in_progress") and due_on is not None and due_on < today


def agreement_review_overdue(*, review_due_on: datetime.date, today: datetime.date) -> bool:
    """An information sharing agreement past its review date (the seeds' agreement
    'was being refreshed again')."""
    return review_due_on < today


def default_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The committee's default: the last 12 months, ending today."""
    return last_twelve_months(today)


def rate(numerator: int, denominator: int) -> float | None:
    """A share as a fraction, or None when there is nothing to divide by."""
    return None if denominator == 0 else numerator / denominator


def quorum_kind(organisation: Organisation) -> str:
    """The kind an organisation counts as in a quorum. Another area's council is a local
    authority but not this partnership's statutory partner, so it cannot stand in for
    the local authority."""
    return organisation.kind if organisation.is_statutory_partner else "other"
