"""Every change of the assessment app: check schemes, assess, score, publish, correct, year end.

Rules:
- ``assess(period)`` drafts one run per active scheme of that cadence ("YYYY-MM": the monthly
  schemes; "YYYY": the yearly ones). It refuses a period that has not ended. Run again on a
  draft it recomputes the computed items and keeps the manual scores; a published run is never
  recomputed (a published month is a frozen snapshot: later edits of cases do not change it).
- ``publish`` refuses while a manual item is unscored and lists them.
- ``correct`` turns a published run into the next version, a draft copying every score, with
  the reason; the selectors show the latest published version.
- Ranking: by total, highest first; equal totals share a rank and the next rank skips
  (1, 2, 2, 4: "standard competition ranking"). Ties are listed by name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from wangge.assessment import computations
from wangge.assessment.models import (
    AssessmentRun,
    Cadence,
    CommunityBonus,
    Indicator,
    IndicatorKind,
    RunResult,
    RunStatus,
    Scheme,
    Score,
    Subject,
    WageBand,
    WageBase,
    YearEndResult,
    YearEndRule,
)
from wangge.cases import rates
from wangge.core import audit
from wangge.core.bulk import insert_rows
from wangge.core.errors import Conflict, DomainError, Forbidden, NotFound
from wangge.org.models import Community, HandlingUnit
from wangge.people.groups import ADMINS, ASSESSORS
from wangge.people.models import GridRole, Person

User = AbstractBaseUser | AnonymousUser | None
FEN = Decimal("0.01")
BATCH = 2000  # rows per UPDATE when a run's manual scores are renamed
VALUE_PLACES = Decimal("0.0001")  # Score.value's decimal places
SCORE_FIELDS = [
    "run_id",
    "subject_type",
    "subject_id",
    "subject_name",
    "indicator_id",
    "value",
    "points",
]


def _user(by_user: User) -> Any:
    """The user to store as author, or None for an anonymous or a scheduled call."""
    return by_user if by_user is not None and by_user.is_authenticated else None


# --- who may assess -------------------------------------------------------------------------


def can_assess(user: User) -> bool:
    """The assessment group, administrators and superusers read drafts, score and publish."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(user.groups.filter(name__in=(ASSESSORS, ADMINS)).exists())  # type: ignore[attr-defined,union-attr,unused-ignore]


def require_assessor(user: User) -> None:
    if not can_assess(user):
        raise Forbidden(gettext("only the assessment group and administrators may do this"))


# --- schemes ---------------------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def scheme_check(scheme: Scheme) -> None:
    """Refuse a scheme whose points do not add up, or with a bad item: a DomainError naming it.

    Children's points add up to their parent's; the top level adds up to the scheme's total;
    no maximum is negative; computed and deduction items name a known computation and a valid
    curve.
    """
    items = list(scheme.indicators.all())
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
        if item.max_points < 0:
            raise DomainError(
                gettext("indicator %(code)s %(name)s has negative points (%(points)s)")
                % {"code": item.code, "name": item.name, "points": item.max_points},
                field="max_points",
            )
    top = sum((i.max_points for i in children[None]), Decimal(0))
    if top != scheme.total_points:
        raise DomainError(
            gettext(
                "scheme %(code)s: the top-level indicators add up to %(sum)s, not to the"
                " scheme's total %(total)s; change the points so they match"
            )
            % {"code": scheme.code, "sum": _fmt(top), "total": _fmt(scheme.total_points)},
            field="total_points",
        )
    for item in items:
        kids = children.get(item.pk, [])
        if kids:
            total = sum((k.max_points for k in kids), Decimal(0))
            if total != item.max_points:
                names = " + ".join(f"{k.code} {_fmt(k.max_points)}" for k in kids)
                raise DomainError(
                    gettext(
                        "indicator %(code)s %(name)s has %(points)s points but its items add up"
                        " to %(sum)s (%(items)s)"
                    )
                    % {
                        "code": item.code,
                        "name": item.name,
                        "points": _fmt(item.max_points),
                        "sum": _fmt(total),
                        "items": names,
                    },
                    field="max_points",
                )
        elif item.kind != IndicatorKind.MANUAL:
            if item.source not in computations.REGISTRY:
                raise DomainError(
                    gettext("indicator %(code)s %(name)s: no computation named %(source)s")
                    % {"code": item.code, "name": item.name, "source": repr(item.source)},
                    field="source",
                )
            problem = computations.check_curve(item.curve or {})
            if problem:
                raise DomainError(
                    gettext("indicator %(code)s %(name)s: %(problem)s")
                    % {"code": item.code, "name": item.name, "problem": problem},
                    field="curve",
                )


