"""Settings from the environment, end to end: a wrong value stops start-up, naming the variable.

Each test starts a fresh interpreter, because settings are read once per process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Variables the settings read: the child starts without any of them unless a test sets it.
SETTINGS_VARS = (
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "LOG_LEVEL",
)


def run(args: list[str], data_dir: Path, cwd: Path = ROOT, **env: str):
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARS and not k.startswith("WANGGE_")
    }
    child_env["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    child_env["WANGGE_DATA_DIR"] = str(data_dir)
    child_env.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=child_env, capture_output=True, text=True, timeout=180
    )


def read_settings(data_dir: Path, *names: str, **env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    proc = run(["-c", code], data_dir, **env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_malformed_database_url_stops_startup_without_a_traceback(tmp_path):
    proc = run(["-m", "wangge.cli", "check"], tmp_path, DATABASE_URL="nonsense")
    assert proc.returncode != 0
    assert "DATABASE_URL" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/wangge"),
        ("DATABASE_URL", "postgres://localhost:notaport/test"),
        ("DEBUG", "maybe"),
        ("SESSION_COOKIE_SECURE", "2"),
        ("WANGGE_LANGUAGE", "fr"),
        ("WANGGE_TIME_ZONE", "Mars/Olympus_Mons"),
        ("WANGGE_HUEY_URL", "amqp://localhost"),
        ("WANGGE_STORAGE", "ftp"),
        ("WANGGE_PARTITION_TOLERANCE_M2", "-1"),
    ],
)
def test_a_wrong_value_names_its_variable(tmp_path, name, value):
    proc = run(["-m", "wangge.cli", "check"], tmp_path, **{name: value})
    assert proc.returncode != 0
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr


def test_s3_storage_needs_a_bucket(tmp_path):
    proc = run(["-m", "wangge.cli", "check"], tmp_path, WANGGE_STORAGE="s3")
    assert proc.returncode != 0
    assert "WANGGE_S3_BUCKET" in proc.stderr


def test_manage_py_reports_the_same_way(tmp_path):
    proc = run(["manage.py", "check"], tmp_path, DATABASE_URL="sqlite://host/x")
    assert proc.returncode != 0
    assert "DATABASE_URL" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_defaults_need_nothing_configured(tmp_path):
    data = tmp_path / "data"
    values = read_settings(data, "DEBUG", "DATABASES", "LANGUAGE_CODE", "MEDIA_ROOT")
    assert values["DEBUG"] is False
    assert values["LANGUAGE_CODE"] == "zh-hans"
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == data / "wangge.sqlite3"
    assert Path(values["MEDIA_ROOT"]) == data / "media"
    # The generated secret key is kept beside the data, readable by its owner only.
    key = data / "secret_key"
    assert key.exists()
    assert key.stat().st_mode & 0o077 == 0


def test_postgres_url_reaches_the_settings(tmp_path):
    values = read_settings(
        tmp_path, "DATABASES", DATABASE_URL="postgres://wangge:pw@db.internal:6543/wangge"
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        "6543",
        "wangge",
        "wangge",
    )


def test_a_fresh_sqlite_database_is_created_in_wal_mode(tmp_path):
    db_file = tmp_path / "elsewhere" / "db.sqlite3"
    proc = run(
        ["-m", "wangge.cli", "migrate", "--no-input", "-v", "0"],
        tmp_path / "data",
        DATABASE_URL=f"sqlite:///{db_file}",
    )
    assert proc.returncode == 0, proc.stderr
    assert db_file.exists()
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "org_grid" in tables
