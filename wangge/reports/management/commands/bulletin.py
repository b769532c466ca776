"""``wangge bulletin YYYY-MM -o FILE [--audience police|sanitation|supervisor]``: the month's
assessment bulletin (考核情况通报) as Word (.docx) or PDF (.pdf), by the file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.reports.bulletin import AUDIENCES, bulletin
from wangge.reports.document import FORMATS, render


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
        output = Path(str(options["output"]))
        if output.suffix.lower() not in FORMATS:
            raise CommandError(
                f"{output.name!r} does not end in .docx or .pdf: the extension picks the format",
                returncode=2,
            )
        try:
            doc = bulletin(str(options["period"]), options.get("audience"))
            data = render(doc, output.suffix)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        except DatabaseError as exc:
            raise CommandError(
                f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
                returncode=1,
            ) from None
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=1) from None
        self.stderr.write(f"Wrote {doc.title} to {output} ({len(data):,} bytes).")
