"""``wangge serve``: migrate, then serve the platform.

With DEBUG off this is gunicorn, a production-grade WSGI server (static files are already
served by WhiteNoise's middleware, so nothing else is needed in front for a small install).
With DEBUG on it is Django's runserver, which reloads on code changes.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# A DNS name such as "localhost" or "wangge.example.org": letters, digits and hyphens per label.
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


def parse_host(raw: str) -> tuple[str, bool]:
    """The host to bind and whether it is an IPv6 address; CommandError when it is neither."""
    host = raw.strip()
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return bare, ipaddress.ip_address(bare).version == 6
    except ValueError:
        pass
    # All digits and dots is a mistyped IPv4 address (999.1.1.1), not a name.
    if _HOSTNAME.match(host) and not re.fullmatch(r"[\d.]+", host):
        return host, False
    raise CommandError(
        f"--host {raw!r} is not an IP address or host name (e.g. 127.0.0.1, 0.0.0.0, ::1)",
        returncode=2,
    )


def parse_port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise CommandError(f"--port {raw!r} is not a port number between 1 and 65535", returncode=2)
    return port


def parse_workers(raw: str) -> int:
    try:
        workers = int(raw)
    except ValueError:
        workers = 0
    if not 1 <= workers <= 64:
        raise CommandError(
            f"--workers {raw!r} is not a whole number between 1 and 64", returncode=2
        )
    return workers


def default_workers() -> int:
    # Gunicorn's rule of thumb, capped: each sync worker holds its own grid index and
    # connection, and a small install rarely needs more than a handful.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


class Command(BaseCommand):
    help = (
        "Apply database migrations, then serve the platform: gunicorn when DEBUG is off, "
        "Django's development server when DEBUG is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Strings, validated in handle(), so every bad value gets the same one-line error.
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", default="8000", help="port to listen on (1–65535)")
        parser.add_argument(
            "--workers",
            default=None,
            help="gunicorn worker processes (default: 2 × CPU cores + 1, at most 8)",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="do not apply migrations first",
        )
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="do not start the background job consumer (run `wangge run_huey` elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, ipv6 = parse_host(str(options["host"]))
        port = parse_port(str(options["port"]))
        workers = (
            parse_workers(str(options["workers"]))
            if options["workers"] is not None
            else default_workers()
        )
        # runserver's autoreloader runs this command again in a child process (RUN_MAIN=true):
        # the parent has already migrated and said where it serves.
        reloaded_child = os.environ.get("RUN_MAIN") == "true"
        if not options["no_migrate"] and not reloaded_child:
            # A fresh data folder works straight away: the SQLite file is created and migrated.
            call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        bind = f"[{host}]:{port}" if ipv6 else f"{host}:{port}"
        # A one-machine install needs nothing else running: the job consumer (the overdue sweep
        # and other scheduled work) starts beside the server and stops with it.
        jobs = None if options["no_jobs"] or reloaded_child else start_job_consumer()
        try:
            self._serve(bind, ipv6, workers, reloaded_child)
        finally:
            if jobs is not None:
                jobs.terminate()
                jobs.wait(timeout=10)

    def _serve(self, bind: str, ipv6: bool, workers: int, reloaded_child: bool) -> None:
        if settings.DEBUG:
            if not reloaded_child:
                self.stdout.write(f"DEBUG is on: Django's development server at http://{bind}/")
            call_command("runserver", bind, use_ipv6=ipv6)
            return
        # The workers are forked from this process: connections opened by migrate must not
        # be shared with them.
        connections.close_all()
        self.stdout.write(f"Serving wangge with gunicorn ({workers} workers) at http://{bind}/")
        run_gunicorn(bind=bind, workers=workers)


def start_job_consumer() -> subprocess.Popen[bytes] | None:
    """``wangge run_huey`` in a child process, unless jobs run at once (WANGGE_HUEY_IMMEDIATE)."""
    if settings.HUEY.get("immediate"):
        return None
    return subprocess.Popen([sys.executable, "-m", "wangge.cli", "run_huey", "--workers", "1"])


def run_gunicorn(*, bind: str, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class WanggeApplication(BaseApplication):
        """Gunicorn configured in code rather than from the command line or a config file."""

        def __init__(self, options: dict[str, Any]) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                # Settings newer than the installed gunicorn are left out, not an error.
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from wangge.wsgi import application

            return application

    WanggeApplication(
        {
            "bind": [bind],
            "workers": workers,
            # Threads, because the live push (server-sent events) holds a connection open per
            # open page: a sync worker would be taken by one phone for a minute at a time.
            "worker_class": "gthread",
            "threads": 16,
            # Long enough for a big GeoJSON import or a report; a hung worker is still replaced.
            "timeout": 120,
            "graceful_timeout": 30,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "wangge",
            # Gunicorn 27's control socket defaults to one path in $HOME, which a second
            # instance on the same machine would fight over; nothing here uses it.
            "control_socket_disable": True,
        }
    ).run()
