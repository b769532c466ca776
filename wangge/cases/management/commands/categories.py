"""``wangge categories import FILE | export [-o FILE] | search QUERY``: the 立案结案标准 as CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.cases.models import Category
from wangge.cases.taxonomy import (
    TaxonomyImportError,
    categories_export,
    categories_import,
    category_search,
)


class Command(BaseCommand):
    help = "Import or export the category taxonomy (部件/事件 and their 立案结案标准) as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export,search}")
        imp = sub.add_parser(
            "import",
            help="add or update categories by code from a CSV file: all rows or none",
        )
        imp.add_argument("file", metavar="FILE", help="UTF-8 CSV file, or - for standard input")
        exp = sub.add_parser("export", help="write every category as CSV (re-importable)")
        exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        find = sub.add_parser("search", help="find categories by name, code, keyword or pinyin")
        find.add_argument("query", metavar="QUERY")
        find.add_argument("-n", "--limit", type=int, default=20, help="at most this many (20)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "import":
                self.import_file(str(options["file"]))
            elif action == "export":
                self.export(options.get("output"))
            else:
                self.search(str(options["query"]), int(options["limit"]))
        except DatabaseError as exc:
            # A missing table or an unreachable server: say so in one line.
            raise CommandError(
                f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
                returncode=1,
            ) from None

    def import_file(self, file: str) -> None:
        label = "standard input" if file == "-" else file
        try:
            source: Path | bytes = sys.stdin.buffer.read() if file == "-" else Path(file)
            result = categories_import(source)
        except TaxonomyImportError as exc:
            for err in exc.errors:
                self.stderr.write(f"  {err}")
            raise CommandError(
                f"import refused: {len(exc.errors)} problem(s) in {label}; nothing was written",
                returncode=1,
            ) from None
        self.stdout.write(
            f"Imported {result.count} categories from {label}: {len(result.created)} new,"
            f" {len(result.updated)} changed, {len(result.unchanged)} unchanged."
        )

    def export(self, output: str | None) -> None:
        text = categories_export()
        if output is None or output == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=1) from None
        self.stderr.write(f"Exported {Category.objects.count()} categories to {output}.")

    def search(self, query: str, limit: int) -> None:
        found = category_search(query, limit)
        if not found:
            raise CommandError(f"no category matches {query!r}", returncode=1)
        for c in found:
            unit = c.default_unit_name or c.get_default_target_display()
            self.stdout.write(
                f"{c.code:<8} {c.name}  [{c.get_kind_display()} · {c.major_name}]"
                f"  {c.time_limit} {c.get_time_unit_display()} → {unit}"
            )
