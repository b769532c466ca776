"""Turnover of the grid staff (五员): hires, departures, turnover rate, tenure and open posts.

The figures behind the seed's "“五员”大部分为临时聘用人员，存在流动性大" — read only, from the role
assignments (``GridRole``: person, grid, role, from, to inclusive) of one subdistrict's grids,
the staffing standard and the people's employment. Every definition is written once, here, in
``TURNOVER_DEFINITIONS`` (in Chinese: ``TURNOVER_DEFINITIONS_ZH``, same keys); the page, the
Excel notes and the API quote the English ones, the annual report's appendix the Chinese ones.

Definitions (the period is ``start``..``end``, both days included):

- *Holding a role* on a day: an assignment to that role in one of the subdistrict's grids covers
  the day (its ``to`` empty or on/after the day). People are counted, not assignments: a person
  with the same role in two grids is one holder. The assignments are the record: a person's own
  start and end dates do not change who held a role (people.services and the hand-over end the
  assignments when someone leaves).
- *Hire* of a role: a person starts holding the role on a day of the period and held no role at
  all in the subdistrict's grids the day before. A move to another grid, or a change to another
  role on the next day, is neither a hire nor a departure. Someone coming back after a gap of at
  least one day is hired again. A transfer from another subdistrict is a hire here.
- *Departure* from a role: a person's last day in the role is a day of the period and they hold
  no role in the subdistrict's grids the next day. A departure counts in the month of its last day.
- Hires and departures are counted as events (someone hired, gone and hired again in the period
  counts twice). The all-roles totals (``TurnoverFigures.hires`` / ``departures`` and the
  months' ``total_*``) count people: someone hired into two roles at once is one hire there
  and one in each role's row.
- *Average headcount*: the mean, over the period's days, of the people holding the role
  (person-days ÷ days), 2 places.
- *Turnover rate*: departures ÷ average headcount, 4 places, with the unrounded average
  (departures × days ÷ person-days); for the period as given, not annualised; None when nobody
  held the role in the period. It can exceed 1 when posts change hands more than once.
- *Tenure* of a person holding a role on the period's last day: days from ``Person.start_date``
  (when empty or after the period's end: from their first grid role's start, in any grid) up to
  and including that last day — someone who started on 1 January has 365 days on 31 December.
  The average is 2 places; None when nobody holds the role then.
- *Temporary share*: of the people holding any role on the last day, the share whose employment is
  "temporary" (临时聘用人员), 4 places.
- *Open post* (vacancy): a grid × role whose holders are fewer than ``StaffingStandard.per_grid``.
  A stretch is the run of consecutive days it stays short: ``opened`` is its first short day,
  ``filled`` the first day back at standard (None when still short on the period's last day),
  ``days_open`` its short days inside the period. A successor starting the day after their
  predecessor's last day leaves no short day, so no open post; a successor starting on the 11th
  day after it leaves 10 short days. The records begin on the subdistrict's first assignment (or
  the period's start, if earlier): a post short since then is "open since" that day. Assignments
  after the period's end are not looked at, so a year's figures do not change later.

The computation is a few queries (the grids; every assignment of the subdistrict's grids that
started by the day after the period, with its person's employment and start date; the standard;
the first-role starts of people without a start date) and then interval arithmetic in Python,
O(n log n) in the number of assignments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q
from django.utils.translation import gettext

from wangge.core.errors import DomainError, NotFound
from wangge.org.models import Grid, Subdistrict
from wangge.org.selectors import subdistricts_visible
from wangge.org.territory import Territory
from wangge.people.models import Employment, GridRole, Person, RoleKind
from wangge.people.selectors import staffing_standard

MAX_YEARS = 5
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ONE_DAY = dt.timedelta(days=1)
_RATE = Decimal("0.0001")
_TWO = Decimal("0.01")

TURNOVER_DEFINITIONS: dict[str, str] = {
    "headcount_start": (
        "People holding the role in the subdistrict's grids on the period's first day"
        " (a person in two grids counts once)."
    ),
    "headcount_end": "People holding the role in the subdistrict's grids on the period's last day.",
    "average_headcount": (
        "Mean over the period's days of the people holding the role: person-days / days"
        " in the period (2 places)."
    ),
    "hires": (
        "Starts: a person began holding the role on a day of the period and held no role in"
        " the subdistrict's grids the day before. A move between grids or a change of role is"
        " not a hire; someone back after a gap is hired again. The all-roles total counts"
        " people: one hired into two roles at once is one hire there."
    ),
    "departures": (
        "Leavings: a person's last day in the role is a day of the period and they hold no"
        " role in the subdistrict's grids the next day (they left, not moved). Counted in the"
        " month of the last day; the all-roles total counts people, as for hires."
    ),
    "turnover_rate": (
        "Departures / average headcount (unrounded: departures x days / person-days), for"
        " the period (not annualised), 4 places; empty when nobody held the role."
    ),
    "average_tenure_days": (
        "Mean tenure of the people holding the role on the period's last day: days from the"
        " person's start date (or their first grid role's start) up to and including that"
        " day, 2 places."
    ),
    "temporary_share": (
        "Of the people holding any role on the period's last day, the share employed as"
        " temporary hires, 4 places."
    ),
    "open_post": (
        "A grid and role with fewer holders than the staffing standard's people per grid;"
        " one row per unbroken stretch of short days overlapping the period."
    ),
    "opened": "The first day of the stretch on which the grid had fewer holders than the standard.",
    "filled": (
        "The first day the grid was back at the standard; empty when still short on the"
        " period's last day."
    ),
    "days_open": (
        "Short days of the stretch inside the period: last short day (or the period's end)"
        " - max(opened, period start) + 1. A successor starting the day after the"
        " predecessor's last day leaves 0 days: no open post."
    ),
    "open_at_end": "Grid and role posts short of the standard on the period's last day.",
}


# The same definitions in Chinese, for the annual report (an official Chinese document).
TURNOVER_DEFINITIONS_ZH: dict[str, str] = {
    "headcount_start": "统计期首日在本街道网格担任该岗位的人数（同一人在两个网格任职只计一次）。",
    "headcount_end": "统计期末日在本街道网格担任该岗位的人数（同一人只计一次）。",
    "average_headcount": "统计期内每日担任该岗位人数的平均值：人日数 ÷ 统计期天数，保留两位小数。",
    "hires": (
        "新聘（入职）人数：某人在统计期内某日开始担任该岗位，且前一日未在本街道网格担任任何岗位。"
        "网格间调动或转岗不计为新聘；中断后重新任职的再次计入。全部岗位合计按人计，"
        "同时受聘两个岗位的只计一人。"
    ),
    "departures": (
        "离职人数：某人担任该岗位的最后一日在统计期内，且次日未在本街道网格担任任何岗位"
        "（离开而非调动）。按最后一日所在月份计；全部岗位合计按人计，口径同新聘。"
    ),
    "turnover_rate": (
        "人员流动率 = 离职人数 ÷ 平均在岗人数（按未四舍五入值计算：离职人数 × 天数 ÷ 人日数），"
        "按统计期计算、不折算为年率，保留四位小数；统计期内无人在岗时不计算。"
    ),
    "average_tenure_days": (
        "统计期末日在岗人员的平均任职天数：自本人入职日期（未登记时取其首次网格任职日期）"
        "起至该日止（含当日）的天数，保留两位小数。"
    ),
    "temporary_share": (
        "临时聘用人员占比 = 统计期末日在本街道网格担任任一岗位的人员中，"
        "用工性质为临时聘用的人数 ÷ 在岗总人数，保留四位小数。"
    ),
    "open_post": (
        "空缺岗位：在岗人数少于人员配置标准（每网格配置人数）的网格岗位；"
        "与统计期重叠的每一段连续空缺期列为一行。"
    ),
    "opened": "该段空缺期的首日，即该网格该岗位在岗人数开始低于配置标准的日期。",
    "filled": "该网格该岗位在岗人数恢复到配置标准的首日；至统计期末日仍空缺的为空。",
    "days_open": (
        "该段空缺期落在统计期内的空缺天数 = 最后空缺日（仍空缺时取统计期末日）"
        " − 空缺首日与统计期首日中较晚者 + 1。接任者在前任最后一日的次日到岗的，空缺0天，"
        "不计为空缺岗位。"
    ),
    "open_at_end": "统计期末日在岗人数仍低于配置标准的网格岗位数。",
}


@dataclass(frozen=True)
class RoleTurnover:
    role: str
    role_label: str
    headcount_start: int
    headcount_end: int
    average_headcount: Decimal
    hires: int
    departures: int
    turnover_rate: Decimal | None
    average_tenure_days: Decimal | None


@dataclass(frozen=True)
class MonthTurnover:
    """Hires and departures of one calendar month (the part of it inside the period), by role.
    The totals count people, as ``TurnoverFigures.hires`` does."""

    month: str  # "YYYY-MM"
    hires: dict[str, int]
    departures: dict[str, int]
    total_hires: int = 0
    total_departures: int = 0


@dataclass(frozen=True)
class OpenPost:
    grid_id: int
    grid_name: str
    community_name: str
    role: str
    role_label: str
    opened: dt.date
    filled: dt.date | None
    days_open: int
    grid_code: str = ""


@dataclass(frozen=True)
class TurnoverFigures:
    start: dt.date
    end: dt.date
    roles: list[RoleTurnover]
    months: list[MonthTurnover]
    hires: int
    departures: int
    turnover_rate: Decimal | None
    average_tenure_days: Decimal | None
    temporary_share: Decimal | None
    open_posts: list[OpenPost]
    open_at_end: int
    # All roles together, counting people (a person in two roles once).
    headcount_start: int = 0
    headcount_end: int = 0
    average_headcount: Decimal = Decimal("0.00")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# --- input -----------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_period(start: dt.date, end: dt.date) -> None:
    """A period ends on or after its start and spans at most five years (within 1900..9998)."""
    for day, field in ((start, "from"), (end, "to")):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise DomainError(
                gettext("%(day)s is outside the years 1900 to 9998.") % {"day": day.isoformat()},
                field=field,
            )
    if end < start:
        raise DomainError(
            gettext("The period ends on %(end)s, before it starts on %(start)s.")
            % {"end": end.isoformat(), "start": start.isoformat()},
            field="to",
        )
    last = _add_years(start, MAX_YEARS) - ONE_DAY
    if end > last:
        raise DomainError(
            gettext(
                "A period is at most %(years)d years: starting on %(start)s it may end on"
                " %(last)s at the latest."
            )
            % {"years": MAX_YEARS, "start": start.isoformat(), "last": last.isoformat()},
            field="to",
        )


def parse_day(text: str | None, *, field: str) -> dt.date | None:
    """A day written YYYY-MM-DD; None when empty."""
    value = (text or "").strip()
    if not value:
        return None
    if _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise DomainError(
        gettext("%(value)s is not a date: write it as YYYY-MM-DD, e.g. 2019-12-31.")
        % {"value": repr(value[:40])},
        field=field,
    )


def parse_period(
    start_text: str | None, end_text: str | None, *, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The ``from`` and ``to`` of a request; by default this year so far (1 January to today)."""
    end = parse_day(end_text, field="to") or today
    start = parse_day(start_text, field="from") or dt.date(end.year, 1, 1)
    check_period(start, end)
    return start, end


