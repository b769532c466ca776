"""Duty benchmarks: pings accepted per second (SQLite and PostgreSQL, each beside a raw-insert
baseline of the same rows in the same run) and a month of day summaries for many people.

The SQLite cases run in the runner's own temporary database. The PostgreSQL cases run in a
child process against a throwaway database created (and dropped) on the server named by
``--pg-url`` / ``WANGGE_BENCH_PG_URL`` (default postgres://postgres@127.0.0.1:5432/test);
if the server cannot be reached the rows say "skipped" and nothing fails.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bench.runner import Row, measure

PG_URL = "postgres://postgres@127.0.0.1:5432/test"
TARGET = {"SQLite": 2000, "PostgreSQL": 5000}
# About 1 km cells east of the other benchmarks' lattices.
ORIGIN = (103.8, 25.5)
CELL = 0.01


def _grids(n: int) -> list[Any]:
    from bench import synthetic
    from wangge.core.geo import area_km2, from_geojson
    from wangge.org.models import Community, District, Grid, Subdistrict

    polys, outline = synthetic.cells(n, origin=ORIGIN, seed=7)
    district, _ = District.objects.get_or_create(code="530199", defaults={"name": "基准区"})
    sub = Subdistrict.objects.create(
        district=district, code="950", name="在岗基准街道", geometry=outline
    )
    comms = [
        Community.objects.create(subdistrict=sub, code=f"{k + 1:03d}", name=f"在岗社区{k + 1}")
        for k in range((n + 99) // 100)
    ]
    return Grid.objects.bulk_create(
        Grid(
            community=comms[k // 100],
            code=f"{comms[k // 100].full_code}{k % 100 + 1:03d}",
            name=f"在岗网格{k + 1}",
            geometry=poly,
            area_km2=round(area_km2(from_geojson(poly)), 4),
        )
        for k, poly in enumerate(polys)
    )


def _people(n: int, prefix: str) -> list[Any]:
    from wangge.people.models import Person

    return Person.objects.bulk_create(
        Person(name=f"{prefix}{k}", start_date=dt.date(2019, 1, 1)) for k in range(n)
    )


def _note(rate: float, target: int, raw: float) -> str:
    ok = rate >= target and rate >= raw / 2
    return (
        f"{rate:,.0f}/s; target ≥{target:,}/s and ≥ half raw ({raw / 2:,.0f}/s):"
        f" {'met' if ok else 'NOT met'}"
    )


def ping_rows(label: str, devices: int, batches: int, per_batch: int, seed: int) -> list[Row]:
    """record_pings for every device's batches, and the raw executemany of the same rows."""
    from django.db import connection, transaction
    from django.utils import timezone

    from wangge.field.duty.models import Ping
    from wangge.field.duty.services import record_pings

    people = _people(devices, f"{label}设备")
    now = timezone.now()
    rng = random.Random(seed)
    west, south = ORIGIN
    plan: list[tuple[Any, list[dict[str, Any]]]] = []
    for b in range(batches):
        for d, person in enumerate(people):
            batch = []
            for k in range(per_batch):
                at = now - dt.timedelta(hours=2) + dt.timedelta(seconds=(b * per_batch + k) * 30)
                batch.append(
                    {
                        "client_id": f"{d}-{b}-{k}-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
                        "at": at.isoformat(),
                        "lon": west + rng.random() * CELL,
                        "lat": south + rng.random() * CELL,
                        "accuracy": 10.0,
                    }
                )
            plan.append((person, batch))
    total = devices * batches * per_batch
    ops = connection.ops

    def clear() -> None:
        Ping.objects.filter(person__in=people).delete()

    def service() -> tuple[Callable[[], Any], int]:
        clear()

        def op() -> None:
            for person, batch in plan:
                record_pings(person=person, pings=batch, now=now)

        return op, total

    rows_raw = [
        [
            (
                person.pk,
                p["client_id"],
                ops.adapt_datetimefield_value(dt.datetime.fromisoformat(p["at"])),
                p["lon"],
                p["lat"],
                p["accuracy"],
                ops.adapt_datetimefield_value(now),
            )
            for p in batch
        ]
        for person, batch in plan
    ]
    table = Ping._meta.db_table
    sql = (
        f"INSERT INTO {table} (person_id, client_id, at, lon, lat, accuracy, received_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )

    def raw() -> tuple[Callable[[], Any], int]:
        clear()

        def op() -> None:
            for rows in rows_raw:  # one transaction per device batch, as record_pings
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, rows)

        return op, total

    shape = f"{devices} devices × {batches} × {per_batch}"
    base = measure(f"raw executemany, {label}, {shape}", raw, memory=False)
    mine = measure(f"record_pings, {label}, {shape}", service, memory=False)
    clear()
    raw_rate = base.n / base.seconds if base.seconds else math.inf
    rate = mine.n / mine.seconds if mine.seconds else math.inf
    base.note = f"{raw_rate:,.0f} rows/s (baseline)"
    mine.note = _note(rate, TARGET.get(label, 0), raw_rate)
    return [base, mine]


