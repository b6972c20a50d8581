"""The purpose of a search, carried to the children it found.

"Is this child known?" asks why the reader is searching. Opening a child from its
results must not ask again, and must still record that read with the search's reason
("Lookup: <reason>"). The search is remembered in the reader's own session, with the IDs
it found and when; a result's link names the search. Nothing in the link can be forged
into a purpose: a search ID another session made, a child the search did not find, or a
search older than ``LINK_LIFETIME`` gives no purpose, and the child's page asks as it
would for any other way in.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

SESSION_KEY = "children_lookups"
LINK_LIFETIME = dt.timedelta(minutes=30)
# A session remembers this many searches, newest kept: results pages opened in other tabs
# keep working while the session stays small.
REMEMBERED = 20


def remember_search(session, *, reason: str, references: list[str], now: dt.datetime | None = None) -> str:
    """Remember a search's reason and the children it found; return its ID for the links."""
    now = now or timezone.now()
    searches = {
        key: value
        for key, value in session.get(SESSION_KEY, {}).items()
        if _issued(value) is not None and now - _issued(value) <= LINK_LIFETIME
    }
    search_id = secrets.token_urlsafe(9)
    searches[search_id] = {"reason": reason, "children": list(references), "at": now.isoformat()}
    session[SESSION_KEY] = dict(sorted(searches.items(), key=lambda item: item[1]["at"])[-REMEMBERED:])
    return search_id


def purpose_from_search(session, *, search_id: str, reference: str, now: dt.datetime | None = None) -> str | None:
    """The read's purpose for a child opened from a search's results, or None when this
    session made no such search, the search did not find this child, or it is too old."""
    search = session.get(SESSION_KEY, {}).get(search_id or "")
    if not isinstance(search, dict) or reference not in search.get("children", ()):
        return None
    issued = _issued(search)
    now = now or timezone.now()
    if issued is None or not (dt.timedelta(0) <= now - issued <= LINK_LIFETIME):
        return None
    reason = (search.get("reason") or "").strip()
    return f"Lookup: {reason}" if reason else None


def _issued(search: dict) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(search["at"])
    except (KeyError, TypeError, ValueError):
        return None
