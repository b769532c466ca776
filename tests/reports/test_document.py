"""The document model and its two renderers: Word and PDF that open and read back."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document as read_docx

from tests.reports.pdf_text import docx_text, pdf_pages
from wangge.core.errors import DomainError
from wangge.reports.document import Document, Heading, PageBreak, Paragraph, Table, write
from wangge.reports.render_docx import to_docx
from wangge.reports.render_pdf import to_pdf


def sample(rows: int = 3) -> Document:
    return Document(
        title="洛龙街道网格化管理工作通报",
        subtitle="（测试）",
        blocks=[
            Heading(1, "一、社区考核排名"),
            Paragraph("现将考核情况通报如下。" * 20),  # long enough to wrap
            Table(
                columns=["名次", "社区", "总分"],
                rows=[[i + 1, f"吴家营社区{i}", Decimal("96.50")] for i in range(rows)],
                widths=[1, 3, 1],
                note="考核方案：社区月度考核",
            ),
            PageBreak(),
            Heading(2, "（一）网格监督员"),
            Paragraph("第二页"),
        ],
    )


def test_docx_reads_back_with_its_title_paragraphs_and_table():
    paragraphs, tables = docx_text(to_docx(sample()))
    assert paragraphs[0] == "洛龙街道网格化管理工作通报"
    assert "一、社区考核排名" in paragraphs
    assert "第二页" in paragraphs
    assert tables[0][0] == ["名次", "社区", "总分"]
    assert tables[0][1] == ["1", "吴家营社区0", "96.50"]


def test_docx_header_row_repeats_on_every_page():
    doc = read_docx(io.BytesIO(to_docx(sample())))
    header = doc.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")


def test_pdf_gives_back_the_chinese_title_and_a_table_cell():
    pages = pdf_pages(to_pdf(sample()))
    assert "洛龙街道网格化管理工作通报" in pages[0]
    assert "吴家营社区0" in pages[0]
    assert "96.50" in pages[0]
    assert "第二页" in pages[1]  # the page break


def test_pdf_long_table_repeats_its_header_on_the_next_page():
    pages = pdf_pages(to_pdf(sample(rows=80)))
    table_pages = [p for p in pages if "吴家营社区" in p]
    assert len(table_pages) >= 2
    assert all("名次" in p and "总分" in p for p in table_pages)
    assert "吴家营社区79" in "".join(pages)


def test_pdf_is_a4():
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(to_pdf(sample()))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_write_picks_the_format_by_extension(tmp_path):
    write(sample(), tmp_path / "a.docx")
    write(sample(), tmp_path / "a.PDF")
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "a.PDF").read_bytes()[:5] == b"%PDF-"


def test_write_refuses_another_extension(tmp_path):
    with pytest.raises(DomainError, match=r"'a\.odt' does not end in \.docx or \.pdf"):
        write(sample(), tmp_path / "a.odt")
    assert not (tmp_path / "a.odt").exists()


def test_a_table_row_must_have_one_cell_per_column():
    with pytest.raises(DomainError, match="row 2 of the table has 1 cells but the table has 2"):
        Table(columns=["a", "b"], rows=[["1", "2"], ["3"]])


def test_widths_are_one_positive_number_per_column():
    with pytest.raises(DomainError, match="2 positive numbers"):
        Table(columns=["a", "b"], rows=[], widths=[1])


def test_heading_levels():
    with pytest.raises(DomainError, match="1, 2 or 3"):
        Heading(4, "x")


def test_alignment_is_one_of_three_per_column():
    with pytest.raises(DomainError, match="left, center or right"):
        Table(columns=["a", "b"], rows=[], align=["left", "middle"])


def test_docx_cells_keep_their_alignment():
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = Table(columns=["a", "b"], rows=[["1", "2"]], align=["left", "right"])
    doc = read_docx(io.BytesIO(to_docx(Document("t", blocks=[table]))))
    cells = doc.tables[0].rows[1].cells
    assert cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
