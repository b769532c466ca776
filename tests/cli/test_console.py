"""The console commands as a person runs them: real processes, exit codes and streams.

One SQLite database in a temporary data folder is shared by the module (migrating takes a
few seconds); the tests run in file order and build on each other's state.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MID, QUARTER, E, N, S, W
from tests.factories import rect

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from wangge.org.models import District, Subdistrict, Community
from wangge.org.services import subdistrict_set_outline
from django.contrib.auth import get_user_model
d = District.objects.create(code="530114", name="呈贡区")
s = Subdistrict.objects.create(district=d, code="005", name="洛龙街道")
subdistrict_set_outline(subdistrict=s, geometry={outline})
Community.objects.create(subdistrict=s, code="001", name="吴家营社区")
Community.objects.create(subdistrict=s, code="002", name="洛龙社区")
get_user_model().objects.create_user("device", password="pass-word-123")
"""


def feature(code: str, name: str, community: str, geometry: dict) -> dict:
    props = {"code": code, "name": name, "community": community}
    return {"type": "Feature", "geometry": geometry, "properties": props}


GRIDS = {
    "type": "FeatureCollection",
    "features": [
        feature("530114005001001", "吴家营社区东网格", "吴家营社区", rect(QUARTER, S, MID, N)),
        feature("530114005001002", "吴家营社区西网格", "吴家营社区", rect(W, S, QUARTER, N)),
        feature("530114005002001", "洛龙社区南网格", "洛龙社区", rect(MID, S, E, N)),
    ],
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("console-data")


def env_for(data_dir: Path) -> dict[str, str]:
    # Never the test database nor the caller's: a SQLite file of its own.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # English: the tests read the commands' messages in English (the default is Chinese).
    env.update(WANGGE_DATA_DIR=str(data_dir), DEBUG="false", WANGGE_LANGUAGE="en")
    return env


def wangge(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wangge.cli", *args],
        cwd=ROOT,
        env=env_for(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def no_traceback(proc: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def ready(data_dir) -> Path:
    assert wangge(data_dir, "migrate", "--no-input", "-v", "0").returncode == 0
    proc = wangge(data_dir, "shell", "-c", SETUP.format(outline=rect(W, S, E, N)))
    assert proc.returncode == 0, proc.stderr
    return data_dir


def test_import_then_check(ready, tmp_path):
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(GRIDS, ensure_ascii=False), encoding="utf-8")
    proc = wangge(ready, "grids", "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "3 new" in proc.stdout
    check = wangge(ready, "grids", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "OK" in check.stdout


def test_locate(ready):
    proc = wangge(ready, "locate", str((W + QUARTER) / 2), "24.875")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["grid"]["code"] == "530114005001002"
    assert set(json.loads(proc.stdout)) == {"grid", "community", "subdistrict"}


def test_locate_outside(ready):
    proc = wangge(ready, "locate", "-73.9", "40.7")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "outside the jurisdiction" in proc.stderr
    assert no_traceback(proc)
    dashed = wangge(ready, "locate", "--", "-73.9", "40.7")
    assert dashed.returncode == 1


def test_locate_swapped(ready):
    proc = wangge(ready, "locate", "24.875", "102.85")
    assert proc.returncode == 2
    assert "swapped" in proc.stderr
    assert no_traceback(proc)


def test_an_overlapping_import_is_refused(ready):
    before = wangge(ready, "grids", "export").stdout
    bad = {
        "type": "FeatureCollection",
        "features": [
            feature("530114005002002", "洛龙社区北网格", "洛龙社区", rect(MID - 0.001, S, E, N))
        ],
    }
    proc = wangge(ready, "grids", "import", "-", stdin=json.dumps(bad))
    assert proc.returncode == 1
    assert "overlaps grid 530114005001001 吴家营社区东网格" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert no_traceback(proc)
    assert wangge(ready, "grids", "export").stdout == before


def test_bad_json(ready):
    proc = wangge(ready, "grids", "import", "-", stdin="{not json")
    assert proc.returncode == 1
    assert "not valid JSON" in proc.stderr
    assert no_traceback(proc)


def test_token(ready):
    proc = wangge(ready, "token", "device")
    assert proc.returncode == 0
    assert proc.stdout.strip().startswith("wg_")
    unknown = wangge(ready, "token", "nobody")
    assert unknown.returncode == 1
    assert "no user named 'nobody'" in unknown.stderr


def test_check_fails_on_a_broken_partition(ready):
    # Shrink a grid behind the service's back: a gap opens.
    code = (
        "from wangge.org.models import Grid;"
        f"Grid.objects.filter(code='530114005002001').update(geometry={rect(MID, S, E - 0.002, N)})"
    )
    assert wangge(ready, "shell", "-c", code).returncode == 0
    proc = wangge(ready, "grids", "check")
    assert proc.returncode == 1
    assert "gap" in proc.stdout
    assert "problem(s) in the partition" in proc.stderr


def test_a_fresh_data_folder_gives_a_clear_error(tmp_path):
    proc = wangge(tmp_path, "locate", "102.85", "24.875")
    assert proc.returncode == 1
    assert "wangge migrate" in proc.stderr
    assert no_traceback(proc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_gunicorn_on_a_fresh_data_folder(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "wangge.cli", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env_for(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.3)
        assert body, "the server did not answer"
        assert (tmp_path / "wangge.sqlite3").exists()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "gunicorn" in output
    assert "Traceback" not in output
