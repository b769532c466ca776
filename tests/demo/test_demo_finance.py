"""The demo's money (issue 6, "Done when"): the 2019 report reproduces the seed's figures, its
performance figures are the rates module's, a locked wage sheet refuses changes, and the 2019
hand-overs moved equipment with a log entry.

One test builds a small demo once (the organisation, the equipment, a few cases, the money) and
checks each property in turn.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.reports.pdf_text import docx_text, pdf_pages
from wangge.cases import rates
from wangge.cases.selectors import cases_visible
from wangge.core.errors import DomainError
from wangge.demo import data
from wangge.demo.builder import build
from wangge.demo.cases import generate_cases
from wangge.demo.equipment import build_equipment
from wangge.demo.finance import build_finance
from wangge.field.handover.models import HandoverItem
from wangge.finance import payroll
from wangge.finance.models import BudgetProject, PayrollStatus
from wangge.org.models import Subdistrict
from wangge.org.territory import Territory
from wangge.reports.document import Paragraph, Table
from wangge.reports.render_docx import to_docx
from wangge.reports.render_pdf import to_pdf
from wangge.reports.self_evaluation import self_evaluation

pytestmark = pytest.mark.django_db

VOLUMES = {"2018": 40, "2019": 60, "recent": 20}


def test_the_2019_demo_report_reproduces_the_seed():
    build()
    build_equipment(timezone.now())
    generate_cases(volumes=VOLUMES)
    line = build_finance(timezone.now())
    assert "625,300.00 yuan, 12 wage sheets locked" in line
    sub = Subdistrict.objects.get(name=data.SUBDISTRICT_NAME)
    doc = self_evaluation(sub, 2019)
    _money_staff_and_equipment_are_the_seeds(doc)
    _performance_figures_are_the_rates_modules(doc, sub)
    _it_opens_as_word_and_as_pdf(doc)
    _a_locked_wage_sheet_refuses_changes()
    _the_2019_hand_overs_moved_equipment_with_a_log_entry()
    assert build_finance(timezone.now()) == "finance: already loaded, skipped"


def _text(doc) -> str:
    parts = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(str(c) for row in block.rows for c in row)
    return "\n".join(parts)


def _money_staff_and_equipment_are_the_seeds(doc) -> None:
    text = _text(doc)
    assert "经费62.53万元" in text
    assert "年初预算的人员工资59.75万元的基础上，另有2.78万元财政调节经费" in text
    assert "按月、及时发放了20名网格员工资" in text
    assert "新招录网格员2名" in text
    assert "电脑7台；电瓶车2辆；电动摩托车10辆；处置通30台" in text
    assert "将基础网格划为15个" in text


def _performance_figures_are_the_rates_modules(doc, sub) -> None:
    cases = cases_visible(Territory(subdistrict_ids=frozenset({sub.pk})))
    this = rates.figures(cases, rates.Period.year(2019))
    last = rates.figures(cases, rates.Period.year(2018))
    assert this.to_close > 0 and last.to_close > 0  # the demo has cases in both years
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == "指标")
    rows = {row[0]: row[1:] for row in table.rows}

    def pct(value: Decimal | None) -> str:
        assert value is not None
        return f"{value * 100:.2f}%"

    assert rows["结案率"] == [pct(last.closure_rate), pct(this.closure_rate)]
    assert rows["按期结案率"] == [pct(last.on_time_rate), pct(this.on_time_rate)]
    assert rows["应结案数"] == [str(last.to_close), str(this.to_close)]


def _it_opens_as_word_and_as_pdf(doc) -> None:
    paragraphs, _tables = docx_text(to_docx(doc))
    assert any("62.53万元" in p for p in paragraphs)
    first = pdf_pages(to_pdf(doc))[0]
    assert "洛龙街道" in first and "绩效自评报告" in first


def _a_locked_wage_sheet_refuses_changes() -> None:
    project = BudgetProject.objects.get(year=2019)
    sheet = project.payrolls.get(month="2019-05")
    assert sheet.status == PayrollStatus.LOCKED and sheet.expenditure is not None
    line = sheet.lines.first()
    assert line is not None
    before = (line.deductions, line.base)
    with pytest.raises(DomainError) as err:
        payroll.line_update(line, by_user=None, deductions="100", deduction_note="迟到")
    assert "locked" in err.value.message
    line.refresh_from_db()
    assert (line.deductions, line.base) == before
    with pytest.raises(DomainError):
        payroll.payroll_draft(project, "2019-05", by_user=None)


def _the_2019_hand_overs_moved_equipment_with_a_log_entry() -> None:
    moved = HandoverItem.objects.filter(kind="equipment", handover__at__year=2019)
    assert moved.count() >= 2  # the leaving supervisor's and community worker's kit
    for item in moved.select_related("handover"):
        assert item.handover.successor_id is not None
        assert item.handover.at.date() > dt.date(2019, 4, 1)
