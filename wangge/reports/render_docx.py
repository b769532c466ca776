"""Render a :class:`~wangge.reports.document.Document` as Word (.docx) with python-docx."""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from wangge.reports.document import (
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    cell_text,
)

# Fonts Word substitutes sensibly on Chinese systems; nothing is embedded.
LATIN_FONT = "Times New Roman"
EAST_ASIAN_FONT = "宋体"
TITLE_FONT = "黑体"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _fonts(style_or_run: object, east_asian: str, size: float | None = None) -> None:
    font = style_or_run.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    element = style_or_run.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def to_docx(doc: Document) -> bytes:
    out = DocxDocument()
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = section.bottom_margin = Mm(20)
    usable = Mm(170)

    _fonts(out.styles["Normal"], EAST_ASIAN_FONT, 11)
    for level in (1, 2, 3):
        _fonts(out.styles[f"Heading {level}"], TITLE_FONT)
    _fonts(out.styles["Title"], TITLE_FONT, 20)

    out.core_properties.title = doc.title
    title = out.add_paragraph(doc.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.subtitle:
        sub = out.add_paragraph(doc.subtitle)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for block in doc.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        elif isinstance(block, PageBreak):
            out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Table):
            _table(out, block, usable)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _table(out: DocxDocument, block: Table, usable: int) -> None:  # type: ignore[valid-type]
    table = out.add_table(rows=1, cols=len(block.columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [int(usable * w) for w in block.relative_widths()]
    header = table.rows[0]
    _repeat_header(header)
    for cell, text, width in zip(header.cells, block.columns, widths, strict=True):
        cell.width = width
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
    aligns = [ALIGN[a] for a in block.alignments()]
    for cell in header.cells:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in block.rows:
        cells = table.add_row().cells
        for cell, value, width, align in zip(cells, values, widths, aligns, strict=True):
            cell.width = width
            cell.text = cell_text(value)
            cell.paragraphs[0].alignment = align
    if block.note:
        note = out.add_paragraph()  # type: ignore[attr-defined]
        run = note.add_run(block.note)
        run.font.size = Pt(9)
