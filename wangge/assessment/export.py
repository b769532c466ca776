"""Excel export of a ranking table: one row per subject, one column per item; each computed
column's header cell carries the formula and the curve as a comment (wangge.core.xlsx)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wangge.assessment.models import IndicatorKind
from wangge.assessment.selectors import RankingTable
from wangge.core.xlsx import DECIMAL_2, Column, Sheet, to_xlsx


def ranking_sheet(table: RankingTable) -> Sheet:
    status = _("published") if table.published else _("draft")
    heading = f"{table.scheme_name} {table.period} v{table.version} ({status})"
    if table.reason:
        heading += " · " + _("Correction: %(reason)s") % {"reason": table.reason}
    columns = [Column(_("Rank")), Column(_("Name"), width=18)]
    for c in table.columns:
        note = c.formula
        if c.formula and c.kind == IndicatorKind.MANUAL:
            note = _("Scored by the assessment group. %(text)s") % {"text": c.formula}
        columns.append(
            Column(f"{c.name} ({c.max_points.normalize():f})", note=note, number_format=DECIMAL_2)
        )
    columns.append(Column(_("Total"), note=_("Sum of the items' points."), number_format=DECIMAL_2))
    rows = []
    for row in table.rows:
        points = {i.code: i.points for i in row.items}
        rows.append([row.rank, row.name, *(points.get(c.code) for c in table.columns), row.total])
    return Sheet(table.period, columns, rows, heading=heading)


def ranking_workbook(table: RankingTable) -> bytes:
    return to_xlsx([ranking_sheet(table)])
