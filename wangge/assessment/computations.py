"""The computed indicators: a registry of bulk computations and the curves that turn values into
points.

A computation is ``fn(subject_ids, period, ctx) -> {subject_id: value}``, computed for all
subjects at once with a few queries; a subject missing from the answer (or None) has nothing to
measure (e.g. a community with no case owed in the month), and the indicator's curve says what
that earns (``"empty": "full"`` or ``"zero"``; the default is full points: nothing was owed,
nothing was missed).

Case figures are read only through ``wangge.cases.rates`` (figures_by community / unit /
handler); duty through ``wangge.field.duty.selectors.duty_days`` (the stored duty days, planned
shift minutes included); inspection findings through
``wangge.leaders.selectors.inspection_findings``.

Curves (``Indicator.curve``):
- ``{"type": "linear", "zero_at": a, "full_at": b}``: points = max × (value − a) / (b − a),
  clipped to 0..max. ``{"type": "linear", "zero_at": 0, "full_at": 1}`` is rate × max.
- ``{"type": "inverse"}``: points = (1 − value) × max, clipped (for a rate that should be low:
  返工率, 超期率, 延期率; standards.md §4.2's "(1 − rate) × points").
- ``{"type": "per_unit", "points": p, "cap": c}``: a deduction item: points = max − min(c, p ×
  value), never below 0 (``cap`` defaults to max).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from wangge.cases import rates
from wangge.cases.models import Case, Oversight
from wangge.core.errors import DomainError
from wangge.leaders import selectors as leader_selectors

Values = dict[int, Decimal | None]
POINTS = Decimal("0.01")
MANY_IDS = 1000  # more subjects than this: read everyone's rows and keep theirs (no long IN)
ZERO = Decimal("0")


# The groupings of the case figures the computations read (fetched together).
GROUPINGS = ["community", "unit", "handler", "reporter"]


@dataclass
class Context:
    """Caches for one run: each grouping of the case figures is computed once."""

    period: rates.Period
    now: dt.datetime = field(default_factory=timezone.now)
    _figures: dict[str, dict[Any, rates.Figures]] = field(default_factory=dict)
    # Everyone assessed as staff in the run (set by assess()): duty and inspection figures are
    # read once for all of them.
    staff_ids: frozenset[int] = frozenset()
    _duty: dict[int, dict[str, float]] | None = None
    _duty_ids: frozenset[int] = frozenset()
    _findings: dict[int, dict[str, int]] | None = None
    _findings_ids: frozenset[int] = frozenset()

    def figures_by(self, by: str) -> dict[Any, rates.Figures]:
        if by not in self._figures:
            # Every grouping the assessment reads, in one pass over the cases (no step hours:
            # no indicator reads them). Cases with no key are in no group: "none" scores no one.
            wanted = [b for b in GROUPINGS if b not in self._figures]
            if by not in wanted:
                wanted.append(by)
            found = rates.figures_by_keys(Case.objects.all(), self.period, wanted, now=self.now)
            self._figures.update(found)
        return self._figures[by]

    def findings(self, person_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per person: inspections that found them absent or neglecting the job."""
        wanted = frozenset(person_ids)
        if self._findings is not None and wanted <= self._findings_ids:
            return self._findings
        if wanted <= self.staff_ids:
            wanted = self.staff_ids
        self._findings = leader_selectors.inspection_findings(wanted, self.first_day, self.last_day)
        self._findings_ids = wanted
        return self._findings

    @property
    def first_day(self) -> dt.date:
        return self.period.start.astimezone(timezone.get_current_timezone()).date()

    @property
    def last_day(self) -> dt.date:
        end = self.period.end - dt.timedelta(microseconds=1)
        return end.astimezone(timezone.get_current_timezone()).date()

    def duty(self, person_ids: list[int]) -> dict[int, dict[str, float]]:
        """Per person over the period: online, planned, off-post minutes and missed shifts
        (summed from the stored duty days; days not stored yet are computed and stored)."""
        wanted = frozenset(person_ids)
        if self._duty is not None and wanted <= self._duty_ids:
            return self._duty
        if wanted <= self.staff_ids:
            wanted = self.staff_ids
        from wangge.field.duty.selectors import duty_days

        out: dict[int, dict[str, float]] = {
            pid: {
                "online": t.online_minutes,
                "planned": t.planned_minutes,
                "off_post": t.off_post_minutes,
                "missed": float(t.missed_shifts),
            }
            for pid, t in duty_days(
                sorted(wanted), self.first_day, self.last_day, now=self.now
            ).items()
        }
        self._duty, self._duty_ids = out, wanted
        return out


