"""Changes to duty: sign on, sign off (each idempotent on the device's client id), positions,
the roster, and the stored duty days (``record_days``)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.geo import parse_point
from wangge.field.duty.models import DutyDay, DutyRules, DutySession, Ping, Shift
from wangge.org.models import Grid
from wangge.people.models import GridRole, Person


def _coordinate(value: float) -> Decimal:
    return Decimal(str(round(float(value), 7)))


def check_serving(person: Person, day: dt.date) -> None:
    """A person who has left (or not started yet) sends nothing that counts."""
    if person.end_date is not None and person.end_date < day:
        raise Forbidden(
            gettext("%(name)s left on %(date)s and can no longer go on duty or report")
            % {"name": person.name, "date": person.end_date.isoformat()}
        )
    if person.start_date is not None and person.start_date > day:
        raise Forbidden(
            gettext("%(name)s starts on %(date)s")
            % {"name": person.name, "date": person.start_date}
        )


def sign_on(
    *,
    person: Person,
    client_id: str,
    lon: Any = None,
    lat: Any = None,
    grid: Grid | None = None,
    role: str | None = None,
    at: dt.datetime | None = None,
) -> DutySession:
    """Go on duty in one of the person's roles (the only one, unless grid and role say which).

    Retrying with the same client id gives back the same session.
    """
    client_id = (client_id or "").strip()
    if not 8 <= len(client_id) <= 64:
        raise DomainError(gettext("the client id must be 8 to 64 characters"), field="client_id")
    existing = DutySession.objects.filter(person=person, client_id=client_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext("a sign-on cannot come from the future"), field="at")
    day = timezone.localdate(at)
    check_serving(person, day)
    roles = GridRole.objects.active_on(day).filter(person=person).select_related("grid")
    if grid is not None:
        roles = roles.filter(grid=grid)
    if role is not None:
        roles = roles.filter(role=role)
    choices = list(roles)
    if not choices:
        raise DomainError(
            gettext("%(name)s holds no role in a grid on %(date)s to go on duty in")
            % {"name": person.name, "date": day.isoformat()},
            field="role",
        )
    if len(choices) > 1:
        raise DomainError(
            gettext("%(name)s holds several roles: say which grid and role to go on duty in")
            % {"name": person.name},
            field="role",
        )
    assignment = choices[0]
    point = parse_point(lon, lat) if lon is not None or lat is not None else None
    try:
        with transaction.atomic():
            return DutySession.objects.create(
                person=person,
                grid=assignment.grid,
                role=assignment.role,
                started_at=at,
                start_lon=_coordinate(point.x) if point else None,
                start_lat=_coordinate(point.y) if point else None,
                client_id=client_id,
            )
    except IntegrityError:
        again = DutySession.objects.filter(person=person, client_id=client_id).first()
        if again is not None:
            return again
        raise Conflict(
            gettext("%(name)s is already on duty: sign off first") % {"name": person.name},
            field="client_id",
        ) from None


def sign_off(
    *, person: Person, lon: Any = None, lat: Any = None, at: dt.datetime | None = None
) -> DutySession:
    """End the person's open session; signing off again returns the last one unchanged."""
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext("a sign-off cannot come from the future"), field="at")
    session = DutySession.objects.open().filter(person=person).first()
    if session is None:
        last = DutySession.objects.filter(person=person).order_by("-started_at").first()
        if last is None:
            raise DomainError(
                gettext("%(name)s is not on duty") % {"name": person.name}, field="person"
            )
        return last
    if at < session.started_at:
        raise DomainError(gettext("the sign-off is before the sign-on"), field="at")
    point = parse_point(lon, lat) if lon is not None or lat is not None else None
    session.ended_at = at
    session.end_lon = _coordinate(point.x) if point else None
    session.end_lat = _coordinate(point.y) if point else None
    session.save(update_fields=["ended_at", "end_lon", "end_lat", "updated_at"])
    return session


