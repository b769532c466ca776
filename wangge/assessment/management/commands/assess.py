"""``wangge assess YYYY-MM [--publish]`` (or ``YYYY`` for the yearly schemes): draft the scores."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext

from wangge.assessment import services
from wangge.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Compute the period's scores as drafts for every active scheme (YYYY-MM: the monthly"
        " schemes; YYYY: the yearly ones). A draft is recomputed, keeping manual scores; a"
        " published run is left as it is. --publish publishes the drafts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", metavar="PERIOD", help="YYYY-MM (e.g. 2019-05) or YYYY")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the drafts (refused while manual items are unscored)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            runs = services.assess(str(options["period"]))
            if options["publish"]:
                # All or none: refuse before publishing any while one has unscored items.
                for run in runs:
                    if not run.is_published and services.unscored(run):
                        services.publish(run)  # raises, naming the unscored items
            for run in runs:
                if options["publish"] and not run.is_published:
                    run = services.publish(run)
                self.stdout.write(
                    gettext("%(period)s %(scheme)s v%(version)s %(status)s: %(n)d subjects")
                    % {
                        "period": run.period,
                        "scheme": run.scheme.code,
                        "version": run.version,
                        "status": run.get_status_display(),
                        "n": run.results.count(),
                    }
                )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        except DatabaseError as exc:
            raise CommandError(
                gettext("database error: %(error)s (has `wangge migrate` been run?)")
                % {"error": str(exc).strip()},
                returncode=1,
            ) from None
