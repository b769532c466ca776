from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wangge.demo.assessment import build_assessment
from wangge.demo.builder import build
from wangge.demo.cases import generate_cases
from wangge.demo.duty import build_duty
from wangge.demo.equipment import build_equipment
from wangge.demo.finance import build_finance
from wangge.demo.leaders import build_leaders
from wangge.demo.linkage import build_linkage
from wangge.org.models import Grid
from wangge.org.partition import check_subdistrict
from wangge.people.selectors import staff_counts


class Command(BaseCommand):
    help = (
        "Build the 洛龙街道 demo (呈贡区): grids, people, leaders, logins, equipment, cases for"
        " 2018, 2019 and the last twelve months, a week of duty with position tracks, linkage"
        " calls, an alert, leaders' meetings and inspections, and three months of assessment."
        " Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-cases", action="store_true", help="Skip generating cases (a quick run)."
        )
        parser.add_argument(
            "--case-scale",
            type=float,
            default=1.0,
            help="Multiply the number of generated cases (default 1.0).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        result = build()
        sub = Grid.objects.with_org().first().community.subdistrict  # type: ignore[union-attr]
        report = check_subdistrict(sub, staff_counts=staff_counts)
        self.stdout.write(
            f"{sub.district.name} {sub.name}: {result.grids} grids, {report.grids_km2} km²"
            f" (outline {report.outline_km2} km²), {result.people} people; partition check: "
            + ("ok" if report.ok else f"{len(report.problems)} problem(s)")
        )
        self.stdout.write(build_equipment(timezone.now()))
        if not options["no_cases"]:
            # Cases are driven through the workflow services, so they take most of the run.
            self.stdout.write(generate_cases(scale=options["case_scale"]).line())
        # Duty after the cases: the week's tracks end now, with some people on duty now.
        self.stdout.write(build_duty(timezone.now()))
        if not options["no_cases"]:
            self.stdout.write(build_linkage(timezone.now()))
        self.stdout.write(build_leaders(timezone.now()))
        # Last: the assessment reads the cases, duty, linkage and inspections made above.
        self.stdout.write(build_assessment(timezone.now()))
        # After the assessment: this year's wage sheets take its published performance wages.
        self.stdout.write(build_finance(timezone.now()))
        self.stdout.write("")
        self.stdout.write("Logins (demo passwords — change them before real use):")
        width = max(len(u) for u, _, _ in result.logins)
        for username, password, who in result.logins:
            self.stdout.write(f"  {username.ljust(width)}  {password.ljust(width + 7)}  {who}")
