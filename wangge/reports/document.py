"""A small document model shared by the reports: the monthly bulletin (通报) now, the annual
self-evaluation report later.

A :class:`Document` is a title, an optional subtitle and a list of blocks (:class:`Heading`,
:class:`Paragraph`, :class:`Table`, :class:`PageBreak`). It knows nothing of file formats:
:func:`wangge.reports.render_docx.to_docx` and :func:`wangge.reports.render_pdf.to_pdf` turn it
into bytes, and :func:`write` picks the renderer by the file name's extension.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from wangge.core.errors import DomainError

Cell = str | int | Decimal | None
ALIGNMENTS = ("left", "center", "right")


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the top level under the title (一、…), 2 and 3 below it."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise DomainError(f"a heading level is 1, 2 or 3, not {self.level}", field="level")


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """A table with a header row. ``widths`` are relative column widths (any positive numbers,
    one per column; equal when absent); ``align`` is "left", "center" or "right" per column (all
    left when absent); ``note`` is printed under the table in small type."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float] | None = None
    note: str = ""
    align: Sequence[str] | None = None

    def __post_init__(self) -> None:
        n = len(self.columns)
        if n == 0:
            raise DomainError("a table needs at least one column", field="columns")
        for i, row in enumerate(self.rows, start=1):
            if len(row) != n:
                raise DomainError(
                    f"row {i} of the table has {len(row)} cells but the table has {n} columns",
                    field="rows",
                )
        if self.widths is not None and (len(self.widths) != n or any(w <= 0 for w in self.widths)):
            raise DomainError(
                f"a table's widths are {n} positive numbers, one per column", field="widths"
            )

        if self.align is not None and (
            len(self.align) != n or any(a not in ALIGNMENTS for a in self.align)
        ):
            raise DomainError(
                f"a table's align is {n} of left, center or right, one per column", field="align"
            )

    def alignments(self) -> list[str]:
        return list(self.align) if self.align is not None else ["left"] * len(self.columns)

    def relative_widths(self) -> list[float]:
        """The column widths as fractions adding up to 1."""
        ws = list(self.widths) if self.widths is not None else [1.0] * len(self.columns)
        total = sum(ws)
        return [w / total for w in ws]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def cell_text(value: Cell) -> str:
    """How a cell prints: empty for None, Decimals without a trailing exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


FORMATS = (".docx", ".pdf")


def render(doc: Document, fmt: str) -> bytes:
    """The document as ``docx`` or ``pdf`` bytes."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "docx":
        from wangge.reports.render_docx import to_docx

        return to_docx(doc)
    if fmt == "pdf":
        from wangge.reports.render_pdf import to_pdf

        return to_pdf(doc)
    raise DomainError(
        f"cannot write a document as {fmt!r}: use .docx (Word) or .pdf", field="format"
    )


def write(doc: Document, path: str | Path) -> Path:
    """Write the document to ``path``, as Word (.docx) or PDF (.pdf) by the extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DomainError(
            f"{path.name!r} does not end in .docx or .pdf: name the file so that its"
            " extension says which format to write",
            field="output",
        )
    data = render(doc, suffix)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DomainError(f"cannot write {path}: {exc.strerror}", field="output") from None
    return path
