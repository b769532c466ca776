"""The rankings the reports print, read through one adapter.

The figures come ONLY from ``wangge.assessment.selectors.ranking(period, subject, role=None)``:
the reports never score anything. This module turns what that selector returns into the small
frozen dataclasses below, so that the bulletin (and later the annual report) depend on these
names only. Items may come as objects with attributes or as tuples
``(code, name, points, max_points, value, remarks)``.

A month with no assessment run is a :class:`NoRun` error (a NotFound: 404 on the pages, exit 2
in the command).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from wangge.core.errors import NotFound

COMMUNITY = "community"
STAFF = "staff"


@dataclass(frozen=True)
class Group:
    """A top-level indicator of the scheme (管理体制, 案件处置, …)."""

    code: str
    name: str
    max_points: Decimal | None
    order: int = 0


@dataclass(frozen=True)
class Item:
    """One scored (leaf) indicator of a row, with the top-level indicator it belongs to."""

    code: str
    name: str
    points: Decimal | None
    max_points: Decimal | None
    value: Any = None
    remarks: str = ""
    group: Group | None = None  # None: the item is a top-level indicator itself

    @property
    def top(self) -> Group:
        return self.group or Group(self.code, self.name, self.max_points)


@dataclass(frozen=True)
class Row:
    subject_id: int
    name: str
    total: Decimal
    rank: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RankingTable:
    period: str
    scheme: str
    version: int
    published: bool
    published_at: dt.datetime | None
    reason: str
    rows: tuple[Row, ...]


class NoRun(NotFound):
    """The month has not been assessed (no run of ``wangge assess``)."""


Source = Callable[..., Any]


def _assessment_ranking() -> Source:
    try:
        from wangge.assessment.selectors import ranking
    except ImportError:
        raise NoRun("the assessment app does not provide rankings yet", field="period") from None
    return cast(Source, ranking)


def fetch(
    period: str, subject: str, role: str | None = None, *, source: Source | None = None
) -> RankingTable:
    """The ranking of ``subject`` ("community" or "staff", with ``role`` a RoleKind value) for
    the month ``period`` "YYYY-MM", as this module's dataclasses. ``source`` replaces the
    assessment selector (tests, other callers)."""
    ranking = source or _assessment_ranking()
    what = f"the {role} staff" if role else "the communities"
    try:
        raw = ranking(period, subject, role=role) if role else ranking(period, subject)
    except NotFound as exc:
        raise NoRun(_no_run(period, what, str(exc.message)), field="period") from None
    # The selector answers an empty table (run_id None) for a month that was not assessed.
    if raw is None or (hasattr(raw, "run_id") and raw.run_id is None):
        raise NoRun(_no_run(period, what, ""), field="period")
    return adapt(raw)


def _no_run(period: str, what: str, detail: str) -> str:
    msg = f"{period} has no assessment of {what}: run `wangge assess {period}` first"
    return f"{msg} ({detail})" if detail else msg


def _get(obj: Any, name: str, index: int, default: Any = None) -> Any:
    if isinstance(obj, tuple | list):
        return obj[index] if index < len(obj) else default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _groups(run_id: Any) -> dict[str, Group]:
    """The top-level indicator of each indicator code of the run's scheme. The selector gives
    the leaves' points; this reads the scheme's tree (no figures) to group them."""
    if run_id is None:
        return {}
    from wangge.assessment.models import AssessmentRun, Indicator

    scheme_id = AssessmentRun.objects.filter(pk=run_id).values_list("scheme_id", flat=True).first()
    if scheme_id is None:
        return {}
    indicators = {i.pk: i for i in Indicator.objects.filter(scheme_id=scheme_id)}
    tops = sorted(
        (i for i in indicators.values() if i.parent_id is None), key=lambda i: (i.order, i.pk)
    )
    order = {i.pk: n for n, i in enumerate(tops)}
    out: dict[str, Group] = {}
    for ind in indicators.values():
        top = ind
        while top.parent_id is not None and top.parent_id in indicators:
            top = indicators[top.parent_id]
        out[ind.code] = Group(top.code, top.name, top.max_points, order.get(top.pk, 0))
    return out


def adapt(raw: Any) -> RankingTable:
    """The selector's RankingTable (any object with the contract's attribute names) as ours."""
    groups = _groups(getattr(raw, "run_id", None))
    rows: list[Row] = []
    for r in _get(raw, "rows", 6, ()) or ():
        items = tuple(
            Item(
                code=str(_get(i, "code", 0, "")),
                name=str(_get(i, "name", 1, "")),
                points=_decimal(_get(i, "points", 2)),
                max_points=_decimal(_get(i, "max_points", 3)),
                value=_get(i, "value", 4),
                remarks=str(_get(i, "remarks", 5, "") or ""),
                group=groups.get(str(_get(i, "code", 0, ""))),
            )
            for i in (_get(r, "items", 4, ()) or ())
        )
        rows.append(
            Row(
                subject_id=int(_get(r, "subject_id", 0)),
                name=str(_get(r, "name", 1, "")),
                total=_decimal(_get(r, "total", 2)) or Decimal(0),
                rank=int(_get(r, "rank", 3)),
                items=items,
            )
        )
    scheme = _get(raw, "scheme", 1, None)
    if scheme is None:
        scheme = getattr(raw, "scheme_name", "")
    return RankingTable(
        period=str(_get(raw, "period", 0, "")),
        scheme=str(getattr(scheme, "name", scheme) or ""),
        version=int(_get(raw, "version", 2, 1) or 1),
        published=bool(_get(raw, "published", 3, False)),
        published_at=_get(raw, "published_at", 4),
        reason=str(_get(raw, "reason", 5, "") or ""),
        rows=tuple(sorted(rows, key=lambda row: (row.rank, row.name))),
    )


def columns(rows: Sequence[Row]) -> list[Group]:
    """The top-level indicators of a table, in the scheme's order (one per code)."""
    seen: dict[str, Group] = {}
    for row in rows:
        for item in row.items:
            seen.setdefault(item.top.code, item.top)
    return sorted(seen.values(), key=lambda g: g.order)  # stable: first appearance on ties


def top_points(row: Row) -> dict[str, Decimal | None]:
    """A row's points per top-level indicator: the sum of its scored leaves (None while none of
    them is scored, e.g. a manual item of a draft)."""
    out: dict[str, Decimal | None] = {}
    for item in row.items:
        code = item.top.code
        if item.points is not None:
            out[code] = (out.get(code) or Decimal(0)) + item.points
        else:
            out.setdefault(code, None)
    return out
