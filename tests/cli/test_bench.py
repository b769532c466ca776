"""The benchmark runner still runs (tiny sizes; no timing is asserted anywhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_prints_its_table(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WANGGE_DATA_DIR"] = str(tmp_path)  # the runner uses a temp folder of its own anyway
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "4,6", "--points", "50", "--import-grids", "12"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "per op µs" in lines[1]
    names = [line.split("  ")[0] for line in lines[3:]]
    assert "partition check, 6 grids" in names
    assert "GeoJSON import, 12 grids" in names
    assert "locate() with DB fetch, 4 grids" in names
    assert list(tmp_path.iterdir()) == []
