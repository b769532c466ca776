"""Case figures (结案率, 按期结案率, …): every figure written once, here, with its definition.

The dashboard, the assessment and the reports read figures only from this module, so that a
结案率 on a page, in a monthly ranking and in the annual self-evaluation report is one number.

API
  Period.month("2019-05") / Period.year(2019) / Period.dates(first, last) / Period.parse(text)
  figures(cases, period) -> Figures
  figures_by(cases, period, by) -> list[Row]      Row = (key, label, figures)
  DEFINITIONS[name] / LABELS[name]                 what each figure means, for pages and reports

``cases`` is any queryset of cases (normally ``selectors.cases_visible(territory)``, so figures
are territory-scoped like every other read). Counts are SQL aggregates (``Count(filter=Q(...))``)
in one query whatever the number of groups; only the average working hours per step are summed
in Python, over one ``values_list`` of timestamps, because working time needs the calendar.

Figures are read from the case's own timestamps and counters (filed_at, handling_due_at,
handled_at, closed_at, on_time, rework_count, extension_count), which workflow.py keeps; the
event log is the audit trail behind them. A past period is computed from the cases as they are
now: e.g. a due time moved by a later extension counts with its new value. Published months are
frozen by the assessment app's snapshots, not here.

Definitions (period = [start, end) in settings.TIME_ZONE; cut-off = the earlier of the end and
now, so that a due time later today does not count as missed):
- self-handled cases (tier 1, 自行处置) are counted in ``self_handled`` only and left out of
  every other figure: they never enter the closed loop.
- 应结案数 ``to_close``: filed cases that were closed in the period, or whose handling was due
  before the cut-off and that were not closed before the period began (so a case overdue since
  last month and still open is still owed this month). Suspended cases (挂账) are left out while
  suspended, as Jinhua's rule leaves out 缓办数. This is standards.md §4.2's
  "应结案数 = 处置数 + 超时未处置数" read from the case rows.
- 超期 ``overdue`` = ``closed_late`` (closed in the period, not on time) + ``overdue_open``
  (of 应结案数: not closed by the period's end, past its due time at the cut-off and not
  handled by it). Both are parts of 应结案数, so 超期率 is at most 1.
- 应处置数 ``to_handle``: dispatched cases handled in the period, or due before the cut-off
  and not handled before the period began; 按期处置数 are those handled by their due time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import Case as DbCase
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wangge.cases.calendar import WorkingCalendar
from wangge.cases.models import Case, CaseSource, CaseStatus
from wangge.core.errors import DomainError

# --- the period ----------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _year_number(value: int | str) -> int:
    text = str(value).strip()
    if not _YEAR.match(text) or not 1900 <= int(text) <= 2999:
        raise DomainError(f"{value!r} is not a year: use four digits, e.g. 2019", field="period")
    return int(text)


@dataclass(frozen=True)
class Period:
    """A span of time [start, end): months and years begin at local midnight (TIME_ZONE).

    A case reported at 2019-05-31 23:30 in Kunming (15:30 UTC) belongs to May.
    """

    start: dt.datetime
    end: dt.datetime
    label: str = ""

    def __post_init__(self) -> None:
        if timezone.is_naive(self.start) or timezone.is_naive(self.end):
            raise DomainError("a period needs times with a time zone", field="period")
        if self.end <= self.start:
            raise DomainError("a period must end after it starts", field="period")
        if not self.label:
            last = (self.end - dt.timedelta(microseconds=1)).astimezone(_tz())
            object.__setattr__(
                self, "label", f"{self.start.astimezone(_tz()):%Y-%m-%d}..{last:%Y-%m-%d}"
            )

    @classmethod
    def month(cls, value: str) -> Period:
        """``YYYY-MM``, e.g. ``2019-05``."""
        m = _MONTH.match(str(value).strip())
        if not m or not 1 <= int(m[2]) <= 12:
            raise DomainError(
                f"{value!r} is not a month: use YYYY-MM with a month from 01 to 12, e.g. 2019-05",
                field="period",
            )
        year, month = _year_number(m[1]), int(m[2])
        return cls._month(year, month)

    @classmethod
    def _month(cls, year: int, month: int) -> Period:
        tz = _tz()
        start = dt.datetime(year, month, 1, tzinfo=tz)
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        return cls(start, end, f"{year:04d}-{month:02d}")

    @classmethod
    def year(cls, value: int | str) -> Period:
        year = _year_number(value)
        tz = _tz()
        return cls(
            dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz), str(year)
        )

    @classmethod
    def dates(cls, first: dt.date, last: dt.date) -> Period:
        """From the start of ``first`` to the end of ``last`` (both days included)."""
        if last < first:
            raise DomainError(
                f"the period ends ({last}) before it starts ({first})", field="period"
            )
        tz = _tz()
        start = dt.datetime.combine(first, dt.time(), tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz)
        return cls(start, end, f"{first:%Y-%m-%d}..{last:%Y-%m-%d}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM``, ``YYYY`` or ``YYYY-MM-DD..YYYY-MM-DD`` (as in ``?period=`` of the API)."""
        value = (text or "").strip()
        if _YEAR.match(value):
            return cls.year(value)
        if m := _DATES.match(value):
            try:
                first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            except ValueError:
                raise DomainError(
                    f"{text!r} has a date that does not exist", field="period"
                ) from None
            return cls.dates(first, last)
        return cls.month(value)  # its error message says what a month looks like

    def contains(self, moment: dt.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Due times are judged up to here: the period's end, or now if the period is running."""
        return min(self.end, max(now, self.start))

    def months(self) -> list[Period]:
        """The calendar months the period covers, clipped to it (for trends by month)."""
        tz = _tz()
        local = self.start.astimezone(tz)
        year, month = local.year, local.month
        out: list[Period] = []
        while True:
            whole = Period._month(year, month)
            if whole.start >= self.end:
                return out
            out.append(Period(max(whole.start, self.start), min(whole.end, self.end), whole.label))
            year, month = year + month // 12, month % 12 + 1


# --- the figures ---------------------------------------------------------------------------

# Each name: (Chinese label, definition in Chinese, definition in English). Pages show the label
# as the column heading and the definitions as its explanation (title/tooltip, report notes).
_TEXTS: dict[str, tuple[str, str, str]] = {
    "reported": (
        "上报数",
        "期内上报（按上报时间）的问题数，不含自行处置的问题。",
        "Problems reported in the period (by report time), not counting those fixed on the spot.",
    ),
    "self_handled": (
        "自行处置数",
        "期内五员或四级网格长现场自行处置（第1类轻微易处置）的问题数；单独统计，不进入其他任何指标。",
        "Problems fixed on the spot in the period (tier 1); counted here only, in no other figure.",
    ),
    "rejected": (
        "不予立案数",
        "期内上报、经核实或审核不予立案（非案件、重复、非本辖区）的问题数。",
        "Reports of the period not filed (not a case, a duplicate, outside the jurisdiction).",
    ),
    "filed": (
        "立案数",
        "期内立案（按立案时间）的案件数。",
        "Cases filed in the period (by filing time).",
    ),
    "to_handle": (
        "应处置数",
        "已派遣的案件中，期内处置完毕的，或处置时限在截止时刻前到期且期初尚未处置的；挂账中的除外。",
        "Dispatched cases handled in the period, or due before the cut-off and not handled before"
        " the period began; suspended cases left out.",
    ),
    "handled_on_time": (
        "按期处置数",
        "应处置数中，在处置时限内反馈处置结果的案件数。",
        "Of the cases to handle, those whose result was fed back by the handling due time.",
    ),
    "extended": (
        "延期数",
        "应处置数中，至少获批一次延期的案件数。",
        "Of the cases to handle, those granted at least one extension.",
    ),
    "to_close": (
        "应结案数",
        "已立案的案件中，期内结案的，或处置时限在截止时刻前到期且期初尚未结案的；挂账中的除外"
        "（即处置数 + 超时未处置数）。截止时刻为期末，期未结束时为当前时刻。",
        "Filed cases closed in the period, or whose handling was due before the cut-off and that"
        " were not closed before the period began; suspended cases left out (= handled + overdue"
        " unhandled). The cut-off is the period's end, or now while the period runs.",
    ),
    "closed": (
        "结案数",
        "期内核实结案（按结案时间）的案件数。",
        "Cases verified and closed in the period (by closing time).",
    ),
    "closed_on_time": (
        "按期结案数",
        "结案数中，在处置时限内处置完毕（按期）的案件数。",
        "Of the closed cases, those handled within the time limit (on time).",
    ),
    "reworked": (
        "返工数",
        "应结案数中，核实未通过被退回返工至少一次的案件数（每件只计一次）。",
        "Of the cases to close, those sent back for rework at least once (each case counted once).",
    ),
    "reworks": (
        "返工次数",
        "应结案数中各案件返工次数之和。",
        "Total number of reworks of the cases to close.",
    ),
    "closed_late": (
        "超期结案数",
        "期内结案但未在处置时限内处置完毕的案件数。",
        "Cases closed in the period that were not handled within the time limit.",
    ),
    "overdue_open": (
        "超期未结案数",
        "应结案数中，期末尚未结案、截止时刻已过处置时限且未按期处置的案件数。",
        "Of the cases to close, those still open at the period's end, past their due time at the"
        " cut-off and not handled by it.",
    ),
    "overdue": (
        "超期数",
        "超期结案数 + 超期未结案数。",
        "Closed late + open past due.",
    ),
    "closure_rate": (
        "结案率",
        "结案数 / 应结案数。",
        "Closed / to close.",
    ),
    "on_time_rate": (
        "按期结案率",
        "按期结案数 / 应结案数。",
        "Closed on time / to close.",
    ),
    "on_time_handling_rate": (
        "按期处置率",
        "按期处置数 / 应处置数。",
        "Handled on time / to handle.",
    ),
    "rework_rate": (
        "返工率",
        "返工数 / 应结案数。",
        "Reworked cases / to close.",
    ),
    "overdue_rate": (
        "超期率",
        "超期数 / 应结案数。",
        "Overdue / to close.",
    ),
    "extension_rate": (
        "延期率",
        "延期数 / 应处置数。",
        "Extended / to handle.",
    ),
    "avg_filing_hours": (
        "平均立案时长（工作小时）",
        "期内立案的案件，从上报到立案的工作时长的平均值。",
        "Average working hours from report to filing, over the cases filed in the period.",
    ),
    "avg_dispatch_hours": (
        "平均派遣时长（工作小时）",
        "期内派遣的案件，从立案到（最后一次）派遣的工作时长的平均值。",
        "Average working hours from filing to (the last) dispatch, over cases dispatched in the"
        " period.",
    ),
    "avg_handling_hours": (
        "平均处置时长（工作小时）",
        "期内处置完毕的案件，从派遣到反馈处置结果的工作时长的平均值。",
        "Average working hours from dispatch to the result's feedback, over cases handled in the"
        " period.",
    ),
    "avg_verification_hours": (
        "平均核实时长（工作小时）",
        "期内结案的案件，从反馈处置结果到核实结案的工作时长的平均值。",
        "Average working hours from the result's feedback to closing, over cases closed in the"
        " period.",
    ),
}

LABELS: dict[str, str] = {name: zh for name, (zh, _, _) in _TEXTS.items()}
DEFINITIONS: dict[str, str] = {name: f"{zh_def} {en}" for name, (_, zh_def, en) in _TEXTS.items()}
DEFINITIONS_ZH: dict[str, str] = {name: zh_def for name, (_, zh_def, _) in _TEXTS.items()}
DEFINITIONS_EN: dict[str, str] = {name: en for name, (_, _, en) in _TEXTS.items()}

_RATE_PLACES = Decimal("0.0001")
_HOUR_PLACES = Decimal("0.01")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator to 4 places; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(_RATE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The figures of one group of cases over one period (names as in DEFINITIONS)."""

    reported: int = 0
    self_handled: int = 0
    rejected: int = 0
    filed: int = 0
    to_handle: int = 0
    handled_on_time: int = 0
    extended: int = 0
    to_close: int = 0
    closed: int = 0
    closed_on_time: int = 0
    reworked: int = 0
    reworks: int = 0
    closed_late: int = 0
    overdue_open: int = 0
    avg_filing_hours: Decimal | None = None
    avg_dispatch_hours: Decimal | None = None
    avg_handling_hours: Decimal | None = None
    avg_verification_hours: Decimal | None = None

    @property
    def overdue(self) -> int:
        return self.closed_late + self.overdue_open

    @property
    def closure_rate(self) -> Decimal | None:
        return rate(self.closed, self.to_close)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.closed_on_time, self.to_close)

    @property
    def on_time_handling_rate(self) -> Decimal | None:
        return rate(self.handled_on_time, self.to_handle)

    @property
    def rework_rate(self) -> Decimal | None:
        return rate(self.reworked, self.to_close)

    @property
    def overdue_rate(self) -> Decimal | None:
        return rate(self.overdue, self.to_close)

    @property
    def extension_rate(self) -> Decimal | None:
        return rate(self.extended, self.to_handle)

    def as_dict(self) -> dict[str, int | Decimal | None]:
        """Every figure, counts, rates and hours, in the order of FIGURES (for JSON and CSV)."""
        return {name: getattr(self, name) for name in FIGURES}


_COUNT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Figures) if not f.name.startswith("avg_")
)
COUNTS: tuple[str, ...] = (*_COUNT_FIELDS, "overdue")
RATES: tuple[str, ...] = (
    "closure_rate",
    "on_time_rate",
    "on_time_handling_rate",
    "rework_rate",
    "overdue_rate",
    "extension_rate",
)
HOURS: tuple[str, ...] = tuple(f.name for f in fields(Figures) if f.name.startswith("avg_"))
FIGURES: tuple[str, ...] = COUNTS + RATES + HOURS


# --- the SQL: one conditional aggregate per count --------------------------------------------

_CLOSED_LOOP = ~Q(status=CaseStatus.SELF_HANDLED)


def _within(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _conditions(period: Period, cutoff: dt.datetime) -> dict[str, Q]:
    """The set of cases each count counts: the definitions above, in SQL."""
    s, e = period.start, period.end
    not_suspended = ~Q(status=CaseStatus.SUSPENDED)
    filed = _CLOSED_LOOP & Q(filed_at__isnull=False)
    closed_in = _within("closed_at", s, e)
    not_closed_before = Q(closed_at__isnull=True) | Q(closed_at__gte=s)
    not_closed_by_end = Q(closed_at__isnull=True) | Q(closed_at__gte=e)
    due_by_cutoff = Q(handling_due_at__lt=cutoff)
    handled_by_due = Q(handled_at__isnull=False, handled_at__lte=F("handling_due_at"))

    to_close = filed & (closed_in | (due_by_cutoff & not_closed_before & not_suspended))
    to_handle = (
        _CLOSED_LOOP
        & Q(handling_due_at__isnull=False)
        & (
            _within("handled_at", s, e)
            | (due_by_cutoff & (Q(handled_at__isnull=True) | Q(handled_at__gte=s)) & not_suspended)
        )
    )
    return {
        "reported": _CLOSED_LOOP & _within("reported_at", s, e),
        "self_handled": Q(status=CaseStatus.SELF_HANDLED) & _within("reported_at", s, e),
        "rejected": Q(status=CaseStatus.REJECTED) & _within("reported_at", s, e),
        "filed": _CLOSED_LOOP & _within("filed_at", s, e),
        "to_handle": to_handle,
        "handled_on_time": to_handle & handled_by_due,
        "extended": to_handle & Q(extension_count__gte=1),
        "to_close": to_close,
        "closed": filed & closed_in,
        "closed_on_time": filed & closed_in & Q(on_time=True),
        "reworked": to_close & Q(rework_count__gte=1),
        "closed_late": filed & closed_in & Q(on_time=False),
        "overdue_open": to_close & not_closed_by_end & due_by_cutoff & ~handled_by_due,
    }


def _aggregates(period: Period, now: dt.datetime, prefix: str = "") -> dict[str, Any]:
    conditions = _conditions(period, period.cutoff(now))
    out: dict[str, Any] = {
        f"{prefix}{name}": Count("pk", filter=q) for name, q in conditions.items()
    }
    out[f"{prefix}reworks"] = Coalesce(Sum("rework_count", filter=conditions["to_close"]), 0)
    return out


def _relevant(period: Period, now: dt.datetime) -> Q:
    """Cases that count in any figure of the period: narrows the scan before aggregating.

    Every count's set lies within one of four (reported, filed, to handle, to close: the others
    are parts of these), so their union is the same set as the union of all the counts, and a
    much shorter condition for the database to test on every case.
    """
    c = _conditions(period, period.cutoff(now))
    return (
        _within("reported_at", period.start, period.end)
        | c["filed"]
        | c["to_handle"]
        | c["to_close"]
    )


def _figures(row: dict[str, Any], hours: dict[str, Decimal | None], prefix: str = "") -> Figures:
    """A Figures from one aggregate row (its counts under ``prefix``) and the step hours."""
    values: dict[str, Any] = {name: int(row[f"{prefix}{name}"] or 0) for name in _COUNT_FIELDS}
    values.update(hours)
    return Figures(**values)


# --- average working hours per step (Python over timestamps: working time needs the calendar) --

# (figure, from timestamp, to timestamp): the same steps as workflow.evaluation(); a step counts
# in the period in which it ended.
_STEPS: tuple[tuple[str, str, str], ...] = (
    ("avg_filing_hours", "reported_at", "filed_at"),
    ("avg_dispatch_hours", "filed_at", "dispatched_at"),
    ("avg_handling_hours", "dispatched_at", "handled_at"),
    ("avg_verification_hours", "handled_at", "closed_at"),
)
_STAMPS = ("reported_at", "filed_at", "dispatched_at", "handled_at", "closed_at")


def _step_hours(
    cases: QuerySet[Case],
    period: Period,
    key_field: str | None,
    bucket: Callable[[Any, dt.datetime], Any],
    calendar: WorkingCalendar | None,
) -> dict[Any, dict[str, Decimal | None]]:
    """Average working hours per step, per group: one query, summed here.

    ``bucket(row_key, moment)`` names the group a step ending at ``moment`` belongs to (the
    row's own key, or the month of ``moment``).
    """
    ended_in = Q()
    for _, _, end_field in _STEPS:
        ended_in |= _within(end_field, period.start, period.end)
    columns = ([key_field] if key_field else []) + list(_STAMPS)
    rows = cases.filter(_CLOSED_LOOP & ended_in).order_by().values_list(*columns)
    totals: dict[Any, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    cal = calendar
    for row in rows:
        key = row[0] if key_field else None
        stamps = dict(zip(_STAMPS, row[1:] if key_field else row, strict=True))
        for name, begin_field, end_field in _STEPS:
            begin, end = stamps[begin_field], stamps[end_field]
            if begin is None or not period.contains(end):
                continue
            cal = cal or WorkingCalendar.load()  # loaded only when there is a step to time
            totals[bucket(key, end)][name].append(cal.between(begin, end))
    return {
        group: {
            name: (Decimal(sum(secs) / len(secs) / 3600).quantize(_HOUR_PLACES, ROUND_HALF_UP))
            for name, secs in steps.items()
        }
        for group, steps in totals.items()
    }


# --- the API -------------------------------------------------------------------------------


class Row(NamedTuple):
    key: Any  # an id, a month "YYYY-MM", a source value or a tier; None for "none"
    label: str
    figures: Figures


# by → (the value grouped on, its label column or None, the column to sort by)
GROUPS: dict[str, tuple[str, str | None, str]] = {
    "grid": ("grid_id", "grid__name", "grid__code"),
    "community": ("community_id", "community__name", "community__code"),
    "subdistrict": ("subdistrict_id", "subdistrict__name", "subdistrict__code"),
    "unit": ("handling_unit_id", "handling_unit__name", "handling_unit__name"),
    "handler": ("handler_id", "handler__name", "handler__name"),
    "reporter": ("reporter_id", "reporter__username", "reporter__username"),
    "source": ("source", None, "source"),
    "tier": ("tier", None, "tier"),
}
BY_CHOICES: tuple[str, ...] = (*GROUPS, "month")
_NONE_LABEL = "未指定"


def _label(by: str, key: Any, label: Any) -> str:
    if key is None:
        return _NONE_LABEL
    if by == "source":
        return str(CaseSource(key).label) if key in CaseSource.values else str(key)
    if by == "tier":
        return f"第{key}类"
    return str(label)


def figures(
    cases: QuerySet[Case],
    period: Period,
    *,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    hours: bool = True,
) -> Figures:
    """All figures of these cases over the period.

    ``hours=False`` leaves out the average step hours (a pass over the cases in working
    time): the counts and rates stay the same, only cheaper — for pages that show no hours.
    """
    now = now or timezone.now()
    row = cases.filter(_relevant(period, now)).order_by().aggregate(**_aggregates(period, now))
    step = _step_hours(cases, period, None, lambda key, _at: None, calendar) if hours else {}
    return _figures(row, step.get(None, {}))


def figures_by(
    cases: QuerySet[Case],
    period: Period,
    by: str,
    *,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    hours: bool = True,
) -> list[Row]:
    """The figures per grid, community, subdistrict, unit, handler, source, tier or month.

    Groups with no case in any figure are left out, except by month, where every month of the
    period is listed (a trend has no gaps). Two queries (two more to load the calendar when
    none is given), however many groups.
    """
    now = now or timezone.now()
    if by == "month":
        return _by_month(cases, period, now, calendar, hours)
    if by not in GROUPS:
        raise DomainError(
            f"cannot group figures by {by!r}; choose one of {', '.join(BY_CHOICES)}", field="by"
        )
    key_field, label_field, sort_field = GROUPS[by]
    columns = [key_field] + [c for c in (label_field, sort_field) if c and c != key_field]
    rows = (
        cases.filter(_relevant(period, now))
        .order_by()
        .values(*columns)
        .annotate(**_aggregates(period, now))
    )
    step = _step_hours(cases, period, key_field, lambda key, _at: key, calendar) if hours else {}
    out = []
    for row in sorted(rows, key=lambda r: (r[sort_field] is None, r[sort_field])):
        key = row[key_field]
        label = _label(by, key, row[label_field] if label_field else None)
        out.append(Row(key, label, _figures(row, step.get(key, {}))))
    return out


def figures_by_keys(
    cases: QuerySet[Case],
    period: Period,
    bys: list[str],
    *,
    now: dt.datetime | None = None,
) -> dict[str, dict[Any, Figures]]:
    """The counts and rates (no step hours, no labels) per key of each grouping in ``bys``:
    ``{by: {key: Figures}}``, a case with no key (no handler, …) in none of the groups.

    The same numbers as :func:`figures_by` with ``hours=False``; for callers that need several
    groupings of a big period at once (the monthly assessment). On PostgreSQL it is one scan
    with GROUPING SETS; elsewhere one query per grouping.
    """
    now = now or timezone.now()
    for by in bys:
        if by not in GROUPS or by in ("source", "tier"):
            raise DomainError(f"cannot group figures by {by!r} here", field="by")
    out: dict[str, dict[Any, Figures]] = {by: {} for by in bys}
    if not bys:
        return out
    keys = {by: GROUPS[by][0] for by in bys}
    relevant = cases.filter(_relevant(period, now)).order_by()
    if relevant.db != "default" or connections[relevant.db].vendor != "postgresql" or len(bys) < 2:
        for by in bys:
            column = keys[by]
            rows = (
                relevant.filter(**{f"{column}__isnull": False})
                .values(column)
                .annotate(**_aggregates(period, now))
            )
            out[by] = {row[column]: _figures(row, {}) for row in rows}
        return out
    columns = list(dict.fromkeys(keys.values()))
    # Each condition is evaluated once per case in an inner select (as 0/1, or the case's
    # rework count), then summed per grouping set: the aggregates of four groupings would
    # otherwise evaluate every filter four times.
    conditions = _conditions(period, period.cutoff(now))
    flags: dict[str, Any] = {
        f"_{name}": DbCase(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
        for name, q in conditions.items()
    }
    flags["_reworks"] = DbCase(
        When(conditions["to_close"], then=F("rework_count")),
        default=Value(0),
        output_field=IntegerField(),
    )
    inner = relevant.annotate(**flags).values(*columns, *flags)
    inner_sql, params = inner.query.get_compiler(relevant.db).as_sql()
    quote = connections[relevant.db].ops.quote_name
    grouped = [quote(column) for column in columns]
    sums = ", ".join(f"SUM({quote(flag)}) AS {quote(flag[1:])}" for flag in flags)
    sets = ", ".join(f"({c})" for c in grouped)
    sql = (
        f"SELECT GROUPING({', '.join(grouped)}) AS _set, {', '.join(grouped)}, {sums}"
        f" FROM ({inner_sql}) AS flagged GROUP BY GROUPING SETS ({sets})"
    )
    # GROUPING() sets bit (n-1-i) for each column i not grouped on in the row.
    n = len(columns)
    set_of = {(2**n - 1) ^ (1 << (n - 1 - i)): column for i, column in enumerate(columns)}
    with connections[relevant.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            column = set_of[row["_set"]]
            key = row[column]
            if key is None:
                continue
            figures = _figures(row, {})
            for by, key_column in keys.items():
                if key_column == column:
                    out[by][key] = figures
    return out


def _by_month(
    cases: QuerySet[Case],
    period: Period,
    now: dt.datetime,
    calendar: WorkingCalendar | None,
    hours: bool = True,
) -> list[Row]:
    # A case counts in several months (reported in one, closed in the next), so months cannot
    # be a GROUP BY: each month gets its own conditional aggregates, all in one query.
    months = period.months()
    aggregates: dict[str, Any] = {}
    for i, month in enumerate(months):
        aggregates.update(_aggregates(month, now, prefix=f"m{i}_"))
    row = cases.filter(_relevant(period, now)).order_by().aggregate(**aggregates)

    def month_of(_key: Any, moment: dt.datetime) -> str:
        return f"{moment.astimezone(_tz()):%Y-%m}"

    step = _step_hours(cases, period, None, month_of, calendar) if hours else {}
    return [
        Row(m.label, m.label, _figures(row, step.get(m.label, {}), f"m{i}_"))
        for i, m in enumerate(months)
    ]
