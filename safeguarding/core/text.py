"""Checks on text that arrives from outside (files, the API) before it is stored.

PostgreSQL refuses a NUL byte in a text column (``DataError``) while SQLite stores it
silently, and other control characters are invisible on a page yet break CSV readers and
comparisons. So imports refuse them with a message naming where they were, rather than
letting one database crash and the other keep rubbish.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return (which long text fields may hold),
# DEL, and the C1 controls (U+0080 to U+009F), which no partner system sends on purpose.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def find_control_character(text: str) -> int | None:
    """The position of the first forbidden control character in ``text``, or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe_control_character(text: str, position: int) -> str:
    """A short, printable description of the character at ``position``, e.g. ``U+0000``."""
    return f"U+{ord(text[position]):04X}"
