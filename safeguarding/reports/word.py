"""The annual report as a Word document: real headings (Heading 1 for chapters, so
Word's navigation pane lists them), list styles, tables with repeating header rows, and
each chart as a picture with its text alternative, followed by its data.

python-docx takes a third of a second to load, so callers import this module only when
a Word file is made."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from safeguarding.reports import layout, markup
from safeguarding.reports.layout import is_numeric
from safeguarding.reports.outputs import (
    SUPPRESSION_NOTE,
    Chapter,
    SetTable,
    base_url,
    chapters,
    display,
    document_title,
    published_on,
    set_table,
    signed_on,
    year_before,
)

TEXT_WIDTH_MM = 170  # A4 less 20 mm margins
TABLE_TEXT = "Table text"
SETTINGS_AFTER = [
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
]


def report_docx(content: dict) -> bytes:
    """Real headings (Heading 1 for chapters, so Word's navigation pane lists them), list
    styles, tables with repeating header rows, and each chart as a picture with its text
    alternative, followed by its data."""

    base = base_url(content)
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    _set_language(normal.element.get_or_add_rPr(), "en-GB")
    properties = document.core_properties
    properties.title = document_title(content)
    properties.author = content["partnership"]
    properties.subject = f"Annual report {content['year']}, {content['window']['label']}"
    properties.language = "en-GB"
    _footer(document, content["partnership"])
    table_text = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(0)

    document.add_paragraph(content["partnership"], style="Subtitle")
    document.add_paragraph(f"Annual report {content['year']}", style="Title")
    document.add_paragraph(content["window"]["label"])
    when = published_on(content)
    document.add_paragraph(f"Published {when}" if when else "Draft: not yet published")

    contents = document.add_paragraph("Contents", style="TOC Heading")
    contents.paragraph_format.page_break_before = True
    _table_of_contents(document)

    last_year = year_before(content["year"])
    for chapter in chapters(content):
        heading = document.add_heading(chapter.title, level=1)
        heading.paragraph_format.page_break_before = True
        _narrative(document, chapter, base, published=bool(when))
        section = chapter.section
        if section.unavailable:
            document.add_paragraph(section.unavailable, style="Intense Quote")
        if section.figures:
            document.add_heading("Figures", level=2)
            _table(
                document,
                ["Figure", content["year"], last_year],
                [[f.label, display(f.value, f.unit), display(f.previous, f.unit)] for f in section.figures],
            )
        for table in section.tables:
            _set_table(document, set_table(table.caption, table.columns, table.rows, layout.DOCX_WIDTH_MM))
        for chart in section.charts:
            document.add_heading(chart.title, level=3)
            _chart(document, chart.svg, chart.alt_text)
            data = set_table(f"The data in the chart: {chart.title}", chart.columns, chart.rows, layout.DOCX_WIDTH_MM)
            _set_table(document, data, caption_style="Caption")
        if chapter.suppressed:
            document.add_paragraph(SUPPRESSION_NOTE, style="Caption")

    heading = document.add_heading("Signed on behalf of the safeguarding partners", level=1)
    heading.paragraph_format.page_break_before = True
    if content.get("sign_offs"):
        _table(
            document,
            ["Organisation", "Signed by", "Date"],
            [[s["organisation"], s["name"], signed_on(s["signed_on"])] for s in content["sign_offs"]],
        )
    else:
        document.add_paragraph("Not yet signed off by the partners.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _narrative(document, chapter: Chapter, base: str | None, *, published: bool) -> None:
    blocks = markup.parse(chapter.narrative)
    if not blocks and not published:
        document.add_paragraph(f"Not written yet. This chapter should cover: {chapter.guidance}", style="Quote")
    for block in blocks:
        if isinstance(block, markup.Heading):
            _runs(document.add_heading(level=2), block.runs, base)
        elif isinstance(block, markup.Paragraph):
            _runs(document.add_paragraph(), block.runs, base)
        elif isinstance(block, markup.BulletList):
            for item in block.items:
                _runs(document.add_paragraph(style="List Bullet"), item, base)
        else:
            num_id = _new_numbering(document, block.start)
            for item in block.items:
                paragraph = document.add_paragraph(style="List Number")
                paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
                _runs(paragraph, item, base)


def _runs(paragraph, runs: tuple[markup.Run, ...], base: str | None) -> None:
    for run in runs:
        if isinstance(run, markup.Link):
            url = markup.absolute(run.url, base)
            if url.startswith("/"):  # a site path with nowhere to point it: the reader gets both
                paragraph.add_run(f"{run.text} ({url})")
            else:
                _hyperlink(paragraph, run.text, url)
        else:
            paragraph.add_run(run.text)


def _hyperlink(paragraph, text: str, url: str) -> None:

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for tag, attrs in (("w:color", {"w:val": "1D70B8"}), ("w:u", {"w:val": "single"})):
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        properties.append(element)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(properties)
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _new_numbering(document, start: int) -> int:
    """Each numbered list starts again (at its own first number), rather than carrying on
    from the list before, as paragraphs sharing the List Number style otherwise would."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def _set_table(document, table: SetTable, *, caption_style: str | None = None) -> None:
    """A table as ``layout`` sets it: at its columns' widths, on landscape pages of its
    own (a section each side), or as a block per row (each a two-column table, headed by
    the row's label)."""
    wide = table.layout.kind == layout.LANDSCAPE
    if wide:
        _orientation(document, landscape=True)
    if caption_style:
        document.add_paragraph(table.caption, style=caption_style)
    else:
        document.add_heading(table.caption, level=3)
    if table.layout.kind == layout.BLOCKS:
        widths = table.layout.widths_mm(layout.DOCX_WIDTH_MM[layout.PORTRAIT])
        for label, pairs in table.blocks():
            pairs_ = [list(pair) for pair in pairs]
            _table(document, [table.columns[0], label], pairs_, widths=widths, numeric=[False, False])
    else:
        widths = table.layout.widths_mm(layout.DOCX_WIDTH_MM[table.layout.kind])
        _table(document, table.columns, table.rows, widths=widths, numeric=table.numeric)
    if wide:
        _orientation(document, landscape=False)


def _orientation(document, *, landscape: bool) -> None:
    """A new section, on a new page, A4 the chosen way round (the footer carries on)."""

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))