# --- pings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PingResult:
    """What became of a batch: how many came, how many were new, how many were seen before."""

    received: int
    stored: int
    duplicates: int


@dataclass(frozen=True)
class PingProblem:
    """One bad point of a refused batch: its position in the batch, the field, what is wrong."""

    index: int
    field: str
    message: str


class PingBatchError(DomainError):
    """The whole batch was refused (nothing written); ``errors`` lists every bad point.

    Each item has ``index``, ``field`` (``pings[3].lat``) and ``message``, so the API's error
    handler renders them as its ``errors`` list.
    """

    def __init__(self, problems: list[PingProblem]) -> None:
        first = problems[0]
        message = gettext(
            "the batch was refused and nothing was stored: %(n)s bad point(s); the first:"
            " %(problem)s"
        ) % {"n": len({p.index for p in problems}), "problem": first.message}
        super().__init__(message, field=first.field, code="invalid_pings")
        self.errors = problems


def _number(value: Any) -> float | None:
    """A finite float from a JSON number (not a bool, not a string), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        # A device without an offset means local time (the platform's time zone).
        moment = timezone.make_aware(moment)
    return moment


_NUMBER = (float, int)


def _fast_ping(
    raw: Any, earliest: dt.datetime, latest: dt.datetime
) -> tuple[str, dt.datetime, float, float, float | None] | None:
    """The common case, quickly: a well-formed point, or None to look closer."""
    try:
        client_id = raw["client_id"]
        text = raw["at"]
        lon = raw["lon"]
        lat = raw["lat"]
        accuracy = raw.get("accuracy")
        if (
            type(client_id) is not str
            or type(text) is not str
            or type(lon) not in _NUMBER
            or type(lat) not in _NUMBER
        ):
            return None
        client_id = client_id.strip()
        if not 0 < len(client_id) <= 64:
            return None
        at = dt.datetime.fromisoformat(text.strip())
        if at.tzinfo is None or not earliest <= at <= latest:
            return None
        lon, lat = float(lon), float(lat)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also False for NaN
            return None
        if accuracy is not None:
            if type(accuracy) not in _NUMBER or not 0 <= accuracy < math.inf:
                return None
            accuracy = float(accuracy)
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    return client_id, at, lon, lat, accuracy


def datetime_adapter() -> Any:
    """How the database wants an aware datetime (SQLite: UTC text, as Django stores it)."""
    if connection.vendor == "sqlite":
        utc = dt.UTC

        def to_text(value: dt.datetime) -> str:
            return str(value.astimezone(utc).replace(tzinfo=None))

        return to_text
    return connection.ops.adapt_datetimefield_value


def _check_ping(
    index: int, raw: Any, earliest: dt.datetime, latest: dt.datetime, rules: DutyRules
) -> tuple[tuple[str, dt.datetime, float, float, float | None] | None, list[PingProblem]]:
    """One point parsed, or the problems found in it."""
    problems: list[PingProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(
            PingProblem(index, f"pings[{index}].{name}" if name else f"pings[{index}]", message)
        )

    if not isinstance(raw, dict):
        bad("", gettext("point %(n)s is not a JSON object") % {"n": index})
        return None, problems
    client_id = raw.get("client_id")
    if not isinstance(client_id, str) or not client_id.strip():
        bad("client_id", gettext("point %(n)s has no client id") % {"n": index})
    elif len(client_id.strip()) > 64:
        bad(
            "client_id",
            gettext("point %(n)s: the client id is longer than 64 characters") % {"n": index},
        )
    at = _moment(raw.get("at"))
    if at is None:
        bad(
            "at",
            gettext("point %(n)s: the time must be an ISO-8601 date and time, got %(value)s")
            % {"n": index, "value": repr(raw.get("at"))},
        )
    elif at < earliest:
        bad(
            "at",
            gettext("point %(n)s is from %(at)s, more than %(h)s hours ago")
            % {"n": index, "at": at.isoformat(), "h": rules.max_age_h},
        )
    elif at > latest:
        bad(
            "at",
            gettext(
                "point %(n)s is from %(at)s, more than %(m)s minutes in the future:"
                " check the phone's clock"
            )
            % {"n": index, "at": at.isoformat(), "m": rules.max_future_min},
        )
    lon = _number(raw.get("lon"))
    lat = _number(raw.get("lat"))
    if lon is None:
        bad(
            "lon",
            gettext("point %(n)s: the longitude must be a finite number, got %(value)s")
            % {"n": index, "value": repr(raw.get("lon"))},
        )
    elif not -180 <= lon <= 180:
        bad(
            "lon",
            gettext("point %(n)s: longitude %(lon)s is out of range -180..180")
            % {"n": index, "lon": lon},
        )
    if lat is None:
        bad(
            "lat",
            gettext("point %(n)s: the latitude must be a finite number, got %(value)s")
            % {"n": index, "value": repr(raw.get("lat"))},
        )
    elif not -90 <= lat <= 90:
        bad(
            "lat",
            gettext("point %(n)s: latitude %(lat)s is out of range -90..90")
            % {"n": index, "lat": lat},
        )
    accuracy: float | None = None
    if raw.get("accuracy") is not None:
        accuracy = _number(raw.get("accuracy"))
        if accuracy is None or accuracy < 0:
            bad(
                "accuracy",
                gettext(
                    "point %(n)s: the accuracy must be a number of metres, 0 or more, got %(value)s"
                )
                % {"n": index, "value": repr(raw.get("accuracy"))},
            )
    if problems:
        return None, problems
    assert isinstance(client_id, str) and at is not None and lon is not None and lat is not None
    return (client_id.strip(), at, lon, lat, accuracy), problems


def record_pings(
    *, person: Person, pings: list[dict[str, Any]], now: dt.datetime | None = None
) -> PingResult:
    """Store a batch of positions from the person's handheld, each once.

    The whole batch is checked first; one bad point refuses it all (PingBatchError listing every
    bad point) and nothing is written. A client id already stored, or repeated in the batch with
    the same content, is a duplicate: stored once, counted once. Order does not matter.
    Two queries: the rules, and one INSERT … ON CONFLICT DO NOTHING (per 100 points).
    """
    now = now or timezone.now()
    rules = DutyRules.current()
    check_serving(person, timezone.localdate(now))
    if not isinstance(pings, list):
        raise DomainError(gettext("pings must be a list of points"), field="pings")
    if len(pings) > rules.max_batch:
        raise DomainError(
            gettext(
                "the batch has %(n)s points, more than the limit of %(max)s: send it in smaller"
                " batches"
            )
            % {"n": len(pings), "max": rules.max_batch},
            field="pings",
            code="batch_too_large",
        )
    earliest = now - dt.timedelta(hours=rules.max_age_h)
    latest = now + dt.timedelta(minutes=rules.max_future_min)
    problems: list[PingProblem] = []
    seen: dict[str, tuple[dt.datetime, float, float, float | None]] = {}
    for index, raw in enumerate(pings):
        parsed = _fast_ping(raw, earliest, latest)
        if parsed is None:  # something is wrong: the careful check says what
            parsed, found = _check_ping(index, raw, earliest, latest, rules)
            if parsed is None:
                problems.extend(found)
                continue
        client_id, *content = parsed
        values = (content[0], content[1], content[2], content[3])
        before = seen.get(client_id)
        if before is None:
            seen[client_id] = values  # type: ignore[assignment]
        elif before != values:
            problems.append(
                PingProblem(
                    index,
                    f"pings[{index}].client_id",
                    gettext(
                        "point %(n)s repeats client id %(id)s of an earlier point with different"
                        " content: each point needs its own client id"
                    )
                    % {"n": index, "id": client_id},
                )
            )
    if problems:
        raise PingBatchError(problems)
    if not seen:
        return PingResult(received=len(pings), stored=0, duplicates=0)
    adapt = datetime_adapter()
    received = adapt(now)
    rows = [
        (person.pk, client_id, adapt(at), lon, lat, accuracy, received)
        for client_id, (at, lon, lat, accuracy) in seen.items()
    ]
    stored = insert_ping_rows(rows)
    if stored:
        _forget_days(person.pk, {timezone.localdate(at) for at, *_rest in seen.values()}, now)
    return PingResult(received=len(pings), stored=stored, duplicates=len(pings) - stored)


INSERT_ROWS = 100  # rows per INSERT statement (7 parameters each: well under any limit)


def insert_ping_rows(rows: list[tuple[Any, ...]]) -> int:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL); returns how many were new.

    A client id already stored (a retry, or a retry racing this one) is skipped by the
    database itself, so there is no read before the write and no query per ping.
    """
    table = connection.ops.quote_name(Ping._meta.db_table)
    one = "(" + ", ".join(["%s"] * 7) + ")"
    stored = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for k in range(0, len(rows), INSERT_ROWS):
            part = rows[k : k + INSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} (person_id, client_id, at, lon, lat, accuracy, received_at)"
                f" VALUES {', '.join([one] * len(part))}"
                " ON CONFLICT (person_id, client_id) DO NOTHING",
                [value for row in part for value in row],
            )
            stored += max(cursor.rowcount, 0)
    return stored