def leaves(scheme: Scheme) -> list[Indicator]:
    items = list(scheme.indicators.all())
    parents = {i.parent_id for i in items if i.parent_id}
    return [i for i in items if i.pk not in parents]


# --- subjects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectRow:
    id: int
    name: str


def _first_last(period: rates.Period) -> tuple[dt.date, dt.date]:
    tz = timezone.get_current_timezone()
    return (
        period.start.astimezone(tz).date(),
        (period.end - dt.timedelta(microseconds=1)).astimezone(tz).date(),
    )


def subjects_of(scheme: Scheme, period: rates.Period) -> list[SubjectRow]:
    """Communities; subdistrict offices (active); or the staff who held the role in the period."""
    rows: Iterable[tuple[int, str]]
    if scheme.subject == Subject.COMMUNITY:
        rows = Community.objects.order_by("code").values_list("pk", "name")
    elif scheme.subject == Subject.UNIT:
        rows = (
            HandlingUnit.objects.filter(level=HandlingUnit.Level.SUBDISTRICT, active=True)
            .order_by("name")
            .values_list("pk", "name")
        )
    else:
        if not scheme.role:
            raise DomainError(
                gettext("scheme %(code)s assesses staff but names no role; set its role")
                % {"code": scheme.code},
                field="role",
            )
        first, last = _first_last(period)
        ids = GridRole.objects.filter(role=scheme.role, start_date__lte=last).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first)
        )
        rows = (
            Person.objects.filter(pk__in=ids.values("person_id"))
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
    return [SubjectRow(pk, name) for pk, name in rows]


# --- the run ---------------------------------------------------------------------------------


def parse_period(text: str) -> tuple[rates.Period, str]:
    """A month "YYYY-MM" (monthly schemes) or a year "YYYY" (yearly schemes)."""
    value = (text or "").strip()
    if len(value) == 4:
        return rates.Period.year(value), Cadence.YEARLY
    return rates.Period.month(value), Cadence.MONTHLY


def _latest(scheme: Scheme, period: str) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(scheme=scheme, period=period).order_by("-version").first()


def assess(
    period: str,
    scheme: Scheme | None = None,
    by_user: User = None,
    now: dt.datetime | None = None,
) -> list[AssessmentRun]:
    """Draft (or recompute the draft of) every active scheme of the period's cadence."""
    now = now or timezone.now()
    span, cadence = parse_period(period)
    if span.end > now:
        raise DomainError(
            gettext("%(period)s has not ended yet (it ends %(end)s); assess it after its end")
            % {"period": span.label, "end": format(span.end, "%Y-%m-%d %H:%M")},
            field="period",
        )
    if scheme is not None:
        if scheme.period != cadence:
            raise DomainError(
                gettext("scheme %(code)s is %(cadence)s; give a period of that kind")
                % {"code": scheme.code, "cadence": scheme.get_period_display()},
                field="period",
            )
        schemes = [scheme]
    else:
        schemes = list(
            Scheme.objects.filter(
                period=cadence, active=True, valid_from__lt=span.end.date()
            ).order_by("subject", "role", "code", "-version")
        )
        # The newest active version of each code.
        seen: set[str] = set()
        schemes = [s for s in schemes if not (s.code in seen or seen.add(s.code))]  # type: ignore[func-returns-value]
    if not schemes:
        raise DomainError(
            gettext("no active %(cadence)s scheme to assess %(period)s with")
            % {"cadence": Cadence(cadence).label, "period": span.label},
            field="period",
        )
    ctx = computations.Context(span, now=now)
    subjects = {item.pk: subjects_of(item, span) for item in schemes}
    # Everyone assessed as staff this period: their duty and inspection figures are read in
    # one pass for all the roles' schemes, not one per scheme.
    ctx.staff_ids = frozenset(
        row.id for item in schemes if item.subject == Subject.STAFF for row in subjects[item.pk]
    )
    return [_assess_one(item, span, ctx, by_user, now, subjects[item.pk]) for item in schemes]


@transaction.atomic
def _assess_one(
    scheme: Scheme,
    span: rates.Period,
    ctx: computations.Context,
    by_user: User,
    now: dt.datetime,
    subjects: list[SubjectRow],
) -> AssessmentRun:
    scheme_check(scheme)
    run = _latest(scheme, span.label)
    if run is not None and run.is_published:
        return run  # frozen
    if connection.vendor == "postgresql":
        # A draft is recomputed from the cases at will: a crash that loses its last commit
        # loses nothing, and not waiting for the WAL flush of a city's hundred thousand scores
        # saves a second or more. (Publishing is a separate, durable transaction.)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    user = _user(by_user)
    if run is None:
        run = AssessmentRun.objects.create(
            scheme=scheme, period=span.label, version=1, created_by=user
        )
    ids = [s.id for s in subjects]
    names = {s.id: s.name for s in subjects}
    # Computed items are replaced wholesale (one DELETE, then bulk inserts): updating a
    # city's hundred thousand scores row by row took over a minute. Manual scores are kept.
    manual_ids = list(
        scheme.indicators.filter(kind=IndicatorKind.MANUAL).values_list("pk", flat=True)
    )
    Score.objects.filter(run=run).exclude(indicator_id__in=manual_ids).delete()
    existing = {
        (s.subject_id, s.indicator_id): s for s in run.scores.filter(indicator_id__in=manual_ids)
    }
    wanted: set[tuple[int, int]] = set()
    new: list[tuple[Any, ...]] = []
    renamed: list[Score] = []
    run_id, subject = run.pk, scheme.subject
    for indicator in leaves(scheme):
        manual = indicator.kind == IndicatorKind.MANUAL
        values: computations.Values = {}
        if not manual:
            values = computations.compute(indicator.source, ids, ctx)
        curve, maximum, indicator_id = indicator.curve or {}, indicator.max_points, indicator.pk
        # Many subjects share a value (none, 0, 100 %): each value's points are computed once.
        points_of: dict[Decimal | None, Decimal] = {}
        for sid in ids:
            key = (sid, indicator_id)
            wanted.add(key)
            kept = existing.get(key)
            if kept is not None:  # a manual score stays as the assessment group left it
                if kept.subject_name != names[sid]:
                    kept.subject_name = names[sid]
                    renamed.append(kept)
                continue
            if manual:
                new.append((run_id, subject, sid, names[sid], indicator_id, None, None))
                continue
            value = values.get(sid)
            if value is not None:
                value = value.quantize(VALUE_PLACES)
            points = points_of.get(value)
            if points is None:
                points = points_of[value] = computations.points_for(curve, value, maximum)
            new.append((run_id, subject, sid, names[sid], indicator_id, value, points))
    # Plain rows, not model instances: a city's month is over a hundred thousand scores.
    insert_rows(Score, SCORE_FIELDS, new)
    Score.objects.bulk_update(renamed, ["subject_name"], batch_size=BATCH)
    # Subjects gone since the last draft (e.g. a role that ended) leave the draft.
    gone = [score.pk for key, score in existing.items() if key not in wanted]
    Score.objects.filter(pk__in=gone).delete()
    run.computed_at = now
    run.save(update_fields=["computed_at", "updated_at"])
    rank_run(run)
    audit.record(
        actor=by_user,
        action="assessment.assess",
        object_type="assessment.run",
        object_id=run.pk,
        summary=f"assessed {scheme.name} {span.label} v{run.version}",
    )
    return run


def competition_ranks(totals: list[tuple[Any, Decimal]]) -> list[tuple[Any, Decimal, int]]:
    """Highest first; equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda row: -row[1])
    out = []
    rank = 0
    previous: Decimal | None = None
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        out.append((key, total, rank))
    return out


def rank_run(run: AssessmentRun) -> None:
    """Store each subject's total (sum of its leaf points; an unscored manual item counts 0 in a
    draft) and rank on RunResult rows."""
    # Summed in the database: a city's month is a hundred thousand scores, twenty thousand
    # subjects.
    rows = (
        run.scores.order_by()
        .values("subject_id")
        .annotate(name=Max("subject_name"), total=Sum("points", default=Decimal(0)))
        .values_list("subject_id", "name", "total")
    )
    totals = sorted(
        ((sid, name, Decimal(total).quantize(FEN, ROUND_HALF_UP)) for sid, name, total in rows),
        key=lambda row: row[1],
    )
    names = {sid: name for sid, name, _ in totals}
    run.results.all().delete()
    ranked = competition_ranks([(sid, total) for sid, _, total in totals])
    insert_rows(
        RunResult,
        ["run_id", "subject_id", "subject_name", "total", "rank"],
        ((run.pk, sid, names[sid], total, rank) for sid, total, rank in ranked),
    )


def _draft(run: AssessmentRun) -> None:
    if run.is_published:
        raise Conflict(
            gettext(
                "%(scheme)s %(period)s v%(version)s is published and cannot change;"
                " make a correction (a new version) instead"
            )
            % {"scheme": run.scheme.name, "period": run.period, "version": run.version}
        )


@transaction.atomic
def score_manual(
    score: Score,
    points: Decimal | str | int | float | None,
    evidence: str = "",
    remarks: str = "",
    by_user: User = None,
) -> Score:
    """Score a manual item of a draft: 0 ≤ points ≤ the indicator's maximum."""
    score = (
        Score.objects.select_for_update()
        .select_related("run__scheme", "indicator")
        .get(pk=score.pk)
    )
    _draft(score.run)
    indicator = score.indicator
    if indicator.kind != IndicatorKind.MANUAL:
        raise DomainError(
            gettext("%(code)s %(name)s is computed from the data; it cannot be scored by hand")
            % {"code": indicator.code, "name": indicator.name},
            field="points",
        )
    try:
        value = Decimal(str(points)).quantize(FEN, ROUND_HALF_UP)
    except Exception:
        raise DomainError(
            gettext("%(points)s is not a number of points; give e.g. 8 or 7.5")
            % {"points": repr(points)},
            field="points",
        ) from None
    if not value.is_finite():
        raise DomainError(
            gettext("%(points)s is not a number of points") % {"points": repr(points)},
            field="points",
        )
    if value < 0:
        raise DomainError(
            gettext("%(code)s %(name)s: %(points)s is below zero; give 0 to %(max)s points")
            % {
                "code": indicator.code,
                "name": indicator.name,
                "points": _fmt(value),
                "max": _fmt(indicator.max_points),
            },
            field="points",
        )
    if value > indicator.max_points:
        raise DomainError(
            gettext("%(code)s %(name)s: %(points)s is above the maximum of %(max)s points")
            % {
                "code": indicator.code,
                "name": indicator.name,
                "points": _fmt(value),
                "max": _fmt(indicator.max_points),
            },
            field="points",
        )
    if indicator.evidence_required and not (evidence or "").strip():
        raise DomainError(
            gettext("%(code)s %(name)s needs evidence: say what the score rests on")
            % {"code": indicator.code, "name": indicator.name},
            field="evidence",
        )
    score.points = value
    score.evidence = (evidence or "").strip()
    score.remarks = (remarks or "").strip()
    score.scored_by = _user(by_user)
    score.scored_at = timezone.now()
    score.save()
    rank_run(score.run)
    audit.record(
        actor=by_user,
        action="assessment.score",
        object_type="assessment.score",
        object_id=score.pk,
        summary=f"{score.subject_name} {indicator.code} = {_fmt(value)}",
    )
    return score


