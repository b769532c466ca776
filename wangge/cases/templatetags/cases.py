"""Template helpers of the case pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case, CaseStatus

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
STEP_LABELS = {
    "filing": _("filing"),
    "dispatch": _("dispatch"),
    "handling": _("handling"),
    "verification": _("verification"),
}


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
                f"{STEP_LABELS.get(k, k)} {v:g} h"
                for k, v in value.items()
                if isinstance(v, int | float)
            ]
            if steps:
                out.append((str(_("working hours")), ", ".join(steps)))
            continue
        if key not in DATA_LABELS or value in (None, "", {}, []):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        out.append((str(DATA_LABELS[key]), str(value)))
    return out
