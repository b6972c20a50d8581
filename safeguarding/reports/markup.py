"""The narrative's tiny plain-text syntax, read into blocks for the HTML, PDF and Word
outputs. Authors never write HTML, so nothing they type reaches a page as markup.

    ## A heading
    A paragraph runs on over lines until a blank line.

    - a bulleted item
    - another, with a [link](https://example.org/page)

    1. a numbered item
    2. the next

Links may point only at http, https or mailto addresses, or at a page of this site
("/figures/..."); any other ``[text](url)`` stays as the text typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Run = Text | Link


@dataclass(frozen=True)
class Heading:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class NumberedList:
    items: tuple[tuple[Run, ...], ...]
    start: int = 1


Block = Heading | Paragraph | BulletList | NumberedList

HEADING = re.compile(r"^##\s+(.*)$")
BULLET = re.compile(r"^\s*-\s+(.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,9})\.\s+(.*)$")
LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")


def safe_url(url: str) -> bool:
    """http(s) with a host, mailto with an address, or a path on this site. A path
    starting "//" or "/\\" would leave the site, so it is not one."""
    if url.startswith("/"):
        return not url.startswith(("//", "/\\"))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.netloc)
    return scheme == "mailto" and bool(parts.path)


def absolute(url: str, base: str | None) -> str:
    """A site path made whole against the published edition's address, where known."""
    return urljoin(base, url) if base and url.startswith("/") else url


def runs(text: str) -> tuple[Run, ...]:
    """Text and links, in order; adjacent text is merged."""
    out: list[Run] = []

    def add_text(piece: str) -> None:
        if not piece:
            return
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + piece)
        else:
            out.append(Text(piece))

    position = 0
    for match in LINK.finditer(text):
        add_text(text[position : match.start()])
        label, url = match.group(1), match.group(2)
        if safe_url(url):
            out.append(Link(label, url))
        else:
            add_text(match.group(0))
        position = match.end()
    add_text(text[position:])
    return tuple(out)


def parse(text: str) -> list[Block]:
    """The blocks of a narrative. A line that is not a heading or a list marker carries on
    the paragraph or list item above it; a blank line ends either."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[list[str]] = []
    kind: type | None = None  # BulletList or NumberedList while a list is open
    start = 1

    def close() -> None:
        nonlocal kind
        if paragraph:
            blocks.append(Paragraph(runs(" ".join(paragraph))))
            paragraph.clear()
        if kind is BulletList:
            blocks.append(BulletList(tuple(runs(" ".join(item)) for item in items)))
        elif kind is NumberedList:
            blocks.append(NumberedList(tuple(runs(" ".join(item)) for item in items), start))
        items.clear()
        kind = None

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        if heading := HEADING.match(line):
            close()
            if heading.group(1).strip():
                blocks.append(Heading(runs(heading.group(1).strip())))
            continue
        bullet, numbered = BULLET.match(raw), NUMBERED.match(raw)
        if bullet or numbered:
            wanted = BulletList if bullet else NumberedList
            if kind is not wanted:
                close()
                kind = wanted
                start = int(numbered.group(1)) if numbered else 1
            items.append([(bullet or numbered).groups()[-1].strip()])
        elif kind is not None:
            items[-1].append(line)
        else:
            paragraph.append(line)
    close()
    return blocks


# The GOV.UK Design System's classes, for the pages (the PDF styles plain elements itself).
GOVUK_CLASSES = {
    "h": "govuk-heading-m",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
}


def _attr(tag: str, classes: dict[str, str]) -> Markup:
    return Markup(' class="{}"').format(classes[tag]) if tag in classes else Markup("")


def runs_html(
    parts: tuple[Run, ...], base_url: str | None = None, *, site_links: bool = True, classes: dict | None = None
) -> Markup:
    """Text and links as HTML. Without ``site_links`` (a file read away from the site) a
    site path that ``base_url`` cannot make whole is written out beside its text."""
    classes = classes or {}
    html = []
    for run in parts:
        if isinstance(run, Text):
            html.append(escape(run.text))
            continue
        url = absolute(run.url, base_url)
        if url.startswith("/") and not site_links:
            html.append(escape(f"{run.text} ({url})"))
        else:
            html.append(Markup('<a href="{}"{}>{}</a>').format(url, _attr("a", classes), run.text))
    return Markup("").join(html)


def to_html(
    text: str,
    *,
    heading_level: int = 3,
    base_url: str | None = None,
    site_links: bool = True,
    govuk: bool = False,
) -> Markup:
    """The narrative as HTML, every character of it escaped; headings at ``heading_level``
    (h3 inside a chapter whose title is h2); with ``govuk``, the Design System's classes."""
    classes = GOVUK_CLASSES if govuk else {}
    html: list[Markup] = []

    def inline(parts: tuple[Run, ...]) -> Markup:
        return runs_html(parts, base_url, site_links=site_links, classes=classes)

    for block in parse(text):
        if isinstance(block, Heading):
            html.append(Markup("<h{0}{1}>{2}</h{0}>").format(heading_level, _attr("h", classes), inline(block.runs)))
        elif isinstance(block, Paragraph):
            html.append(Markup("<p{}>{}</p>").format(_attr("p", classes), inline(block.runs)))
        else:
            lis = Markup("").join(Markup("<li>{}</li>").format(inline(item)) for item in block.items)
            if isinstance(block, BulletList):
                html.append(Markup("<ul{}>{}</ul>").format(_attr("ul", classes), lis))
            elif block.start != 1:
                html.append(Markup('<ol{} start="{}">{}</ol>').format(_attr("ol", classes), block.start, lis))
            else:
                html.append(Markup("<ol{}>{}</ol>").format(_attr("ol", classes), lis))
    return Markup("\n").join(html)