def unscored(run: AssessmentRun) -> list[Score]:
    return list(
        run.scores.filter(indicator__kind=IndicatorKind.MANUAL, points__isnull=True)
        .select_related("indicator")
        .order_by("subject_name", "indicator__order")
    )


@transaction.atomic
def publish(run: AssessmentRun, by_user: User = None) -> AssessmentRun:
    run = AssessmentRun.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    _draft(run)
    missing = unscored(run)
    if missing:
        listed = "; ".join(
            f"{s.subject_name}: {s.indicator.code} {s.indicator.name}" for s in missing[:10]
        )
        if len(missing) > 10:
            listed = gettext("%(items)s and %(n)d more") % {
                "items": listed,
                "n": len(missing) - 10,
            }
        raise DomainError(
            gettext(
                "%(scheme)s %(period)s: %(n)d manual item(s) are not scored yet: %(items)s."
                " Score them before publishing"
            )
            % {"scheme": run.scheme.name, "period": run.period, "n": len(missing), "items": listed},
            field="scores",
        )
    rank_run(run)
    run.status = RunStatus.PUBLISHED
    run.published_by = _user(by_user)
    run.published_at = timezone.now()
    run.save()
    audit.record(
        actor=by_user,
        action="assessment.publish",
        object_type="assessment.run",
        object_id=run.pk,
        summary=f"published {run.scheme.name} {run.period} v{run.version}",
    )
    return run


