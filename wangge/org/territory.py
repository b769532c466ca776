"""What part of the map a user answers for, as sets of org ids.

The people app works out a user's Territory (people.territory.territory_of); every scoped
selector takes a Territory, so org stays independent of who the users are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Q
from django.http import HttpRequest


@dataclass(frozen=True)
class Territory:
    everything: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    subdistrict_ids: frozenset[int] = field(default_factory=frozenset)
    community_ids: frozenset[int] = field(default_factory=frozenset)
    grid_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def all(cls) -> Territory:
        return cls(everything=True)

    @classmethod
    def none(cls) -> Territory:
        return cls()

    _ID_SETS: ClassVar[tuple[str, ...]] = (
        "district_ids",
        "subdistrict_ids",
        "community_ids",
        "grid_ids",
    )

    def to_payload(self) -> dict[str, Any]:
        """Plain, JSON-able data (sorted id lists) that :meth:`from_payload` turns back."""
        return {"everything": self.everything} | {
            name: sorted(getattr(self, name)) for name in self._ID_SETS
        }

    @classmethod
    def from_payload(cls, raw: dict[str, Any]) -> Territory:
        return cls(
            everything=bool(raw.get("everything")),
            **{name: frozenset(int(i) for i in raw.get(name, ())) for name in cls._ID_SETS},
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.district_ids
            or self.subdistrict_ids
            or self.community_ids
            or self.grid_ids
        )

    def __or__(self, other: Territory) -> Territory:
        return Territory(
            everything=self.everything or other.everything,
            district_ids=self.district_ids | other.district_ids,
            subdistrict_ids=self.subdistrict_ids | other.subdistrict_ids,
            community_ids=self.community_ids | other.community_ids,
            grid_ids=self.grid_ids | other.grid_ids,
        )

    def grid_q(self, prefix: str = "") -> Q:
        """A filter on grids (or on rows reaching a grid through ``prefix``, e.g. "grid__")."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if prefix:
            q = Q(**{f"{prefix}pk__in": []})
        for ids, path in (
            (self.district_ids, "community__subdistrict__district_id__in"),
            (self.subdistrict_ids, "community__subdistrict_id__in"),
            (self.community_ids, "community_id__in"),
            (self.grid_ids, "pk__in"),
        ):
            if ids:
                q |= Q(**{f"{prefix}{path}": sorted(ids)})
        return q

    def community_q(self) -> Q:
        """Communities wholly or partly in the territory (a grid worker sees their community)."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.district_ids:
            q |= Q(subdistrict__district_id__in=sorted(self.district_ids))
        if self.subdistrict_ids:
            q |= Q(subdistrict_id__in=sorted(self.subdistrict_ids))
        if self.community_ids:
            q |= Q(pk__in=sorted(self.community_ids))
        if self.grid_ids:
            q |= Q(grids__pk__in=sorted(self.grid_ids))
        return q

    def subdistrict_q(self) -> Q:
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.district_ids:
            q |= Q(district_id__in=sorted(self.district_ids))
        if self.subdistrict_ids:
            q |= Q(pk__in=sorted(self.subdistrict_ids))
        if self.community_ids:
            q |= Q(communities__pk__in=sorted(self.community_ids))
        if self.grid_ids:
            q |= Q(communities__grids__pk__in=sorted(self.grid_ids))
        return q

    def district_q(self) -> Q:
        if self.everything:
            return Q()
        q = Q(pk__in=sorted(self.district_ids))
        if self.subdistrict_ids:
            q |= Q(subdistricts__pk__in=sorted(self.subdistrict_ids))
        if self.community_ids:
            q |= Q(subdistricts__communities__pk__in=sorted(self.community_ids))
        if self.grid_ids:
            q |= Q(subdistricts__communities__grids__pk__in=sorted(self.grid_ids))
        return q


def request_territory(request: HttpRequest) -> Territory:
    """The territory of the request's user (people.middleware.TerritoryMiddleware sets it
    lazily, after token auth may have replaced request.user)."""
    territory: Territory = request.territory  # type: ignore[attr-defined]
    return territory
