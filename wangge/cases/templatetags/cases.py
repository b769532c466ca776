"""Template helpers of the case pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case, CaseStatus, DispatchTarget

register = template.Library()

# Events that are not in the transition table: the report itself and a tier-1 self-handling.
_REPORT = _("report")
_SELF_HANDLE = _("fixed on the spot")

# One colour per state, shared by the badges and the live map (cases.js has the same list).
STATUS_TONES = {
    CaseStatus.REPORTED: "reported",
    CaseStatus.FILED: "filed",
    CaseStatus.DISPATCHED: "dispatched",
    CaseStatus.HANDLING: "handling",
    CaseStatus.SUSPENDED: "suspended",
    CaseStatus.HANDLED: "handled",
    CaseStatus.CLOSED: "closed",
    CaseStatus.EVALUATED: "closed",
    CaseStatus.ASSESSED: "closed",
    CaseStatus.SELF_HANDLED: "closed",
    CaseStatus.REJECTED: "rejected",
}


@register.filter
def status_tone(status: str) -> str:
    return STATUS_TONES.get(status, "reported")  # type: ignore[call-overload]


@register.filter
def status_label(status: str) -> str:
    """A state's name in the reader's language ('' for the first event's empty from-state)."""
    if not status:
        return ""
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status


@register.filter
def is_overdue(case: Case) -> bool:
    return case.overdue_at(timezone.now())


@register.filter
def who(user: Any) -> str:
    """An event's actor: the person's name when the user is someone in the organisation."""
    if user is None:
        return "—"
    person = getattr(user, "person", None)
    if person is not None:
        return str(person.name)
    return str(user.get_full_name() or user.get_username())


@register.filter
def action_label(action: str) -> str:
    from wangge.cases.workflow import TRANSITIONS

    if action == "report":
        return str(_REPORT)
    if action == "self-handle":
        return str(_SELF_HANDLE)
    t = TRANSITIONS.get(action)
    return str(t.label) if t else action


# What an event's recorded input is called on the timeline; other keys (the category and
# urgency, shown in the header; the reason, shown as the comment) are left out.
DATA_LABELS = {
    "tier": _("tier"),
    "proposed_tier": _("proposed tier"),
    "from_tier": _("from tier"),
    "target": _("dispatched to"),
    "unit": _("unit"),
    "hours": _("hours"),
    "satisfaction": _("satisfaction"),
    "duplicate_of": _("duplicate of"),
    "reason_kind": _("why"),
    "passed": _("passed"),
    "confirmed": _("confirmed"),
    "on_time": _("on time"),
    "reworks": _("reworks"),
    "period": _("month"),
    "deadline": _("deadline"),
}
# The evaluation's steps: their own msgids, apart from the states and actions of the same name.
STEP_LABELS = {
    "filing": pgettext_lazy("step", "filing"),
    "dispatch": pgettext_lazy("step", "dispatch"),
    "handling": pgettext_lazy("step", "handling"),
    "verification": pgettext_lazy("step", "verification"),
}


def _reject_reason_labels() -> dict[str, Any]:
    from wangge.cases.workflow import REJECT_REASONS

    # The same words the reject form offers, keyed by workflow.REJECT_REASONS' codes.
    labels = {
        "not_a_case": _("not a case"),
        "duplicate": _("duplicate of another case"),
        "outside": _("outside the jurisdiction"),
    }
    return {code: labels.get(code, code) for code in REJECT_REASONS}


def _choice_label(key: str, value: Any) -> Any:
    """A recorded code by its label: the dispatch target and the reject reason."""
    if key == "target" and value in DispatchTarget.values:
        return DispatchTarget(value).label
    if key == "reason_kind":
        return _reject_reason_labels().get(value, value)
    return value


def _local_datetime(value: str) -> str | None:
    """An ISO datetime recorded in the event data, in local time; None when it is not one."""
    if "T" not in value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return date_format(parsed, "Y-m-d H:i")


@register.filter
def pretty_data(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An event's recorded input as (label, value) pairs a person can read."""
    if not data:
        return []
    out: list[tuple[str, str]] = []
    for key, value in data.items():
        if key == "hours" and isinstance(value, dict):
            # The evaluation's working hours per step.
            steps = [
                gettext("%(step)s %(hours)s h") % {"step": STEP_LABELS.get(k, k), "hours": f"{v:g}"}
                for k, v in value.items()
                if isinstance(v, int | float)
            ]
            if steps:
                out.append((str(_("working hours")), pgettext("list separator", ", ").join(steps)))
            continue
        if key not in DATA_LABELS or value in (None, "", {}, []):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, str):
            value = _local_datetime(value) or _choice_label(key, value)
        out.append((str(DATA_LABELS[key]), str(value)))
    return out
