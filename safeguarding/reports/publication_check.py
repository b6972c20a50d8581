"""The check run on the report before it is published: nothing that identifies a child,
and no count small enough to point at one. Publication waits until ``scan`` finds
nothing.

Three rules, over the content dict of ``assembly.report_content``:

1. No child's name, date of birth, ID or NHS number held in the records, in the
   narrative or in any text of the tables, charts and figures
   (``children.identifying_details.personal_details_in``). Dates are checked in the narrative
   only: the figures' tables carry dates of meetings and the like, and every recent date
   is some child's date of birth, so a generated table could never pass.
2. No count under the threshold written in the narrative: "3 children", "two families".
3. No figure or table cell that is a count from 1 to the threshold less one, in the
   chapters whose counts are of children and families (``CHILDREN_COUNT_CHAPTERS``): the
   area that built it should have written "[c]". Counts of meetings, recommendations or
   training places are not suppressed and would otherwise stop every report. In a
   chapter that counts both the partnership's work and the children it is about
   (``CHILDREN_ROWS_ONLY_CHAPTERS``: reviews) only the figures and rows whose label
   says children are checked (decision 0009).

The people the report may name (the chair, the scrutineer, the Lead Partners) are passed
in as ``allowed_names``: with a million records, most adults' names are also some
child's.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from safeguarding.children import identifying_details
from safeguarding.core.report_sections import SUPPRESSED

NAME = identifying_details.NAME
DATE_OF_BIRTH = identifying_details.DATE_OF_BIRTH
CHILD_ID = identifying_details.CHILD_ID
NHS_NUMBER = identifying_details.NHS_NUMBER
SMALL_COUNT = "small_count"  # written in the narrative
UNSUPPRESSED = "unsuppressed"  # a figure or table cell

# Chapters whose counts are of children, families or cases, and so are suppressed by the
# areas that build them (performance, children, reviews).
CHILDREN_COUNT_CHAPTERS = frozenset({"context", "data", "moves", "reviews", "voice"})
# Of those, chapters whose other counts are of the partnership's work, published as the
# National Panel publishes them (notifications, rapid reviews, CSPRs, recommendations):
# only a figure or a table row whose label says children is a count to be suppressed.
CHILDREN_ROWS_ONLY_CHAPTERS = frozenset({"reviews"})
_ABOUT_CHILDREN = re.compile(r"\bchildren\b", re.IGNORECASE)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
# What a count in the narrative may be of.
PEOPLE = [
    "children", "child", "young people", "young person", "families", "family", "babies", "baby", "cases", "case",
    "referrals", "referral", "pupils", "pupil", "girls", "girl", "boys", "boy",
]  # fmt: skip
# Words that, between a number and the noun, make it something other than a count of
# those people: "one of the children", "one in five families", "Year 2 pupils".
_NOT_A_COUNT_BETWEEN = {"of", "in", "out", "per", "every", "each", "percent"}
_NOT_A_COUNT_BEFORE = {"year", "years", "stage", "aged", "age", "ages", "under", "over", "level", "tier", "phase"}

_NUMBER = r"(\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_NOUN = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(PEOPLE, key=len, reverse=True))
# A number, then at most two words (hyphenated ones count as one), then the noun.
_COUNT = re.compile(
    rf"(?<![\w.,£$%-]){_NUMBER}(?![\w%-]|[.,]\d)((?:\s+[\w'’-]+){{0,2}}?)\s+(?:{_NOUN})\b", re.IGNORECASE
)
_WORD_BEFORE = re.compile(r"(\w+)\W*$")

# Table columns and rows that hold something other than counts, by their heading or
# label: medians, shares, ratings and the like.
_NOT_COUNTS = re.compile(
    r"%|\b(percent|per cent|share|rate|median|percentile|average|mean|confidence|score|rating|grade|change|standard)\b"
    r"|^(working )?(days|weeks|months)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    section: str  # the chapter's key
    title: str  # the chapter's title
    kind: str  # name, date_of_birth, child_id, nhs_number, small_count, unsuppressed
    found: str  # what was found, as written
    where: str  # "narrative", "table 'Moves into each area'", "figure 'Children who moved'"
    message: str  # what to fix, in words


@dataclass(frozen=True)
class _Text:
    chapter: dict
    where: str
    narrative: bool


def scan(
    content: dict,
    *,
    threshold: int,
    count_chapters: Collection[str] = CHILDREN_COUNT_CHAPTERS,
    allowed_names: Collection[str] = (),
) -> list[Problem]:
    """Every problem in the report's content, chapter by chapter; an empty list means it
    may be published. ``threshold`` is the suppression threshold: counts from 1 to
    ``threshold - 1`` are small. ``allowed_names``: full names of adults the report may
    name, as written."""
    texts = list(_texts(content))
    allowed = {" ".join(name.lower().split()) for name in allowed_names}
    problems = _personal_details(texts, allowed)
    for chapter in content["sections"]:
        problems += _small_counts_written(chapter, threshold)
        if chapter["key"] in count_chapters:
            problems += _unsuppressed(chapter, threshold, children_only=chapter["key"] in CHILDREN_ROWS_ONLY_CHAPTERS)
    order = {chapter["key"]: n for n, chapter in enumerate(content["sections"])}
    return sorted(problems, key=lambda p: order.get(p.section, len(order)))


# Rule 1: nothing that identifies a child


def _texts(content: dict):
    """Every piece of text in the report, with where it is."""
    for chapter in content["sections"]:
        if chapter.get("narrative"):
            yield _Text(chapter, "narrative", True), chapter["narrative"]
        data = chapter.get("content") or {}
        for figure in data.get("figures", []):
            where = f"figure '{figure.get('label', '')}'"
            yield _Text(chapter, where, False), str(figure.get("label", ""))
            for name in ("value", "previous"):
                if figure.get("unit") == "text" and isinstance(figure.get(name), str):
                    yield _Text(chapter, where, False), figure[name]
        for kind, titled in (("tables", "caption"), ("charts", "title")):
            for item in data.get(kind, []):
                where = f"{kind[:-1]} '{item.get(titled, '')}'"
                for text in (item.get(titled), item.get("alt_text"), *item.get("columns", [])):
                    if isinstance(text, str) and text:
                        yield _Text(chapter, where, False), text
                for row in item.get("rows", []):
                    for cell in row:
                        if isinstance(cell, str) and cell and cell != SUPPRESSED:
                            yield _Text(chapter, where, False), cell


def _personal_details(texts: list[tuple[_Text, str]], allowed: set[str]) -> list[Problem]:
    findings = identifying_details.personal_details_in([text for _, text in texts])
    problems = []
    for finding in findings:
        place = texts[finding.index][0]
        if finding.kind == DATE_OF_BIRTH and not place.narrative:
            continue
        if finding.kind == NAME and " ".join(finding.text.lower().split()) in allowed:
            continue
        problems.append(
            Problem(
                place.chapter["key"],
                place.chapter["title"],
                finding.kind,
                finding.text,
                place.where,
                _identifying_message(finding, place),
            )
        )
    return problems


def _identifying_message(finding: identifying_details.Finding, place: _Text) -> str:
    where = "the narrative" if place.narrative else f"the {place.where}"
    said = f"“{finding.text}” in {where} is {finding.label} held in the children's records."
    if finding.kind == DATE_OF_BIRTH:
        return (
            f"{said} Take it out. If the date is about something else, give the month and year only "
            "(“May 2016”) so that it cannot point at a child."
        )
    if place.narrative:
        return f"{said} Take it out, and describe the child without anything that could identify them."
    return (
        f"{said} It comes from the figures, which should never carry it: do not publish, and tell the "
        "team that looks after the area that supplies this chapter."
    )


# Rule 2: small counts written in the narrative


def _small_counts_written(chapter: dict, threshold: int) -> list[Problem]:
    text = chapter.get("narrative") or ""
    problems = []
    for match in _COUNT.finditer(text):
        number, between = match.group(1), match.group(2)
        n = _number(number)
        if n is None or not 0 < n < threshold:
            continue
        words_between = {w.lower() for w in between.split()}
        before = _WORD_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        if words_between & _NOT_A_COUNT_BETWEEN or words_between & set(NUMBER_WORDS):
            continue
        if before and before.group(1).lower() in _NOT_A_COUNT_BEFORE:
            continue
        found = re.sub(r"\s+", " ", match.group())
        problems.append(
            Problem(
                chapter["key"],
                chapter["title"],
                SMALL_COUNT,
                found,
                "narrative",
                f"“{found}” in the narrative is a count under {threshold}, small enough to point at a child or "
                f"family. Write “fewer than {threshold}”, or leave the number out.",
            )
        )
    return problems


def _number(text: str) -> int | None:
    if text.lower() in NUMBER_WORDS:
        return NUMBER_WORDS[text.lower()]
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


# Rule 3: figures and table cells that should have been suppressed


def _small(value: Any, threshold: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return isinstance(value, int) and 0 < value < threshold


def _unsuppressed(chapter: dict, threshold: int, *, children_only: bool = False) -> list[Problem]:
    data = chapter.get("content") or {}
    problems = []

    def problem(found: Any, where: str) -> None:
        problems.append(
            Problem(
                chapter["key"],
                chapter["title"],
                UNSUPPRESSED,
                str(found),
                where,
                f"The {where} shows a count of {found}, under {threshold}: it should show “{SUPPRESSED}”. "
                "Build the figures again; if it is still there, do not publish, and tell the team that looks "
                "after the area that supplies this chapter.",
            )
        )

    for figure in data.get("figures", []):
        if figure.get("unit", "count") != "count":
            continue
        label = figure.get("label", "")
        if children_only and not _ABOUT_CHILDREN.search(label):
            continue
        if _small(figure.get("value"), threshold):
            problem(figure["value"], f"figure '{label}'")
        if _small(figure.get("previous"), threshold):
            problem(figure["previous"], f"figure '{label}' (the year before)")
    for kind, titled in (("tables", "caption"), ("charts", "title")):
        for item in data.get(kind, []):
            columns = item.get("columns", [])
            for row in item.get("rows", []):
                label = row[0] if row and isinstance(row[0], str) else ""
                if _NOT_COUNTS.search(label) or (children_only and not _ABOUT_CHILDREN.search(label)):
                    continue
                for n, cell in enumerate(row):
                    column = columns[n] if n < len(columns) else ""
                    if _small(cell, threshold) and not _NOT_COUNTS.search(str(column)):
                        problem(cell, f"{kind[:-1]} '{item.get(titled, '')}', row '{label}', column '{column}'")
    return problems