@transaction.atomic
def correct(run: AssessmentRun, by_user: User = None, reason: str = "") -> AssessmentRun:
    """The next version of a published run: a draft copying its scores, with the reason."""
    run = AssessmentRun.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("say why the published results are corrected"), field="reason")
    if not run.is_published:
        raise Conflict(
            gettext("%(scheme)s %(period)s v%(version)s is still a draft: edit it directly")
            % {"scheme": run.scheme.name, "period": run.period, "version": run.version}
        )
    latest = _latest(run.scheme, run.period)
    if latest is not None and latest.pk != run.pk:
        raise Conflict(
            gettext("%(scheme)s %(period)s already has version %(version)s; correct that")
            % {"scheme": run.scheme.name, "period": run.period, "version": latest.version}
        )
    user = _user(by_user)
    new = AssessmentRun.objects.create(
        scheme=run.scheme,
        period=run.period,
        version=run.version + 1,
        created_by=user,
        computed_at=run.computed_at,
        correction_of=run,
        reason=reason,
    )
    copied = [
        "subject_type",
        "subject_id",
        "subject_name",
        "indicator_id",
        "value",
        "points",
        "evidence",
        "remarks",
        "scored_by_id",
        "scored_at",
    ]
    insert_rows(
        Score,
        ["run_id", *copied],
        ((new.pk, *row) for row in run.scores.order_by("pk").values_list(*copied)),
    )
    rank_run(new)
    audit.record(
        actor=by_user,
        action="assessment.correct",
        object_type="assessment.run",
        object_id=new.pk,
        summary=f"correction v{new.version} of {run.scheme.name} {run.period}: {reason}",
    )
    return new


