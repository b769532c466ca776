"""The category taxonomy: the shipped default, CSV import/export, pinyin search, the command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.cli.conftest import wangge
from tests.factories import DistrictFactory
from wangge.cases.models import Category
from wangge.cases.taxonomy import (
    COLUMNS,
    DEFAULT_FILE,
    TaxonomyImportError,
    categories_export,
    categories_import,
    category_search,
)
from wangge.core.models import AuditEntry
from wangge.org.models import HandlingUnit

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    fields = [f.name for f in Category._meta.fields if f.name not in ("id", "created_at")]
    return list(Category.objects.order_by("code").values_list(*fields))


def default_rows() -> list[dict[str, str]]:
    with DEFAULT_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@pytest.fixture
def units() -> list[HandlingUnit]:
    """The district departments the shipped taxonomy dispatches to (names as in the demo)."""
    district = DistrictFactory()
    names = sorted({r["default_unit_name"] for r in default_rows()} - {""})
    return [HandlingUnit.objects.create(level="district", name=n, district=district) for n in names]


def new_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        code="LE9801",
        kind="event",
        major_code="05",
        major_name="街面秩序",
        name="占道洗车",
        official="no",
        time_limit="4",
        time_unit="working_hours",
        urgency="normal",
        default_target="unit",
        default_unit_name="呈贡区城市管理综合行政执法大队洛龙中队",
        duty_role="enforcer",
    )
    row.update(changes)
    return row


class TestDefaultTaxonomy:
    def test_loaded_by_the_migration(self):
        rows = default_rows()
        assert Category.objects.count() == len(rows) >= 150
        water = Category.objects.get(code="0101")
        assert (water.name, water.kind, water.official) == ("上水井盖", "component", True)
        assert Category.objects.get(code="0102").name == "污水井盖"
        stall = Category.objects.get(name="占道经营")
        assert (stall.kind, stall.duty_role, stall.official) == ("event", "enforcer", False)
        assert stall.default_unit_name == "呈贡区城市管理综合行政执法大队洛龙中队"

    def test_every_row_has_a_positive_limit_and_a_valid_code(self):
        for c in Category.objects.all():
            assert c.time_limit >= 1, c
            c.full_clean()  # the model's own validators: code pattern, choices, lengths
            assert c.official != c.code.startswith("L"), c

    def test_official_codes_only_where_confirmed(self):
        official = set(Category.objects.filter(official=True).values_list("code", flat=True))
        assert official == {"0101", "0102", *(f"E010{i}" for i in range(1, 8))}

    def test_every_reference_component_is_there(self):
        with (Path(__file__).parents[2] / "wangge/cases/data/reference_taxonomy.csv").open(
            encoding="utf-8"
        ) as fh:
            reference = [r for r in csv.DictReader(fh) if r["kind"] == "部件"]
        names = set(Category.objects.filter(kind="component").values_list("name", flat=True))
        # 雨水算子 is the source's misspelling of 雨水箅子 (kept as a keyword).
        missing = {r["minor_name"] for r in reference} - names - {"雨水算子"}
        assert not missing
        assert "雨水算子" in Category.objects.get(name="雨水箅子").keywords

    def test_the_seeds_linkage_categories_name_the_right_role(self):
        duty = dict(Category.objects.values_list("name", "duty_role"))
        assert duty["环境卫生脏乱差"] == duty["暴露垃圾"] == duty["道路保洁"] == "sanitation"
        assert duty["治安案件"] == duty["矛盾纠纷"] == duty["暴力抗法"] == "police"
        assert duty["车辆乱停乱放"] == duty["流动人口"] == "police"
        assert duty["流动摊贩"] == duty["无照经营游商"] == duty["私搭乱建"] == "enforcer"
        assert duty["违法违规建设"] == duty["门前三包不落实"] == "enforcer"
        assert duty["非法小广告"] == "sanitation"
        assert duty["不文明行为"] == "community_worker"

    def test_chengdu_manhole_rule(self):
        missing = Category.objects.get(name="井盖缺失")
        assert (missing.urgency, missing.time_limit, missing.time_unit) == (
            "urgent",
            3,
            "working_hours",
        )

    def test_the_shipped_file_passes_the_import_checks(self, units):
        result = categories_import(DEFAULT_FILE)
        assert (result.created, result.updated) == ([], [])
        assert len(result.unchanged) == len(default_rows())


class TestRoundTrip:
    def test_export_then_import_changes_nothing(self, units):
        Category.objects.filter(code="LE0501").update(keywords="出店经营", time_limit=3)
        before = snapshot()
        text = categories_export()
        assert text.splitlines()[0] == ",".join(COLUMNS)
        result = categories_import(text)
        assert (result.created, result.updated) == ([], [])
        assert snapshot() == before
        assert categories_export() == text

    def test_import_creates_and_updates_by_code(self, units):
        changed = new_row(code="LE0501", name="占道经营", time_limit="3")
        result = categories_import(to_csv([new_row(), changed]).encode("utf-8-sig"))
        assert (result.created, result.updated) == (["LE9801"], ["LE0501"])
        assert Category.objects.get(code="LE9801").name == "占道洗车"
        assert Category.objects.get(code="LE0501").time_limit == 3
        assert AuditEntry.objects.filter(action="categories.import").count() == 1

    def test_chinese_spellings_of_kind_and_unit(self, units):
        categories_import(to_csv([new_row(kind="事件", time_unit="工作日")]))
        made = Category.objects.get(code="LE9801")
        assert (made.kind, made.time_unit) == ("event", "working_days")


class TestRefusals:
    def refused(self, text: str) -> list[str]:
        before = snapshot()
        with pytest.raises(TaxonomyImportError) as info:
            categories_import(text)
        assert snapshot() == before  # nothing written
        return [str(e) for e in info.value.errors]

    def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(self, units):
        rows = [new_row(), new_row(code="LE9802", name="好行"), new_row(code="LE9803")]
        rows[2]["time_limit"] = "0"
        errors = self.refused(to_csv(rows))
        assert errors == ["row 4, time_limit: must be a whole number ≥ 1 (got '0')"]
        assert not Category.objects.filter(code__in=["LE9801", "LE9802"]).exists()

    def test_every_problem_is_listed(self, units):
        rows = [
            new_row(kind="thing"),
            new_row(code="le 9802"),
            new_row(code="LE9803", default_unit_name="呈贡区不存在局"),
            new_row(code="LE9804", duty_role="mayor", default_target="everyone"),
            new_row(code="LE9805", name=""),
            new_row(code="LE9801", name="重复"),
            new_row(code="LE9806", official="yes"),
            new_row(code="LE9807", default_target="workstation"),
            new_row(code="LE9808", time_unit="hours", time_limit="2.5"),
            new_row(code="LE9809", urgent_time_limit_hours="8"),
        ]
        errors = self.refused(to_csv(rows))
        assert errors[0] == "row 2, kind: unknown value 'thing'; use component | event"
        expected = [
            "row 3, code:",
            "row 4, default_unit_name: unknown handling unit '呈贡区不存在局'",
            "row 5, default_target: unknown value 'everyone'",
            "row 5, duty_role: unknown role 'mayor'",
            "row 6, name: missing",
            "row 7, code: LE9801 appears again (first on row 2)",
            "row 8, official: LE9806 is a local code",
            "row 9, default_unit_name: only used when default_target is unit",
            "row 10, time_limit: must be a whole number ≥ 1",
            "row 10, time_unit: unknown value 'hours'",
            "row 11, urgent_time_limit_hours: 8 is longer than the normal limit of 4",
        ]
        for prefix in expected:
            assert any(e.startswith(prefix) for e in errors), (prefix, errors)

    def test_header_problems(self, units):
        errors = self.refused("code,kind,name,time_limt\nLE9801,event,x,4\n")
        assert "row 1, time_limt: unknown column" in errors[0]
        assert any("missing column(s): major_name, time_limit, time_unit" in e for e in errors)

    def test_not_utf8_and_empty(self):
        assert self.refused("") == ["file: the file is empty"]
        with pytest.raises(TaxonomyImportError, match="not UTF-8"):
            categories_import(to_csv([new_row()]).encode("gbk"))

    def test_unknown_unit_before_any_unit_exists(self):
        errors = self.refused(to_csv([new_row()]))
        assert "create the handling units first" in errors[0]

    def test_a_unit_the_category_already_has_is_not_checked_again(self):
        # A fresh install: the default taxonomy names units nobody has created yet, and its own
        # export must still import.
        assert not HandlingUnit.objects.exists()
        result = categories_import(categories_export())
        assert (result.created, result.updated) == ([], [])
        # A new unit name is checked, though.
        moved = new_row(code="LE0501", name="占道经营", default_unit_name="呈贡区交通运输局")
        errors = self.refused(to_csv([moved]))
        assert errors[0].startswith("row 2, default_unit_name: unknown handling unit")


class TestSearch:
    def test_pinyin_initials(self):
        assert category_search("zdjy")[0].name == "占道经营"
        assert category_search("ZDJY")[0].name == "占道经营"

    def test_chinese_and_full_pinyin(self):
        assert category_search("占道")[0].name == "占道经营"
        assert category_search("zhandao")[0].name == "占道经营"

    def test_code_and_keyword(self):
        assert [c.code for c in category_search("0101")] == ["0101", "E0101"]  # exact first
        assert category_search("e0101")[0].name == "私搭乱建"
        found = {c.name for c in category_search("城市牛皮癣")}
        assert "非法小广告" in found
        assert category_search("违停")[0].name == "车辆乱停乱放"

    def test_limit_inactive_and_nothing(self):
        assert len(category_search("井盖", limit=3)) == 3
        Category.objects.filter(name="占道经营").update(active=False)
        assert "占道经营" not in {c.name for c in category_search("zdjy")}
        assert category_search("zdjy", include_inactive=True)[0].name == "占道经营"
        assert len(category_search("   ", limit=5)) == 5  # a picker's first page
        assert {c.major_name for c in category_search("街面秩序")} == {"街面秩序"}
        assert category_search("qqqqqq") == []


class TestCommand:
    def test_export_to_stdout_and_file(self, tmp_path):
        result = wangge("categories", "export")
        assert result.code == 0
        assert result.out.splitlines()[0] == ",".join(COLUMNS)
        assert len(result.out.splitlines()) == Category.objects.count() + 1
        out = tmp_path / "c.csv"
        assert wangge("categories", "export", "-o", str(out)).code == 0
        assert out.read_text(encoding="utf-8") == result.out

    def test_import_ok(self, tmp_path, units):
        path = tmp_path / "c.csv"
        path.write_text(to_csv([new_row()]), encoding="utf-8")
        result = wangge("categories", "import", str(path))
        assert result.code == 0, result.message
        assert "1 new" in result.out
        assert Category.objects.filter(code="LE9801").exists()

    def test_import_refused_exits_1_one_line_per_problem(self, tmp_path, units):
        path = tmp_path / "c.csv"
        path.write_text(to_csv([new_row(time_limit="-1"), new_row(code="X")]), encoding="utf-8")
        before = snapshot()
        result = wangge("categories", "import", str(path))
        assert result.code == 1
        assert result.err.splitlines() == [
            "  row 2, time_limit: must be a whole number ≥ 1 (got '-1')",
            "  row 3, code: 'X': use 2–16 digits, capital letters and dashes",
        ]
        assert "nothing was written" in result.message
        assert snapshot() == before

    def test_missing_file(self, tmp_path):
        result = wangge("categories", "import", str(tmp_path / "nope.csv"))
        assert result.code == 1
        assert "cannot read" in result.err

    def test_search(self):
        result = wangge("categories", "search", "zdjy")
        assert result.code == 0
        assert "LE0501" in result.out and "占道经营" in result.out
        assert wangge("categories", "search", "qqqqqq").code == 1
