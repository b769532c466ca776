"""A person's duty day in numbers: the figures the assessment reads (在岗在线, 脱岗, 漏岗).

Every figure is for one person and one calendar day in the platform's time zone (00:00 to
24:00), computed from the duty sessions (sign-on to sign-off), the position pings and the
planned shifts (weekly roster plus exceptions). The thresholds come from ``DutyRules`` (admin).

Definitions:

- **on_duty_minutes**: the union of the person's sessions, clipped to the day. A session still
  open counts up to now (or to the end of the day, whichever is first).
- **online_minutes**: time during sessions covered by pings: for each pair of consecutive pings
  inside the same session, the time between them counts when it is no longer than the *online
  gap*; a longer gap is offline. A single lone ping counts nothing.
- **off_post_minutes**: the sum of the counted *excursions*. A position is off post when it is
  farther than the *off-post tolerance* outside the polygon of the grid the session is in.
  An excursion is a run of consecutive off-post pings within a session; it starts at the first
  off-post ping and ends at the next ping back on post (or at the last off-post ping when the
  session's pings end outside). Excursions shorter than the *minimum excursion* are GPS noise
  and not counted. ``excursions`` lists the counted ones (start, end, minutes).
- **shifts**: the shifts planned that day. **missed_shifts**: those already over whose on-duty
  share (time in any session during the shift ÷ the shift's length) is below the *missed-shift
  threshold*. A shift that has not ended yet is not judged.
- **distance_m**: the sum of distances between consecutive pings of the same session, in a
  local metric projection (equirectangular around the grid's centre: well under 0.1 % error at
  the size of a grid), leaving out jumps faster than the *maximum plausible speed* (GPS errors).
- **coverage** (0..1): the patrol track in the day's main grid (the grid with the most on-duty
  time), split at offline gaps and implausible jumps, buffered by the *patrol buffer* on either
  side, intersected with the grid polygon, divided by the grid's area (both in the same local
  metric projection).

Pings outside every session do not count for any figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from wangge.core.geo import from_geojson
from wangge.field.duty.models import DutyRules, DutySession, Ping
from wangge.field.duty.selectors import PlannedShift, planned_shifts_many
from wangge.org.models import Grid
from wangge.people.models import Person

EARTH_RADIUS_M = 6_371_008.8
PERSONS_PER_CHUNK = 100  # summaries() reads pings for this many people at a time
TRACK_CHUNK = 16  # segments per stretch of track buffered at once (coverage)
TRACK_CHUNK_MOVING = 64  # the same when the steps are longer than half the patrol buffer


@dataclass(frozen=True)
class Excursion:
    start: dt.datetime
    end: dt.datetime
    minutes: float


@dataclass
class DaySummary:
    person_id: int
    date: dt.date
    on_duty_minutes: float = 0.0
    online_minutes: float = 0.0
    off_post_minutes: float = 0.0
    missed_shifts: int = 0
    shifts: int = 0
    distance_m: float = 0.0
    coverage: float = 0.0
    grid_id: int | None = None
    excursions: list[Excursion] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person_id,
            "date": self.date.isoformat(),
            "on_duty_minutes": round(self.on_duty_minutes, 1),
            "online_minutes": round(self.online_minutes, 1),
            "off_post_minutes": round(self.off_post_minutes, 1),
            "missed_shifts": self.missed_shifts,
            "shifts": self.shifts,
            "distance_m": round(self.distance_m, 1),
            "coverage": round(self.coverage, 4),
            "excursions": [
                {
                    "start": e.start.isoformat(),
                    "end": e.end.isoformat(),
                    "minutes": round(e.minutes, 1),
                }
                for e in self.excursions
            ],
        }


class _Frame:
    """A grid in a local metric frame: metres east and north of its centre."""

    def __init__(self, geometry: dict[str, Any] | None) -> None:
        self.shape: BaseGeometry | None = None
        self.area = 0.0
        if geometry:
            geom = from_geojson(geometry)
            centre = geom.centroid
            self.lon0, self.lat0 = centre.x, centre.y
            self.shape = shapely.transform(geom, self.project)
            shapely.prepare(self.shape)
            self.area = float(self.shape.area)
        else:
            self.lon0, self.lat0 = 0.0, 0.0

    def project(self, lonlat: np.ndarray) -> np.ndarray:
        """[[lon, lat], …] → [[x, y], …] in metres around the grid's centre."""
        if self.shape is None and self.lon0 == 0.0 and len(lonlat):
            self.lon0, self.lat0 = float(lonlat[0, 0]), float(lonlat[0, 1])
        k = math.pi / 180 * EARTH_RADIUS_M
        out = np.empty_like(lonlat, dtype=float)
        out[:, 0] = (lonlat[:, 0] - self.lon0) * k * math.cos(math.radians(self.lat0))
        out[:, 1] = (lonlat[:, 1] - self.lat0) * k
        return out


