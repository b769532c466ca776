"""Reads of the assessment app, for its pages, the bulletins, the dashboard and the payroll.

``ranking(period, subject, role=None)`` is the table of a period: the latest published version
of the run, or, while none is published, the latest draft (``published`` says which).
``performance_wages(month)`` lists the month's performance wages of community workers and
enforcers from the published runs (the payroll reads it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext

from wangge.assessment import computations, services
from wangge.assessment.models import (
    AssessmentRun,
    IndicatorKind,
    RunStatus,
    Subject,
    WageBase,
    YearEndResult,
)
from wangge.assessment.services import WageLine
from wangge.core.errors import DomainError

__all__ = [
    "RankingItem",
    "RankingRow",
    "RankingTable",
    "WageLine",
    "performance_wages",
    "ranking",
    "run_table",
    "runs_of",
]


@dataclass(frozen=True)
class RankingItem:
    code: str
    name: str
    points: Decimal | None
    max_points: Decimal
    value: Decimal | None
    remarks: str
    kind: str = IndicatorKind.COMPUTED
    score_id: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class RankingRow:
    subject_id: int
    name: str
    total: Decimal
    rank: int
    items: list[RankingItem] = field(default_factory=list)


@dataclass(frozen=True)
class RankingColumn:
    code: str
    name: str
    max_points: Decimal
    kind: str
    formula: str  # the computation's formula and the curve, for headers and Excel notes


@dataclass(frozen=True)
class RankingTable:
    period: str
    scheme_name: str
    subject: str
    role: str
    version: int
    published: bool
    published_at: dt.datetime | None
    published_by: str
    reason: str
    run_id: int | None
    rows: list[RankingRow]
    columns: list[RankingColumn] = field(default_factory=list)


def _curve_text(curve: dict[str, object]) -> str:
    kind = curve.get("type", "linear")
    empty = "满分" if curve.get("empty", "full") == "full" else "0分"
    if kind == "linear":
        zero, full = curve.get("zero_at", 0), curve.get("full_at", 1)
        text = f"得分 = 分值 × (值 − {zero}) / ({full} − {zero})，限 0..分值"
    elif kind == "inverse":
        text = "得分 = (1 − 值) × 分值"
    else:
        text = f"得分 = 分值 − min({curve.get('cap', '分值')}, {curve.get('points', 1)} × 值)"
    return f"{text}；无数据时{empty}"


def run_table(run: AssessmentRun) -> RankingTable:
    """A run's table: its results in rank order with every leaf item's points."""
    scheme = run.scheme
    items = services.leaves(scheme)
    columns = [
        RankingColumn(
            code=i.code,
            name=i.name,
            max_points=i.max_points,
            kind=i.kind,
            formula=(
                f"{computations.formula(i.source)}\n{_curve_text(i.curve or {})}"
                if i.kind != IndicatorKind.MANUAL
                else (i.description or "")
            ),
        )
        for i in items
    ]
    order = {i.pk: n for n, i in enumerate(items)}
    by_subject: dict[int, list[RankingItem]] = defaultdict(list)
    for s in sorted(
        run.scores.select_related("indicator"), key=lambda s: order.get(s.indicator_id, 0)
    ):
        by_subject[s.subject_id].append(
            RankingItem(
                code=s.indicator.code,
                name=s.indicator.name,
                points=s.points,
                max_points=s.indicator.max_points,
                value=s.value,
                remarks=s.remarks,
                kind=s.indicator.kind,
                score_id=s.pk,
                evidence=s.evidence,
            )
        )
    rows = [
        RankingRow(r.subject_id, r.subject_name, r.total, r.rank, by_subject[r.subject_id])
        for r in run.results.order_by("rank", "subject_name")
    ]
    by = run.published_by
    return RankingTable(
        period=run.period,
        scheme_name=scheme.name,
        subject=scheme.subject,
        role=scheme.role,
        version=run.version,
        published=run.status == RunStatus.PUBLISHED,
        published_at=run.published_at,
        published_by=(by.get_full_name() or by.get_username()) if by else "",
        reason=run.reason,
        run_id=run.pk,
        rows=rows,
        columns=columns,
    )


def _scheme_q(subject: str, role: str | None) -> Q:
    if subject not in Subject.values:
        raise DomainError(
            gettext("%(subject)s is not a subject; choose community, staff or unit")
            % {"subject": repr(subject)},
            field="subject",
        )
    q = Q(scheme__subject=subject)
    if subject == Subject.STAFF:
        if not role:
            raise DomainError(
                gettext("give the staff role, e.g. role=community_worker"), field="role"
            )
        q &= Q(scheme__role=role)
    return q


def shown_run(period: str, subject: str, role: str | None = None) -> AssessmentRun | None:
    """The latest published version, or while none is published the latest draft."""
    services.parse_period(period)  # a clear error for a bad period
    q = _scheme_q(subject, role)
    run = services.latest_published(q, period)
    if run is None:
        run = (
            AssessmentRun.objects.filter(q, period=period)
            .select_related("scheme")
            .order_by("-version", "-created_at")
            .first()
        )
    return run


def ranking(period: str, subject: str, role: str | None = None) -> RankingTable:
    """The ranking of a period; an empty table (run_id None) when nothing was assessed."""
    run = shown_run(period, subject, role)
    if run is None:
        return RankingTable(
            period=period,
            scheme_name="",
            subject=subject,
            role=role or "",
            version=0,
            published=False,
            published_at=None,
            published_by="",
            reason="",
            run_id=None,
            rows=[],
        )
    return run_table(run)


def runs_of(period: str) -> list[AssessmentRun]:
    """Every run of a period (all versions), newest version first within each scheme; each
    with ``subject_count``, the number of subjects it ranks."""
    return list(
        AssessmentRun.objects.filter(period=period)
        .select_related("scheme", "published_by")
        .annotate(subject_count=Count("results"))
        .order_by("scheme__subject", "scheme__role", "scheme__code", "-version")
    )


def periods() -> list[str]:
    return list(
        AssessmentRun.objects.order_by("-period").values_list("period", flat=True).distinct()
    )


def performance_wages(month: str) -> list[WageLine]:
    """The month's performance wages from the latest published run of each wage-linked role."""
    services.parse_period(month)
    lines: list[WageLine] = []
    for role in WageBase.objects.order_by("role").values_list("role", flat=True):
        run = services.latest_published(Q(scheme__subject=Subject.STAFF, scheme__role=role), month)
        if run is not None:
            lines.extend(services.performance_wage(run))
    return lines


def year_end_results(year: int) -> list[YearEndResult]:
    return list(YearEndResult.objects.filter(year=year).order_by("rank", "community_name"))
