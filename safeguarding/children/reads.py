"""Child-level data for a person: the one way a page reads it (issue 15, item 1).

Each function takes the reader, applies the who-sees-what policy for their role and desk
and their organisation's sharing agreements (``selectors.reader_scope``), records the read
with its purpose in the audit trail, and returns only what the reader may see. A read is
recorded against a person, so the reader is a ``User`` (the views are for signed-in users). Views call
these and never ``record_child_read`` or the policy themselves; a test walks the URLconf to
keep it so (tests/children/test_reads.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from safeguarding.children import policy, selectors, services
from safeguarding.children.child_view import ChildView, child_view
from safeguarding.children.models import Child, MatchReview
from safeguarding.core.audit import record_child_read

if TYPE_CHECKING:
    from safeguarding.accounts.models import ApiToken, User
    from safeguarding.core.permissions import RequestUser


@dataclass(frozen=True)
class ChildRead:
    view: ChildView
    desk: str  # the reader's desk, in words ("the social care desk")


def child_for_reader(*, user: User, child: Child, purpose: str, ip_address: str | None = None) -> ChildRead:
    """The view of a child as ``user`` may see it, the look recorded with ``purpose``."""
    scope = selectors.reader_scope(user)
    view = child_view(child, parts=scope.parts, partners=scope.partners)
    record_child_read(actor=user, instance=child, purpose=purpose, ip_address=ip_address)
    return ChildRead(view=view, desk=policy.DESK_LABELS[policy.desk_of(scope.organisation)])


def involvements_shown(user: RequestUser) -> bool:
    """Whether the reader may learn what a child's involvement is; a CP plan, and so the
    transfer-in conference, is one (education reads only "an open involvement")."""
    return policy.Part.INVOLVEMENTS in selectors.reader_scope(user).parts


def review_for_reader(*, user: User, review: MatchReview, ip_address: str | None = None) -> selectors.ReviewComparison:
    """The two records of a pair side by side, for deciding whether they are one child.
    ``review`` must come from ``selectors.reviews_for(user)``: only pairs whose both sides
    the reader may read."""
    record_child_read(
        actor=user,
        instance=review,
        purpose="Deciding whether two agency records are about the same child",
        ip_address=ip_address,
    )
    return selectors.review_comparison_unscoped(review)


@dataclass(frozen=True)
class AccessLogRead:
    child: Child | None  # None: no such child, or one the reader may not ask about
    log: selectors.AccessLog | None


def access_log_for_reader(*, user: User, reference: str, ip_address: str | None = None) -> AccessLogRead:
    """Who looked at a child's record, when and why; opening it is itself recorded. An
    agency lead sees only children their agency answers for; any other ID reads as unknown,
    so the page cannot be used to test which IDs exist."""
    child = selectors.child_by_reference(reference) if reference else None
    if child is None or not selectors.may_see_access_log(user, child):
        return AccessLogRead(None, None)
    record_child_read(
        actor=user, instance=child, purpose="Checking who has looked at this child's record", ip_address=ip_address
    )
    return AccessLogRead(child, selectors.access_log_unscoped(child))


def lookup_for_reader(
    *, user: User, details: dict[str, str], purpose: str, ip_address: str | None = None
) -> list[selectors.KnownChild] | None:
    """ "Is this child known?": the search and each child found recorded with ``purpose``
    (``services.lookup_audited``), the results as ``user`` may see them."""
    found = services.lookup_audited(details=details, purpose=purpose, actor=user, ip_address=ip_address)
    return selectors.lookup_as_seen_by(found, selectors.reader_scope(user))


def lookup_for_token(*, token: ApiToken, details: dict[str, str], purpose: str) -> list[selectors.KnownChild] | None:
    """The same search for a partner system: recorded against the token with ``purpose``,
    the results as the token's organisation may see them."""
    found = services.lookup_audited(details=details, purpose=purpose, actor=token)
    return selectors.lookup_as_seen_by(found, selectors.token_scope(token))


def access_policy_table() -> tuple[list[str], list[tuple[str, str, list[bool]]]]:
    """The policy itself, for anyone signed in: the parts of a record, and each desk's row."""
    return [policy.PART_LABELS[p] for p in policy.Part], policy.table()


PARTS = policy.Part  # for templates that show a part only to a reader who has it
