"""``wangge grids check | import FILE | export [-o FILE]``.

It lives in the web app, the outermost layer, because the check composes two apps: org checks
the geometry and people counts the staff on each roster (wangge.web.checks).
"""

from __future__ import annotations

import json
import math
import sys
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.org.models import Grid, Subdistrict
from wangge.org.partition import Spread, SubdistrictReport
from wangge.org.services import ImportError_, grids_export, grids_import
from wangge.org.territory import Territory
from wangge.web.checks import partition_reports


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two, so Chinese names line up in the table."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def json_safe(value: Any) -> Any:
    """Replace inf/NaN (a spread ratio over a zero minimum) with null: JSON has no Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _spread_text(spread: Spread | None, unit: str) -> str:
    if spread is None:
        return "-"
    # No ratio when the smallest value is 0 (a grid nobody staffs yet).
    ratio = f"{spread.ratio:g}×" if spread.ratio is not None else "n/a"
    return (
        f"min {spread.minimum:g}{unit}, max {spread.maximum:g}{unit}, mean {spread.mean:g}{unit},"
        f" max/min {ratio}, cv {spread.cv:g}"
    )


def format_report(report: SubdistrictReport) -> str:
    outline = f"{report.outline_km2:g} km²" if report.outline_km2 is not None else "no outline"
    lines = [
        f"{report.name} ({report.code}): {report.grid_count} grids,"
        f" {report.grids_km2:g} km² in grids, outline {outline}"
        f" — {'OK' if report.ok else f'{len(report.problems)} problem(s)'}",
    ]
    if report.problems:
        lines.append("  Problems:")
        for p in report.problems:
            where = f" at ({p.where['lon']}, {p.where['lat']})" if p.where else ""
            area = f" [{p.area_m2:,.1f} m²]" if p.area_m2 else ""
            lines.append(f"    {p.kind:<11} {p.message}{area}{where}")
    if report.load:
        with_cases = any(gl.cases is not None for gl in report.load)
        name_w = max(display_width("name"), *(display_width(gl.name) for gl in report.load))
        lines.append("  Workload:")
        header = f"    {'code':<15}  {pad('name', name_w)}  {'area km²':>9}  {'staff':>5}"
        lines.append(header + (f"  {'cases':>5}" if with_cases else ""))
        for gl in report.load:
            row = f"    {gl.code:<15}  {pad(gl.name, name_w)}  {gl.area_km2:>9.4f}  {gl.staff:>5}"
            lines.append(row + (f"  {gl.cases or 0:>5}" if with_cases else ""))
        lines.append(f"  Area spread:  {_spread_text(report.area_spread, ' km²')}")
        lines.append(f"  Staff spread: {_spread_text(report.staff_spread, '')}")
        if report.case_spread is not None:
            lines.append(f"  Case spread:  {_spread_text(report.case_spread, '')}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Check the partition of the grids, or import/export them as GeoJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,import,export}")
        check = sub.add_parser(
            "check",
            help="report invalid polygons, overlaps, gaps, grids outside the outline and the"
            " workload per grid; exit 1 when anything is wrong",
        )
        check.add_argument(
            "--subdistrict", metavar="CODE", help="only this subdistrict (9-digit code or name)"
        )
        check.add_argument("--json", action="store_true", help="print the reports as JSON")
        imp = sub.add_parser(
            "import", help="import a GeoJSON FeatureCollection: all features or none"
        )
        imp.add_argument("file", metavar="FILE", help="GeoJSON file, or - for standard input")
        exp = sub.add_parser("export", help="export every grid as a GeoJSON FeatureCollection")
        exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "check":
                self.check_partition(options.get("subdistrict"), bool(options.get("json")))
            elif action == "import":
                self.import_file(str(options["file"]))
            else:
                self.export(options.get("output"))
        except DatabaseError as exc:
            # A missing table or an unreachable server: say so in one line.
            raise CommandError(
                f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
                returncode=1,
            ) from None

    # check ------------------------------------------------------------------------------------

    def check_partition(self, subdistrict: str | None, as_json: bool) -> None:
        territory = Territory.all()
        if subdistrict:
            territory = Territory(subdistrict_ids=frozenset([self._subdistrict_id(subdistrict)]))
        reports = partition_reports(territory)
        problems = sum(len(r.problems) for r in reports)
        if as_json:
            payload = {"ok": problems == 0, "subdistricts": [r.as_dict() for r in reports]}
            self.stdout.write(json.dumps(json_safe(payload), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                "\n\n".join(format_report(r) for r in reports)
                or "No subdistricts yet: nothing to check."
            )
        if problems:
            raise CommandError(f"{problems} problem(s) in the partition", returncode=1)

    def _subdistrict_id(self, value: str) -> int:
        value = value.strip()
        matches = [
            s.pk
            for s in Subdistrict.objects.select_related("district")
            if value in (s.full_code, s.name)
        ]
        if len(matches) != 1:
            known = ", ".join(
                f"{s.full_code} {s.name}" for s in Subdistrict.objects.select_related("district")
            )
            reason = "several subdistricts are named" if matches else "no subdistrict"
            raise CommandError(
                f"{reason} {value!r}; give the 9-digit code (known: {known or 'none'})",
                returncode=2,
            )
        return matches[0]

    # import -----------------------------------------------------------------------------------

    def import_file(self, file: str) -> None:
        data = read_json(file)
        try:
            result = grids_import(data)
        except ImportError_ as exc:
            for err in exc.errors:
                self.stderr.write(f"  {err.message}")
            raise CommandError(
                f"import refused: {len(exc.errors)} problem(s) in {file}; nothing was written",
                returncode=1,
            ) from None
        except DomainError as exc:
            raise CommandError(f"import refused: {exc.message}", returncode=1) from None
        self.stdout.write(
            f"Imported {result.count} grids: {len(result.created)} new,"
            f" {len(result.updated)} updated."
        )

    # export -----------------------------------------------------------------------------------

    def export(self, output: str | None) -> None:
        data = grids_export(Grid.objects.all())
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if output is None or output == "-":
            self.stdout.write(text)
            return
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=1) from None
        self.stderr.write(f"Exported {len(data['features'])} grids to {output}.")


def read_json(file: str) -> Any:
    """The parsed contents of FILE (or stdin for -), or a one-line CommandError."""
    label = "standard input" if file == "-" else file
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {label}: {exc.strerror}", returncode=1) from None
    try:
        # utf-8-sig: a byte-order mark left by a Windows editor is not an error.
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CommandError(f"{label} is not UTF-8 text", returncode=1) from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{label} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            returncode=1,
        ) from None
