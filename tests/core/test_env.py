"""Strict parsing of environment variables: a wrong value names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from wangge.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_path,
    parse_database_url,
)


class TestDatabaseUrl:
    def test_sqlite_relative_path_is_made_absolute(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        db = parse_database_url("sqlite:///data/wangge.sqlite3")
        assert db["ENGINE"] == "django.db.backends.sqlite3"
        assert db["NAME"] == str(tmp_path / "data" / "wangge.sqlite3")

    def test_sqlite_absolute_path(self, tmp_path):
        db = parse_database_url(f"sqlite:///{tmp_path}/x.sqlite3")
        assert Path(db["NAME"]) == tmp_path / "x.sqlite3"

    def test_sqlite_uses_wal(self):
        db = parse_database_url("sqlite:////tmp/x.sqlite3")
        assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]

    def test_sqlite_memory(self):
        assert parse_database_url("sqlite:///:memory:")["NAME"] == ":memory:"

    def test_postgres(self):
        db = parse_database_url("postgres://wangge:s3cret@db.example.org:5432/wangge")
        assert db["ENGINE"] == "django.db.backends.postgresql"
        assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("wangge", "wangge", "s3cret")
        assert (db["HOST"], db["PORT"]) == ("db.example.org", "5432")
        assert db["TEST"]["NAME"] == "test_wangge"

    def test_postgres_options_and_escapes(self):
        db = parse_database_url("postgresql://u:p%40ss@h/db?sslmode=require")
        assert db["PASSWORD"] == "p@ss"
        assert db["PORT"] == ""
        assert db["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}

    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("mysql://root@localhost/wangge", "unsupported scheme 'mysql'"),
            ("nonsense", "unsupported scheme"),
            ("postgres://host:notaport/db", "port"),
            ("postgres://host:99999/db", "port"),
            ("postgres://host:5432/", "database name is missing"),
            ("postgres://host:5432", "database name is missing"),
            ("sqlite://host/x.sqlite3", "no host"),
            ("sqlite:///", "path is missing"),
            ("sqlite:///data/?mode=ro", "no ?options"),
        ],
    )
    def test_malformed_urls_name_the_variable(self, url, reason):
        with pytest.raises(ImproperlyConfigured) as exc:
            parse_database_url(url)
        assert str(exc.value).startswith("DATABASE_URL=")
        assert reason in str(exc.value)

    def test_the_password_is_not_repeated_in_errors(self):
        with pytest.raises(ImproperlyConfigured) as exc:
            parse_database_url("postgres://u:topsecret@host:notaport/db")
        assert "topsecret" not in str(exc.value)


class TestScalars:
    @pytest.mark.parametrize("raw", ["1", "true", "Yes", " on "])
    def test_true(self, monkeypatch, raw):
        monkeypatch.setenv("DEBUG", raw)
        assert env_bool("DEBUG", False) is True

    @pytest.mark.parametrize("raw", ["0", "false", "NO", "off"])
    def test_false(self, monkeypatch, raw):
        monkeypatch.setenv("DEBUG", raw)
        assert env_bool("DEBUG", True) is False

    def test_unset_or_empty_is_the_default(self, monkeypatch):
        monkeypatch.delenv("DEBUG", raising=False)
        assert env_bool("DEBUG", True) is True
        monkeypatch.setenv("DEBUG", "")
        assert env_bool("DEBUG", True) is True

    def test_bad_boolean_names_its_variable(self, monkeypatch):
        monkeypatch.setenv("SESSION_COOKIE_SECURE", "maybe")
        with pytest.raises(ImproperlyConfigured, match=r"^SESSION_COOKIE_SECURE='maybe'"):
            env_bool("SESSION_COOKIE_SECURE", False)

    def test_int(self, monkeypatch):
        monkeypatch.setenv("WANGGE_X", "42")
        assert env_int("WANGGE_X", 1) == 42

    @pytest.mark.parametrize("raw", ["4.5", "ten", "1e3"])
    def test_bad_int_names_its_variable(self, monkeypatch, raw):
        monkeypatch.setenv("WANGGE_X", raw)
        with pytest.raises(ImproperlyConfigured, match=r"^WANGGE_X=.*not a whole number"):
            env_int("WANGGE_X", 1)

    def test_int_below_minimum(self, monkeypatch):
        monkeypatch.setenv("WANGGE_X", "0")
        with pytest.raises(ImproperlyConfigured, match=r"^WANGGE_X='0' must be at least 1"):
            env_int("WANGGE_X", 5, minimum=1)

    def test_float(self, monkeypatch):
        monkeypatch.setenv("WANGGE_PARTITION_TOLERANCE_M2", "2.5")
        assert env_float("WANGGE_PARTITION_TOLERANCE_M2", 1.0) == 2.5
        monkeypatch.setenv("WANGGE_PARTITION_TOLERANCE_M2", "lots")
        with pytest.raises(ImproperlyConfigured, match=r"^WANGGE_PARTITION_TOLERANCE_M2="):
            env_float("WANGGE_PARTITION_TOLERANCE_M2", 1.0)
        monkeypatch.setenv("WANGGE_PARTITION_TOLERANCE_M2", "-1")
        with pytest.raises(ImproperlyConfigured, match="must be at least 0"):
            env_float("WANGGE_PARTITION_TOLERANCE_M2", 1.0, minimum=0.0)

    def test_choice(self, monkeypatch):
        monkeypatch.setenv("WANGGE_LANGUAGE", "en")
        assert env_choice("WANGGE_LANGUAGE", "zh-hans", ("zh-hans", "en")) == "en"
        monkeypatch.setenv("WANGGE_LANGUAGE", "fr")
        with pytest.raises(ImproperlyConfigured, match=r"^WANGGE_LANGUAGE='fr' is not one of"):
            env_choice("WANGGE_LANGUAGE", "zh-hans", ("zh-hans", "en"))

    def test_list(self, monkeypatch):
        monkeypatch.setenv("ALLOWED_HOSTS", " a.example.org, ,b.example.org ")
        assert env_list("ALLOWED_HOSTS", []) == ["a.example.org", "b.example.org"]
        monkeypatch.delenv("ALLOWED_HOSTS")
        assert env_list("ALLOWED_HOSTS", ["x"]) == ["x"]

    def test_path_is_absolute(self, monkeypatch, tmp_path):
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("WANGGE_DATA_DIR", "here")
        assert env_path("WANGGE_DATA_DIR", Path("/default")) == tmp_path.resolve() / "here"


def test_postgres_runs_without_jit_unless_the_url_says_otherwise():
    assert parse_database_url("postgres://u@h/db")["OPTIONS"] == {"options": "-c jit=off"}
    own = parse_database_url("postgres://u@h/db?options=-c%20jit%3Don")
    assert own["OPTIONS"] == {"options": "-c jit=on"}
