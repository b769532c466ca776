"""The ``wangge`` console command: Django's manage.py plus the project's own commands.

``wangge serve``, ``wangge demo``, ``wangge grids …``, ``wangge locate``, ``wangge token`` are
management commands in the apps; everything else (migrate, createsuperuser, …) is Django's.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        # A wrong environment variable: say which, without a traceback.
        print(f"wangge: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wangge", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
