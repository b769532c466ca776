"""`wangge grids check | import | export` on the cast's 洛龙街道 (three grids tile its outline)."""

from __future__ import annotations

import io
import json
import sys

from tests.conftest import MID, QUARTER, E, N, S, W
from tests.factories import rect
from wangge.org.models import Grid
from wangge.people.models import GridRole

EAST = "530114005001001"
WEST = "530114005001002"
SOUTH = "530114005002001"


def feature(code: str, name: str, community: str, geometry: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, "community": community},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def snapshot() -> list[tuple]:
    return list(Grid.objects.order_by("code").values_list("code", "name", "geometry"))


class TestCheck:
    def test_a_tiled_subdistrict_passes(self, cast, run):
        result = run("grids", "check")
        assert result.code == 0, result.message
        assert "洛龙街道 (530114005): 3 grids" in result.out
        assert "OK" in result.out
        for name in ("吴家营社区东网格", "吴家营社区西网格", "洛龙社区南网格"):
            assert name in result.out
        assert "Staff spread" in result.out

    def test_json(self, cast, run):
        result = run("grids", "check", "--json")
        assert result.code == 0
        data = json.loads(result.out)
        assert data["ok"] is True
        [report] = data["subdistricts"]
        assert report["problems"] == []
        staff = {row["code"]: row["staff"] for row in report["load"]}
        assert staff == {EAST: 1, WEST: 0, SOUTH: 1}

    def test_an_overlap_fails_and_is_named(self, cast, run):
        # Written past the service (which refuses overlaps), as a bad migration or admin might.
        Grid.objects.filter(code=EAST).update(geometry=rect(QUARTER, S, MID + 0.002, N))
        result = run("grids", "check")
        assert result.code == 1
        assert "overlap" in result.out
        assert EAST in result.out and SOUTH in result.out
        assert "problem(s) in the partition" in result.message

    def test_a_gap_fails_and_says_where(self, cast, run):
        Grid.objects.filter(code=SOUTH).update(geometry=rect(MID, S, E - 0.002, N))
        result = run("grids", "check", "--json")
        assert result.code == 1
        data = json.loads(result.out)
        assert data["ok"] is False
        [gap] = data["subdistricts"][0]["problems"]
        assert gap["kind"] == "gap"
        assert gap["area_m2"] > 10_000
        assert E - 0.002 < gap["where"]["lon"] < E

    def test_one_subdistrict(self, cast, run):
        assert run("grids", "check", "--subdistrict", "530114005").code == 0
        assert run("grids", "check", "--subdistrict", "洛龙街道").code == 0
        unknown = run("grids", "check", "--subdistrict", "999999999")
        assert unknown.code == 2
        assert "no subdistrict '999999999'" in unknown.message


class TestImport:
    def test_an_overlapping_file_is_refused_and_nothing_changes(self, cast, run, tmp_path):
        before = snapshot()
        path = tmp_path / "grids.geojson"
        data = collection(
            # A harmless update of an existing grid, refused with the rest of the file.
            feature(WEST, "改名网格", cast.wujiaying.full_code, rect(W, S, QUARTER, N)),
            feature("530114005002002", "洛龙社区北网格", "洛龙社区", rect(MID - 0.001, S, E, N)),
        )
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = run("grids", "import", str(path))
        assert result.code == 1
        assert "nothing was written" in result.message
        assert "feature #2 530114005002002 洛龙社区北网格" in result.err
        assert f"overlaps grid {EAST}" in result.err
        assert snapshot() == before

    def test_every_problem_is_listed(self, cast, run, tmp_path):
        path = tmp_path / "bad.geojson"
        data = collection(
            feature("12345", "短编码", "洛龙社区", rect(W, S, QUARTER, N)),
            feature("530114005002009", "无社区", "不存在社区", rect(W, S, QUARTER, N)),
        )
        path.write_text(json.dumps(data), encoding="utf-8")
        result = run("grids", "import", str(path))
        assert result.code == 1
        assert "exactly 15 digits" in result.err
        assert "unknown community" in result.err
        assert "2 problem(s)" in result.message

    def test_a_new_grid_is_imported(self, cast, run, tmp_path):
        # Move 洛龙社区南网格's eastern half into a new grid.
        path = tmp_path / "split.geojson"
        half = (MID + E) / 2
        data = collection(
            feature(SOUTH, "洛龙社区南网格", "洛龙社区", rect(MID, S, half, N)),
            feature("530114005002002", "洛龙社区东网格", "洛龙社区", rect(half, S, E, N)),
        )
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = run("grids", "import", str(path))
        assert result.code == 0, result.err
        assert "Imported 2 grids: 1 new, 1 updated." in result.out
        assert run("grids", "check").code == 0

    def test_from_standard_input(self, cast, run, monkeypatch):
        data = collection(feature(WEST, "吴家营社区西网格", "吴家营社区", rect(W, S, QUARTER, N)))
        stdin = io.TextIOWrapper(io.BytesIO(json.dumps(data).encode()), encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", stdin)
        result = run("grids", "import", "-")
        assert result.code == 0, result.err
        assert "1 updated" in result.out

    def test_unreadable_files(self, db, run, tmp_path):
        missing = run("grids", "import", str(tmp_path / "nope.geojson"))
        assert missing.code == 1
        assert "cannot read" in missing.message and "No such file" in missing.message
        bad = tmp_path / "bad.geojson"
        bad.write_text('{"type": "FeatureCollection", ', encoding="utf-8")
        broken = run("grids", "import", str(bad))
        assert broken.code == 1
        assert "is not valid JSON" in broken.message and "line 1" in broken.message
        bad.write_bytes(b"\xff\xfe{}")
        assert "not UTF-8" in run("grids", "import", str(bad)).message
        bad.write_text('{"type": "Feature"}', encoding="utf-8")
        wrong = run("grids", "import", str(bad))
        assert wrong.code == 1
        assert "FeatureCollection" in wrong.message


class TestExport:
    def test_stdout_is_utf8_geojson(self, cast, run):
        result = run("grids", "export")
        assert result.code == 0
        assert "吴家营社区东网格" in result.out  # not \\u escapes
        data = json.loads(result.out)
        assert data["type"] == "FeatureCollection"
        assert [f["properties"]["code"] for f in data["features"]] == [EAST, WEST, SOUTH]

    def test_round_trip(self, cast, run, tmp_path):
        path = tmp_path / "grids.geojson"
        assert run("grids", "export", "-o", str(path)).code == 0
        exported = json.loads(path.read_text(encoding="utf-8"))
        before = snapshot()

        GridRole.objects.all().delete()
        Grid.objects.all().delete()
        result = run("grids", "import", str(path))
        assert result.code == 0, result.err
        assert "3 new" in result.out

        assert snapshot() == before
        again = tmp_path / "again.geojson"
        run("grids", "export", "-o", str(again))
        reexported = json.loads(again.read_text(encoding="utf-8"))
        # The cast's grids were written without the service, so only the import computed areas.
        for feature_ in reexported["features"]:
            assert feature_["properties"].pop("area_km2") > 0.5
        for feature_ in exported["features"]:
            del feature_["properties"]["area_km2"]
        assert reexported == exported

    def test_unwritable_output(self, cast, run, tmp_path):
        result = run("grids", "export", "-o", str(tmp_path / "no" / "such" / "dir.json"))
        assert result.code == 1
        assert "cannot write" in result.message