def subdistrict_choices(territory: Territory) -> list[Subdistrict]:
    """The subdistricts whose turnover the territory may see (each visible one)."""
    return list(subdistricts_visible(territory))


def subdistrict_pick(
    territory: Territory, code: str | None, choices: list[Subdistrict] | None = None
) -> Subdistrict | None:
    """The subdistrict named by its 9-digit code (or its name) among the visible ones; without a
    code, the territory's only subdistrict, or None when there are several to choose from.
    ``choices``: the territory's ``subdistrict_choices`` when the caller has them already."""
    if choices is None:
        choices = subdistrict_choices(territory)
    value = (code or "").strip()
    if not value:
        if not choices:
            raise DomainError(
                gettext("Your territory has no subdistrict, so there are no turnover figures."),
                field="subdistrict",
            )
        return choices[0] if len(choices) == 1 else None
    for sub in choices:
        if value in (sub.full_code, sub.name):
            return sub
    raise NotFound(
        gettext("There is no subdistrict %(code)s in your territory.") % {"code": repr(value[:40])},
        field="subdistrict",
    )


# --- interval arithmetic ---------------------------------------------------------------------

Interval = tuple[dt.date, dt.date]  # first and last day, both included


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union as maximal runs of days: overlapping or adjacent intervals become one."""
    merged: list[Interval] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1] + ONE_DAY:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _days_within(runs: list[Interval], start: dt.date, end: dt.date) -> int:
    total = 0
    for s, e in runs:
        s, e = max(s, start), min(e, end)
        if s <= e:
            total += (e - s).days + 1
    return total


def _covers(runs: list[Interval], day: dt.date) -> bool:
    return any(s <= day <= e for s, e in runs)


def _short_stretches(
    runs_by_person: Iterable[list[Interval]], need: int, begin: dt.date, end: dt.date
) -> list[Interval]:
    """The runs of days in begin..end on which fewer than ``need`` people hold the post."""
    deltas: dict[dt.date, int] = defaultdict(int)
    for runs in runs_by_person:
        for s, e in runs:
            s, e = max(s, begin), min(e, end)
            if s <= e:
                deltas[s] += 1
                deltas[e + ONE_DAY] -= 1
    stretches: list[Interval] = []
    count, day = 0, begin
    open_from: dt.date | None = None
    for point in sorted({*deltas, end + ONE_DAY}):
        if point > day:  # days day..point-1 have `count` holders
            if count < need and open_from is None:
                open_from = day
            elif count >= need and open_from is not None:
                stretches.append((open_from, day - ONE_DAY))
                open_from = None
            day = point
        count += deltas.get(point, 0)
    if open_from is not None:
        stretches.append((open_from, end))
    return stretches


def _ratio(numerator: Decimal | int, denominator: Decimal | int, places: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, ROUND_HALF_UP)


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- the figures -----------------------------------------------------------------------------


def turnover(subdistrict: Subdistrict, start: dt.date, end: dt.date) -> TurnoverFigures:
    """The turnover figures of a subdistrict's grid staff over start..end (see the module)."""
    check_period(start, end)
    after = end + ONE_DAY  # the day after: does someone whose last day is `end` stay on?
    grids = {
        g.pk: g
        for g in Grid.objects.filter(community__subdistrict=subdistrict)
        .select_related("community")
        .order_by("code")
    }
    rows = list(
        GridRole.objects.filter(grid__community__subdistrict=subdistrict, start_date__lte=after)
        .order_by()
        .values_list(
            "person_id",
            "grid_id",
            "role",
            "start_date",
            "end_date",
            "person__employment",
            "person__start_date",
        )
    )
    standard = staffing_standard()

    # Interval sets, each clipped to the day after the period (nothing later is looked at).
    any_role: dict[int, list[Interval]] = defaultdict(list)  # person → days holding any role
    by_role: dict[tuple[int, str], list[Interval]] = defaultdict(list)  # (person, role)
    by_post: dict[tuple[int, str], dict[int, list[Interval]]] = defaultdict(
        lambda: defaultdict(list)
    )  # (grid, role) → person → days
    employment: dict[int, str] = {}
    person_start: dict[int, dt.date | None] = {}
    for person, grid, role, s, e, kind, since in rows:
        span = (s, min(e, after) if e is not None else after)
        any_role[person].append(span)
        by_role[(person, role)].append(span)
        by_post[(grid, role)][person].append(span)
        employment[person] = kind
        person_start[person] = since
    held = {p: _merge(spans) for p, spans in any_role.items()}
    held_role = {key: _merge(spans) for key, spans in by_role.items()}
    first_days = {p: {s for s, _ in runs} for p, runs in held.items()}
    last_days = {p: {e for _, e in runs} for p, runs in held.items()}
    days = (end - start).days + 1
    months = _months(start, end)
    roles = [k.value for k in RoleKind]

    # Hires and departures, per role and in total, by month.
    hires: dict[str, int] = defaultdict(int)  # role → starts
    departures: dict[str, int] = defaultdict(int)
    month_hires: dict[tuple[str, str], int] = defaultdict(int)  # (month, role)
    month_departures: dict[tuple[str, str], int] = defaultdict(int)
    for (person, role), runs in held_role.items():
        for s, e in runs:
            if start <= s <= end and s in first_days[person]:
                hires[role] += 1
                month_hires[(f"{s:%Y-%m}", role)] += 1
            if start <= e <= end and e in last_days[person]:
                departures[role] += 1
                month_departures[(f"{e:%Y-%m}", role)] += 1
    total_hires: dict[str, int] = defaultdict(int)
    total_departures: dict[str, int] = defaultdict(int)
    hire_count = departure_count = 0
    for runs in held.values():
        for s, e in runs:
            if start <= s <= end:
                hire_count += 1
                total_hires[f"{s:%Y-%m}"] += 1
            if start <= e <= end:
                departure_count += 1
                total_departures[f"{e:%Y-%m}"] += 1

    # Who holds what at the start and at the end; tenure of those at the end.
    at_end: dict[str, set[int]] = defaultdict(set)
    at_start: dict[str, set[int]] = defaultdict(set)
    person_days: dict[str, int] = defaultdict(int)
    for (person, role), runs in held_role.items():
        if _covers(runs, start):
            at_start[role].add(person)
        if _covers(runs, end):
            at_end[role].add(person)
        person_days[role] += _days_within(runs, start, end)
    everyone_end = {p for p, runs in held.items() if _covers(runs, end)}
    everyone_start = {p for p, runs in held.items() if _covers(runs, start)}
    everyone_days = sum(_days_within(runs, start, end) for runs in held.values())
    tenure = _tenures(subdistrict, everyone_end, person_start, end)

    role_rows = []
    for role in roles:
        average = _ratio(person_days[role], days, _TWO) or Decimal("0.00")
        tenures = [tenure[p] for p in at_end[role]]
        role_rows.append(
            RoleTurnover(
                role=role,
                role_label=str(RoleKind(role).label),
                headcount_start=len(at_start[role]),
                headcount_end=len(at_end[role]),
                average_headcount=average,
                hires=hires[role],
                departures=departures[role],
                turnover_rate=_ratio(departures[role] * days, person_days[role], _RATE),
                average_tenure_days=_ratio(sum(tenures), len(tenures), _TWO),
            )
        )
    average_all = _ratio(everyone_days, days, _TWO) or Decimal("0.00")
    begin = min([start, *(row[3] for row in rows)])  # where the records begin
    open_posts, open_at_end = _open_posts(grids, by_post, standard, begin, start, end)
    temporary = sum(1 for p in everyone_end if employment[p] == Employment.TEMPORARY)
    return TurnoverFigures(
        start=start,
        end=end,
        roles=role_rows,
        months=[
            MonthTurnover(
                month=month,
                hires={r: month_hires[(month, r)] for r in roles},
                departures={r: month_departures[(month, r)] for r in roles},
                total_hires=total_hires[month],
                total_departures=total_departures[month],
            )
            for month in months
        ],
        hires=hire_count,
        departures=departure_count,
        turnover_rate=_ratio(departure_count * days, everyone_days, _RATE),
        average_tenure_days=_ratio(sum(tenure.values()), len(tenure), _TWO),
        temporary_share=_ratio(temporary, len(everyone_end), _RATE),
        open_posts=open_posts,
        open_at_end=open_at_end,
        headcount_start=len(everyone_start),
        headcount_end=len(everyone_end),
        average_headcount=average_all,
    )


