"""The reports read the assessment's rankings through ``wangge.reports.ranking``; these tests
feed that adapter a hand-made month instead of running an assessment, so that every figure in
a bulletin is known in advance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from wangge.core.errors import NotFound
from wangge.reports import ranking as ranking_module


@dataclass
class FakeItem:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    value: Any = None
    remarks: str = ""


@dataclass
class FakeRow:
    subject_id: int
    name: str
    total: Decimal
    rank: int
    items: list[Any] = field(default_factory=list)


@dataclass
class FakeTable:
    period: str
    scheme: str
    version: int
    published: bool
    published_at: dt.datetime | None
    reason: str
    rows: list[FakeRow]


def community_table(period: str, *, published: bool = True, version: int = 1) -> FakeTable:
    rows = [
        FakeRow(1, "吴家营社区", Decimal("96.50"), 1, [
            FakeItem("A", "管理体制", Decimal("10"), Decimal("10")),
            FakeItem("B", "案件处置", Decimal("64.50"), Decimal("67"), remarks="超期案件2件"),
            FakeItem("C", "重点案件督办机制", Decimal("14"), Decimal("15")),
            FakeItem("D", "城市运行体系建设", Decimal("8"), Decimal("8")),
        ]),
        FakeRow(2, "洛龙社区", Decimal("88.25"), 2, [
            FakeItem("A", "管理体制", Decimal("9"), Decimal("10"), remarks="例会缺席1次"),
            FakeItem("B", "案件处置", Decimal("60.25"), Decimal("67")),
            FakeItem("C", "重点案件督办机制", Decimal("12"), Decimal("15")),
            FakeItem("D", "城市运行体系建设", Decimal("7"), Decimal("8")),
        ]),
    ]  # fmt: skip
    return FakeTable(
        period,
        "社区月度考核",
        version,
        published,
        dt.datetime(2026, 11, 3, 2, tzinfo=dt.UTC) if published else None,
        "案件补录" if version > 1 else "",
        rows,
    )


STAFF = {
    "supervisor": [("监督员乙", "98"), ("监督员戊", "91.5")],
    "enforcer": [("执法队员己", "95")],
    "sanitation": [("环卫工丙", "90"), ("环卫工庚", "90")],  # a tie
    "police": [("民警辛", "99")],
    "community_worker": [("社工壬", "93")],
}


def staff_table(period: str, role: str, *, published: bool = True) -> FakeTable:
    rows = []
    for n, (name, total) in enumerate(STAFF[role]):
        rank = 1 if role == "sanitation" else n + 1
        rows.append(
            FakeRow(
                100 + n,
                name,
                Decimal(total),
                rank,
                # tuples are accepted too: (code, name, points, max_points, value, remarks)
                [
                    ("duty", "在岗在线", Decimal(total) - 50, Decimal("50"), None, ""),
                    ("report", "有效上报", Decimal("50"), Decimal("50"), 31, ""),
                ],
            )
        )
    return FakeTable(period, f"{role}月度考核", 1, published, None, "", rows)


class FakeAssessment:
    """Stands in for ``wangge.assessment.selectors.ranking``: the months it knows and whether
    they are published."""

    def __init__(self) -> None:
        self.months: dict[str, bool] = {}
        self.calls: list[tuple[str, str, str | None]] = []

    def ranking(self, period: str, subject: str, role: str | None = None) -> FakeTable:
        self.calls.append((period, subject, role))
        if period not in self.months:
            raise NotFound(f"no assessment run for {period}")
        published = self.months[period]
        if subject == "community":
            return community_table(period, published=published)
        assert subject == "staff" and role is not None
        return staff_table(period, role, published=published)


@pytest.fixture
def assessment(monkeypatch: pytest.MonkeyPatch) -> FakeAssessment:
    fake = FakeAssessment()
    monkeypatch.setattr(ranking_module, "_assessment_ranking", lambda: fake.ranking)
    return fake


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
