"""What in a piece of free text would identify a child held in the agency records: a full
name, a date of birth, a child's ID or an NHS number. Run over the annual report before
it is published (``reports.publication_check``), and over anything else written for the public.

Fast with a million records: the text is read first for anything that could be one of
these (words that could be names, dates, ten-digit numbers, child IDs), and the database
is then asked once per kind with ``__in`` look-ups. A finding gives back only the text as
written and where it is, never anything else from the record it matched.

The look-ups want two indexes on ``AgencyRecord`` that it does not have yet (without
them each is a scan of the table): ``Index(Lower("last_name"))`` for names, compared
without regard to case, and ``Index(fields=["date_of_birth"])`` for dates. NHS numbers
use ``record_nhs_number``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.functions import Lower

from safeguarding.children.models import AgencyRecord
from safeguarding.linkage.normalise import nhs_number_is_valid

NAME = "name"
DATE_OF_BIRTH = "date_of_birth"
CHILD_ID = "child_id"
NHS_NUMBER = "nhs_number"
KIND_LABELS = {
    NAME: "a child's full name",
    DATE_OF_BIRTH: "a child's date of birth",
    CHILD_ID: "a child's ID",
    NHS_NUMBER: "a child's NHS number",
}

# Distinct candidate words sent in one query; Postgres takes at most 65,535 parameters
# and each word is sent twice (first and last name). A text with more distinct words
# than this (a book, not a report) costs one more query per this many.
MAX_WORDS_PER_QUERY = 10_000
CONTEXT_CHARS = 30

# A word: letters, with inner apostrophes and hyphens (O'Brien, Smith-Jones).
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Between the words of one name only spaces; between a last name written first and the
# first name, a comma is allowed too ("Nowak, Amelia").
_SPACE = re.compile(r"\s+")
_SPACE_OR_COMMA = re.compile(r"\s*,?\s+|\s*,\s*")
# Lower-case words that start multi-word surnames (van der Berg, de la Cruz).
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "la", "le", "du", "da", "di", "dos", "el", "al", "st"}

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# Each pattern with the order of its (day, month, year) groups.
_DATES = [
    # 4 May 2016, 4th May 2016, 04 Sept. 2016
    (re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE), (1, 2, 3)),
    # May 4, 2016; May 4th 2016
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b", re.IGNORECASE), (2, 1, 3)),
    # 2016-05-04, 2016/05/04
    (re.compile(r"(?<![\d/.-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\d/.-]*\d)"), (4, 3, 1)),
    # 04/05/2016, 4/5/2016, 4.5.2016, 4-5-2016 (day first, as England writes it)
    (re.compile(r"(?<![\d/.-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\d/.-]*\d)"), (1, 3, 4)),
    # 4/5/16
    (re.compile(r"(?<![\d/.-])(\d{1,2})(/)(\d{1,2})/(\d{2})(?![\d/.-]*\d)"), (1, 3, 4)),
]
# Ten digits, written together or as 3 3 4 (spaces or hyphens), not part of a longer number.
_NHS = re.compile(r"(?<![\d-])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d]|-\d)")
# Any letters and digits in the form of a child's ID, whether or not it is still in use:
# a retired or merged ID still leads to the child.
_CHILD_ID = re.compile(r"\bCH-[A-Z0-9]{5}-[A-Z0-9]{5}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str  # name, date_of_birth, child_id, nhs_number
    text: str  # as written in the text, nothing more
    index: int  # which of the texts
    start: int
    end: int
    context: str  # the words around it, from the same text

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class _Word:
    key: str  # lower case, apostrophes made plain
    start: int
    end: int


def personal_details_in(texts: list[str]) -> list[Finding]:
    """Everything in ``texts`` that is a full name (first and last name of one agency
    record, in either order, with or without the record's middle names), a date of birth
    or a valid NHS number held in the records, or a child's ID; in text order. Case is
    ignored. At most one query per kind, however long the texts."""
    words = [_words(text) for text in texts]
    spans: list[tuple[str, int, int, int]] = []
    spans += _names(texts, words)
    spans += _dates_of_birth(texts)
    spans += _nhs_numbers(texts)
    spans += [(CHILD_ID, i, m.start(), m.end()) for i, text in enumerate(texts) for m in _CHILD_ID.finditer(text)]
    return [_finding(texts, *span) for span in sorted(_outermost(spans), key=lambda s: (s[1], s[2], s[3]))]


def _finding(texts: list[str], kind: str, index: int, start: int, end: int) -> Finding:
    text = texts[index]
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return Finding(kind, text[start:end], index, start, end, _SPACE.sub(" ", f"{before}{text[start:end]}{after}"))


def _outermost(spans: Iterable[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """One finding per stretch of text: a name inside a longer name (Rose Nowak inside
    Amelia Rose Nowak) is not reported twice."""
    unique = sorted(set(spans), key=lambda s: (s[1], s[2], -s[3]))
    kept: list[tuple[str, int, int, int]] = []
    for span in unique:
        if kept and kept[-1][1] == span[1] and kept[-1][2] <= span[2] and span[3] <= kept[-1][3]:
            continue
        kept.append(span)
    return kept


# Names


def _key(word: str) -> str:
    return word.lower().replace("’", "'")


def _words(text: str) -> list[_Word]:
    return [_Word(_key(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _name_words(value: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in _WORD.findall(value))


def _candidates(texts: list[str], words: list[list[_Word]]) -> set[str]:
    """What a first or last name in the texts could be: every word (names are matched
    whatever their case), and runs of two or three capitalised words or particles for
    names with spaces in them (Van der Berg, Mary Jane)."""
    candidates: set[str] = set()
    for text, ws in zip(texts, words, strict=True):
        candidates.update(w.key for w in ws)
        for i in range(len(ws) - 1):
            for run in (ws[i : i + 2], ws[i : i + 3]):
                if len(run) > 1 and _one_name(text, run):
                    candidates.add(" ".join(w.key for w in run))
    return candidates


def _one_name(text: str, run: list[_Word]) -> bool:
    """Words that could be one name with spaces in it: capitalised or particles, with
    only spaces between them."""
    return all(text[w.start].isupper() or w.key in _PARTICLES for w in run) and all(
        _SPACE.fullmatch(text[a.end : b.start]) for a, b in zip(run, run[1:], strict=False)
    )


def _held_names(candidates: set[str]) -> set[tuple[str, str, str]]:
    """(first, middle, last) of the records whose first and last names, in lower case,
    are both among the candidates."""
    ordered = sorted({form for candidate in candidates for form in _stored_forms(candidate)})
    records = AgencyRecord.objects.annotate(last_lower=Lower("last_name"), first_lower=Lower("first_name"))
    if len(ordered) <= MAX_WORDS_PER_QUERY:
        rows = records.filter(last_lower__in=ordered, first_lower__in=ordered).values_list(
            "first_name", "middle_names", "last_name"
        )
        return set(rows.order_by().distinct())
    held: set[tuple[str, str, str]] = set()
    for start in range(0, len(ordered), MAX_WORDS_PER_QUERY):
        rows = records.filter(last_lower__in=ordered[start : start + MAX_WORDS_PER_QUERY]).values_list(
            "first_name", "middle_names", "last_name"
        )
        held.update(
            row
            for row in rows.order_by().distinct()
            if _name_words(row[0]) and " ".join(_name_words(row[0])) in candidates
        )
    return held


def _stored_forms(candidate: str) -> set[str]:
    """A candidate as the database's lower case may give it: SQLite lowers only ASCII
    letters, so a stored "Łukasz" stays "Łukasz"."""
    if candidate.isascii():
        return {candidate}
    return {
        candidate,
        candidate[0].upper() + candidate[1:],
        "".join(c if c.isascii() else c.upper() for c in candidate),
    }


def _name_forms(first: str, middle: str, last: str) -> list[tuple[tuple[str, ...], bool]]:
    """The ways a record's name may be written, each with whether the last name comes
    first (so a comma may follow it)."""
    f, m, la = _name_words(first), _name_words(middle), _name_words(last)
    if not f or not la:
        return []
    forms = [(f + la, False), (la + f, True)]
    if m:
        forms.append((f + m + la, False))
        forms += [(f + (name,) + la, False) for name in m if len(m) > 1]
    return forms


def _names(texts: list[str], words: list[list[_Word]]) -> list[tuple[str, int, int, int]]:
    candidates = _candidates(texts, words)
    if not candidates:
        return []
    # The names held, by their first word, as sequences of words to find in the texts.
    forms: dict[str, set[tuple[tuple[str, ...], int]]] = defaultdict(set)
    for first, middle, last in _held_names(candidates):
        for sequence, last_first in _name_forms(first, middle, last):
            # Where a comma may stand: after the last name's words when it comes first.
            comma_at = len(_name_words(last)) if last_first else -1
            forms[sequence[0]].add((sequence, comma_at))
    spans = []
    for index, (text, ws) in enumerate(zip(texts, words, strict=True)):
        for i, word in enumerate(ws):
            for sequence, comma_at in forms.get(word.key, ()):
                run = ws[i : i + len(sequence)]
                if tuple(w.key for w in run) == sequence and all(
                    (_SPACE_OR_COMMA if k + 1 == comma_at else _SPACE).fullmatch(text[a.end : b.start])
                    for k, (a, b) in enumerate(zip(run, run[1:], strict=False))
                ):
                    spans.append((NAME, index, run[0].start, run[-1].end))
    return spans


# Dates of birth


def _date(day: str, month: str, year: str) -> dt.date | None:
    month_number = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
    year_number = int(year) if len(year) == 4 else 2000 + int(year)
    try:
        return dt.date(year_number, month_number, int(day))
    except ValueError:
        return None


def _dates(texts: list[str]) -> list[tuple[dt.date, int, int, int]]:
    found = []
    for index, text in enumerate(texts):
        for pattern, (d, mo, y) in _DATES:
            for match in pattern.finditer(text):
                date = _date(match.group(d), match.group(mo), match.group(y))
                if date:
                    found.append((date, index, match.start(), match.end()))
    return found


def _dates_of_birth(texts: list[str]) -> list[tuple[str, int, int, int]]:
    found = _dates(texts)
    if not found:
        return []
    held = set(
        AgencyRecord.objects.filter(date_of_birth__in={date for date, *_ in found})
        .values_list("date_of_birth", flat=True)
        .order_by()
        .distinct()
    )
    return [(DATE_OF_BIRTH, index, start, end) for date, index, start, end in found if date in held]


# NHS numbers


def _nhs_numbers(texts: list[str]) -> list[tuple[str, int, int, int]]:
    found = [
        ("".join(m.groups()), index, m.start(), m.end())
        for index, text in enumerate(texts)
        for m in _NHS.finditer(text)
        if nhs_number_is_valid("".join(m.groups()))
    ]
    if not found:
        return []
    held = set(
        AgencyRecord.objects.filter(nhs_number__in={number for number, *_ in found})
        .values_list("nhs_number", flat=True)
        .order_by()
        .distinct()
    )
    return [(NHS_NUMBER, index, start, end) for number, index, start, end in found if number in held]
