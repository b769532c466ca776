"""Strict parsing of environment variables.

Every setting comes from the environment. A value that cannot be parsed stops start-up with
an ImproperlyConfigured naming the variable, so a typo never silently becomes a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of: {', '.join(choices)}")
    return raw


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return Path(raw).expanduser().resolve()


def sqlite_path(url: str, *, name: str) -> Path | str:
    """The file of a ``sqlite:///PATH`` URL (DATABASE_URL and WANGGE_HUEY_URL alike).

    As in dj-database-url: "sqlite:///" then the path, so sqlite:///data/db.sqlite3 is
    relative to the working directory and sqlite:////srv/wangge/db.sqlite3 is absolute.
    """
    parts = urlsplit(url)
    url = _redact(url)
    if parts.netloc:
        raise ImproperlyConfigured(
            f"{name}={url!r}: a SQLite URL has no host; write sqlite:///PATH "
            "(three slashes, then the file path)"
        )
    if parts.query:
        raise ImproperlyConfigured(f"{name}={url!r}: a SQLite URL takes no ?options")
    path = unquote(parts.path)[1:]
    if not path or path.endswith("/"):
        raise ImproperlyConfigured(f"{name}={url!r}: the SQLite file path is missing")
    # Made absolute now, so a later chdir (or the reloader's child) opens the same file.
    return path if path == ":memory:" else Path(path).absolute()


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn ``sqlite:///PATH`` or ``postgres://user:pass@host:port/db`` into a DATABASES entry."""
    parts = urlsplit(url)
    # Error messages quote the URL without its password: they end up in logs.
    url = _redact(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = sqlite_path(url, name=name)
        return sqlite_database(path)
    if scheme in ("postgres", "postgresql", "pgsql"):
        dbname = unquote(parts.path.removeprefix("/"))
        if not dbname or "/" in dbname:
            raise ImproperlyConfigured(
                f"{name}={url!r}: the database name is missing or not one name"
                " (postgres://user@host:5432/NAME)"
            )
        try:
            port = parts.port
        except ValueError:
            # urllib raises the same error for "notaport" and for 99999.
            raise ImproperlyConfigured(
                f"{name}={url!r}: the port is not a number between 1 and 65535"
            ) from None
        if port == 0:
            raise ImproperlyConfigured(f"{name}={url!r}: the port must be between 1 and 65535")
        # JIT compilation costs ~0.1 s per big query and pays only on long analytical scans:
        # the platform's queries (the month's figures included) run faster without it. A URL
        # may set its own: ?options=-c%20jit%3Don.
        options = {"options": "-c jit=off", **dict(parse_qsl(parts.query))}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": f"test_{dbname}"},
        }
    raise ImproperlyConfigured(
        f"{name}={url!r}: unsupported scheme {scheme or '(none)'!r}; "
        "use sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME"
    )


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def sqlite_database(path: Path | str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers proceed while one writer commits; IMMEDIATE avoids the
            # "database is locked" upgrade deadlock between two writers.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
