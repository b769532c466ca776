"""Render a :class:`~wangge.reports.document.Document` as PDF (A4) with reportlab.

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe's Song, not embedded: PDF
viewers supply it or a substitute), so no font file ships with the project. Text wraps at any
character (``wordWrap="CJK"``); tables repeat their header row on every page they run over.
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from wangge.reports.document import (
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    cell_text,
)

FONT = "STSong-Light"
MARGIN = 20 * mm


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, spaceAfter=12),
        "h1": ParagraphStyle(
            "h1", parent=base, keepWithNext=1, fontSize=14, leading=21, spaceBefore=10, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            keepWithNext=1,
            fontSize=12.5,
            leading=19,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            keepWithNext=1,
            fontSize=11.5,
            leading=17,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "body": ParagraphStyle("p", parent=base, firstLineIndent=22, spaceAfter=4),
        "cell-left": ParagraphStyle("cell-left", parent=base, fontSize=9.5, leading=13),
        "cell-center": ParagraphStyle(
            "cell-center", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER
        ),
        "cell-right": ParagraphStyle(
            "cell-right", parent=base, fontSize=9.5, leading=13, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle("head", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "note": ParagraphStyle(
            "note",
            parent=base,
            fontSize=8.5,
            leading=12,
            spaceBefore=2,
            textColor=colors.HexColor("#444444"),
        ),
    }


def _p(text: str, style: str) -> PdfParagraph:
    return PdfParagraph(escape(text).replace("\n", "<br/>"), _styles()[style])


def _table(block: Table, width: float) -> list[Flowable]:
    data = [[_p(str(c), "head") for c in block.columns]]
    styles = [f"cell-{a}" for a in block.alignments()]
    data += [
        [_p(cell_text(v), style) for v, style in zip(row, styles, strict=True)]
        for row in block.rows
    ]
    table = PdfTable(data, colWidths=[width * w for w in block.relative_widths()], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out: list[Flowable] = [table]
    if block.note:
        out.append(_p(block.note, "note"))
    out.append(Spacer(1, 4 * mm))
    return out


def to_pdf(doc: Document) -> bytes:
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=doc.title,
        creator="wangge",
    )
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = [_p(doc.title, "title")]
    if doc.subtitle:
        story.append(_p(doc.subtitle, "subtitle"))
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(_p(block.text, f"h{block.level}"))
        elif isinstance(block, Paragraph):
            story.append(_p(block.text, "body"))
        elif isinstance(block, PageBreak):
            story.append(PdfPageBreak())
        elif isinstance(block, Table):
            story.extend(_table(block, width))
    template.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()


def _footer(canvas: object, doc: object) -> None:
    c = canvas
    c.saveState()  # type: ignore[attr-defined]
    c.setFont(_font(), 9)  # type: ignore[attr-defined]
    c.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")  # type: ignore[attr-defined]
    c.restoreState()  # type: ignore[attr-defined]