def run_get(pk: int) -> AssessmentRun:
    try:
        return AssessmentRun.objects.select_related("scheme").get(pk=pk)
    except AssessmentRun.DoesNotExist:
        raise NotFound(gettext("no assessment run %(pk)s") % {"pk": pk}) from None


# --- the year's end --------------------------------------------------------------------------


def latest_published(scheme_filter: Q, period: str) -> AssessmentRun | None:
    return (
        AssessmentRun.objects.filter(scheme_filter, period=period, status=RunStatus.PUBLISHED)
        .select_related("scheme")
        .order_by("-version", "-published_at")
        .first()
    )


@transaction.atomic
def year_end(year: int | str) -> list[YearEndResult]:
    """The composite annual ranking of the communities.

    A community's annual score is the mean of its totals in the year's published monthly runs
    (the latest published version of each month); months not published are left out, so the
    mean is over the published months (``months`` on each row says how many). The top N
    (YearEndRule) are flagged for reward; the last N lose ``deduction_percent`` of their
    configured bonus (CommunityBonus), rounded to the fen; without a configured bonus the
    deduction is 0 (flagged all the same). Ties share a rank (1, 2, 2, 4); every community tied
    at a rewarded or a deducted rank is flagged; with fewer communities than top N + bottom N, a
    community in both is only rewarded. Computing the year again replaces its results.
    """
    number = rates.Period.year(year).start.year
    rule = YearEndRule.load()
    community = Q(scheme__subject=Subject.COMMUNITY, scheme__period=Cadence.MONTHLY)
    totals: dict[int, list[Decimal]] = defaultdict(list)
    names: dict[int, str] = {}
    for month in range(1, 13):
        run = latest_published(community, f"{number:04d}-{month:02d}")
        if run is None:
            continue
        for result in run.results.all():
            totals[result.subject_id].append(result.total)
            names[result.subject_id] = result.subject_name
    if not totals:
        raise DomainError(
            gettext("no community month of %(year)s is published yet; publish the months first")
            % {"year": number},
            field="year",
        )
    means = {
        cid: (sum(values, Decimal(0)) / len(values)).quantize(FEN, ROUND_HALF_UP)
        for cid, values in totals.items()
    }
    ranked = competition_ranks(sorted(means.items(), key=lambda kv: names[kv[0]]))
    count = len(ranked)
    bonuses = dict(CommunityBonus.objects.filter(year=number).values_list("community_id", "amount"))
    YearEndResult.objects.filter(year=number).delete()
    out = []
    bottom_rank = ranked[-rule.bottom_n][2] if rule.bottom_n and count else count + 1
    for cid, mean, rank in ranked:
        rewarded = rank <= rule.top_n
        deducted = bool(rule.bottom_n) and rank >= bottom_rank and not rewarded
        bonus = bonuses.get(cid)
        deduction = Decimal(0)
        if deducted and bonus is not None:
            deduction = (bonus * rule.deduction_percent / Decimal(100)).quantize(FEN, ROUND_HALF_UP)
        out.append(
            YearEndResult.objects.create(
                year=number,
                community_id=cid,
                community_name=names[cid],
                months=len(totals[cid]),
                mean_total=mean,
                rank=rank,
                rewarded=rewarded,
                deducted=deducted,
                bonus=bonus,
                deduction=deduction,
            )
        )
    return out


