"""Duty for the demo: a weekly roster for every current five-role member, and the last seven
days of sign-ons and position pings (a patrol walking around inside the own grid, one ping a
minute), with a few excursions out of the grid, a few missed shifts, and some people on duty
right now; the finished days are recorded as stored duty days (what the assessment reads).
Deterministic for a given ``now``; skipped when duty data already exists.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import shapely
from django.db import transaction
from django.utils import timezone

from wangge.core.geo import from_geojson
from wangge.field.duty.models import DutySession, Ping, Shift, ShiftException
from wangge.field.duty.services import datetime_adapter, insert_ping_rows, record_days
from wangge.people.models import GridRole

# The weekly roster: Monday to Saturday, two shifts a day; Sunday off.
SHIFTS = ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
WORKDAYS = range(6)
DAYS = 7  # today and the six days before
PING_S = 60
STEP_M = 40.0  # a patrol with stops: about 0.7 m/s between two pings a minute apart
METRES_PER_DEGREE = 111_195.0


def _walk(
    rng: random.Random, geom: shapely.Geometry, start: tuple[float, float], n: int
) -> list[tuple[float, float]]:
    """n positions of a patrol turning now and then, never leaving the polygon."""
    x, y = start
    k = math.cos(math.radians(y))
    heading = rng.uniform(0, 2 * math.pi)
    out = []
    for _ in range(n):
        for _attempt in range(8):
            if rng.random() < 0.2:
                heading += rng.choice((-1, 1)) * math.pi / 2
            nx = x + math.cos(heading) * STEP_M / (METRES_PER_DEGREE * k)
            ny = y + math.sin(heading) * STEP_M / METRES_PER_DEGREE
            if shapely.contains_xy(geom, nx, ny):
                x, y = nx, ny
                break
            heading += math.pi / 2 + rng.uniform(-0.5, 0.5)
        jitter = 5 / METRES_PER_DEGREE
        out.append((x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)))
    return out


def build_duty(now: dt.datetime) -> str:
    """Create the demo's roster, sessions and pings; one line saying what was made."""
    if Shift.objects.exists() or DutySession.objects.exists() or Ping.objects.exists():
        return "duty: data already exists, skipped"
    tz = timezone.get_current_timezone()
    now = timezone.localtime(now, tz)
    today = now.date()
    roles = list(
        GridRole.objects.active_on(today)
        .select_related("person", "grid")
        .order_by("person_id", "start_date")
    )
    seen: set[int] = set()
    members = []
    for r in roles:
        if r.person_id in seen or r.grid.geometry is None:
            continue
        if r.person.end_date is not None and r.person.end_date < today:
            continue
        seen.add(r.person_id)
        members.append(r)
    if not members:
        return "duty: no five-role members to put on duty, skipped"
    rng = random.Random(f"duty:{today.isoformat()}")
    first_day = today - dt.timedelta(days=DAYS - 1)
    shifts = [
        Shift(
            person_id=r.person_id,
            grid_id=r.grid_id,
            role=r.role,
            weekday=weekday,
            start_time=start,
            end_time=end,
            valid_from=max(r.start_date, first_day - dt.timedelta(days=28)),
        )
        for r in members
        for weekday in WORKDAYS
        for start, end in SHIFTS
    ]
    # A few roster changes: a day off (so nothing is missed), and an extra Sunday shift.
    exceptions = []
    for r in rng.sample(members, min(3, len(members))):
        day = first_day + dt.timedelta(days=rng.randrange(DAYS))
        exceptions.append(
            ShiftException(person_id=r.person_id, date=day, kind="off", reason="调休")
        )
    # Who leaves the grid for a while (day index, person), who misses an afternoon.
    excursions = {
        (rng.randrange(DAYS), r.person_id) for r in rng.sample(members, min(6, len(members)))
    }
    missed = {
        (rng.randrange(DAYS - 1), r.person_id) for r in rng.sample(members, min(5, len(members)))
    }
    # Who is on duty right now, whatever the hour: a third of the members.
    now_on = {r.person_id for r in members[::3]}
    off_days = {(e.person_id, e.date) for e in exceptions}

    sessions: list[DutySession] = []
    pings: list[tuple[object, ...]] = []
    adapt = datetime_adapter()
    shapes = {}
    for r in members:
        if r.grid_id not in shapes:
            geom = from_geojson(r.grid.geometry)
            shapely.prepare(geom)
            shapes[r.grid_id] = geom
        geom = shapes[r.grid_id]
        home = geom.representative_point()
        _west, _south, east, north = geom.bounds
        periods: list[tuple[dt.datetime, dt.datetime, bool]] = []
        for d in range(DAYS):
            day = first_day + dt.timedelta(days=d)
            if day.weekday() not in WORKDAYS or (r.person_id, day) in off_days:
                continue
            for k, (start_t, end_t) in enumerate(SHIFTS):
                if k == 1 and (d, r.person_id) in missed:
                    continue  # did not come in the afternoon: a missed shift
                # Sign on a few minutes late or early, sign off around the end.
                start = dt.datetime.combine(day, start_t, tzinfo=tz) + dt.timedelta(
                    minutes=rng.randint(-5, 10)
                )
                end = dt.datetime.combine(day, end_t, tzinfo=tz) + dt.timedelta(
                    minutes=rng.randint(-10, 5)
                )
                if start >= now:
                    continue
                periods.append((start, min(end, now), end > now))
        if r.person_id in now_on and not any(is_open for _s, _e, is_open in periods):
            # On duty now even outside the roster's hours (an evening patrol, say).
            periods.append((now - dt.timedelta(minutes=90), now, True))
        elif r.person_id not in now_on:
            periods = [(s, e, False) for s, e, _o in periods]
        periods.sort()
        for n, (start, end, is_open) in enumerate(periods):
            if n + 1 < len(periods) and periods[n + 1][0] < end:
                end = periods[n + 1][0] - dt.timedelta(minutes=1)  # no overlaps
                is_open = False
            if end <= start:
                continue
            sessions.append(
                DutySession(
                    person_id=r.person_id,
                    grid_id=r.grid_id,
                    role=r.role,
                    started_at=start,
                    ended_at=None if is_open else end,
                    start_lon=round(home.x, 7),
                    start_lat=round(home.y, 7),
                    client_id=f"demo-{r.person_id}-{start:%Y%m%d%H%M}",
                )
            )
            count = max(1, int((end - start).total_seconds() // PING_S))
            track = _walk(rng, geom, (home.x, home.y), count)
            d = (start.date() - first_day).days
            if (d, r.person_id) in excursions and count > 60:
                excursions.discard((d, r.person_id))  # one excursion that day
                # 15–30 minutes about 300 m east of the grid, somewhere in the session.
                length = rng.randint(15, 30)
                at = rng.randrange(10, count - length - 5)
                for i in range(at, at + length):
                    track[i] = (
                        east + 300 / (METRES_PER_DEGREE * math.cos(math.radians(north))),
                        track[i][1],
                    )
            for i, (lon, lat) in enumerate(track):
                at_time = start + dt.timedelta(seconds=i * PING_S)
                pings.append(
                    (
                        r.person_id,
                        f"demo-{r.person_id}-{at_time:%Y%m%d%H%M%S}",
                        adapt(at_time),
                        round(lon, 7),
                        round(lat, 7),
                        round(rng.uniform(3, 15), 1),
                        adapt(at_time + dt.timedelta(seconds=rng.randint(1, 40))),
                    )
                )
    with transaction.atomic():
        Shift.objects.bulk_create(shifts, batch_size=2000)
        ShiftException.objects.bulk_create(exceptions)
        DutySession.objects.bulk_create(sessions, batch_size=2000)
        insert_ping_rows(pings)
    # The days already over, stored as the nightly job would have (today is computed live).
    recorded = sum(record_days(first_day + dt.timedelta(days=k), now=now) for k in range(DAYS - 1))
    on_now = sum(1 for s in sessions if s.ended_at is None)
    return (
        f"duty: {len(shifts)} weekly shifts for {len(members)} people, {len(sessions)} sessions"
        f" and {len(pings):,} pings over {DAYS} days, {on_now} on duty now;"
        f" {recorded} duty days recorded"
    )
