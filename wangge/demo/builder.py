"""Build the 洛龙街道 demo through the same services the pages use. Safe to run twice.

Everything is keyed (codes, Person.external_key, usernames), so a second run updates in place
instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction

from wangge.core.geo import to_geojson
from wangge.demo import data
from wangge.demo.geometry import outline, tile
from wangge.org import locate
from wangge.org.models import (
    Community,
    District,
    Grid,
    GridCenter,
    HandlingUnit,
    Subdistrict,
    Workstation,
)
from wangge.org.services import grid_save, subdistrict_set_outline
from wangge.people.groups import (
    ASSESSORS,
    FINANCE,
    LEADERS,
    OPERATOR_DISPATCH,
    OPERATOR_INTAKE,
)
from wangge.people.models import Employment, GridRole, LeaderPost, Person, RoleKind
from wangge.people.selectors import staffing_standard
from wangge.people.services import role_assign, role_end

MOBILISATION = dt.date(2018, 9, 21)  # the "五进网格" pilot's mobilisation meeting

# Employment per role: the seed says most of the five roles are temporary hires.
EMPLOYMENT: dict[str, list[str]] = {
    RoleKind.SUPERVISOR: [Employment.TEMPORARY],
    RoleKind.ENFORCER: [Employment.PERMANENT, Employment.TEMPORARY],
    RoleKind.SANITATION: [Employment.TEMPORARY, Employment.TEMPORARY],
    RoleKind.POLICE: [Employment.PERMANENT],
    RoleKind.COMMUNITY_WORKER: [Employment.TEMPORARY],
}

# Two staff left in 2019 and were replaced by the year's two new hires (the seed: 新招录网格员2名),
# each starting the day after: the demo's cases need someone in every role on every day.
# (grid name, role, left on, successor starts on)
TURNOVER_2019 = [
    ("洛龙社区北网格", RoleKind.SUPERVISOR, dt.date(2019, 4, 30), dt.date(2019, 5, 1)),
    (
        "淏园、风华俊园片区网格",
        RoleKind.COMMUNITY_WORKER,
        dt.date(2019, 8, 15),
        dt.date(2019, 8, 16),
    ),
]

# Demo logins: username → (what they are, groups). Their Person rows are made below.
LOGIN_GRID = "吴家营社区东网格"


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, password, who
    grids: int = 0
    people: int = 0


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))


def _name(key: str) -> str:
    r = _rng(key)
    given = "".join(r.choice(data.GIVEN) for _ in range(r.choice((1, 2, 2))))
    return r.choice(data.SURNAMES) + given


def _phone(key: str) -> str:
    r = _rng("phone:" + key)
    return f"1{r.choice('35789')}{r.randrange(10**9):09d}"


def _person(key: str, name: str, **fields: object) -> Person:
    person, _ = Person.objects.update_or_create(
        external_key=f"demo:{key}", defaults={"name": name, "phone": _phone(key), **fields}
    )
    return person


def _user(username: str, groups: list[str], *, superuser: bool = False) -> tuple[User, str]:
    password = f"wangge-{username}"
    user, _ = User.objects.get_or_create(username=username)
    user.is_superuser = superuser
    user.is_staff = superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    return user, password


@transaction.atomic
def build() -> DemoResult:
    result = DemoResult()
    district, _ = District.objects.update_or_create(
        code=data.DISTRICT["code"], defaults={"name": data.DISTRICT["name"]}
    )
    sub, _ = Subdistrict.objects.update_or_create(
        district=district,
        code=data.SUBDISTRICT_CODE,
        defaults={
            "name": data.SUBDISTRICT_NAME,
            "built_up_km2": data.BUILT_UP_KM2,
        },
    )
    shape = outline(data.AREA_KM2)
    subdistrict_set_outline(subdistrict=sub, geometry=to_geojson(shape))

    district_center, _ = GridCenter.objects.update_or_create(
        district=district, level=GridCenter.Level.DISTRICT, defaults={"name": data.DISTRICT_CENTER}
    )
    center, _ = GridCenter.objects.update_or_create(
        subdistrict=sub,
        defaults={"name": data.SUBDISTRICT_CENTER, "district": district, "level": "subdistrict"},
    )
    units = (
        (HandlingUnit.Level.SUBDISTRICT, sub, data.SUBDISTRICT_OFFICES),
        (HandlingUnit.Level.DISTRICT, None, data.DISTRICT_DEPARTMENTS),
        (HandlingUnit.Level.CITY, None, data.CITY_UNITS),
    )
    for level, office_of, rows in units:
        for name, duties in rows:
            HandlingUnit.objects.update_or_create(
                district=district,
                subdistrict=office_of,
                name=name,
                defaults={"level": level, "duties": duties},
            )

    # Communities and their grids, on synthetic polygons tiling the outline.
    parts = tile(shape, [len(c[3]) for c in data.COMMUNITIES])
    grids = {}
    communities = []
    for (code, name, color, grid_names), (_part, grid_shapes) in zip(
        data.COMMUNITIES, parts, strict=True
    ):
        community, _ = Community.objects.update_or_create(
            subdistrict=sub, code=code, defaults={"name": name, "color": color}
        )
        Workstation.objects.update_or_create(
            community=community, defaults={"name": f"{name}网格化管理工作站"}
        )
        communities.append(community)
        for seq, (grid_name, geom) in enumerate(zip(grid_names, grid_shapes, strict=True), 1):
            grids[grid_name] = grid_save(
                community=community,
                code=f"{community.full_code}{seq:03d}",
                name=grid_name,
                geometry=to_geojson(geom),
                properties={"synthetic": True},
            )
    locate.invalidate()
    result.grids = len(grids)

    # The five roles in every grid, per the staffing standard (1/2/2/1/1 by default).
    standard = staffing_standard()
    departures = {(g, r): (left, start) for g, r, left, start in TURNOVER_2019}
    for grid_name, grid in grids.items():
        for role in RoleKind:
            for n in range(standard[role.value]):
                key = f"{grid.code}:{role.value}:{n + 1}"
                kinds = EMPLOYMENT[role]
                # The pilot's staff were all in place from the mobilisation meeting on.
                start = MOBILISATION
                person = _person(
                    key, _name(key), employment=kinds[n % len(kinds)], start_date=start
                )
                turnover = departures.get((grid_name, role)) if n == 0 else None
                if turnover:
                    left, successor_start = turnover
                    person.end_date = left
                    person.save(update_fields=["end_date"])
                    _ensure_role(person, grid, role, start, left)
                    key = f"{key}:2019"
                    person = _person(
                        key, _name(key), employment=kinds[0], start_date=successor_start
                    )
                    start = successor_start
                _ensure_role(person, grid, role, start, None)

    _leaders(district, sub, communities)
    result.logins = _logins(district_center, center, communities[0], grids[LOGIN_GRID])
    result.people = Person.objects.filter(external_key__startswith="demo:").count()
    return result


def _ensure_role(
    person: Person, grid: Grid, role: RoleKind, start: dt.date, end: dt.date | None
) -> None:
    existing = GridRole.objects.filter(person=person, grid=grid, role=role).first()
    if existing is None:
        role_assign(person=person, grid=grid, role=role, start_date=start, end_date=end)
    elif existing.end_date != end and end is not None:
        role_end(assignment=existing, end_date=end)


def _post(level: str, person: Person, title: str, **unit: object) -> None:
    LeaderPost.objects.update_or_create(
        level=level, person=person, defaults={"title": title, **unit}
    )


def _leaders(district: District, sub: Subdistrict, communities: list[Community]) -> None:
    name, title = data.CHIEF
    _post(
        "chief",
        _person("leader:chief", name, employment="permanent", title=title),
        title,
        subdistrict=sub,
    )
    name, title = data.LEVEL1
    _post(
        "level1",
        _person("leader:level1", name, employment="permanent", title=title),
        title,
        subdistrict=sub,
    )
    name, title = data.LEVEL1_DEPUTY
    dept = HandlingUnit.objects.get(district=district, name="呈贡区城市管理局")
    _post(
        "level1_deputy",
        _person(
            "leader:level1_deputy", name, employment="permanent", title=title, handling_unit=dept
        ),
        title,
        subdistrict=sub,
        department=dept,
    )
    for i, (name, title) in enumerate(data.LEVEL2):
        _post(
            "level2",
            _person(f"leader:level2:{i}", name, employment="permanent", title=title),
            title,
            subdistrict=sub,
        )
    for community, name in zip(communities, data.LEVEL3, strict=True):
        title = f"洛龙街道班子成员（联系{community.name}）"
        _post(
            "level3",
            _person(f"leader:level3:{community.code}", name, employment="permanent", title=title),
            title,
            community=community,
        )
    for community, (secretary, director) in zip(communities, data.LEVEL4, strict=True):
        for key, name, title in (
            ("secretary", secretary, "社区书记"),
            ("director", director, "社区主任"),
        ):
            p = _person(
                f"leader:level4:{community.code}:{key}",
                name,
                employment="permanent",
                title=f"{community.name}{title}",
            )
            _post("level4", p, f"{community.name}{title}", community=community)


def _logins(
    district_center: GridCenter, center: GridCenter, community: Community, grid: Grid
) -> list[tuple[str, str, str]]:
    logins: list[tuple[str, str, str]] = []

    def login(
        username: str,
        groups: list[str],
        who: str,
        person: Person | None,
        *,
        superuser: bool = False,
    ) -> None:
        user, password = _user(username, groups, superuser=superuser)
        if person is not None:
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
        logins.append((username, password, who))

    login("admin", [], "superuser: may do anything", None, superuser=True)
    staff = [
        ("operator", [OPERATOR_INTAKE], "centre operator (intake)"),
        ("dispatcher", [OPERATOR_DISPATCH], "centre operator (dispatch)"),
        ("assessor", [ASSESSORS], "assessment group"),
        ("finance", [FINANCE], "finance staff"),
    ]
    for username, groups, who in staff:
        p = _person(
            f"staff:{username}", _name(f"staff:{username}"), employment="contract", center=center
        )
        login(username, groups, f"{who}, {center.name}", p)
    p = _person(
        "staff:district", _name("staff:district"), employment="permanent", center=district_center
    )
    login("district", [OPERATOR_DISPATCH], f"district centre, {district_center.name}", p)
    leader = LeaderPost.objects.get(level="level3", community=community).person
    login("leader", [LEADERS], f"level-3 grid leader for {community.name}", leader)
    for role in RoleKind:
        assignment = (
            GridRole.objects.filter(grid=grid, role=role, end_date__isnull=True)
            .select_related("person")
            .order_by("start_date", "id")
            .first()
        )
        assert assignment is not None  # the staffing loop above filled every role
        login(role.value, [role.value], f"{role.label}, {grid}", assignment.person)
    return logins
