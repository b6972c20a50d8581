"""Pieces every benchmark script shares: what machine it ran on, and writing its own
section of docs/benchmarks.md without touching the others."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB memory"
    except OSError:
        pass
    return f"{os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def replace_docs_section(docs: Path, heading: str, section: str) -> None:
    """Put ``section`` (starting with ``heading``) in place of the one already there, or
    at the end; the other sections stay as they are."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + (text[end:] if end >= 0 else "")
    docs.write_text(text, encoding="utf-8")
