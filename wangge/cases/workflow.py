"""THE transition table of the case workflow: every change of a case is one of these actions.

For each action: the states it may be taken from, who may take it (capacities of
cases.actors.Actor), the input it requires, and what it sets (an ``apply`` function returning
the field changes, including the new status). services.act() looks actions up here, checks
state, actor and input, writes the changes with a compare-and-set on the case's version, and
appends a CaseEvent. Nothing else changes a case.

  reported ──verify-report──▶ reported (verified) ──file──▶ filed ──dispatch──▶ dispatched
     └──reject──▶ rejected                          ▲                        │accept
                                                    └──────return────────────┤
  handling ◀──verify(passed: false) = rework── handled ◀──feedback── handling ◀┘
  handled ──verify(passed: true)──▶ closed ──evaluate──▶ evaluated ──assess──▶ assessed
  dispatched/handling ⇄ suspended (suspend / resume); extensions keep the state.
  hand-over (a handler leaves or moves) gives the case to a successor and keeps the state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wangge.cases.actors import Actor
from wangge.cases.calendar import WorkingCalendar
from wangge.cases.models import (
    Case,
    CaseEvent,
    CaseSource,
    CaseStatus,
    Category,
    DispatchTarget,
    Instruction,
    JointMeeting,
    Oversight,
    OversightReply,
    TimeUnit,
    Urgency,
)
from wangge.cases.selectors import recurrences
from wangge.cases.tiers import clean_facts, leader_for, propose
from wangge.core.errors import DomainError
from wangge.core.notifications import notify
from wangge.org.models import HandlingUnit
from wangge.people.models import Person

S = CaseStatus


@dataclass
class Context:
    """What an ``apply`` function may use: the validated input, the time, the calendar."""

    data: dict[str, Any]
    now: dt.datetime
    calendar: WorkingCalendar
    actor: Actor
    step_hours: dict[str, int] = field(default_factory=dict)  # StepLimit, by step
    event_data: dict[str, Any] = field(default_factory=dict)  # extra facts for the event log

    @property
    def actor_person_id(self) -> int | None:
        return self.actor.person.pk if self.actor.person else None

    def step_due(self, step: str) -> dt.datetime:
        """When a step that starts now is due (StepLimit, in working hours)."""
        return self.calendar.add_hours(
            self.now, self.step_hours.get(step, DEFAULT_STEP_HOURS[step])
        )


Changes = dict[str, Any]
# Used when the StepLimit table has no row for a step (the migration ships these).
DEFAULT_STEP_HOURS = {"verify_report": 2, "file": 1, "dispatch": 1, "verify": 4}
KEY_REWORKS = 2  # reworked this often, a case becomes a key case (重点案件)
KEY_TIER = 4  # from this tier up, too


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: tuple[CaseStatus, ...]
    who: tuple[str, ...]
    requires: tuple[str, ...]
    apply: Callable[[Case, Context], Changes]
    changes_status: bool = True
    # Writes rows that hang off the case (an instruction, an oversight order) in the same
    # transaction, after the case row and its event.
    after: Callable[[Case, Context, CaseEvent], None] | None = None
    # A further condition on the case, beyond its state (e.g. an extension request waits),
    # and how to say it when it does not hold.
    when: Callable[[Case], bool] | None = None
    when_text: str = ""

    def applies_to(self, case: Case) -> bool:
        return case.status in self.sources and (self.when is None or self.when(case))


# --- input helpers --------------------------------------------------------------------------


def _text(ctx: Context, key: str, *, what: str) -> str:
    value = ctx.data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DomainError(gettext("%(what)s is required") % {"what": what}, field=key)
    if len(value) > 2000:
        raise DomainError(
            gettext("%(what)s is longer than 2000 characters") % {"what": what}, field=key
        )
    return value.strip()


def _bool(ctx: Context, key: str) -> bool:
    value = ctx.data.get(key)
    if not isinstance(value, bool):
        raise DomainError(gettext("%(key)s must be true or false") % {"key": key}, field=key)
    return value


def _int(ctx: Context, key: str, lo: int, hi: int) -> int:
    value = ctx.data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise DomainError(
            gettext("%(key)s must be a whole number from %(lo)s to %(hi)s")
            % {"key": key, "lo": lo, "hi": hi},
            field=key,
        )
    return value


def handling_limit_seconds(category: Category, urgency: str, calendar: WorkingCalendar) -> float:
    """The handling time limit in working seconds (an urgent case may have a shorter one)."""
    if urgency == Urgency.URGENT and category.urgent_time_limit_hours:
        return category.urgent_time_limit_hours * 3600.0
    if category.time_unit == TimeUnit.WORKING_DAYS:
        return category.time_limit * float(calendar.seconds_per_day)
    return category.time_limit * 3600.0


def _key(case: Case, reason: str) -> Changes:
    """Make a case a key case (重点案件督办), once; the first reason is kept."""
    return {} if case.is_key else {"is_key": True, "key_reason": reason[:200]}


def _date(ctx: Context, key: str) -> dt.date:
    value = ctx.data.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            gettext("%(key)s must be a date (YYYY-MM-DD)") % {"key": key}, field=key
        ) from None


def _datetime(ctx: Context, key: str) -> dt.datetime:
    value = ctx.data.get(key)
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise DomainError(
                gettext("%(key)s must be a date and time (ISO 8601)") % {"key": key}, field=key
            ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ctx.calendar.tz)
    return value


# --- what each action sets ------------------------------------------------------------------


def _verify_report(case: Case, ctx: Context) -> Changes:
    if case.verified_report_at is not None:
        raise DomainError(gettext("this report was already verified on site"), field="confirmed")
    if _bool(ctx, "confirmed"):
        return {
            "status": S.REPORTED,
            "verified_report_at": ctx.now,
            "step_due_at": ctx.step_due("file"),
        }
    _text(ctx, "reason", what=gettext("a reason (what was found on site)"))
    return {
        "status": S.REJECTED,
        "verified_report_at": ctx.now,
        "rejected_at": ctx.now,
        "step_due_at": None,
    }


def _file(case: Case, ctx: Context) -> Changes:
    if CaseSource.needs_verification(case.source) and case.verified_report_at is None:
        raise DomainError(
            gettext(
                "a public or hotline report is verified on site by the grid's supervisor before"
                " it is filed (verify-report)"
            ),
            field="action",
        )
    category = ctx.data.get("category")
    if not isinstance(category, Category):
        raise DomainError(gettext("a category is required to file a case"), field="category")
    if not category.active:
        raise DomainError(
            gettext("category %(code)s is no longer in use") % {"code": category.code},
            field="category",
        )
    facts = clean_facts(ctx.data.get("facts", case.facts))
    proposal = propose(facts)
    tier = ctx.data.get("tier")
    if tier is None:
        tier = proposal.tier
    elif not isinstance(tier, int) or isinstance(tier, bool) or not 2 <= tier <= 6:
        raise DomainError(
            gettext("a filed case has tier 2 to 6 (tier 1 is fixed on the spot, not filed)"),
            field="tier",
        )
    reason = "; ".join(proposal.reasons)
    if tier != proposal.tier:
        why = ctx.data.get("tier_reason")
        if not isinstance(why, str) or not why.strip():
            raise DomainError(
                gettext("the rules propose tier %(proposed)s (%(reason)s); say why it is %(tier)s")
                % {"proposed": proposal.tier, "reason": reason, "tier": tier},
                field="tier_reason",
            )
        reason = f"{why.strip()} (rules proposed {proposal.tier}: {reason})"
    urgency = ctx.data.get("urgency") or category.urgency
    if urgency not in Urgency.values:
        raise DomainError(
            gettext("urgency must be one of %(values)s") % {"values": ", ".join(Urgency.values)},
            field="urgency",
        )
    ctx.event_data.update({"proposed_tier": proposal.tier, "tier": tier})
    key: Changes = {}
    if tier >= KEY_TIER:
        key = _key(case, gettext("tier %(tier)s") % {"tier": tier})
    elif recurrences(case, category=category):
        key = _key(case, gettext("reported again at the same place"))
    return {
        "status": S.FILED,
        "filed_at": ctx.now,
        "category": category,
        "facts": facts,
        "tier": tier,
        "tier_reason": reason,
        "urgency": urgency,
        "leader_post": leader_for(case, tier),
        "step_due_at": ctx.step_due("dispatch"),
        **key,
    }


REJECT_REASONS = ("not_a_case", "duplicate", "outside")


def _reject(case: Case, ctx: Context) -> Changes:
    kind = ctx.data.get("reason_kind")
    if kind not in REJECT_REASONS:
        raise DomainError(
            gettext("reason_kind must be one of %(values)s")
            % {"values": ", ".join(REJECT_REASONS)},
            field="reason_kind",
        )
    _text(ctx, "reason", what=gettext("a reason"))
    changes: Changes = {"status": S.REJECTED, "rejected_at": ctx.now, "step_due_at": None}
    if kind == "duplicate":
        original = ctx.data.get("duplicate_of")
        if not isinstance(original, Case) or original.pk == case.pk:
            raise DomainError(gettext("name the case this one duplicates"), field="duplicate_of")
        changes["duplicate_of"] = original
    return changes


def _dispatch(case: Case, ctx: Context) -> Changes:
    assert case.category is not None  # filed cases have one
    target = ctx.data.get("target") or case.category.default_target
    if target not in DispatchTarget.values:
        raise DomainError(
            gettext("target must be one of %(values)s")
            % {"values": ", ".join(DispatchTarget.values)},
            field="target",
        )
    unit = ctx.data.get("unit")
    if target == DispatchTarget.UNIT:
        if unit is None and case.category.default_unit_name:
            unit = HandlingUnit.objects.filter(
                name=case.category.default_unit_name, active=True
            ).first()
        if not isinstance(unit, HandlingUnit):
            raise DomainError(gettext("name the handling unit to dispatch to"), field="unit")
        if unit.subdistrict_id is not None and unit.subdistrict_id != case.subdistrict_id:
            raise DomainError(
                gettext("%(unit)s is an office of another subdistrict (属地管理)")
                % {"unit": unit.name},
                field="unit",
            )
    else:
        unit = None
    due = ctx.calendar.add(
        ctx.now, handling_limit_seconds(case.category, case.urgency, ctx.calendar)
    )
    return {
        "status": S.DISPATCHED,
        "dispatched_at": ctx.now,
        "dispatch_target": target,
        "handling_unit": unit,
        "handler": None,
        "handling_due_at": due,
        "step_due_at": due,
    }


def _accept(case: Case, ctx: Context) -> Changes:
    return {"status": S.HANDLING, "accepted_at": ctx.now, "handler_id": ctx.actor_person_id}


def _return(case: Case, ctx: Context) -> Changes:
    _text(ctx, "reason", what=gettext("a reason (why this is not yours)"))
    return {
        "status": S.FILED,
        "return_count": case.return_count + 1,
        "dispatch_target": "",
        "handling_unit": None,
        "handler": None,
        "handling_due_at": None,
        "pending_extension_hours": None,
        "step_due_at": ctx.step_due("dispatch"),
    }


def _request_extension(case: Case, ctx: Context) -> Changes:
    if case.pending_extension_hours:
        raise DomainError(
            gettext("an extension request is already waiting for a decision"), field="hours"
        )
    hours = _int(ctx, "hours", 1, 2000)
    _text(ctx, "reason", what=gettext("a reason for the extension"))
    return {"pending_extension_hours": hours}


def _approve_extension(case: Case, ctx: Context) -> Changes:
    if not case.pending_extension_hours or case.handling_due_at is None:
        raise DomainError(gettext("there is no extension request to decide"), field="action")
    due = ctx.calendar.add_hours(case.handling_due_at, case.pending_extension_hours)
    ctx.event_data["hours"] = case.pending_extension_hours
    return {
        "pending_extension_hours": None,
        "extension_count": case.extension_count + 1,
        "handling_due_at": due,
        "step_due_at": due,
    }


def _refuse_extension(case: Case, ctx: Context) -> Changes:
    if not case.pending_extension_hours:
        raise DomainError(gettext("there is no extension request to decide"), field="action")
    _text(ctx, "reason", what=gettext("a reason for refusing"))
    return {"pending_extension_hours": None}


def _suspend(case: Case, ctx: Context) -> Changes:
    _text(
        ctx, "reason", what=gettext("the plan (why it cannot be solved now and what will be done)")
    )
    remaining = (
        ctx.calendar.between(ctx.now, case.handling_due_at) if case.handling_due_at else None
    )
    return {
        "status": S.SUSPENDED,
        "suspended_since": ctx.now,
        "status_before_suspension": case.status,
        "remaining_seconds_at_suspension": None if remaining is None else int(remaining),
        "step_due_at": None,
    }


def _resume(case: Case, ctx: Context) -> Changes:
    assert case.suspended_since is not None
    due = case.handling_due_at
    if case.remaining_seconds_at_suspension is not None:
        # The clock stopped while suspended: the same working time is left as at suspension.
        remaining = case.remaining_seconds_at_suspension
        due = (
            ctx.calendar.add(ctx.now, remaining)
            if remaining > 0
            else ctx.now + dt.timedelta(seconds=remaining)
        )
    return {
        "status": case.status_before_suspension or S.HANDLING,
        "suspended_since": None,
        "suspended_seconds": case.suspended_seconds
        + int((ctx.now - case.suspended_since).total_seconds()),
        "status_before_suspension": "",
        "remaining_seconds_at_suspension": None,
        "handling_due_at": due,
        "step_due_at": due,
    }


def _feedback(case: Case, ctx: Context) -> Changes:
    _text(ctx, "result", what=gettext("the result (what was done)"))
    if not ctx.data.get("photos"):
        raise DomainError(
            gettext("feedback needs at least one photo after handling"), field="photos"
        )
    return {"status": S.HANDLED, "handled_at": ctx.now, "step_due_at": ctx.step_due("verify")}


def _verify(case: Case, ctx: Context) -> Changes:
    if _bool(ctx, "passed"):
        on_time = case.handling_due_at is None or (
            case.handled_at is not None and case.handled_at <= case.handling_due_at
        )
        return {"status": S.CLOSED, "closed_at": ctx.now, "on_time": on_time, "step_due_at": None}
    _text(ctx, "reason", what=gettext("a reason (what is still wrong)"))
    reworks = case.rework_count + 1
    return {
        "status": S.HANDLING,
        "rework_count": reworks,
        "handled_at": None,
        "step_due_at": case.handling_due_at,
        **(
            _key(case, gettext("reworked %(n)s times") % {"n": reworks})
            if reworks >= KEY_REWORKS
            else {}
        ),
    }


def _evaluate(case: Case, ctx: Context) -> Changes:
    satisfaction = ctx.data.get("satisfaction")
    if satisfaction is not None:
        satisfaction = _int(ctx, "satisfaction", 1, 5)
    ctx.event_data.update(evaluation(case, ctx.calendar))
    return {"status": S.EVALUATED, "evaluated_at": ctx.now, "satisfaction": satisfaction}


def _assess(case: Case, ctx: Context) -> Changes:
    period = ctx.data.get("period") or (case.closed_at or ctx.now).astimezone(
        ctx.calendar.tz
    ).strftime("%Y-%m")
    if not isinstance(period, str) or len(period) != 7 or period[4] != "-":
        raise DomainError(gettext("period must be YYYY-MM"), field="period")
    return {"status": S.ASSESSED, "assessed_period": period}


def _hand_over(case: Case, ctx: Context) -> Changes:
    """A handler leaves or moves: their case goes to a named successor (交接), state unchanged."""
    successor = ctx.data.get("successor")
    if isinstance(successor, str) and successor.strip().isdigit():
        successor = int(successor)  # a person id typed into a form
    if isinstance(successor, int) and not isinstance(successor, bool):
        successor = Person.objects.filter(pk=successor).first()
    if not isinstance(successor, Person):
        raise DomainError(gettext("name the person who takes the case over"), field="successor")
    _text(ctx, "reason", what=gettext("a reason for the hand-over"))
    if successor.pk == case.handler_id:
        raise DomainError(
            gettext("%(name)s already handles case %(number)s")
            % {"name": successor.name, "number": case.number},
            field="successor",
        )
    day = ctx.now.astimezone(ctx.calendar.tz).date()
    if successor.end_date is not None and successor.end_date < day:
        raise DomainError(
            gettext("%(name)s left on %(end)s and cannot take a case over")
            % {"name": successor.name, "end": successor.end_date},
            field="successor",
        )
    previous = case.handler
    ctx.event_data.update(
        {
            "from": previous.pk if previous else None,
            "from_name": previous.name if previous else "",
            "to": successor.pk,
            "to_name": successor.name,
        }
    )
    return {"handler": successor}


def _set_tier(case: Case, ctx: Context) -> Changes:
    tier = _int(ctx, "tier", 2, 6)
    _text(ctx, "reason", what=gettext("a reason for the new tier"))
    if tier == case.tier:
        raise DomainError(
            gettext("the case is already tier %(tier)s") % {"tier": tier}, field="tier"
        )
    ctx.event_data.update({"from_tier": case.tier, "tier": tier})
    return {
        "tier": tier,
        "tier_reason": ctx.data["reason"].strip(),
        "leader_post": leader_for(case, tier),
        **(_key(case, gettext("tier %(tier)s") % {"tier": tier}) if tier >= KEY_TIER else {}),
    }


def _mark_key(case: Case, ctx: Context) -> Changes:
    if case.is_key:
        raise DomainError(gettext("the case is already a key case"), field="action")
    return _key(case, _text(ctx, "reason", what=gettext("a reason")))


# --- records that hang off a case: instructions, joint meetings, oversight -----------------


def _notify_leader(case: Case, ctx: Context, event: CaseEvent) -> None:
    """The leader the tier puts in charge hears of it in the inbox (网格长负责督促处置)."""
    case.refresh_from_db(fields=["leader_post", "tier", "number"])
    post = case.leader_post
    if post is None or post.person is None or post.person.user is None:
        return
    notify(
        user=post.person.user,
        text=gettext("Case %(number)s (tier %(tier)s) is in your charge: %(description)s")
        % {"number": case.number, "tier": case.tier, "description": case.description[:60]},
        url=reverse("cases:detail", args=[case.pk]),
        at=ctx.now,
    )


def _instruct(case: Case, ctx: Context) -> Changes:
    _text(ctx, "text", what=gettext("the instruction"))
    return {}


def _instruct_after(case: Case, ctx: Context, event: CaseEvent) -> None:
    post = next((p for p in ctx.actor.posts if p.pk == case.leader_post_id), None)
    post = post or (ctx.actor.posts[0] if ctx.actor.posts else None)
    Instruction.objects.create(
        case=case, leader_post=post, by=ctx.actor.user, text=ctx.data["text"].strip(), at=ctx.now
    )


def _record_meeting(case: Case, ctx: Context) -> Changes:
    if case.tier != 5:
        raise DomainError(
            gettext("a joint meeting is recorded on a tier-5 case; this case is tier %(tier)s")
            % {"tier": case.tier},
            field="action",
        )
    _date(ctx, "date")
    _text(ctx, "attendees", what=gettext("who attended"))
    _text(ctx, "decisions", what=gettext("the decisions"))
    return {}


def _record_meeting_after(case: Case, ctx: Context, event: CaseEvent) -> None:
    JointMeeting.objects.create(
        case=case,
        date=_date(ctx, "date"),
        attendees=ctx.data["attendees"].strip(),
        decisions=ctx.data["decisions"].strip(),
        recorded_by=ctx.actor.user,
    )


def _order_oversight(case: Case, ctx: Context) -> Changes:
    deadline = _datetime(ctx, "deadline")
    if deadline <= ctx.now:
        raise DomainError(gettext("the oversight deadline is in the past"), field="deadline")
    _text(ctx, "demand", what=gettext("what is demanded"))
    unit = ctx.data.get("unit")
    if unit is not None and not isinstance(unit, HandlingUnit):
        raise DomainError(gettext("name the unit the order is for"), field="unit")
    return _key(case, gettext("under oversight (督办)"))


def _order_oversight_after(case: Case, ctx: Context, event: CaseEvent) -> None:
    Oversight.objects.create(
        case=case,
        ordered_by=ctx.actor.user,
        unit=ctx.data.get("unit") or case.handling_unit,
        deadline=_datetime(ctx, "deadline"),
        demand=ctx.data["demand"].strip(),
    )


def _open_oversight(case: Case, ctx: Context) -> Oversight:
    try:
        return case.oversights.get(pk=int(ctx.data["oversight"]), closed_at__isnull=True)
    except (Oversight.DoesNotExist, TypeError, ValueError):
        raise DomainError(
            gettext("case %(number)s has no open oversight order %(order)s")
            % {"number": case.number, "order": repr(ctx.data.get("oversight"))},
            field="oversight",
        ) from None


def _reply_oversight(case: Case, ctx: Context) -> Changes:
    _open_oversight(case, ctx)
    _text(ctx, "text", what=gettext("the reply"))
    return {}


def _reply_oversight_after(case: Case, ctx: Context, event: CaseEvent) -> None:
    OversightReply.objects.create(
        oversight=_open_oversight(case, ctx),
        by=ctx.actor.user,
        text=ctx.data["text"].strip(),
        at=ctx.now,
    )


def _close_oversight(case: Case, ctx: Context) -> Changes:
    _open_oversight(case, ctx)
    _text(ctx, "outcome", what=gettext("the outcome"))
    return {}


def _close_oversight_after(case: Case, ctx: Context, event: CaseEvent) -> None:
    Oversight.objects.filter(pk=_open_oversight(case, ctx).pk).update(
        outcome=ctx.data["outcome"].strip(), closed_at=ctx.now
    )


def evaluation(case: Case, calendar: WorkingCalendar) -> dict[str, Any]:
    """综合评价: on time or not, reworks, and working hours spent in each step."""

    def hours(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
        return None if a is None or b is None else round(calendar.between(a, b) / 3600, 2)

    return {
        "on_time": case.on_time,
        "reworks": case.rework_count,
        "extensions": case.extension_count,
        "hours": {
            "filing": hours(case.reported_at, case.filed_at),
            "dispatch": hours(case.filed_at, case.dispatched_at),
            "handling": hours(case.dispatched_at, case.handled_at),
            "verification": hours(case.handled_at, case.closed_at),
        },
    }


OPEN_WORK = (S.DISPATCHED, S.HANDLING)
ANY_OPEN = (S.FILED, S.DISPATCHED, S.HANDLING, S.SUSPENDED, S.HANDLED)
# The open states in which a case has, or may have, a handler (the hand-over moves it).
HANDLER_STATES = (S.DISPATCHED, S.HANDLING, S.SUSPENDED, S.HANDLED)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            action="verify-report",
            label=_("verify the report on site"),
            sources=(S.REPORTED,),
            who=("is_supervisor",),
            requires=("confirmed",),
            apply=_verify_report,
            when=lambda c: CaseSource.needs_verification(c.source) and c.verified_report_at is None,
            when_text=gettext_noop("is for a public or hotline report not yet verified on site"),
        ),
        Transition(
            action="file",
            label=_("file"),
            sources=(S.REPORTED,),
            who=("is_intake",),
            requires=("category",),
            apply=_file,
            after=_notify_leader,
        ),
        Transition(
            action="reject",
            label=_("reject"),
            sources=(S.REPORTED,),
            who=("is_intake",),
            requires=("reason_kind", "reason"),
            apply=_reject,
        ),
        Transition(
            action="dispatch",
            label=_("dispatch"),
            sources=(S.FILED,),
            who=("is_dispatcher",),
            requires=(),
            apply=_dispatch,
        ),
        Transition(
            action="accept",
            label=_("accept"),
            sources=(S.DISPATCHED,),
            who=("is_handler",),
            requires=(),
            apply=_accept,
        ),
        Transition(
            action="return",
            label=_("return (not ours)"),
            sources=OPEN_WORK,
            who=("is_handler",),
            requires=("reason",),
            apply=_return,
        ),
        Transition(
            action="request-extension",
            label=_("request an extension"),
            sources=OPEN_WORK,
            who=("is_handler",),
            requires=("hours", "reason"),
            apply=_request_extension,
            changes_status=False,
        ),
        Transition(
            action="approve-extension",
            label=_("approve the extension"),
            sources=OPEN_WORK,
            who=("is_dispatcher",),
            requires=(),
            apply=_approve_extension,
            changes_status=False,
            when=lambda c: bool(c.pending_extension_hours),
            when_text=gettext_noop("is for a case with an extension request waiting"),
        ),
        Transition(
            action="refuse-extension",
            label=_("refuse the extension"),
            sources=OPEN_WORK,
            who=("is_dispatcher",),
            requires=("reason",),
            apply=_refuse_extension,
            changes_status=False,
            when=lambda c: bool(c.pending_extension_hours),
            when_text=gettext_noop("is for a case with an extension request waiting"),
        ),
        Transition(
            action="suspend",
            label=_("suspend (挂账)"),
            sources=OPEN_WORK,
            who=("is_dispatcher", "is_leader"),
            requires=("reason",),
            apply=_suspend,
        ),
        Transition(
            action="resume",
            label=_("resume"),
            sources=(S.SUSPENDED,),
            who=("is_dispatcher", "is_leader"),
            requires=(),
            apply=_resume,
        ),
        Transition(
            action="feedback",
            label=_("feed back the result"),
            sources=(S.HANDLING,),
            who=("is_handler",),
            requires=("result", "photos"),
            apply=_feedback,
        ),
        Transition(
            action="verify",
            label=_("verify on site"),
            sources=(S.HANDLED,),
            who=("is_supervisor",),
            requires=("passed",),
            apply=_verify,
        ),
        Transition(
            action="evaluate",
            label=_("evaluate"),
            sources=(S.CLOSED,),
            who=("is_centre",),
            requires=(),
            apply=_evaluate,
        ),
        Transition(
            action="assess",
            label=_("count into the month"),
            sources=(S.EVALUATED,),
            who=("is_assessor", "is_centre"),
            requires=(),
            apply=_assess,
        ),
        Transition(
            action="hand-over",
            label=_("hand over to a successor"),
            # Every open state a handler may be set in: accepted, reworked (handling again),
            # suspended while handling, and handled but not yet verified.
            sources=HANDLER_STATES,
            who=("is_dispatcher", "is_centre", "is_leader", "is_system"),
            requires=("successor", "reason"),
            apply=_hand_over,
            changes_status=False,
        ),
        Transition(
            action="set-tier",
            label=_("change the tier"),
            sources=ANY_OPEN,
            who=("is_centre", "is_leader"),
            requires=("tier", "reason"),
            apply=_set_tier,
            changes_status=False,
            after=_notify_leader,
        ),
        Transition(
            action="mark-key",
            label=_("mark as a key case"),
            sources=ANY_OPEN,
            who=("is_centre", "is_leader", "is_system"),
            requires=("reason",),
            apply=_mark_key,
            changes_status=False,
        ),
        Transition(
            action="instruct",
            label=_("give an instruction (批示)"),
            sources=ANY_OPEN,
            who=("is_leader",),
            requires=("text",),
            apply=_instruct,
            changes_status=False,
            after=_instruct_after,
        ),
        Transition(
            action="record-meeting",
            label=_("record the joint meeting"),
            sources=ANY_OPEN,
            who=("is_level1_leader",),
            requires=("date", "attendees", "decisions"),
            apply=_record_meeting,
            changes_status=False,
            after=_record_meeting_after,
        ),
        Transition(
            action="order-oversight",
            label=_("order oversight (督办)"),
            sources=ANY_OPEN,
            who=("is_centre", "is_leader"),
            requires=("deadline", "demand"),
            apply=_order_oversight,
            changes_status=False,
            after=_order_oversight_after,
        ),
        Transition(
            action="reply-oversight",
            label=_("reply to the oversight order"),
            sources=ANY_OPEN,
            who=("is_handler", "is_centre"),
            requires=("oversight", "text"),
            apply=_reply_oversight,
            changes_status=False,
            when=lambda c: c.oversights.filter(closed_at__isnull=True).exists(),
            when_text=gettext_noop("is for a case with an open oversight order"),
            after=_reply_oversight_after,
        ),
        Transition(
            action="close-oversight",
            label=_("close the oversight order"),
            sources=(*ANY_OPEN, S.CLOSED, S.EVALUATED),
            who=("is_centre", "is_leader"),
            requires=("oversight", "outcome"),
            apply=_close_oversight,
            changes_status=False,
            when=lambda c: c.oversights.filter(closed_at__isnull=True).exists(),
            when_text=gettext_noop("is for a case with an open oversight order"),
            after=_close_oversight_after,
        ),
    )
}


def allowed_actions(case: Case, actor: Any) -> list[Transition]:
    """The actions this actor may take on this case now (for pages: the buttons to show)."""
    return [
        t
        for t in TRANSITIONS.values()
        if t.applies_to(case) and (actor.superuser or any(getattr(actor, w)(case) for w in t.who))
    ]
