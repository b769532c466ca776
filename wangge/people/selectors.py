"""Reads about people, scoped by territory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from wangge.core.errors import NotFound
from wangge.org.models import Community, Grid
from wangge.org.territory import Territory
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind, StaffingStandard


def persons_visible(territory: Territory) -> QuerySet[Person]:
    """The one scoping selector for people: those attached anywhere inside the territory."""
    qs = Person.objects.select_related("center", "workstation__community", "handling_unit")
    if territory.everything:
        return qs.order_by("name", "id")
    grid_ids = Grid.objects.filter(territory.grid_q()).values("pk")
    q = Q(roles__grid_id__in=grid_ids)
    if territory.community_ids:
        q |= Q(workstation__community_id__in=sorted(territory.community_ids))
        q |= Q(leader_posts__community_id__in=sorted(territory.community_ids))
    if territory.subdistrict_ids:
        sub = sorted(territory.subdistrict_ids)
        q |= Q(center__subdistrict_id__in=sub) | Q(handling_unit__subdistrict_id__in=sub)
        q |= Q(workstation__community__subdistrict_id__in=sub)
        q |= Q(leader_posts__subdistrict_id__in=sub)
        q |= Q(leader_posts__community__subdistrict_id__in=sub)
    if territory.district_ids:
        dis = sorted(territory.district_ids)
        q |= Q(center__district_id__in=dis) | Q(handling_unit__district_id__in=dis)
        q |= Q(workstation__community__subdistrict__district_id__in=dis)
        q |= Q(leader_posts__district_id__in=dis)
        q |= Q(leader_posts__subdistrict__district_id__in=dis)
    q |= Q(leader_posts__grid_id__in=grid_ids)
    ids = Person.objects.filter(q).values("pk")
    return qs.filter(pk__in=ids).order_by("name", "id")


def persons_filter(
    people: QuerySet[Person],
    *,
    q: str = "",
    role: str | None = None,
    grid: Grid | None = None,
    community: Community | None = None,
    employment: str | None = None,
    active: bool | None = None,
    day: dt.date | None = None,
) -> QuerySet[Person]:
    """Narrow a scoped list of people; the pages and the API filter through this one function.

    Role, grid and community mean assignments on ``day`` (today): "who works where now". One
    assignment must match them together, so role + grid means "holds that role in that grid".
    Each person's current roles are prefetched as ``current_roles``.
    """
    day = day or timezone.localdate()
    current = GridRole.objects.active_on(day)
    lookups: dict[str, object] = {}
    if role:
        lookups["role"] = role
    if grid is not None:
        lookups["grid"] = grid
    if community is not None:
        lookups["grid__community"] = community
    if lookups:
        on_roster = Q(pk__in=current.filter(**lookups).values("person_id"))
        if community is not None and not (role or grid):
            # Workstation staff hold no grid role but work in the community.
            on_roster |= Q(workstation__community=community)
        people = people.filter(on_roster)
    if employment:
        people = people.filter(employment=employment)
    if active is not None:
        employed = Q(pk__in=Person.objects.active_on(day).values("pk"))
        people = people.filter(employed if active else ~employed)
    if text := q.strip():
        people = people.filter(Q(name__icontains=text) | Q(phone__contains=text))
    return people.prefetch_related(
        Prefetch(
            "roles",
            queryset=current.select_related("grid").order_by("grid__code", "role"),
            to_attr="current_roles",
        )
    )


def person_get(territory: Territory, pk: int) -> Person:
    try:
        return persons_visible(territory).get(pk=pk)
    except Person.DoesNotExist:
        raise NotFound(f"no person {pk} in your territory", field="id") from None


def roster(grid: Grid, day: dt.date | None = None) -> QuerySet[GridRole]:
    """The grid's active assignments on a day (today by default)."""
    day = day or timezone.localdate()
    return (
        GridRole.objects.active_on(day)
        .filter(grid=grid)
        .select_related("person")
        .order_by("role", "start_date", "person__name")
    )


def staffing_standard() -> dict[str, int]:
    """People per grid by role; a role with no row counts as 0."""
    standard = {role.value: 0 for role in RoleKind}
    standard.update(dict(StaffingStandard.objects.values_list("role", "per_grid")))
    return standard


@dataclass(frozen=True)
class RoleStaffing:
    role: RoleKind
    required: int
    actual: int

    @property
    def gap(self) -> int:
        """Positive: people missing; negative: more than the standard."""
        return self.required - self.actual


def staffing(grids: QuerySet[Grid], day: dt.date | None = None) -> dict[int, list[RoleStaffing]]:
    """For each grid id: required vs actual people per role on a day."""
    day = day or timezone.localdate()
    standard = staffing_standard()
    counts: dict[tuple[int, str], int] = {
        (row["grid_id"], row["role"]): row["n"]
        for row in GridRole.objects.active_on(day)
        .filter(grid__in=grids)
        .values("grid_id", "role")
        .annotate(n=Count("person_id", distinct=True))
    }
    return {
        grid_id: [
            RoleStaffing(
                role=role,
                required=standard[role.value],
                actual=counts.get((grid_id, role.value), 0),
            )
            for role in RoleKind
        ]
        for grid_id in grids.values_list("pk", flat=True)
    }


def staff_counts(grid_ids: list[int], day: dt.date | None = None) -> dict[int, int]:
    """People on each grid's roster on a day."""
    day = day or timezone.localdate()
    return dict(
        GridRole.objects.active_on(day)
        .filter(grid_id__in=grid_ids)
        .values("grid_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("grid_id", "n")
    )


def leaders_for_grid(grid: Grid) -> QuerySet[LeaderPost]:
    """The chain of leader posts over a grid, from the grid up to the district."""
    community = grid.community
    subdistrict = community.subdistrict
    return (
        LeaderPost.objects.filter(
            Q(grid=grid)
            | Q(community=community)
            | Q(subdistrict=subdistrict)
            | Q(district=subdistrict.district)
        )
        .select_related("person", "department", "district", "subdistrict", "community", "grid")
        .order_by("level", "id")
    )


def assignment_get(territory: Territory, pk: int) -> GridRole:
    """One role assignment, if its grid is in the territory."""
    try:
        return (
            GridRole.objects.filter(grid__in=Grid.objects.filter(territory.grid_q()))
            .select_related("person", "grid")
            .get(pk=pk)
        )
    except GridRole.DoesNotExist:
        raise NotFound(f"no role assignment {pk} in your territory", field="id") from None
