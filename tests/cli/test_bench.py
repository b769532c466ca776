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
        [
            sys.executable,
            "-m",
            "bench",
            *("--sizes", "4,6", "--points", "50", "--import-grids", "12"),
            *("--devices", "5", "--batches", "2", "--batch-size", "10"),
            *("--summary-people", "3", "--summary-days", "2", "--pg-url", ""),
        ],
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
    rows = {line.split("  ")[0]: line for line in lines[3:]}
    assert "rows/s (baseline)" in rows["raw executemany, SQLite, 5 devices × 2 × 10"]
    assert "target ≥2,000/s" in rows["record_pings, SQLite, 5 devices × 2 × 10"]
    assert "day summaries, 3 people × 2 days" in rows
    # No PostgreSQL URL: the rows are there and say so; nothing fails.
    assert "skipped" in rows["record_pings, PostgreSQL, 5 devices × 2 × 10"]
    assert list(tmp_path.iterdir()) == []
