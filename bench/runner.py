"""Run the benchmarks and print one table: name, n, total seconds, µs per operation, peak MB.

Each case runs twice: once timed, once under tracemalloc for the peak of Python allocations
(tracemalloc slows the code it watches, so the two are not measured together). GEOS keeps
its geometries in C memory, which tracemalloc does not see: the MB column is Python's share.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A case prepares its data (untimed) and returns the operation to time and its count.
Case = Callable[[], tuple[Callable[[], Any], int]]


@dataclass
class Row:
    name: str
    n: int
    seconds: float
    peak_mb: float
    note: str = ""

    @property
    def per_op_us(self) -> float:
        return self.seconds / self.n * 1e6 if self.n else 0.0


def measure(name: str, case: Case, *, memory: bool = True) -> Row:
    """Time the case; with ``memory`` run it a second time under tracemalloc for the peak
    (without: the peak is not measured, for the long database cases)."""
    op, n = case()
    start = time.perf_counter()
    op()
    seconds = time.perf_counter() - start
    if not memory:
        print(f"  {name}: {seconds:.3f} s", file=sys.stderr, flush=True)
        return Row(name, n, seconds, math.nan)

    op, n = case()
    tracemalloc.start()
    try:
        op()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    row = Row(name, n, seconds, peak / 1e6)
    print(f"  {name}: {seconds:.3f} s", file=sys.stderr, flush=True)
    return row


def _num(value: float, width: int, digits: int) -> str:
    return f"{'—':>{width}}" if math.isnan(value) else f"{value:>{width}.{digits}f}"


def table(rows: list[Row]) -> str:
    width = max([40, *(len(r.name) for r in rows)])
    head = (
        f"{'benchmark':<{width}} {'n':>7} {'total s':>9} {'per op µs':>11} {'peak MB':>8}  {'note'}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        per_op = math.nan if math.isnan(r.seconds) else r.per_op_us
        lines.append(
            f"{r.name:<{width}} {r.n:>7} {_num(r.seconds, 9, 3)} {_num(per_op, 11, 1)}"
            f" {_num(r.peak_mb, 8, 1)}  {r.note}".rstrip()
        )
    return "\n".join(lines)


def setup_django(data_dir: str) -> None:
    # Before anything imports the settings: a throwaway SQLite database in a temporary folder.
    os.environ["WANGGE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def run(sizes: list[int], points: int, db_points: int, import_grids: int, seed: int) -> list[Row]:
    # Imported after django.setup().
    from shapely.geometry import Point

    from bench import synthetic
    from wangge.core.geo import area_km2, from_geojson
    from wangge.org import locate
    from wangge.org.models import Community, District, Grid, Subdistrict
    from wangge.org.services import grids_export, grids_import
    from wangge.org.territory import Territory
    from wangge.web.checks import partition_reports

    district = District.objects.create(code="530199", name="基准区")
    rows: list[Row] = []

    def subdistrict(code: int, name: str, outline: dict[str, Any]) -> Subdistrict:
        geom = from_geojson(outline)
        return Subdistrict.objects.create(
            district=district,
            code=f"{code:03d}",
            name=name,
            geometry=outline,
            area_km2=round(area_km2(geom), 4),
        )

    def communities(sub: Subdistrict, n_grids: int) -> list[Community]:
        # At most 100 grids a community: the grid sequence has three digits.
        count = (n_grids + 99) // 100
        return [
            Community.objects.create(subdistrict=sub, code=f"{k + 1:03d}", name=f"基准社区{k + 1}")
            for k in range(count)
        ]

    def build(sub: Subdistrict, polys: list[dict[str, Any]]) -> None:
        """Bulk-write a lattice (the import benchmark times the checked path)."""
        comms = communities(sub, len(polys))
        Grid.objects.bulk_create(
            Grid(
                community=comms[k // 100],
                code=f"{comms[k // 100].full_code}{k % 100 + 1:03d}",
                name=f"基准网格{k + 1}",
                geometry=poly,
                area_km2=round(area_km2(from_geojson(poly)), 4),
                properties={"synthetic": True},
            )
            for k, poly in enumerate(polys)
        )
        locate.invalidate()

    def bench_lattice(idx: int, n: int) -> None:
        polys, outline = synthetic.cells(n, seed=seed + idx)
        sub = subdistrict(idx + 1, f"基准街道{n}", outline)
        build(sub, polys)
        west, south, east, north = synthetic.bbox(outline)
        rng = random.Random(seed)
        pts = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(points)]
        shapely_pts = [Point(x, y) for x, y in pts]
        db_pts = pts[:db_points]

        def index_build() -> tuple[Callable[[], Any], int]:
            locate.invalidate()
            return (lambda: locate.grid_id_at(Point(pts[0]))), 1

        def index_lookups() -> tuple[Callable[[], Any], int]:
            locate.grid_id_at(shapely_pts[0])  # built beforehand: steady state only

            def op() -> None:
                for p in shapely_pts:
                    locate.grid_id_at(p)

            return op, len(shapely_pts)

        def tree_only() -> tuple[Callable[[], Any], int]:
            tree = locate._get_index().tree

            def op() -> None:
                for p in shapely_pts:
                    tree.query(p, predicate="intersects")

            return op, len(shapely_pts)

        def full_locate() -> tuple[Callable[[], Any], int]:
            locate.grid_id_at(shapely_pts[0])

            def op() -> None:
                # The whole path a case report takes: parse, index, fetch grid and parents.
                # Points in the bbox but outside the jagged outline answer "outside".
                for x, y in db_pts:
                    with contextlib.suppress(locate.OutsideJurisdiction):
                        locate.locate(x, y)

            return op, len(db_pts)

        def check() -> tuple[Callable[[], Any], int]:
            territory = Territory(subdistrict_ids=frozenset([sub.pk]))

            def op() -> None:
                [report] = partition_reports(territory)
                if report.problems:
                    raise SystemExit(f"the synthetic lattice has problems: {report.problems[:3]}")

            return op, 1

        rows.append(measure(f"locate index build, {n} grids", index_build))
        rows.append(measure(f"STRtree query only, {n} grids", tree_only))
        # grid_id_at() also asks the database whether the grids changed, once per lookup.
        rows.append(measure(f"grid_id_at(), {n} grids", index_lookups))
        rows.append(measure(f"locate() with DB fetch, {n} grids", full_locate))
        rows.append(measure(f"partition check, {n} grids", check))
        # Each size on its own: the next lattice's index and check must not include these.
        Grid.objects.filter(community__subdistrict=sub).delete()
        locate.invalidate()

    for idx, n in enumerate(sizes):
        bench_lattice(idx, n)

    polys, outline = synthetic.cells(import_grids, seed=seed + 100)
    sub = subdistrict(900, f"导入街道{import_grids}", outline)
    comms = communities(sub, import_grids)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": poly,
                "properties": {
                    "code": f"{comms[k // 100].full_code}{k % 100 + 1:03d}",
                    "name": f"导入网格{k + 1}",
                    "community": comms[k // 100].full_code,
                },
            }
            for k, poly in enumerate(polys)
        ],
    }

    def import_case() -> tuple[Callable[[], Any], int]:
        Grid.objects.filter(community__subdistrict=sub).delete()
        return (lambda: grids_import(collection)), import_grids

    def export_case() -> tuple[Callable[[], Any], int]:
        return (lambda: grids_export(Grid.objects.all())), Grid.objects.count()

    rows.append(measure(f"GeoJSON import, {import_grids} grids", import_case))
    rows.append(measure(f"GeoJSON export, {import_grids} grids", export_case))
    return rows


def positive_ints(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers of at least 1")
    return values


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes", type=positive_ints, default=[15, 1000], help="grids per lattice (15,1000)"
    )
    parser.add_argument("--points", type=int, default=10_000, help="random points to locate")
    parser.add_argument(
        "--db-points",
        type=int,
        default=2000,
        help="points for the full locate() (a few database queries each)",
    )
    parser.add_argument("--import-grids", type=int, default=1000, help="grids in the import file")
    parser.add_argument("--seed", type=int, default=1)
    group = parser.add_argument_group("duty (pings and day summaries)")
    group.add_argument("--devices", type=int, default=2000, help="devices sending pings (2000)")
    group.add_argument("--batches", type=int, default=2, help="batches per device (2)")
    group.add_argument("--batch-size", type=int, default=50, help="pings per batch (50)")
    group.add_argument(
        "--summary-people", type=int, default=1000, help="people for the summaries (1000)"
    )
    group.add_argument("--summary-days", type=int, default=30, help="days of summaries (30)")
    group.add_argument(
        "--summary-interval",
        type=int,
        default=120,
        help="seconds between the synthetic pings of the summary data (120)",
    )
    group.add_argument(
        "--pg-url",
        default=os.environ.get("WANGGE_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL server for the ping benchmark (a throwaway database is created and"
        " dropped there; env WANGGE_BENCH_PG_URL; empty: skip)",
    )
    args = parser.parse_args(argv)
    if min(args.points, args.db_points, args.import_grids) < 1:
        parser.error("--points, --db-points and --import-grids must be at least 1")
    if (
        min(
            args.devices,
            args.batches,
            args.batch_size,
            args.summary_people,
            args.summary_days,
            args.summary_interval,
        )
        < 1
    ):
        parser.error("the duty sizes must be at least 1")

    with tempfile.TemporaryDirectory(prefix="wangge-bench-") as data_dir:
        print(f"building data in {data_dir} …", file=sys.stderr, flush=True)
        setup_django(data_dir)
        rows = run(
            args.sizes, args.points, min(args.db_points, args.points), args.import_grids, args.seed
        )
        from bench import duty

        rows += duty.ping_rows("SQLite", args.devices, args.batches, args.batch_size, args.seed)
        rows.append(
            duty.summary_row(
                args.summary_people, args.summary_days, args.summary_interval, args.seed
            )
        )
        from django.db import connections

        connections.close_all()
        rows += duty.postgres_rows(
            args.pg_url, args.devices, args.batches, args.batch_size, args.seed
        )
    print(
        f"wangge benchmarks — Python {platform.python_version()}, {os.cpu_count()} CPU(s),"
        f" SQLite unless a row names PostgreSQL, {args.points} random points (locate() on the"
        f" first {args.db_points})"
    )
    print(table(rows))