@dataclass
class _Rules:
    online_gap_s: float
    tolerance_m: float
    min_excursion_s: float
    missed_share: float
    buffer_m: float
    max_speed_ms: float

    @classmethod
    def load(cls) -> _Rules:
        r = DutyRules.load()
        return cls(
            online_gap_s=float(r.online_gap_s),
            tolerance_m=float(r.off_post_tolerance_m),
            min_excursion_s=float(r.min_excursion_min) * 60,
            missed_share=float(r.missed_shift_share),
            buffer_m=float(r.patrol_buffer_m),
            max_speed_ms=float(r.max_speed_kmh) / 3.6,
        )


def _day_bounds(day: dt.date) -> tuple[float, float]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
    return start.timestamp(), end.timestamp()


def _union_length(intervals: list[tuple[float, float]]) -> float:
    total, reach = 0.0, -math.inf
    for start, end in sorted(intervals):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def _overlap(intervals: list[tuple[float, float]], start: float, end: float) -> float:
    clipped = [(max(s, start), min(e, end)) for s, e in intervals if e > start and s < end]
    return _union_length(clipped)


def _moment(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, tz=timezone.get_current_timezone())


def _compute(
    person_id: int,
    day: dt.date,
    sessions: list[tuple[int, float, float]],
    pings: np.ndarray,
    planned: list[PlannedShift],
    frames: dict[int, _Frame],
    rules: _Rules,
    now_ts: float,
) -> DaySummary:
    """One person-day. ``sessions``: (grid id, start, end) in epoch seconds, already clipped to
    the day; ``pings``: rows (t, lon, lat) of the day sorted by t."""
    out = DaySummary(person_id=person_id, date=day, shifts=len(planned))
    spans = [(s, e) for _g, s, e in sessions]
    out.on_duty_minutes = _union_length(spans) / 60
    for shift in planned:
        start, end = shift.start.timestamp(), shift.end.timestamp()
        if end > now_ts or end <= start:
            continue
        if _overlap(spans, start, end) / (end - start) < rules.missed_share:
            out.missed_shifts += 1

    time_in_grid: dict[int, float] = defaultdict(float)
    tracks: dict[int, list[BaseGeometry]] = defaultdict(list)
    online = distance = off_post = 0.0
    t_all = pings[:, 0] if len(pings) else np.empty(0)
    for grid_id, s_start, s_end in sessions:
        time_in_grid[grid_id] += s_end - s_start
        lo = int(np.searchsorted(t_all, s_start, side="left"))
        hi = int(np.searchsorted(t_all, s_end, side="right"))
        part = pings[lo:hi]
        if len(part) == 0:
            continue
        frame = frames[grid_id]
        t = part[:, 0]
        xy = frame.project(part[:, 1:3])
        gaps = np.diff(t)
        online += float(gaps[gaps <= rules.online_gap_s].sum())
        steps = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            speed = np.where(gaps > 0, steps / np.where(gaps > 0, gaps, 1), np.inf)
        jump = (speed > rules.max_speed_ms) & (steps > 0)
        distance += float(steps[~jump].sum())
        # The track for coverage: pieces between offline gaps and jumps.
        breaks = np.flatnonzero(jump | (gaps > rules.online_gap_s)) + 1
        for piece in np.split(xy, breaks):
            if len(piece) == 1:
                tracks[grid_id].append(shapely.points(piece[0]))
            # Overlapping stretches, buffered one by one then merged: GEOS buffers one long
            # self-crossing line (someone standing still for hours: GPS jitter) very slowly.
            # Short stretches where the steps are short (jitter), longer ones when walking.
            moving = (
                len(piece) > 1
                and float(np.median(np.hypot(*np.diff(piece, axis=0).T))) >= rules.buffer_m / 2
            )
            size = TRACK_CHUNK_MOVING if moving else TRACK_CHUNK
            for k in range(0, len(piece) - 1, size):
                tracks[grid_id].append(shapely.linestrings(piece[k : k + size + 1]))
        if frame.shape is None:
            continue
        far = shapely.distance(frame.shape, shapely.points(xy)) > rules.tolerance_m
        if not far.any():
            continue
        edges = np.diff(np.concatenate(([0], far.astype(np.int8), [0])))
        for first, stop in zip(
            np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True
        ):
            begin = float(t[first])
            finish = float(t[stop]) if stop < len(t) else float(t[stop - 1])
            if finish - begin >= rules.min_excursion_s and finish > begin:
                off_post += finish - begin
                out.excursions.append(
                    Excursion(_moment(begin), _moment(finish), (finish - begin) / 60)
                )
    out.online_minutes = online / 60
    out.distance_m = distance
    out.off_post_minutes = off_post / 60
    if time_in_grid:
        main = max(time_in_grid, key=lambda g: time_in_grid[g])
        out.grid_id = main
        frame = frames[main]
        if frame.shape is not None and frame.area > 0 and tracks.get(main):
            covered = shapely.union_all(
                shapely.buffer(np.array(tracks[main], dtype=object), rules.buffer_m, quad_segs=4)
            )
            out.coverage = min(1.0, float(covered.intersection(frame.shape).area) / frame.area)
    return out


