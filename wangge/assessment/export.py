"""Excel export of a ranking table: one row per subject, one column per item; each computed
column's header cell carries the formula and the curve as a comment (openpyxl)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from wangge.assessment.models import IndicatorKind
from wangge.assessment.selectors import RankingTable


def ranking_workbook(table: RankingTable) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.period
    status = _("published") if table.published else _("draft")
    sheet.append([f"{table.scheme_name} {table.period} v{table.version} ({status})"])
    if table.reason:
        sheet.append([_("Correction: %(reason)s") % {"reason": table.reason}])
    sheet.append([])
    header = [_("Rank"), _("Name")]
    header += [f"{c.name} ({c.max_points.normalize():f})" for c in table.columns]
    header.append(_("Total"))
    sheet.append(header)
    row_index = sheet.max_row
    for n, column in enumerate(table.columns, start=3):
        cell = sheet.cell(row=row_index, column=n)
        if column.formula:
            note = column.formula
            if column.kind == IndicatorKind.MANUAL:
                note = _("Scored by the assessment group. %(text)s") % {"text": column.formula}
            cell.comment = Comment(note, "wangge", width=320, height=140)
    total_cell = sheet.cell(row=row_index, column=len(header))
    total_cell.comment = Comment(_("Sum of the items' points."), "wangge")
    for cell in sheet[row_index]:
        cell.font = Font(bold=True)
    for row in table.rows:
        points = {i.code: i.points for i in row.items}
        sheet.append(
            [row.rank, row.name] + [points.get(c.code) for c in table.columns] + [row.total]
        )
    sheet.column_dimensions["B"].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()
