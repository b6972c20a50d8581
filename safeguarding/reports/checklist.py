"""What Working Together expects the yearly report to contain, and whether this report
does: shown before sign-off, so a missing element is seen while there is time to write it.

The elements are data: each names the chapters that carry it and whether it needs the
staff's words, the figures, or both. Where an element names several chapters, words in
any of them and figures in any of them count.
"""

from __future__ import annotations

from dataclasses import dataclass

WORDS = "words"
FIGURES = "figures"
BOTH = "both"

PRESENT = "present"
EMPTY = "empty"
MISSING = "missing"


@dataclass(frozen=True)
class Element:
    key: str
    title: str
    chapters: tuple[str, ...]
    needs: str  # words, figures or both


# Working Together 2018, carried forward into 2023: the yearly report's contents.
STATUTORY_ELEMENTS = [
    Element("impact", "Evidence of the impact of the partnership's work, including of training", ("learning",), BOTH),
    Element("little_progress", "Analysis of priorities with little or no progress", ("priorities",), BOTH),
    Element("review_actions", "Actions taken on local and national review recommendations", ("reviews",), WORDS),
    Element("voice", "How feedback from children and families shaped the partnership's work", ("voice",), WORDS),
    Element("scrutineer", "The independent scrutineer's view", ("scrutineer",), WORDS),
    Element("reviews_undertaken", "The reviews undertaken", ("reviews",), BOTH),
    Element("effectiveness", "How effective the arrangements were", ("governance",), BOTH),
    Element("next_year", "The priorities for the year ahead", ("next_year",), WORDS),
    Element("data", "Data and performance, against the year before", ("context", "data"), BOTH),
    Element("moves", "Children open to services who moved in or out of the area", ("moves",), BOTH),
]


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    chapters: tuple[str, ...]
    needs: str
    status: str  # present, empty or missing
    message: str
    # Whether the partners can and must put it right before signing: words unwritten, or
    # figures an area supplies but nobody built. Figures no area supplies yet
    # (audits) cannot be had, so the words must cover them and they do not block.
    blocks_sign_off: bool = False


def checklist(content: dict, elements: list[Element] | None = None) -> list[Item]:
    """Each statutory element of the report's content (``assembly.report_content``): present,
    empty (its chapter is there but lacks the words or figures it needs) or missing (no
    chapter with its key is registered), with what to do."""
    chapters = {chapter["key"]: chapter for chapter in content["sections"]}
    return [_item(element, chapters) for element in (STATUTORY_ELEMENTS if elements is None else elements)]


def _item(element: Element, chapters: dict[str, dict]) -> Item:
    def item(status: str, message: str, blocks: bool = False) -> Item:
        return Item(element.key, element.title, element.chapters, element.needs, status, message, blocks)

    there = [chapters[key] for key in element.chapters if key in chapters]
    if not there:
        keys = " or ".join(f"“{key}”" for key in element.chapters)
        return item(
            MISSING,
            f"The report has no chapter {keys}: the area of the system that adds it is not built yet. "
            "Cover this element in another chapter's narrative, or add the chapter before sign-off.",
        )
    titles = _titles(there)
    lacking, blocks = [], False
    if element.needs in (WORDS, BOTH) and not any((c.get("narrative") or "").strip() for c in there):
        lacking.append(f"Write the narrative of {titles}.")
        blocks = True
    if element.needs in (FIGURES, BOTH) and not any(_has_figures(c) for c in there):
        lacking.append(_why_no_figures(there))
        blocks = blocks or any(c.get("has_figures") and not (c.get("content") or {}).get("unavailable") for c in there)
    if lacking:
        return item(EMPTY, " ".join(lacking), blocks)
    return item(PRESENT, f"Covered in {titles}.")


def _titles(chapters: list[dict]) -> str:
    return " and ".join(f"“{c['title']}”" for c in chapters)


def _has_figures(chapter: dict) -> bool:
    data = chapter.get("content") or {}
    return not data.get("unavailable") and any(data.get(kind) for kind in ("figures", "tables", "charts"))


def _why_no_figures(chapters: list[dict]) -> str:
    reasons = []
    for chapter in chapters:
        data = chapter.get("content") or {}
        if data.get("unavailable"):
            reasons.append(f"“{chapter['title']}” has no figures: {data['unavailable']}")
        elif not chapter.get("has_figures"):
            reasons.append(f"No area of the system supplies figures for “{chapter['title']}” yet; give them in words.")
        else:
            reasons.append(f"“{chapter['title']}” has no figures yet: build the report's figures.")
    return " ".join(reasons)