def _table(
    document,
    columns: list[str],
    rows: list[list[str]],
    *,
    widths: list[float] | None = None,
    numeric: list[bool] | None = None,
) -> None:
    """A table at the given column widths (mm; by default the first column, the labels,
    takes the room the numbers do not need), headings over numbers to the right, cell
    margins of 1 mm as the widths assume; a short one is kept on one page (each row keeps
    with the next)."""

    table = document.add_table(rows=1, cols=len(columns), style="Table Grid")
    table.autofit = False
    numeric = numeric if numeric is not None else [index > 0 for index in range(len(columns))]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats, and marks the header row
    for cell_, column, over_numbers in zip(header.cells, columns, numeric, strict=True):
        cell_.text = ""
        cell_.paragraphs[0].add_run(str(column)).bold = True
        if over_numbers:
            cell_.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in rows:
        cells = table.add_row().cells
        for cell_, value in zip(cells, row, strict=False):
            cell_.text = value
            if is_numeric(value):
                cell_.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths is None:
        other = min(30.0, (TEXT_WIDTH_MM - 60) / max(len(columns) - 1, 1))
        widths = [TEXT_WIDTH_MM - other * (len(columns) - 1)] + [other] * (len(columns) - 1)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads; Word reads each cell's
    keep = len(rows) <= 14
    text_style = document.styles[TABLE_TEXT]
    for index, row in enumerate(table.rows):
        for cell_, width in zip(row.cells, widths, strict=True):
            cell_.width = Mm(width)
            cell_.paragraphs[0].style = text_style
            if keep and index < len(table.rows) - 1:
                cell_.paragraphs[0].paragraph_format.keep_with_next = True
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(layout.CELL_PADDING_MM / 2 / 25.4 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "1")
        look.addprevious(margins)  # the schema's order: tblCellMar before tblLook
    else:
        properties.append(margins)
    document.add_paragraph()


def _chart(document, svg: str, alt_text: str) -> None:
    import vl_convert  # the chart renderer is slow to load: only when a chart is drawn

    png = vl_convert.svg_to_png(svg, scale=2)
    width_mm = min(_svg_width_px(svg) * 25.4 / 96, TEXT_WIDTH_MM)
    shape = document.add_picture(io.BytesIO(png), width=Mm(width_mm))
    shape._inline.docPr.set("descr", alt_text)


def _svg_width_px(svg: str) -> float:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)', svg)
    return float(match.group(1)) if match else 600.0


def _footer(document, partnership: str) -> None:

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{partnership}    Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table_of_contents(document) -> None:
    """A TOC field over Heading 1 and 2, which Word fills in when it opens the file (it
    asks first: updateFields)."""

    paragraph = document.add_paragraph()
    parts = [("begin", None), (None, r'TOC \o "1-2" \h \z \u'), ("separate", None), (None, None), ("end", None)]
    for kind, instruction in parts:
        run = OxmlElement("w:r")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        elif instruction:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            run.append(text)
        else:
            text = OxmlElement("w:t")
            text.text = "The contents appear when Word updates this field (F9)."
            run.append(text)
        paragraph._p.append(run)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = document.settings.element
    # Word refuses a settings part out of the schema's order: updateFields goes before these.
    later = next((child for child in settings if child.tag in {qn(f"w:{name}") for name in SETTINGS_AFTER}), None)
    if later is not None:
        later.addprevious(update)
    else:
        settings.append(update)


def _set_language(run_properties, language: str) -> None:

    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    run_properties.append(lang)
