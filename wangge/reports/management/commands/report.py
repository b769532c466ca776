"""``wangge report self-evaluation --year Y --subdistrict CODE -o FILE``: the annual performance
self-evaluation report (绩效自评报告) of a subdistrict as Word (.docx) or PDF (.pdf), by the
file's extension."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wangge.reports.cli import write_document
from wangge.reports.document import Document
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
        def build() -> Document:
            subdistrict = subdistrict_for(str(options["subdistrict"]))
            return self_evaluation(subdistrict, str(options["year"]))

        self.stderr.write(write_document(str(options["output"]), build))
