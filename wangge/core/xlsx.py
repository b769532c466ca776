"""Excel (.xlsx) export of a page's tables: the one helper every app's export view uses.

A workbook is a list of ``Sheet``: a title, its ``Column`` list and its rows (sequences of
plain values in column order). Each sheet gets an optional heading line, a bold header row
that stays frozen when scrolling, an auto filter over the table, and on each header cell that
has a ``note`` an Excel comment with the column's definition — for a computed column its
formula, taken from where the page's figures come from (e.g. ``wangge.cases.rates.DEFINITIONS``).

Values are written as Excel values, not text: ``Decimal`` as a number, a timezone-aware
datetime as the local (settings.TIME_ZONE) date and time to the second, a date as a date, a
lazy translation as its text. A rate (0..1) is a number shown as a percentage when its column has
``number_format=PERCENT``.

    return workbook_response("linkage-2024-05.xlsx", [Sheet(_("Calls"), columns, rows)])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (Excel's codes) for Column.number_format.
PERCENT = "0.00%"
INTEGER = "0"
DECIMAL_1 = "0.0"
DECIMAL_2 = "0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
DATETIME_SECONDS = "yyyy-mm-dd hh:mm:ss"

COMMENT_AUTHOR = "wangge"
MIN_WIDTH = 8
MAX_WIDTH = 50
SHEET_TITLE_MAX = 31  # Excel's limit
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column: its header text, the note shown as the header cell's comment (the formula
    of a computed column), its width in characters (from the title when None) and the Excel
    number format of its cells (e.g. ``PERCENT``)."""

    title: str
    note: str = ""
    width: int | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``rows`` are sequences of values in the order of ``columns``;
    ``heading`` (e.g. the territory and month) goes on the first line above the header."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    heading: str = ""


def cell_value(value: Any) -> Any:
    """A Python value as Excel stores it (numbers, local naive datetimes, dates, text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value.replace(microsecond=0)  # whole seconds: Excel keeps milliseconds only
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400  # Excel durations are days
    return str(value)  # lazy translations, choices' labels, model instances


def _text_width(text: str) -> int:
    """Display width: a CJK character takes about two Latin ones."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def sheet_title(title: str, taken: set[str]) -> str:
    """``title`` as Excel allows it (31 characters, none of []:*?/\\), unique in the book."""
    base = _BAD_TITLE.sub("-", title).strip() or "Sheet"
    base = base[:SHEET_TITLE_MAX]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _write(book: Workbook, sheet: Sheet, taken: set[str]) -> None:
    """One sheet, written row by row (a write-only workbook: the rows may be a generator
    over a large queryset and are never all in memory as cells)."""
    ws = book.create_sheet(sheet_title(str(sheet.title), taken))
    bold = Font(bold=True)
    for n, column in enumerate(sheet.columns, start=1):
        width = column.width or _text_width(str(column.title)) + 4
        ws.column_dimensions[get_column_letter(n)].width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    header_row = 3 if sheet.heading else 1
    if sheet.columns:  # before the first row: the sheet's view is written with it
        ws.freeze_panes = f"A{header_row + 1}"
    if sheet.heading:
        heading = WriteOnlyCell(ws, value=str(sheet.heading))
        heading.font = bold
        ws.append([heading])
        ws.append([])
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=str(column.title))
        cell.font = bold
        if column.note:
            cell.comment = Comment(str(column.note), COMMENT_AUTHOR, width=320, height=140)
        header.append(cell)
    ws.append(header)
    formats = [c.number_format for c in sheet.columns]
    last_row = header_row
    for values in sheet.rows:
        last_row += 1
        ws.append([_cell(ws, value, formats, n) for n, value in enumerate(values)])
    if sheet.columns:
        last_column = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"


def _cell(ws: Any, value: Any, formats: list[str | None], index: int) -> Any:
    """The value, or a cell carrying its number format when it needs one."""
    value = cell_value(value)
    if value is None:
        return None
    fmt = formats[index] if index < len(formats) else None
    if fmt is None:
        if isinstance(value, dt.datetime):
            fmt = DATETIME
        elif isinstance(value, dt.date):
            fmt = DATE
        else:
            return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of these sheets, as the bytes of an .xlsx file."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        _write(book, sheet, taken)
    if not sheets:
        book.create_sheet("Sheet")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of the workbook; ``filename`` may hold Chinese (RFC 6266 filename*)."""
    response = HttpResponse(to_xlsx(sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
