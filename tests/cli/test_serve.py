"""`wangge serve`: validation, and which server it starts (without starting one)."""

from __future__ import annotations

import pytest

from wangge.web.management.commands import serve


@pytest.fixture
def started(monkeypatch):
    """Record the commands and the gunicorn run instead of serving."""
    calls: list[tuple] = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: calls.append((*a, kw)))
    monkeypatch.setattr(serve, "run_gunicorn", lambda **kw: calls.append(("gunicorn", kw)))
    monkeypatch.setattr(serve, "start_job_consumer", lambda: calls.append(("jobs",)) or None)
    return calls


def test_production_server_after_migrating(db, run, started, settings):
    settings.DEBUG = False
    result = run("serve", "--port", "8123", "--workers", "3")
    assert result.code == 0, result.message
    assert started[0][0] == "migrate"
    assert started[1] == ("jobs",)  # the job consumer starts beside the server
    assert started[2] == ("gunicorn", {"bind": "127.0.0.1:8123", "workers": 3})
    assert "gunicorn" in result.out


def test_default_address_and_workers(db, run, started, settings):
    settings.DEBUG = False
    run("serve")
    _, options = started[-1]
    assert options["bind"] == "127.0.0.1:8000"
    assert 1 <= options["workers"] <= 8


def test_ipv6_and_host_names(db, run, started, settings):
    settings.DEBUG = False
    run("serve", "--host", "::1", "--no-migrate")
    run("serve", "--host", "localhost", "--no-migrate")
    servers = [c for c in started if c[0] == "gunicorn"]
    assert [c[1]["bind"] for c in servers] == ["[::1]:8000", "localhost:8000"]


def test_debug_uses_the_development_server(db, run, started, settings):
    settings.DEBUG = True
    run("serve", "--host", "0.0.0.0", "--port", "9000")
    assert [c[0] for c in started] == ["migrate", "jobs", "runserver"]
    assert started[2][1] == "0.0.0.0:9000"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--port", "0"], "--port '0'"),
        (["--port", "65536"], "--port '65536'"),
        (["--port", "http"], "--port 'http'"),
        (["--host", "bad host"], "--host 'bad host'"),
        (["--host", "999.1.1.1"], "--host '999.1.1.1'"),
        (["--workers", "0"], "--workers '0'"),
        (["--workers", "many"], "--workers 'many'"),
    ],
)
def test_bad_values_are_refused_before_anything_runs(db, run, started, args, named):
    result = run("serve", *args)
    assert result.code == 2
    assert result.message.startswith(named)
    assert started == []


def test_no_jobs_leaves_the_job_consumer_to_someone_else(db, run, started, settings):
    settings.DEBUG = False
    result = run("serve", "--no-jobs")
    assert result.code == 0, result.message
    assert ("jobs",) not in started
    assert started[-1][0] == "gunicorn"


def test_the_job_consumer_is_not_started_when_jobs_run_at_once(settings, monkeypatch):
    settings.HUEY = {**settings.HUEY, "immediate": True}
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **kw: pytest.fail("started"))
    assert serve.start_job_consumer() is None