# --- the wage link ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WageLine:
    person_id: int
    name: str
    role: str
    period: str
    score: Decimal
    rank: int
    band: str
    coefficient: Decimal
    base: Decimal
    amount: Decimal


def performance_wage(run: AssessmentRun) -> list[WageLine]:
    """Per person of a community-worker or enforcer run: score, rank, band, coefficient, amount.

    The band is the one with the highest "from score" not above the person's total; the amount
    is the role's base performance wage × the coefficient, rounded to the fen.
    """
    role = run.scheme.role
    if run.scheme.subject != Subject.STAFF or role not in WageBase.objects.values_list(
        "role", flat=True
    ):
        raise DomainError(
            gettext(
                "%(scheme)s is not linked to wages (only community workers and enforcers"
                " with a base performance wage are)"
            )
            % {"scheme": run.scheme.name},
            field="run",
        )
    base = WageBase.objects.get(role=role).amount
    bands = list(WageBand.objects.filter(role=role).order_by("-min_score"))
    lines = []
    for result in run.results.order_by("rank", "subject_name"):
        band = next((b for b in bands if result.total >= b.min_score), None)
        coefficient = band.coefficient if band else Decimal(0)
        label = (band.label or f"≥{_fmt(band.min_score)}") if band else "-"
        lines.append(
            WageLine(
                person_id=result.subject_id,
                name=result.subject_name,
                role=role,
                period=run.period,
                score=result.total,
                rank=result.rank,
                band=label,
                coefficient=coefficient,
                base=base,
                amount=(base * coefficient).quantize(FEN, ROUND_HALF_UP),
            )
        )
    return lines