Computation = Callable[[list[int], rates.Period, Context], Values]

REGISTRY: dict[str, tuple[Computation, str]] = {}


def computation(key: str, formula: str) -> Callable[[Computation], Computation]:
    """Register ``fn`` under ``key``; ``formula`` is shown in pages and Excel header notes."""

    def register(fn: Computation) -> Computation:
        REGISTRY[key] = (fn, formula)
        return fn

    return register


def compute(key: str, subject_ids: list[int], ctx: Context) -> Values:
    if key not in REGISTRY:
        raise DomainError(
            gettext("no computation named %(key)s; choose one of %(keys)s")
            % {"key": repr(key), "keys": ", ".join(sorted(REGISTRY))},
            field="source",
        )
    fn, _formula = REGISTRY[key]
    return fn(subject_ids, ctx.period, ctx)


def formula(key: str) -> str:
    return REGISTRY[key][1] if key in REGISTRY else ""


def _d(value: float | int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _case_rate(by: str, attribute: str) -> Computation:
    def fn(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
        table = ctx.figures_by(by)
        return {sid: getattr(table[sid], attribute) for sid in subject_ids if sid in table}

    return fn


def _unit_ratio(numerator: str, denominator: str) -> Computation:
    def fn(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
        table = ctx.figures_by("unit")
        return {
            sid: rates.rate(getattr(table[sid], numerator), getattr(table[sid], denominator))
            for sid in subject_ids
            if sid in table
        }

    return fn


_LABEL = rates.LABELS
_DEF = rates.DEFINITIONS_ZH

for _by, _prefix in (("community", "community"), ("unit", "unit"), ("handler", "staff")):
    for _name in ("closure_rate", "on_time_rate", "rework_rate", "overdue_rate"):
        computation(f"{_prefix}.{_name}", f"{_LABEL[_name]} = {_DEF[_name]}")(
            _case_rate(_by, _name)
        )
    for _name in ("on_time_handling_rate", "extension_rate"):
        computation(f"{_prefix}.{_name}", f"{_LABEL[_name]} = {_DEF[_name]}")(
            _case_rate(_by, _name)
        )

computation(
    "unit.overdue_open_rate",
    "超期待处置率 = 超期未结案数 / 应结案数（rates: overdue_open / to_close）",
)(_unit_ratio("overdue_open", "to_close"))


@computation(
    "community.key_oversight_rate",
    "重点案件督办按期办结率 = 期内到期的督办令中按期办结（办结时间不晚于督办期限）的数量 / "
    "期内到期的督办令数量（按案件所在社区）",
)
def key_oversight_rate(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    rows = Oversight.objects.filter(
        case__community_id__in=subject_ids,
        deadline__gte=period.start,
        deadline__lt=period.cutoff(ctx.now),
    ).values_list("case__community_id", "deadline", "closed_at")
    due: dict[int, int] = defaultdict(int)
    met: dict[int, int] = defaultdict(int)
    for community_id, deadline, closed_at in rows:
        due[community_id] += 1
        if closed_at is not None and closed_at <= deadline:
            met[community_id] += 1
    return {cid: rates.rate(met[cid], due[cid]) for cid in due}


@computation(
    "staff.online_share",
    "在岗在线率 = 在线分钟数之和 / 计划班次分钟数之和（duty summaries; 无计划班次时不适用）",
)
def online_share(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    duty = ctx.duty(subject_ids)
    out: Values = {}
    for sid in subject_ids:
        row = duty.get(sid)
        if row and row["planned"] > 0:
            out[sid] = min(Decimal(1), _d(row["online"] / row["planned"]))
    return out


@computation("staff.off_post_hours", "脱岗小时数 = 期内脱岗分钟数之和 / 60（duty summaries）")
def off_post_hours(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    duty = ctx.duty(subject_ids)
    return {sid: _d(duty[sid]["off_post"] / 60) if sid in duty else ZERO for sid in subject_ids}


@computation("staff.missed_shifts", "漏岗次数 = 期内漏岗班次数之和（duty summaries）")
def missed_shifts(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    duty = ctx.duty(subject_ids)
    return {sid: _d(duty[sid]["missed"]) if sid in duty else ZERO for sid in subject_ids}


@computation(
    "staff.inspection_findings",
    "检查发现问题次数 = 网格长抽查发现脱岗（absent）与在岗不履职（neglect）的次数之和",
)
def inspection_findings(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    found = ctx.findings(subject_ids)
    return {
        sid: Decimal(
            int(found.get(sid, {}).get("absent", 0)) + int(found.get(sid, {}).get("neglect", 0))
        )
        for sid in subject_ids
    }


@computation(
    "staff.valid_report_rate",
    "有效上报率 = 本人上报问题期内立案数 / 本人期内上报数，至多 100%"
    "（rates: filed / reported，按上报人）",
)
def valid_report_rate(subject_ids: list[int], period: rates.Period, ctx: Context) -> Values:
    from wangge.people.models import Person

    people = Person.objects.filter(user__isnull=False)
    wanted = set(subject_ids)
    if len(wanted) <= MANY_IDS:
        people = people.filter(pk__in=subject_ids)
    users = {uid: pid for uid, pid in people.values_list("user_id", "pk") if pid in wanted}
    out: Values = {}
    table = ctx.figures_by("reporter")  # by the reporter's login
    found = {users[uid]: f for uid, f in table.items() if uid in users}
    for person_id, f in found.items():
        share = rates.rate(f.filed, f.reported)
        out[person_id] = None if share is None else min(Decimal(1), share)
    return out


# --- curves ----------------------------------------------------------------------------------


def _clip(points: Decimal, maximum: Decimal) -> Decimal:
    return max(ZERO, min(maximum, points)).quantize(POINTS, ROUND_HALF_UP)


def points_for(curve: dict[str, Any], value: Decimal | None, maximum: Decimal) -> Decimal:
    """The points a value earns on a curve (see the module docstring)."""
    kind = curve.get("type", "linear")
    if value is None:
        return maximum if curve.get("empty", "full") == "full" else ZERO
    if kind == "linear":
        zero_at = Decimal(str(curve.get("zero_at", 0)))
        full_at = Decimal(str(curve.get("full_at", 1)))
        if full_at == zero_at:
            return maximum if value >= full_at else ZERO
        return _clip(maximum * (value - zero_at) / (full_at - zero_at), maximum)
    if kind == "inverse":
        return _clip(maximum * (Decimal(1) - value), maximum)
    if kind == "per_unit":
        each = Decimal(str(curve.get("points", 1)))
        cap = Decimal(str(curve.get("cap", maximum)))
        return _clip(maximum - min(cap, each * value), maximum)
    raise DomainError(
        gettext("unknown curve type %(type)s: use linear, inverse or per_unit")
        % {"type": repr(kind)},
        field="curve",
    )


def check_curve(curve: dict[str, Any]) -> str | None:
    """What is wrong with a curve, or None."""
    kind = curve.get("type", "linear")
    if kind not in ("linear", "inverse", "per_unit"):
        return gettext("unknown curve type %(type)s: use linear, inverse or per_unit") % {
            "type": repr(kind)
        }
    if curve.get("empty", "full") not in ("full", "zero"):
        return gettext('the curve\'s "empty" must be "full" or "zero"')
    if kind == "linear" and Decimal(str(curve.get("full_at", 1))) <= Decimal(
        str(curve.get("zero_at", 0))
    ):
        return gettext('a linear curve needs "full_at" above "zero_at"')
    return None
