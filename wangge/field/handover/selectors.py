"""Reads about hand-overs: the list and one log (territory-scoped), what a hand-over would move
(the preview), and who may succeed a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case as Ranked
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from wangge.assets.models import Equipment
from wangge.assets.selectors import holdings
from wangge.cases.models import Case
from wangge.core.errors import NotFound
from wangge.field.alerts.models import AlertRecipient
from wangge.field.alerts.selectors import open_for
from wangge.field.linkage.models import LinkageCall
from wangge.field.linkage.selectors import open_calls_for
from wangge.org.territory import Territory
from wangge.people.models import GridRole, Person
from wangge.people.selectors import persons_visible

from .models import Handover


def open_cases_of(person: Person) -> QuerySet[Case]:
    """Open cases this person is the handler of (what a hand-over moves)."""
    return (
        Case.objects.open()
        .filter(handler=person)
        .select_related("category", "grid")
        .order_by("reported_at", "pk")
    )


def handovers_visible(territory: Territory) -> QuerySet[Handover]:
    """Hand-overs of people in the territory, newest first."""
    qs = Handover.objects.select_related("person", "successor", "by")
    if not territory.everything:
        people = persons_visible(territory).values("pk")
        qs = qs.filter(Q(person__in=people) | Q(successor__in=people))
    return qs.order_by("-at", "-pk")


def handover_get(territory: Territory, pk: int) -> Handover:
    try:
        return handovers_visible(territory).get(pk=pk)
    except Handover.DoesNotExist:
        raise NotFound(f"no hand-over {pk} in your territory", field="id") from None


@dataclass
class Preview:
    """What a hand-over of this person would move now."""

    person: Person
    cases: list[Case] = field(default_factory=list)
    calls: list[LinkageCall] = field(default_factory=list)
    alerts: list[AlertRecipient] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)
    roles: list[GridRole] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cases) + len(self.calls) + len(self.alerts) + len(self.equipment)


def preview(person: Person, day: dt.date | None = None) -> Preview:
    day = day or timezone.localdate()
    return Preview(
        person=person,
        cases=list(open_cases_of(person)),
        calls=list(open_calls_for(person)),
        alerts=list(open_for(person)),
        equipment=list(holdings(person)),
        roles=list(
            GridRole.objects.filter(person=person)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("grid")
            .order_by("start_date", "pk")
        ),
    )


def successor_candidates(
    territory: Territory, person: Person, day: dt.date | None = None
) -> list[Person]:
    """Active people of the territory who may take over, the person's own grid and role first,
    then the same grid, then everyone else."""
    day = day or timezone.localdate()
    mine = list(
        GridRole.objects.active_on(day).filter(person=person).values_list("grid_id", "role")
    )
    grids = [g for g, _ in mine]
    same_role = Q(pk__in=[])
    for grid_id, role in mine:
        same_role |= Q(
            pk__in=GridRole.objects.active_on(day)
            .filter(grid_id=grid_id, role=role)
            .values("person_id")
        )
    same_grid = Q(
        pk__in=GridRole.objects.active_on(day).filter(grid_id__in=grids).values("person_id")
    )
    ranked = (
        persons_visible(territory)
        .filter(pk__in=Person.objects.active_on(day).values("pk"))
        .exclude(pk=person.pk)
        .annotate(
            rank=Ranked(
                When(same_role, then=Value(0)),
                When(same_grid, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "name", "pk")
    )
    return list(ranked[:500])


def people_to_hand_over(territory: Territory, day: dt.date | None = None) -> list[Person]:
    """Serving people of the territory (the list page's "hand over the work of …" picker)."""
    day = day or timezone.localdate()
    return list(
        persons_visible(territory).filter(pk__in=Person.objects.active_on(day).values("pk"))[:2000]
    )
