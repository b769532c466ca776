"""``wangge bulletin YYYY-MM -o FILE [--audience police|sanitation|supervisor]``: the month's
assessment bulletin (考核情况通报) as Word (.docx) or PDF (.pdf), by the file's extension."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wangge.reports.bulletin import AUDIENCES, bulletin
from wangge.reports.cli import write_document


class Command(BaseCommand):
    help = (
        "Write the month's assessment bulletin (考核情况通报) as Word or PDF; --audience for"
        " the copy addressed to the police bureau, the city-management bureau or the district"
        " grid centre, with that role's staff only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", metavar="YYYY-MM", help="the assessed month, e.g. 2026-10")
        parser.add_argument(
            "-o", "--output", metavar="FILE", required=True, help="a .docx or .pdf file to write"
        )
        parser.add_argument(
            "--audience",
            choices=sorted(AUDIENCES),
            help="an addressed copy with that role's staff ranking only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period, audience = str(options["period"]), options.get("audience")
        written = write_document(str(options["output"]), lambda: bulletin(period, audience))
        self.stderr.write(written)
