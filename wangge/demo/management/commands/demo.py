from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from wangge.demo.builder import build
from wangge.org.models import Grid
from wangge.org.partition import check_subdistrict
from wangge.people.selectors import staff_counts


class Command(BaseCommand):
    help = "Build the 洛龙街道 demo (呈贡区): grids, people, leaders, logins. Safe to run twice."

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
        self.stdout.write("")
        self.stdout.write("Logins (demo passwords — change them before real use):")
        width = max(len(u) for u, _, _ in result.logins)
        for username, password, who in result.logins:
            self.stdout.write(f"  {username.ljust(width)}  {password.ljust(width + 7)}  {who}")