def turnover_year(subdistrict: Subdistrict, year: int) -> TurnoverFigures:
    """The figures of a calendar year (1 January to 31 December), as the annual report uses."""
    if not isinstance(year, int) or not 1900 <= year <= 9998:
        raise DomainError(
            gettext("%(year)s is not a year between 1900 and 9998.") % {"year": repr(year)},
            field="year",
        )
    return turnover(subdistrict, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _tenures(
    subdistrict: Subdistrict,
    people: set[int],
    person_start: dict[int, dt.date | None],
    end: dt.date,
) -> dict[int, int]:
    """Days of tenure on ``end`` (included) of each person holding a role then."""
    since = {p: person_start[p] for p in people}
    missing = [p for p, day in since.items() if day is None or day > end]
    if missing:
        # One query for everyone without a usable start date: their first role, in any grid.
        # (A subquery rather than a list of ids: a district-sized list would pass SQLite's
        # limit on query parameters.)
        unsure = Person.objects.filter(
            Q(start_date__isnull=True) | Q(start_date__gt=end),
            roles__grid__community__subdistrict=subdistrict,
        )
        first = dict(
            GridRole.objects.filter(person_id__in=unsure.values("pk"))
            .order_by()
            .values("person_id")
            .annotate(first=Min("start_date"))
            .values_list("person_id", "first")
        )
        since.update({p: first[p] for p in missing})
    return {p: (end - day).days + 1 for p, day in since.items() if day is not None}


def _open_posts(
    grids: dict[int, Grid],
    by_post: dict[tuple[int, str], dict[int, list[Interval]]],
    standard: dict[str, int],
    begin: dt.date,
    start: dt.date,
    end: dt.date,
) -> tuple[list[OpenPost], int]:
    """Vacancy stretches overlapping start..end, and how many posts are short on ``end``."""
    posts: list[OpenPost] = []
    open_at_end = 0
    order = {k.value: n for n, k in enumerate(RoleKind)}
    for grid_id, grid in grids.items():
        for kind in RoleKind:
            need = standard.get(kind.value, 0)
            if need <= 0:
                continue
            people = by_post.get((grid_id, kind.value), {})
            runs = [_merge(spans) for spans in people.values()]
            for first, last in _short_stretches(runs, need, begin, end):
                if last < start:
                    continue
                still_open = last >= end
                open_at_end += 1 if still_open else 0
                posts.append(
                    OpenPost(
                        grid_id=grid_id,
                        grid_name=grid.name,
                        community_name=grid.community.name,
                        role=kind.value,
                        role_label=str(kind.label),
                        opened=first,
                        filled=None if still_open else last + ONE_DAY,
                        days_open=(min(last, end) - max(first, start)).days + 1,
                        grid_code=grid.code,
                    )
                )
    posts.sort(key=lambda p: (p.opened, p.grid_code, order[p.role]))
    return posts, open_at_end
