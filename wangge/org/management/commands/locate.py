"""``wangge locate LON LAT``: which grid, community and subdistrict a point lies in."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.org.locate import OutsideJurisdiction, locate


class Command(BaseCommand):
    help = (
        "Print the grid, community and subdistrict of a WGS84 point as one JSON object. "
        "Exit 1 when the point is outside the jurisdiction, 2 when the coordinates are invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Strings, so parse_point() gives the one message for every bad value. argparse takes
        # "-73.9" as a number rather than an option because no option looks like a number;
        # "wangge locate -- -73.9 40.7" works as well.
        parser.add_argument(
            "lon", metavar="LON", help="longitude in degrees (WGS84), east positive"
        )
        parser.add_argument(
            "lat", metavar="LAT", help="latitude in degrees (WGS84), north positive"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            located = locate(options["lon"], options["lat"])
        except OutsideJurisdiction as exc:
            raise CommandError(exc.message, returncode=1) from None
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        except DatabaseError as exc:
            raise CommandError(
                f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
                returncode=1,
            ) from None
        self.stdout.write(json.dumps(located.as_dict(), ensure_ascii=False))