def postgres_rows(url: str, devices: int, batches: int, per_batch: int, seed: int) -> list[Row]:
    """The ping benchmark on PostgreSQL, in a child process and a throwaway database."""
    from bench.pg import NotRun, run_child

    shape = f"{devices} devices × {batches} × {per_batch}"
    names = [f"raw executemany, PostgreSQL, {shape}", f"record_pings, PostgreSQL, {shape}"]
    if not url:
        return [
            Row(n, 0, math.nan, math.nan, note="skipped: no PostgreSQL URL given") for n in names
        ]
    code = f"from bench.duty import _child; _child({devices}, {batches}, {per_batch}, {seed})"
    try:
        if url:
            return [
                Row(**item) for item in run_child(url, code, prefix="wangge_bench", timeout=1800)
            ]
    except NotRun as exc:
        reason = str(exc)
    return [Row(n, 0, math.nan, math.nan, note=reason) for n in names]


def _child(devices: int, batches: int, per_batch: int, seed: int) -> None:
    """In the child process: migrate the throwaway database, run, print the rows as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    rows = ping_rows("PostgreSQL", devices, batches, per_batch, seed)
    from django.db import connections

    connections.close_all()
    print(json.dumps([asdict(r) for r in rows]))


def summary_row(people: int, days: int, interval_s: int, seed: int) -> Row:
    """A month (``days``) of day summaries for ``people``: sessions 08:00–16:00 each day with a
    ping every ``interval_s`` seconds walking around the own grid, some excursions (pings are
    written straight to the table: this times the summaries, not the writing)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from wangge.field.duty.models import DutySession, Ping
    from wangge.field.duty.summary import summaries

    n_grids = max(1, people // 10)
    grids = _grids(n_grids)
    persons = _people(people, "巡查员")
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    last_day = timezone.localdate() - dt.timedelta(days=1)
    first_day = last_day - dt.timedelta(days=days - 1)
    ops = connection.ops
    received = ops.adapt_datetimefield_value(timezone.now())
    table = Ping._meta.db_table
    sql = (
        f"INSERT INTO {table} (person_id, client_id, at, lon, lat, accuracy, received_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    steps = int(8 * 3600 / interval_s)
    pings = 0
    for first in range(0, len(persons), 50):  # written 50 people at a time: bounded memory
        sessions = []
        rows: list[tuple[Any, ...]] = []
        for k, person in enumerate(persons[first : first + 50], start=first):
            grid = grids[k % len(grids)]
            ring = grid.geometry["coordinates"][0]
            cx = sum(p[0] for p in ring[:-1]) / 4
            cy = sum(p[1] for p in ring[:-1]) / 4
            for d in range(days):
                day = first_day + dt.timedelta(days=d)
                start = dt.datetime.combine(day, dt.time(8), tzinfo=tz)
                sessions.append(
                    DutySession(
                        person=person,
                        grid=grid,
                        role="supervisor",
                        started_at=start,
                        ended_at=start + dt.timedelta(hours=8),
                        client_id=f"bench-{person.pk}-{d}",
                    )
                )
                # A patrol along a street lattice around the grid's middle, 1.2 m/s, turning now
                # and then; one day in ten a 4-ping trip next door (an excursion).
                x, y = cx, cy
                heading = rng.randrange(4)
                step = 1.2 * interval_s / 111_000  # degrees, roughly
                out_from = rng.randrange(steps) if rng.random() < 0.1 else -1
                for s in range(steps):
                    if rng.random() < 0.25:
                        heading = (heading + rng.choice((1, 3))) % 4
                    dx, dy = ((1, 0), (0, 1), (-1, 0), (0, -1))[heading]
                    x = min(max(x + dx * step, cx - 0.35 * CELL), cx + 0.35 * CELL)
                    y = min(max(y + dy * step, cy - 0.35 * CELL), cy + 0.35 * CELL)
                    off = out_from <= s < out_from + 4 and out_from >= 0
                    at = start + dt.timedelta(seconds=s * interval_s)
                    rows.append(
                        (
                            person.pk,
                            f"{d}-{s}",
                            ops.adapt_datetimefield_value(at),
                            x + (CELL if off else 0),
                            y,
                            10.0,
                            received,
                        )
                    )
        with transaction.atomic():
            DutySession.objects.bulk_create(sessions, batch_size=2000)
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        pings += len(rows)

    def case() -> tuple[Callable[[], Any], int]:
        return (lambda: summaries(persons, first_day, last_day)), people * days

    row = measure(f"day summaries, {people} people × {days} days", case, memory=False)
    row.note = f"{pings:,} pings (one per {interval_s} s on duty); no target: the time"
    return row
