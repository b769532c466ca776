"""``wangge report self-evaluation --year Y --subdistrict CODE -o FILE``: the annual performance
self-evaluation report (绩效自评报告) of a subdistrict as Word (.docx) or PDF (.pdf), by the
file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.reports.document import FORMATS, render
from wangge.reports.self_evaluation import self_evaluation, subdistrict_for

KINDS = ("self-evaluation",)


class Command(BaseCommand):
    help = (
        "Write a report as Word or PDF. self-evaluation: a subdistrict's annual performance"
        " self-evaluation report (绩效自评报告), every number from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="the report to write")
        parser.add_argument("--year", required=True, help="the year reported on, e.g. 2019")
        parser.add_argument(
            "--subdistrict",
            required=True,
            metavar="CODE",
            help="the subdistrict's 9-digit code (district + subdistrict), or its 3 digits"
            " when only one subdistrict has them",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", required=True, help="a .docx or .pdf file to write"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(str(options["output"]))
        if output.suffix.lower() not in FORMATS:
            raise CommandError(
                f"{output.name!r} does not end in .docx or .pdf: the extension picks the format",
                returncode=2,
            )
        try:
            subdistrict = subdistrict_for(str(options["subdistrict"]))
            doc = self_evaluation(subdistrict, str(options["year"]))
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