# --- the roster ----------------------------------------------------------------------------


def shift_add(
    *,
    person: Person,
    grid: Grid,
    role: str,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Shift:
    """Put a weekly shift on the roster (the admin does the same checks through the model).

    Refused: an end not after the start (overnight shifts: split them at midnight), a person
    who does not hold that role in that grid while the shift is valid.
    """
    shift = Shift(
        person=person,
        grid=grid,
        role=role,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    try:
        shift.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None
    shift.save()
    return shift


# --- stored duty days ----------------------------------------------------------------------

DAY_ROWS_PER_INSERT = 2000


def _forget_days(person_id: int, days: set[dt.date], now: dt.datetime) -> None:
    """Pings arrived for days already over (an offline handheld catching up): their stored rows
    are out of date; drop them so the next read computes them again (one DELETE, only then)."""
    past = [d for d in days if d < timezone.localdate(now)]
    if past:
        DutyDay.objects.filter(person_id=person_id, date__in=past).delete()


def day_finished(day: dt.date, now: dt.datetime | None = None) -> bool:
    """A day is over (and can be stored) once its midnight has passed."""
    return day < timezone.localdate(now or timezone.now())


def _staff_on(day: dt.date) -> list[int]:
    """Who gets a row for a day: everyone holding a grid role that day, on duty in a session
    that touches it, or planned for a shift (weekly or extra) that day."""
    from django.db.models import Q

    from wangge.field.duty.models import ShiftException

    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()), tz)
    end = start + dt.timedelta(days=1)
    ids = set(
        GridRole.objects.filter(start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("person_id", flat=True)
    )
    ids.update(
        DutySession.objects.filter(started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("person_id", flat=True)
    )
    ids.update(
        Shift.objects.filter(weekday=day.weekday(), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("person_id", flat=True)
    )
    ids.update(ShiftException.objects.filter(date=day).values_list("person_id", flat=True))
    return sorted(ids)


def compute_days(
    person_ids: list[int], first_day: dt.date, last_day: dt.date, now: dt.datetime
) -> list[DutyDay]:
    """Unsaved DutyDay rows for every person and day in the span (with the bulk summaries)."""
    from wangge.field.duty.selectors import planned_shifts_many
    from wangge.field.duty.summary import summaries

    if not person_ids or last_day < first_day:
        return []
    planned = planned_shifts_many(person_ids, first_day, last_day)
    roles = _main_roles(person_ids, first_day, last_day, now)
    return [
        DutyDay(
            person_id=s.person_id,
            date=s.date,
            grid_id=s.grid_id,
            role=roles.get((s.person_id, s.date, s.grid_id), "") if s.grid_id else "",
            on_duty_minutes=s.on_duty_minutes,
            online_minutes=s.online_minutes,
            off_post_minutes=s.off_post_minutes,
            planned_minutes=sum(p.minutes for p in planned.get((s.person_id, s.date), ())),
            shifts=s.shifts,
            missed_shifts=s.missed_shifts,
            distance_m=s.distance_m,
            coverage=s.coverage,
            computed_at=now,
        )
        for s in summaries(person_ids, first_day, last_day, now=now)
    ]


def _main_roles(
    person_ids: list[int], first_day: dt.date, last_day: dt.date, now: dt.datetime
) -> dict[tuple[int, dt.date, int], str]:
    """(person, day, grid) → the role of the longest session in that grid that day."""
    from django.db.models import Q

    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time()), tz)
    end = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()), tz)
    best: dict[tuple[int, dt.date, int], tuple[float, str]] = {}
    rows = (
        DutySession.objects.filter(person_id__in=person_ids, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("person_id", "grid_id", "role", "started_at", "ended_at")
    )
    for pid, gid, role, began, ended in rows:
        began = max(began, start)
        ended = min(ended or now, end, now)
        day = timezone.localdate(began, tz)
        while began < ended:
            midnight = timezone.make_aware(
                dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz
            )
            length = (min(ended, midnight) - began).total_seconds()
            key = (pid, day, gid)
            if length > best.get(key, (-1.0, ""))[0]:
                best[key] = (length, role)
            began, day = midnight, day + dt.timedelta(days=1)
    return {key: role for key, (_length, role) in best.items()}


_DAY_FIELDS = [
    "grid",
    "role",
    "on_duty_minutes",
    "online_minutes",
    "off_post_minutes",
    "planned_minutes",
    "shifts",
    "missed_shifts",
    "distance_m",
    "coverage",
    "computed_at",
]


def store_days(
    person_ids: list[int], first_day: dt.date, last_day: dt.date, now: dt.datetime | None = None
) -> int:
    """Compute and upsert the rows of finished days for these people; returns rows written.

    Days not over yet are left out (they are computed live by ``selectors.duty_days``).
    Running it twice writes the same values again (one row per person and day).
    """
    now = now or timezone.now()
    last_day = min(last_day, timezone.localdate(now) - dt.timedelta(days=1))
    if not person_ids or last_day < first_day:
        return 0
    written = 0
    for k in range(0, len(person_ids), 1000):
        rows = compute_days(person_ids[k : k + 1000], first_day, last_day, now)
        with transaction.atomic():
            for j in range(0, len(rows), DAY_ROWS_PER_INSERT):
                DutyDay.objects.bulk_create(
                    rows[j : j + DAY_ROWS_PER_INSERT],
                    update_conflicts=True,
                    unique_fields=["person", "date"],
                    update_fields=_DAY_FIELDS,
                )
        written += len(rows)
    return written


def record_days(
    day: dt.date, persons: list[Person | int] | None = None, *, now: dt.datetime | None = None
) -> int:
    """Store the duty day of ``persons`` (default: all staff of that day, see ``_staff_on``)
    for a finished ``day``; returns the number of rows written. Safe to run again.

    Refused: a day not over yet (its figures would still change).
    """
    now = now or timezone.now()
    if not day_finished(day, now):
        raise DomainError(
            gettext("%(day)s has not ended yet: record a duty day after its midnight")
            % {"day": day.isoformat()},
            field="day",
        )
    if persons is None:
        ids = _staff_on(day)
    else:
        ids = sorted({p if isinstance(p, int) else p.pk for p in persons})
    return store_days(ids, day, day, now)