_NO_PINGS = np.empty((0, 3))


def _epoch_sql(column: str) -> str:
    """SQL for a datetime column as epoch seconds (a float), so rows need no conversion."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    if connection.vendor == "sqlite":
        # Django stores UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]": whole seconds, plus the fraction.
        return f"(CAST(strftime('%%s', {column}) AS REAL) + CAST(substr({column}, 20) AS REAL))"
    # settings accept only these two (DATABASE_URL); say so if that ever changes.
    raise ImproperlyConfigured(
        f"duty summaries read pings with SQL for SQLite or PostgreSQL, not {connection.vendor}"
    )


def _ping_rows(
    person_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, np.ndarray]:
    """Each person's pings in [start, end) as an array of (epoch seconds, lon, lat) by time.

    One query; the values come straight from the cursor (no model or converter per row).
    """
    if not person_ids:
        return {}
    table = Ping._meta.db_table
    marks = ", ".join(["%s"] * len(person_ids))
    sql = (
        f"SELECT person_id, {_epoch_sql('at')}, lon, lat FROM {table}"
        f" WHERE person_id IN ({marks}) AND at >= %s AND at < %s ORDER BY person_id, at"
    )
    params = [
        *person_ids,
        connection.ops.adapt_datetimefield_value(start),
        connection.ops.adapt_datetimefield_value(end),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchall()
    if not data:
        return {}
    arr = np.array(data, dtype=float)
    ids = arr[:, 0].astype(np.int64)
    cuts = np.flatnonzero(np.diff(ids)) + 1
    return {int(part[0, 0]): part[:, 1:4].copy() for part in np.split(arr, cuts) if len(part)}


def summaries(
    persons: Iterable[Person | int],
    first_day: dt.date,
    last_day: dt.date,
    *,
    now: dt.datetime | None = None,
) -> list[DaySummary]:
    """Day summaries for many people and days, person by person and day by day.

    A few bulk queries per chunk of people (sessions, pings, shifts, exceptions, grids), not per
    person-day.
    """
    ids = sorted({p if isinstance(p, int) else p.pk for p in persons})
    if last_day < first_day:
        return []
    rules = _Rules.load()
    now_ts = (now or timezone.now()).timestamp()
    window_start, _ = _day_bounds(first_day)
    _, window_end = _day_bounds(last_day)
    start_dt, end_dt = _moment(window_start), _moment(window_end)
    days = [first_day + dt.timedelta(days=k) for k in range((last_day - first_day).days + 1)]
    bounds = {day: _day_bounds(day) for day in days}
    frames: dict[int, _Frame] = {}
    result: list[DaySummary] = []
    for k in range(0, len(ids), PERSONS_PER_CHUNK):
        chunk = ids[k : k + PERSONS_PER_CHUNK]
        sessions: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
        for pid, grid_id, started, ended in (
            DutySession.objects.filter(person_id__in=chunk, started_at__lt=end_dt)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start_dt))
            .values_list("person_id", "grid_id", "started_at", "ended_at")
        ):
            end = ended.timestamp() if ended is not None else now_ts
            sessions[pid].append((grid_id, started.timestamp(), end))
        missing = {g for items in sessions.values() for g, _s, _e in items} - frames.keys()
        for gid, geometry in Grid.objects.filter(pk__in=missing).values_list("pk", "geometry"):
            frames[gid] = _Frame(geometry)
        rows = _ping_rows(chunk, start_dt, end_dt)
        planned = planned_shifts_many(chunk, first_day, last_day)
        for pid in chunk:
            arr = rows.pop(pid, _NO_PINGS)
            mine = sessions.get(pid, [])
            for day in days:
                d_start, d_end = bounds[day]
                clipped = [
                    (g, max(s, d_start), min(e, d_end, now_ts))
                    for g, s, e in mine
                    if s < d_end and e > d_start and min(e, d_end, now_ts) > max(s, d_start)
                ]
                if len(arr):
                    lo, hi = np.searchsorted(arr[:, 0], [d_start, d_end], side="left")
                    day_pings = arr[int(lo) : int(hi)]
                else:
                    day_pings = arr
                result.append(
                    _compute(
                        pid,
                        day,
                        clipped,
                        day_pings,
                        planned.get((pid, day), []),
                        frames,
                        rules,
                        now_ts,
                    )
                )
    return result


def day_summary(
    person: Person | int, day: dt.date, *, now: dt.datetime | None = None
) -> DaySummary:
    """The summary of one person's day (see the module's definitions)."""
    [summary] = summaries([person], day, day, now=now)
    return summary
