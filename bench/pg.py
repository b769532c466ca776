"""Running a benchmark on PostgreSQL: in a child process, in a throwaway database.

The child gets ``DATABASE_URL`` pointing at a database created for the run on the server at
``url`` (and dropped after it, unless ``keep`` names one to keep), migrates it, runs, and prints
its result as JSON on the last line of stdout. Its stderr (progress) passes through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class NotRun(Exception):
    """The PostgreSQL run did not happen or failed; the message says why (for the table)."""


def with_db(url: str, name: str) -> str:
    """``url`` with its database name replaced."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def run_child(url: str, code: str, *, prefix: str, keep: str = "", timeout: int = 7200) -> Any:
    """Run ``code`` (Python) in a child process on a throwaway database; its JSON result.

    Raises NotRun("skipped: …") when PostgreSQL cannot be used, NotRun("failed: …") when the
    child fails.
    """
    try:
        import psycopg
    except ImportError:
        raise NotRun("skipped: psycopg is not installed") from None
    name = keep or f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # unreachable, refused, no right to create a database
        reason = str(exc).strip().splitlines()[0][:60]
        raise NotRun(f"skipped: PostgreSQL unreachable ({reason})") from None
    try:
        env = {**os.environ, "DATABASE_URL": with_db(url, name)}
        env["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
        env.setdefault("WANGGE_DATA_DIR", tempfile.mkdtemp(prefix=f"{prefix}-"))
        proc = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise NotRun("failed: see the messages above")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if not keep:
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:
                print(f"  could not drop the database {name}: {exc}", file=sys.stderr)
