"""One month's assessment for a city: ``assessment.services.assess(month)`` for every community
and every member of staff, beside a raw SQL aggregate over the same rows in the same run.

The city: ``--grids`` grids (3,000) in communities of 15 and subdistricts of 100 (an office
each, plus district departments), ``--staff`` people (20,000; a fifth each of the five roles,
a role in a grid each; the supervisors with a login, as they report), ``--cases`` cases over
the last 12 months with a handler, a handling unit and (a third) a reporter, some key cases
under oversight, and the assessed month's stored duty days (``DutyDay``) for everyone. The
default schemes come from the migrations. Rows are written with COPY on PostgreSQL (executemany
on SQLite): building the city must not take longer than the benchmark.

The baseline: one SQL statement grouping the month's cases by community, handling unit,
handler and reporter (the counts the figures need) and summing the duty days per person — the
least any implementation reads. Targets (issue 5, "Scale"): the month in under 30 s, and within
3× the baseline.

  python -m bench.assessment                       # PostgreSQL, 2.5 million cases
  python -m bench.assessment --cases 300000        # a smaller city
  python -m bench.assessment --sqlite              # SQLite in a temporary folder (150,000)
  python -m bench.assessment --profile 25          # and where the time goes (cProfile)
  python -m bench.assessment --keep wangge_city    # build once into that database, keep it;
                                                   # the same again times the month only

On PostgreSQL a throwaway database is created (and dropped) on the server at ``--pg-url``
(postgres://postgres@127.0.0.1:5432/test), and the run happens in a child process.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import math
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from typing import Any

PG_URL = "postgres://postgres@127.0.0.1:5432/test"
TARGET_S = 30.0
TARGET_RATIO = 3.0
ORIGIN = (104.2, 26.5)  # about 1 km cells east of the other benchmarks' lattices
ROLES = ("supervisor", "enforcer", "sanitation", "police", "community_worker")
DEFAULT_CASES = {"postgresql": 2_500_000, "sqlite": 150_000}
CHUNK = 50_000


# --- writing rows fast -------------------------------------------------------------------------


def _write(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    from wangge.core.bulk import insert_rows

    return insert_rows(model, columns, rows)


def _ids(model: Any, **filters: Any) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


# --- the city ----------------------------------------------------------------------------------


def month_before(now: dt.datetime) -> tuple[str, dt.date, dt.date]:
    """The last full month before ``now``: its label, first and last day."""
    from django.utils import timezone

    today = timezone.localtime(now).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    return f"{first:%Y-%m}", first, last


def build(grids: int, staff: int, cases: int, seed: int, now: dt.datetime) -> dict[str, int]:
    """The synthetic city in the current (migrated) database; returns what was written."""
    from django.db import connection

    from bench.city import city_org
    from wangge.cases.models import Case, Oversight
    from wangge.field.duty.models import DutyDay
    from wangge.org.models import Grid, HandlingUnit
    from wangge.people.models import GridRole, Person

    rng = random.Random(seed)
    t0 = time.perf_counter()

    def say(what: str) -> None:
        print(f"  {what} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)

    district, subs, comms = city_org(
        grids,
        seed=seed,
        origin=ORIGIN,
        district_code="530197",
        district_name="考核基准区",
        prefix="考核",
    )
    grid_rows = list(
        Grid.objects.filter(community__in=comms)
        .order_by("pk")
        .values_list("pk", "community_id", "community__subdistrict_id")
    )
    offices = {
        s.pk: HandlingUnit.objects.create(
            level=HandlingUnit.Level.SUBDISTRICT,
            name=f"{s.name}综治办",
            district=district,
            subdistrict=s,
        ).pk
        for s in subs
    }
    departments = [
        HandlingUnit.objects.create(
            level=HandlingUnit.Level.DISTRICT, name=f"区部门{k + 1}", district=district
        ).pk
        for k in range(20)
    ]
    say(f"{len(grid_rows)} grids, {len(comms)} communities, {len(subs)} subdistricts")

    # Staff: person k holds role ROLES[k % 5] in grid k % grids; supervisors log in.
    from django.contrib.auth import get_user_model

    User = get_user_model()
    n_sup = (staff + 4) // 5
    _write(
        User,
        ["username", "password", "is_active"],
        ((f"bench-sup-{k}", "!", True) for k in range(n_sup)),
    )
    user_ids = _ids(User, username__startswith="bench-sup-")
    start = dt.date(2020, 1, 1)
    _write(
        Person,
        ["name", "start_date", "user_id"],
        ((f"考核员{k:05d}", start, user_ids[k // 5] if k % 5 == 0 else None) for k in range(staff)),
    )
    person_ids = _ids(Person, name__startswith="考核员")
    _write(
        GridRole,
        ["person_id", "grid_id", "role", "start_date"],
        (
            (pid, grid_rows[k % len(grid_rows)][0], ROLES[k % 5], start)
            for k, pid in enumerate(person_ids)
        ),
    )
    # Who handles in a grid: its enforcer or sanitation worker (the first ones of the grid).
    handlers: dict[int, list[int]] = {}
    for k, pid in enumerate(person_ids):
        if ROLES[k % 5] in ("enforcer", "sanitation"):
            handlers.setdefault(grid_rows[k % len(grid_rows)][0], []).append(pid)
    reporters = {grid_rows[k % len(grid_rows)][0]: user_ids[k // 5] for k in range(0, staff, 5)}
    say(f"{len(person_ids):,} staff, {len(user_ids):,} logins")

    # Cases over the last 12 months (the same life cycles as bench.dashboard's).
    hour = dt.timedelta(hours=1)
    key_numbers: list[str] = []

    def case_rows() -> Iterator[tuple[Any, ...]]:
        for k in range(cases):
            gid, cid, sid = grid_rows[rng.randrange(len(grid_rows))]
            reported = now - dt.timedelta(seconds=rng.randrange(365 * 86400))
            roll = rng.random()
            filed = dispatched = handled = closed = due = None
            on_time, rework, status, ext = None, 0, "reported", 0
            if roll < 0.04:
                status = "self_handled"
            elif roll < 0.08:
                status = "rejected"
            elif reported < now - 2 * hour:
                filed, dispatched = reported + hour, reported + 2 * hour
                due = dispatched + 48 * hour
                ext = 1 if rng.random() < 0.03 else 0
                if now - reported > dt.timedelta(days=5) or rng.random() < 0.5:
                    handled = dispatched + rng.uniform(1, 60) * hour
                    if handled < now:
                        closed = handled + 2 * hour
                        on_time = handled <= due
                        rework = 1 if rng.random() < 0.05 else 0
                        status = "evaluated" if rng.random() < 0.7 else "closed"
                        if closed > now:
                            closed, on_time, status = None, None, "handled"
                    else:
                        handled, status = None, "handling"
                else:
                    status = rng.choice(("dispatched", "handling"))
            is_key = status in ("dispatched", "handling") and rng.random() < 0.05
            number = f"8{k:015d}"
            if is_key and len(key_numbers) < 5000:
                key_numbers.append(number)
            unit = offices[sid] if rng.random() < 0.7 else rng.choice(departments)
            mine = handlers.get(gid)
            handler = rng.choice(mine) if mine and filed is not None else None
            reporter = reporters.get(gid) if rng.random() < 0.33 else None
            yield (
                number, "supervisor", status, "基准案件", "104.2", "26.5", gid, cid, sid,
                reporter, unit if filed else None, handler, reported, filed, dispatched,
                handled, closed, due, on_time, rework, ext, is_key,
            )  # fmt: skip

    written = _write(
        Case,
        ["number", "source", "status", "description", "lon", "lat", "grid_id", "community_id",
         "subdistrict_id", "reporter_id", "handling_unit_id", "handler_id", "reported_at",
         "filed_at", "dispatched_at", "handled_at", "closed_at", "handling_due_at", "on_time",
         "rework_count", "extension_count", "is_key"],
        case_rows(),
    )  # fmt: skip
    say(f"{written:,} cases")
    keyed = list(Case.objects.filter(number__in=key_numbers).values_list("pk", flat=True))
    Oversight.objects.bulk_create(
        (
            Oversight(
                case_id=pk, deadline=now - dt.timedelta(days=rng.randint(1, 60)), demand="限期"
            )
            for pk in keyed
        ),
        batch_size=2000,
    )

    # The assessed month's duty days for everyone, as the nightly job stores them.
    _label, first, last = month_before(now)
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]

    def duty_rows() -> Iterator[tuple[Any, ...]]:
        for k, pid in enumerate(person_ids):
            gid = grid_rows[k % len(grid_rows)][0]
            role = ROLES[k % 5]
            for day in days:
                if day.weekday() == 6:  # Sunday: off
                    yield (pid, day, None, "", 0.0, 0.0, 0.0, 0.0, 0, 0, 0.0, 0.0, now)
                    continue
                missed = 1 if rng.random() < 0.02 else 0
                on = 420.0 - 210 * missed
                online = on * rng.uniform(0.85, 1.0)
                off = rng.choice((0.0, 0.0, 0.0, 0.0, rng.uniform(5, 60)))
                yield (
                    pid, day, gid, role, on, online, off, 420.0, 2, missed,
                    rng.uniform(3000, 12000), rng.uniform(0.3, 0.9), now,
                )  # fmt: skip

    n_days = _write(
        DutyDay,
        ["person_id", "date", "grid_id", "role", "on_duty_minutes", "online_minutes",
         "off_post_minutes", "planned_minutes", "shifts", "missed_shifts", "distance_m",
         "coverage", "computed_at"],
        duty_rows(),
    )  # fmt: skip
    say(f"{n_days:,} stored duty days")
    with connection.cursor() as cursor:  # fresh statistics for the planner
        cursor.execute("ANALYZE")
    return {
        "grids": len(grid_rows),
        "communities": len(comms),
        "staff": len(person_ids),
        "cases": written,
        "duty_days": n_days,
    }


# --- the baseline ------------------------------------------------------------------------------


def baseline_sql() -> str:
    """One statement: the month's case counts by community, unit, handler and reporter, and the
    duty days summed per person (parameters: start, end, start, end, first day, last day)."""
    from wangge.cases.models import Case
    from wangge.field.duty.models import DutyDay

    case, duty = Case._meta.db_table, DutyDay._meta.db_table
    counts = (
        "COUNT(*) FILTER (WHERE reported_at >= %(s)s AND reported_at < %(e)s),"
        " COUNT(*) FILTER (WHERE closed_at >= %(s)s AND closed_at < %(e)s),"
        " COUNT(*) FILTER (WHERE closed_at >= %(s)s AND closed_at < %(e)s AND on_time),"
        " COUNT(*) FILTER (WHERE handling_due_at < %(e)s AND handled_at <= handling_due_at),"
        " SUM(rework_count)"
    )
    where = (
        f"FROM {case} WHERE (reported_at >= %(s)s AND reported_at < %(e)s)"
        " OR (closed_at >= %(s)s AND closed_at < %(e)s)"
        " OR (handling_due_at < %(e)s AND (closed_at IS NULL OR closed_at >= %(s)s))"
    )
    parts = [
        f"SELECT '{name}', {column}, {counts} {where} GROUP BY {column}"
        for name, column in (
            ("community", "community_id"),
            ("unit", "handling_unit_id"),
            ("handler", "handler_id"),
            ("reporter", "reporter_id"),
        )
    ]
    parts.append(
        f"SELECT 'person', person_id, COUNT(*), SUM(missed_shifts), 0, 0, SUM(online_minutes)"
        f" FROM {duty} WHERE date >= %(f)s AND date <= %(l)s GROUP BY person_id"
    )
    return " UNION ALL ".join(parts)


def time_baseline(start: dt.datetime, end: dt.datetime, first: dt.date, last: dt.date) -> float:
    from django.db import connection

    sql = baseline_sql()
    adapt = connection.ops.adapt_datetimefield_value
    params = {"s": adapt(start), "e": adapt(end), "f": first, "l": last}
    best = math.inf
    for _ in range(3):  # the best of three: the same warm cache as the assessment's
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        best = min(best, time.perf_counter() - began)
    return best


# --- the run -----------------------------------------------------------------------------------


def _already_built() -> dict[str, int] | None:
    """What a kept database holds (``--keep``), or None when it is empty."""
    from wangge.cases.models import Case
    from wangge.field.duty.models import DutyDay
    from wangge.org.models import Community, Grid
    from wangge.people.models import Person

    if not Case.objects.exists():
        return None
    return {
        "grids": Grid.objects.count(),
        "communities": Community.objects.count(),
        "staff": Person.objects.count(),
        "cases": Case.objects.count(),
        "duty_days": DutyDay.objects.count(),
    }


def run(
    grids: int, staff: int, cases: int, seed: int, profile: int, label: str, keep: str = ""
) -> dict[str, Any]:
    """Build the city in the current (migrated) database, then time the month and the baseline.
    With ``keep`` a city already there is used as it is (its assessment runs are deleted)."""
    from django.db import connection
    from django.utils import timezone

    from wangge.assessment.models import AssessmentRun, Score
    from wangge.assessment.services import assess
    from wangge.cases.rates import Period

    now = timezone.now()
    began = time.perf_counter()
    found = _already_built() if keep else None
    if found is None:
        built = build(grids, staff, cases, seed, now)
    else:
        built = found
        Score.objects.all().delete()
        AssessmentRun.objects.all().delete()
        print(f"  using the city kept in {keep}: {found}", file=sys.stderr, flush=True)
    build_s = time.perf_counter() - began
    month, first, last = month_before(now)
    period = Period.month(month)
    baseline = time_baseline(period.start, period.end, first, last)
    print(f"  baseline {baseline:.2f} s", file=sys.stderr, flush=True)

    profiler = cProfile.Profile() if profile else None
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    runs = assess(month, now=now)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - began
    scores = Score.objects.filter(run__in=runs).count()
    # The values alone (every computed indicator of every scheme, fresh caches; no score
    # written, no ranking): the part that reads the cases and the duty days.
    from wangge.assessment import computations
    from wangge.assessment.services import leaves, subjects_of

    began = time.perf_counter()
    ctx = computations.Context(period, now=now)
    for item in runs:
        ids = [s.id for s in subjects_of(item.scheme, period)]
        for indicator in leaves(item.scheme):
            if indicator.source:
                computations.compute(indicator.source, ids, ctx)
    values_s = time.perf_counter() - began
    # Again: a draft recomputed (every score already there: updates instead of inserts).
    began = time.perf_counter()
    assess(month, now=now)
    again = time.perf_counter() - began
    report = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        report = out.getvalue()
    return {
        "label": label,
        "vendor": connection.vendor,
        "built": built,
        "build_s": build_s,
        "month": month,
        "runs": len(runs),
        "scores": scores,
        "seconds": seconds,
        "again_s": again,
        "values_s": values_s,
        "baseline_s": baseline,
        "profile": report,
    }


def table(result: dict[str, Any]) -> str:
    b = result["built"]
    ratio = result["seconds"] / result["baseline_s"] if result["baseline_s"] > 0 else math.inf
    ratio_again = result["again_s"] / result["baseline_s"] if result["baseline_s"] > 0 else math.inf

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        f"wangge assessment benchmark ({result['label']}): {b['grids']:,} grids,"
        f" {b['communities']:,} communities, {b['staff']:,} staff, {b['cases']:,} cases over a"
        f" year, {b['duty_days']:,} stored duty days (built in {result['build_s']:.0f} s)",
        f"month {result['month']}: {result['runs']} schemes, {result['scores']:,} scores",
        "",
        f"{'what':<44} {'seconds':>9} {'× baseline':>11}  target",
        "-" * 90,
        f"{'raw SQL aggregate over the same rows':<44} {result['baseline_s']:>9.2f} {1:>11.1f}",
        f"{'assess(month), first draft':<44} {result['seconds']:>9.2f} {ratio:>11.1f}  "
        f"< {TARGET_S:.0f} s: {verdict(result['seconds'] < TARGET_S)};"
        f" ≤ {TARGET_RATIO:.0f}× baseline: {verdict(ratio <= TARGET_RATIO)}",
        f"{'  of which the values (no score written)':<44} {result['values_s']:>9.2f}"
        f" {result['values_s'] / result['baseline_s']:>11.1f}",
        f"{'assess(month), the draft recomputed':<44} {result['again_s']:>9.2f}"
        f" {ratio_again:>11.1f}"
        f"  < {TARGET_S:.0f} s: {verdict(result['again_s'] < TARGET_S)};"
        f" ≤ {TARGET_RATIO:.0f}× baseline: {verdict(ratio_again <= TARGET_RATIO)}",
    ]
    if result.get("profile"):
        lines += ["", "where the time goes (cProfile, first draft, cumulative):", result["profile"]]
    return "\n".join(lines)


# --- PostgreSQL in a child process ---------------------------------------------------------------


def postgres_run(url: str, **sizes: Any) -> dict[str, Any] | str:
    """The run on PostgreSQL in a throwaway database; the result, or why it was not run."""
    from bench.pg import NotRun, run_child

    code = f"from bench.assessment import _child; _child({json.dumps(sizes)!r})"
    try:
        result: dict[str, Any] = run_child(
            url, code, prefix="wangge_assess", keep=str(sizes.get("keep") or "")
        )
    except NotRun as exc:
        return str(exc)
    return result


def _child(sizes_json: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    result = run(**json.loads(sizes_json), label="PostgreSQL")
    connections.close_all()
    print(json.dumps(result))


# --- the command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.assessment",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--grids", type=int, default=3000)
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument(
        "--cases", type=int, default=0, help="cases over the year (2.5 million; 150,000 on SQLite)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of cProfile")
    parser.add_argument("--pg-url", default=PG_URL, help=f"the PostgreSQL server ({PG_URL})")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary folder")
    parser.add_argument(
        "--keep",
        default="",
        metavar="NAME",
        help="PostgreSQL: build the city in the database NAME and keep it; a later run with the"
        " same NAME times the month again without building (drop it yourself when done)",
    )
    args = parser.parse_args(argv)
    if args.keep and (args.sqlite or not args.keep.replace("_", "").isalnum()):
        parser.error("--keep takes a database name of letters, digits and _, on PostgreSQL")
    vendor = "sqlite" if args.sqlite else "postgresql"
    cases = args.cases or DEFAULT_CASES[vendor]
    if min(args.grids, args.staff, cases) < 1:
        parser.error("sizes must be at least 1")
    sizes = {
        "grids": args.grids,
        "staff": args.staff,
        "cases": cases,
        "seed": args.seed,
        "profile": args.profile,
    }
    if args.keep:
        sizes["keep"] = args.keep
    if args.sqlite:
        from bench.runner import setup_django

        with tempfile.TemporaryDirectory(prefix="wangge-assess-") as data_dir:
            print(f"building the city in {data_dir} …", file=sys.stderr, flush=True)
            setup_django(data_dir)
            result: dict[str, Any] | str = run(**sizes, label="SQLite")
            from django.db import connections

            connections.close_all()
    else:
        print("building the city on PostgreSQL …", file=sys.stderr, flush=True)
        result = postgres_run(args.pg_url, **sizes)
    if isinstance(result, str):
        print(f"wangge assessment benchmark: {result}")
        return
    print(table(result))


if __name__ == "__main__":
    main()
