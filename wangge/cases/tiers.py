"""The six difficulty tiers (按案件处置的难易程度分为六个类别) and the leader each puts in charge.

The seed's rules, from the facts recorded on a case:
  1  minor, fixed on the spot by the five roles or a level-4 leader (outside the closed loop)
  2  needs heavy machinery or enforcement, but can be handled promptly → level-3 leader on site
  3  needs several subdistrict offices → level-2 leader
  4  general case across several district departments → level-1 deputy leader
  5  major and difficult, across departments and subdistricts → level-1 leader, joint meeting
  6  needs city-level (or higher) units → chief grid leader
Which level leads each tier is data (TierRule), editable in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wangge.cases.models import Case, TierRule
from wangge.core.errors import DomainError
from wangge.people.models import LeaderPost

# Labels in the reader's language (lazy: resolved when shown, not at import).
FACTS: dict[str, str | Promise] = {
    "heavy_machinery": gettext_lazy("needs heavy machinery (excavator, loader)"),
    "enforcement": gettext_lazy("needs law enforcement"),
    "offices": gettext_lazy("number of subdistrict offices involved"),
    "departments": gettext_lazy("number of district departments involved"),
    "crosses_subdistricts": gettext_lazy("crosses subdistricts"),
    "major": gettext_lazy("major and difficult"),
    "city_unit": gettext_lazy("needs a city-level or higher unit"),
}

DEFAULT_LEADER_LEVEL = {
    1: "level4",
    2: "level3",
    3: "level2",
    4: "level1_deputy",
    5: "level1",
    6: "chief",
}


@dataclass(frozen=True)
class Proposal:
    tier: int
    reasons: list[str]


def clean_facts(raw: Any) -> dict[str, Any]:
    """Validate the facts a tier is proposed from; unknown keys and wrong types are refused."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise DomainError("facts must be an object", field="facts")
    facts: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in FACTS:
            raise DomainError(
                f"unknown fact {key!r}; known facts: {', '.join(FACTS)}", field=f"facts.{key}"
            )
        if key in ("offices", "departments"):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
                raise DomainError(f"{key} must be a whole number 0–100", field=f"facts.{key}")
        elif not isinstance(value, bool):
            raise DomainError(f"{key} must be true or false", field=f"facts.{key}")
        facts[key] = value
    return facts


def propose(facts: dict[str, Any]) -> Proposal:
    """The tier the seed's rules give for these facts, and why (in the active language)."""
    departments = int(facts.get("departments", 0))
    offices = int(facts.get("offices", 0))
    if facts.get("city_unit"):
        return Proposal(6, [_("needs a city-level or higher unit → the chief grid leader")])
    if departments >= 2 and (facts.get("crosses_subdistricts") or facts.get("major")):
        why = str(
            FACTS["crosses_subdistricts"] if facts.get("crosses_subdistricts") else FACTS["major"]
        )
        return Proposal(
            5,
            [
                _("%(n)d district departments and %(why)s → level-1 leader, joint meeting")
                % {"n": departments, "why": why}
            ],
        )
    if departments >= 2:
        return Proposal(
            4, [_("%(n)d district departments → level-1 deputy leader") % {"n": departments}]
        )
    if offices >= 2:
        return Proposal(3, [_("%(n)d subdistrict offices → level-2 leader") % {"n": offices}])
    reasons = [str(FACTS[k]) for k in ("heavy_machinery", "enforcement") if facts.get(k)]
    if reasons:
        return Proposal(
            2,
            [
                _("%(needs)s → level-3 leader on site")
                % {"needs": pgettext("list separator", ", ").join(reasons)}
            ],
        )
    return Proposal(2, [_("handled within the community → level-3 leader")])


def leader_level(tier: int) -> str:
    rule = TierRule.objects.filter(tier=tier).values_list("leader_level", flat=True).first()
    return rule or DEFAULT_LEADER_LEVEL[tier]


def leader_for(case: Case, tier: int) -> LeaderPost | None:
    """The post in charge of a case at a tier: the nearest post of that level over its place."""
    level = leader_level(tier)
    posts = LeaderPost.objects.filter(level=level, person__isnull=False).filter(
        Q(grid=case.grid_id)
        | Q(community=case.community_id)
        | Q(subdistrict=case.subdistrict_id)
        | Q(district=case.subdistrict.district_id)
    )
    # Nearest first: the grid's own post, then the community's, the subdistrict's, the district's.
    for field in ("grid", "community", "subdistrict", "district"):
        post = posts.filter(**{f"{field}__isnull": False}).order_by("id").first()
        if post is not None:
            return post
    return None
