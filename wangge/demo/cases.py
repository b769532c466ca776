"""Realistic demo cases for 洛龙街道, made by driving the services the pages use.

Every case is reported with ``services.report`` (or ``report_self_handled`` for tier 1) and moved
through the eight steps with ``services.act`` at historical times, so the event log, due times,
on-time flags, key cases and rates are exactly what the platform itself would have produced.

Three stretches are generated (issue 3, item 12): the pilot's first months (from the
mobilisation meeting, 2018-09-21, to the end of 2018), 2019 (the year of the seed's
self-evaluation report, which says closure and on-time closure improved on the year before), and
the twelve months up to today, so that the pages open on live data. Volumes are seasonal
(Kunming's rainy summer brings more, Spring Festival fewer), ~15% tier 1 fixed on the spot
(Kunming 2024: ~17% minor cases fixed by the supervisor), and smaller than a real subdistrict's
so that the demo builds in under two minutes (see VOLUMES).

Each case is planned first in plain Python (seeded ``random.Random``s: 2018 and 2019 come out the
same every time, the last twelve months depend only on when it runs) as a list of timed steps;
the steps are then taken through the services. Steps later than now are not taken, and some
recent cases stop early on purpose (the operator has not filed it yet, the unit has not fed
back …) so that every queue has something in it.

Safe to run twice: demo cases carry an idempotency key ``demo-case:…``; when any exists, nothing
is generated again.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import math
import random
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from wangge.cases import services
from wangge.cases.calendar import WorkingCalendar
from wangge.cases.models import (
    CalendarDay,
    Case,
    CaseQuerySet,
    CaseSource,
    CaseStatus,
    Category,
    DispatchTarget,
)
from wangge.cases.workflow import handling_limit_seconds
from wangge.core.geo import from_geojson
from wangge.demo.builder import MOBILISATION, _name
from wangge.org.models import Grid, HandlingUnit, Workstation
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind

KEY_PREFIX = "demo-case:"  # idempotency keys of demo cases: their presence means "done"
SEED = 20180921
BATCH = 250  # cases per transaction: few commits, yet a failure loses little work

# Cases per stretch at scale 1. A real subdistrict of this size files a few thousand a year
# (standards.md §5.3), but a closed case takes ~9 workflow actions through the services, about
# 40 ms in all on SQLite. To keep the whole demo under two minutes on a 2-core machine the counts
# are cut, the older years most: the recent year gets the most (the pages show it), 2019 enough
# for its report to compare with the pilot's first months (`--case-scale` changes them all).
VOLUMES = {"2018": 200, "2019": 750, "recent": 1000}

# Rainy season (May–October) brings more 道路不洁, 井盖 and 暴露垃圾 reports; January–February
# (Spring Festival) fewer.
MONTH_FACTOR = {
    1: 0.85,
    2: 0.7,
    3: 0.9,
    4: 0.95,
    5: 1.05,
    6: 1.2,
    7: 1.3,
    8: 1.25,
    9: 1.1,
    10: 1.0,
    11: 0.9,
    12: 0.85,
}


@dataclass(frozen=True)
class Era:
    """How well the grid worked in a stretch: 2019 is better than the pilot's start (the seed:
    结案率 and 按期结案率 improved), and the last year is a mature platform."""

    name: str
    late: float  # fed back after the due time
    long_delay: float  # weeks late (carried into the next period, lowers closure)
    rework: float
    rework_twice: float  # of the reworked
    extension: float
    returned: float
    suspended: float
    rejected: float  # not a case / duplicate, at filing
    self_handled: float


ERAS = {
    "2018": Era("2018", 0.2, 0.12, 0.09, 0.15, 0.04, 0.05, 0.012, 0.05, 0.12),
    "2019": Era("2019", 0.06, 0.012, 0.06, 0.1, 0.05, 0.03, 0.01, 0.04, 0.15),
    "recent": Era("recent", 0.05, 0.01, 0.055, 0.1, 0.05, 0.03, 0.01, 0.04, 0.16),
}

# Sources of closed-loop reports (tier 1 is always a five-role report). Supervisors and the
# five roles find most problems (Kunming 2024: 97.56% by supervisors); some come from the public
# and the hotlines (verified on site before filing), a few from the district, video, leaders.
SOURCES: list[tuple[str, float]] = [
    (CaseSource.SUPERVISOR, 52),
    (CaseSource.FIVE_ROLES, 26),
    (CaseSource.PUBLIC, 5),
    (CaseSource.HOTLINE_12345, 7),
    (CaseSource.HOTLINE_12319, 4),
    (CaseSource.DISTRICT, 3),
    (CaseSource.VIDEO, 2),
    (CaseSource.LEADER, 1),
]

# Tiers of filed cases (the seed's six categories): mostly handled within the community.
TIERS: list[tuple[int, float]] = [(2, 86), (3, 9), (4, 3.5), (5, 1), (6, 0.5)]


@dataclass(frozen=True)
class Kind:
    """A common problem: the category names it goes by, its weight and what reports say."""

    names: tuple[str, ...]
    weight: float
    texts: tuple[str, ...]
    self_handle: bool = True  # can be fixed on the spot by the five roles (tier 1)
    role: str = RoleKind.SANITATION  # who fixes it on the spot / handles it in the grid
    facts: tuple[str, ...] = ()  # tier-2 facts it often needs
    done: str = "已处置完毕"  # what the handler feeds back


COMMON: list[Kind] = [
    Kind(
        ("暴露垃圾",),
        18,
        ("路边有暴露垃圾堆放", "垃圾桶外散落生活垃圾", "绿化带内堆有垃圾袋"),
        done="已清理干净",
    ),
    Kind(
        ("道路不洁", "道路保洁"),
        12,
        ("路面有泥土、污渍未清扫", "人行道上有大量落叶和杂物", "雨后路面淤泥未清理"),
        done="已清扫干净",
    ),
    Kind(
        ("占道经营",),
        12,
        ("流动摊贩占用人行道经营", "商铺出店经营，货物摆放在人行道", "水果摊占道经营"),
        role=RoleKind.ENFORCER,
        facts=("enforcement",),
        done="已劝离，规范经营",
    ),
    Kind(
        ("乱停乱放", "乱停放", "机动车乱停"),
        10,
        ("机动车停放在人行道上", "非机动车乱停乱放堵塞盲道", "车辆占用消防通道停放"),
        role=RoleKind.POLICE,
        done="已联系车主挪车，规范停放",
    ),
    Kind(
        ("非法小广告", "小广告"),
        10,
        ("电杆上张贴非法小广告", "墙面喷涂小广告", "公交站亭张贴小广告"),
        done="已清除小广告",
    ),
    Kind(
        ("井盖",),
        6,
        ("井盖破损", "井盖缺失，存在安全隐患", "井盖松动，车辆经过有响声"),
        self_handle=False,
        role=RoleKind.COMMUNITY_WORKER,
        done="已更换、加固井盖",
    ),
    Kind(
        ("私搭乱建", "违法搭建"),
        5,
        ("屋顶私自搭建彩钢棚", "商铺门前私搭雨棚", "绿地内私搭简易房"),
        self_handle=False,
        role=RoleKind.ENFORCER,
        facts=("enforcement", "heavy_machinery"),
        done="已责令停工并拆除",
    ),
]
OTHER_WEIGHT = 27  # spread over every other active category
OTHER_TEXTS = ("发现{name}问题，需处置", "{name}存在问题，影响市容", "巡查发现{name}需要处理")

# Used only when no taxonomy is loaded at all (a database without the categories migration),
# so that the demo still has something to file: local codes (L…), not official ones.
FALLBACK_CATEGORIES: list[tuple[str, str, str, str, int, str, str, str]] = [
    # code, kind, major class, name, limit, unit, target, duty role
    ("LD0101", "event", "市容环境", "暴露垃圾", 4, "working_hours", "workstation", "sanitation"),
    ("LD0102", "event", "市容环境", "道路不洁", 4, "working_hours", "grid_team", "sanitation"),
    ("LD0201", "event", "街面秩序", "占道经营", 4, "working_hours", "grid_team", "enforcer"),
    ("LD0202", "event", "街面秩序", "乱停乱放", 2, "working_hours", "grid_team", "police"),
    ("LD0301", "event", "宣传广告", "非法小广告", 4, "working_hours", "grid_team", "sanitation"),
    ("LD0401", "component", "公用设施", "雨水井盖", 6, "working_hours", "unit", "community_worker"),
    ("LD0103", "event", "市容环境", "私搭乱建", 5, "working_days", "unit", "enforcer"),
]
FALLBACK_UNITS = {"LD0401": "城市管理办公室", "LD0103": "规划建设办公室"}

ROADS = ("吴家营路", "洛龙路", "春融街", "彩云北路", "聚贤街", "雨花路", "沁园路", "联大街")
CITIZENS = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"

# The order a case goes through the open states; a recent case may stop at any of them.
OPEN_STATES = ("reported", "filed", "dispatched", "handling", "handled", "suspended")


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (120, 140, 110)).save(buf, "PNG")
    return buf.getvalue()


# --- who acts --------------------------------------------------------------------------------


@dataclass
class Cast:
    """The accounts that act on demo cases: the centre's operators, each grid's five roles, the
    workstations' and units' staff, and the leaders (every actor in act() is a real user)."""

    operator: User
    dispatcher: User
    assessor: User
    district: User
    # grid id → role → (user, from, to): every assignment, past ones too
    five: dict[int, dict[str, list[tuple[User, dt.date, dt.date | None]]]]
    workstation: dict[int, User]  # community id → user
    unit: dict[int, User]  # handling unit id → user
    leader_of_person: dict[int, User]  # person id → user (leader posts)
    level1: User | None
    level3: dict[int, User]  # community id → user

    def role(self, grid_id: int, role: str, day: dt.date | None = None) -> User:
        """Who holds ``role`` in the grid on ``day`` (default today); the earliest holder if
        nobody did yet."""
        held = self.five[grid_id].get(role) or self.five[grid_id][RoleKind.COMMUNITY_WORKER]
        day = day or timezone.localdate()
        for user, start, end in held:
            if start <= day and (end is None or day <= end):
                return user
        return held[0][0]


def _account(person: Person, username: str, groups: list[Group]) -> User:
    """The person's account, made if they have none (not a demo login: no usable password)."""
    if person.user_id is not None:
        user = person.user
        assert user is not None
        return user
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if groups:
        user.groups.add(*groups)
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _login(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise RuntimeError(f"the demo login {username!r} is missing: run build() first")
    return user


def _staff(key: str, title: str, **fields: Any) -> Person:
    """A synthetic staff member, named like the builder's people (so the event log reads
    "accepted by 王丽", not by a job title)."""
    person, _ = Person.objects.update_or_create(
        # Not "demo:": the builder counts its own people by that prefix.
        external_key=f"demo-cases:{key}",
        defaults={"name": _name(key), "title": title, "employment": "contract", **fields},
    )
    return person


def cast() -> Cast:
    """Accounts for everyone who acts on cases (idempotent: keyed like the builder's rows)."""
    groups = {g.name: g for g in Group.objects.all()}
    five: dict[int, dict[str, list[tuple[User, dt.date, dt.date | None]]]] = {}
    assignments = GridRole.objects.select_related("person__user").order_by(
        "grid_id", "role", "start_date", "id"
    )
    for gr in assignments:
        key = (gr.person.external_key or f"person{gr.person.pk}").removeprefix("demo:")
        user = _account(
            gr.person, f"h.{key.replace(':', '.')}", [g for g in [groups.get(gr.role)] if g]
        )
        held = five.setdefault(gr.grid_id, {}).setdefault(gr.role, [])
        held.append((user, gr.start_date, gr.end_date))

    workstation: dict[int, User] = {}
    for ws in Workstation.objects.select_related("community"):
        person = _staff(
            f"staff:workstation:{ws.community.code}",
            f"{ws.community.name}工作站值班员",
            workstation=ws,
        )
        workstation[ws.community_id] = _account(person, f"ws.{ws.community.code}", [])

    unit: dict[int, User] = {}
    for u in HandlingUnit.objects.filter(active=True).order_by("id"):
        person = _staff(f"staff:unit:{u.name}", f"{u.name[:40]}联络员", handling_unit=u)
        unit[u.pk] = _account(person, f"unit.{u.pk}", [])

    leader_of_person: dict[int, User] = {}
    level1: User | None = None
    level3: dict[int, User] = {}
    for post in LeaderPost.objects.select_related("person__user").order_by("id"):
        if post.person is None:
            continue
        key = (post.person.external_key or f"person{post.person.pk}").removeprefix("demo:")
        user = _account(post.person, f"l.{key.replace(':', '.')}", [])
        leader_of_person[post.person.pk] = user
        if post.level == "level1":
            level1 = user
        if post.level == "level3" and post.community_id is not None:
            level3[post.community_id] = user
    return Cast(
        operator=_login("operator"),
        dispatcher=_login("dispatcher"),
        assessor=_login("assessor"),
        district=_login("district"),
        five=five,
        workstation=workstation,
        unit=unit,
        leader_of_person=leader_of_person,
        level1=level1,
        level3=level3,
    )


# --- what is reported, where -----------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    category: Category
    kind: Kind | None
    weight: float


def _fallback_categories() -> list[Category]:
    made = []
    for code, kind, major, name, limit, unit, target, role in FALLBACK_CATEGORIES:
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "major_name": major,
                "name": name,
                "time_limit": limit,
                "time_unit": unit,
                "default_target": target,
                "default_unit_name": FALLBACK_UNITS.get(code, ""),
                "duty_role": role,
                "keywords": "demo",
            },
        )
        made.append(category)
    return made


def categories() -> list[Pick]:
    """Active categories weighted toward the common problems; a name not in the taxonomy is
    skipped (its weight goes to the rest), and an empty taxonomy gets a small local set."""
    active = list(Category.objects.filter(active=True).order_by("code"))
    if not active:
        active = _fallback_categories()
    picks: list[Pick] = []
    used: set[int] = set()
    for kind in COMMON:
        matches = [c for c in active if c.name in kind.names and c.pk not in used] or [
            c for c in active if c.pk not in used and any(n in c.name for n in kind.names)
        ]
        for c in matches:
            picks.append(Pick(c, kind, kind.weight / len(matches)))
            used.add(c.pk)
    others = [c for c in active if c.pk not in used]
    for c in others:
        picks.append(Pick(c, None, OTHER_WEIGHT / len(others)))
    return picks


@dataclass
class Place:
    grid: Grid
    shape: BaseGeometry
    weight: float
    _prepared: Any = None

    def point(self, rng: random.Random) -> tuple[float, float]:
        """A random point well inside the grid (20 m from its edge, so that rounding the
        coordinates to 7 places never moves it into the neighbour)."""
        if self._prepared is None:
            inner = self.shape.buffer(-0.0002)
            self.shape = inner if not inner.is_empty else self.shape
            self._prepared = prep(self.shape)
        x0, y0, x1, y1 = self.shape.bounds
        for _ in range(1000):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if self._prepared.contains(Point(x, y)):
                return x, y
        p = self.shape.representative_point()
        return p.x, p.y


def places(rng: random.Random) -> list[Place]:
    """The grids, weighted by area and by a seeded 'busyness' (markets and stations report more
    than quiet residential blocks)."""
    out = []
    for grid in Grid.objects.select_related("community__subdistrict").order_by("code"):
        if not grid.geometry:
            continue
        shape = from_geojson(grid.geometry)
        busy = 0.6 + rng.random() * 0.9
        if any(w in grid.name for w in ("广场", "高铁", "医院", "孔雀镇")):
            busy *= 1.4
        out.append(Place(grid, shape, math.sqrt(max(shape.area, 1e-9)) * busy))
    return out


# --- the plan: each case as timed steps, decided before anything is written ------------------

# Placeholders filled in when the step is taken (they name rows that exist only by then).
DUPLICATE = "<the earlier case in this grid>"
OVERSIGHT = "<the case's open oversight order>"

NOT_FOUND = ("现场核实未发现该问题", "现场已无此问题", "核实地址无此情况")
NOT_A_CASE = ("不属于城市管理问题", "属于私人纠纷，不予立案", "信息不全，无法核实")
RETURN_REASONS = ("不属于本单位职责，请重新派遣", "该问题归属其他部门管理", "派遣对象有误")
EXTENSION_REASONS = ("需协调相关部门，申请延期", "需采购材料，申请延期", "天气原因无法施工")
SUSPEND_PLANS = (
    "涉及历史遗留问题，需待规划调整后处置，暂予挂账",
    "需纳入年度改造计划统一实施，暂予挂账",
)
REWORK_REASONS = ("现场仍有残留，处置不彻底", "复核发现问题反弹", "处置结果与上报问题不符")
DEMANDS = ("该案件已超期，请于限期内处置完毕并反馈", "请加快处置进度，按期反馈结果")


@dataclass
class Step:
    at: dt.datetime
    action: str
    who: str  # a Cast role: operator, dispatcher, assessor, supervisor, handler, leader, level1
    to: str  # the case's status once the step is taken
    data: dict[str, Any] = field(default_factory=dict)
    photo: bool = False
    due: dt.datetime | None = None  # the handling due time from this step on


@dataclass
class Plan:
    key: str
    stretch: str
    at: dt.datetime
    place: Place
    lon: float
    lat: float
    pick: Pick
    source: str
    description: str
    address: str
    photo: bool
    self_handled: bool = False
    reporter_role: str = RoleKind.SUPERVISOR
    steps: list[Step] = field(default_factory=list)

    def end(self, now: dt.datetime) -> tuple[str, bool]:
        """The status the case will have now, and whether it is overdue by then."""
        if self.self_handled:
            return CaseStatus.SELF_HANDLED, False
        state: str = CaseStatus.REPORTED.value
        due: dt.datetime | None = None
        for s in self.steps:
            if s.at > now:
                break
            state, due = s.to, s.due if s.due is not None else due
        overdue = state in ("dispatched", "handling") and due is not None and due < now
        return state, overdue


def _weighted(r: random.Random, items: list[tuple[Any, float]]) -> Any:
    return r.choices([i for i, _ in items], weights=[w for _, w in items])[0]


class Planner:
    def __init__(
        self,
        cal: WorkingCalendar,
        now: dt.datetime,
        picks: list[Pick],
        grids: list[Place],
        units: list[HandlingUnit],
    ) -> None:
        self.cal = cal
        self.now = now
        self.picks = picks
        self.grids = grids
        self.units = {u.name: u for u in units}
        self.by_level: dict[str, list[HandlingUnit]] = {}
        for u in units:
            self.by_level.setdefault(u.level, []).append(u)
        self.staffing: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = {}
        for grid_id, role, start, end in GridRole.objects.values_list(
            "grid_id", "role", "start_date", "end_date"
        ):
            self.staffing.setdefault((grid_id, role), []).append((start, end))
        self.spring = frozenset(
            CalendarDay.objects.filter(
                kind=CalendarDay.Kind.HOLIDAY, name__contains="春节"
            ).values_list("date", flat=True)
        )

    def on_duty(self, place: Place, role: str, at: dt.datetime) -> bool:
        day = at.astimezone(self.cal.tz).date()
        return any(
            start <= day and (end is None or day <= end)
            for start, end in self.staffing.get((place.grid.pk, role), [])
        )

    # When -------------------------------------------------------------------------------------

    def day_weight(self, day: dt.date, ramp_from: dt.date | None) -> float:
        w = MONTH_FACTOR[day.month]
        if day in self.spring:
            w *= 0.3  # Spring Festival: the city empties, patrols are thin
        elif not self.cal.is_working_day(day):
            w *= 0.55  # supervisors patrol at weekends too, fewer of the others
        if ramp_from is not None:  # the pilot's first weeks: staff still arriving (builder)
            w *= min(1.0, 0.45 + (day - ramp_from).days / 90)
        return w

    def moments(
        self, r: random.Random, first: dt.date, last: dt.date, n: int, ramp: bool
    ) -> list[dt.datetime]:
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        weights = [self.day_weight(d, first if ramp else None) for d in days]
        out = []
        for day in r.choices(days, weights=weights, k=n):
            minute = int(r.triangular(7.5 * 60, 21 * 60, 10 * 60))
            at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), self.cal.tz)
            if at < self.now:
                out.append(at)
        return sorted(out)

    # What -------------------------------------------------------------------------------------

    def plan(self, r: random.Random, stretch: str, seq: int, at: dt.datetime) -> Plan:
        era = ERAS[stretch]
        place = _weighted(r, [(p, p.weight) for p in self.grids])
        pick = _weighted(r, [(p, p.weight) for p in self.picks])
        lon, lat = place.point(r)
        kind = pick.kind
        texts = (
            kind.texts if kind else tuple(t.format(name=pick.category.name) for t in OTHER_TEXTS)
        )
        road = r.choice(ROADS)
        number = r.randrange(1, 300)
        address = f"{road}{number}号附近（{place.grid.name}）"
        # Three fifths of all reports are of kinds that can be fixed on the spot, hence / 0.6.
        self_handled = bool(kind and kind.self_handle) and r.random() < era.self_handled / 0.6
        fixer = ""
        if self_handled:
            # The seed: supervisors carry tongs and bags and fix minor problems themselves.
            wanted = RoleKind.SUPERVISOR if r.random() < 0.4 else (kind.role if kind else "")
            fixer = next(
                (role for role in (wanted, RoleKind.SANITATION) if self.on_duty(place, role, at)),
                "",
            )
            self_handled = bool(fixer)  # nobody in post yet (the pilot's first weeks)
        source = CaseSource.FIVE_ROLES if self_handled else _weighted(r, SOURCES)
        plan = Plan(
            key=f"{KEY_PREFIX}{stretch}:{seq:05d}",
            stretch=stretch,
            at=at,
            place=place,
            lon=lon,
            lat=lat,
            pick=pick,
            source=source,
            description=f"{road}{number}号附近{r.choice(texts)}",
            address=address,
            photo=self_handled or (source in ("supervisor", "five_roles") and r.random() < 0.35),
            self_handled=self_handled,
        )
        if self_handled:
            plan.reporter_role = fixer
            return plan
        if source == CaseSource.FIVE_ROLES:
            # Linkage (三.5): whoever of the five roles sees it reports it, not only its owner.
            plan.reporter_role = r.choice(
                [RoleKind.ENFORCER, RoleKind.SANITATION, RoleKind.POLICE, RoleKind.COMMUNITY_WORKER]
            )
        self._loop(plan, era, r)
        return plan

    def _unit(self, name: str, level: str) -> HandlingUnit | None:
        return self.units.get(name) or next(iter(self.by_level.get(level, [])), None)

    def _city_unit(self, grid: Grid) -> HandlingUnit | None:
        for word, unit in (
            ("行政中心", "市级行政中心"),
            ("高铁", "昆明南站"),
            ("医院", "云南大学"),
        ):
            if word in grid.name:
                return next((u for n, u in self.units.items() if n.startswith(unit)), None)
        return None

    def _routing(
        self, p: Plan, r: random.Random
    ) -> tuple[dict[str, Any], str, HandlingUnit | None]:
        """Facts for the tier rules (the seed's six categories) and where it is dispatched."""
        category, kind = p.pick.category, p.pick.kind
        tier = _weighted(r, TIERS)
        city = self._city_unit(p.place.grid) if tier == 6 else None
        if tier == 6 and city is None:
            tier = 4  # only the grids around city-level units need them
        enforcement = kind is not None and kind.role == RoleKind.ENFORCER
        office = "规划建设办公室" if enforcement and "搭" in category.name else "城市管理办公室"
        if tier == 6:
            return {"city_unit": True}, DispatchTarget.UNIT, city
        if tier == 5:
            unit = self._unit("呈贡区城市管理局", "district")
            return {"departments": 3, "major": True}, DispatchTarget.UNIT, unit
        if tier == 4:
            name = r.choice(["呈贡区城市管理局", "呈贡区住房和城乡建设局", "呈贡区交通运输局"])
            return {"departments": 2}, DispatchTarget.UNIT, self._unit(name, "district")
        if tier == 3:
            offices = r.choice((2, 2, 3))
            return {"offices": offices}, DispatchTarget.UNIT, self._unit(office, "subdistrict")
        facts: dict[str, Any] = {}
        if kind is not None and kind.facts and r.random() < 0.35:
            facts = {f: True for f in kind.facts[: r.randint(1, len(kind.facts))]}
        target = category.default_target
        unit = None
        if target == DispatchTarget.UNIT:
            unit = self._unit(category.default_unit_name, "subdistrict") or self._unit(
                office, "subdistrict"
            )
        return facts, target, unit

    def _loop(self, p: Plan, era: Era, r: random.Random) -> None:
        """The closed loop of one filed case, as timed steps (working time from the calendar)."""
        cal = self.cal

        def later(t: dt.datetime, lo: float, hi: float) -> dt.datetime:
            return cal.add_hours(t, r.uniform(lo, hi))

        def step(at: dt.datetime, action: str, who: str, to: str, **kw: Any) -> dt.datetime:
            # One thing after another: a step planned from an earlier due time (an oversight
            # order, a late feedback) never comes before the step it follows.
            if p.steps and at <= p.steps[-1].at:
                at = later(p.steps[-1].at, 0.05, 0.5)
            p.steps.append(Step(at, action, who, to, **kw))
            return at

        t = p.at
        if CaseSource.needs_verification(p.source):
            t = later(t, 0.2, 1.8)
            if r.random() < 0.15:
                reason = r.choice(NOT_FOUND)
                step(
                    t,
                    "verify-report",
                    "supervisor",
                    "rejected",
                    data={"confirmed": False, "reason": reason},
                )
                return
            step(t, "verify-report", "supervisor", "reported", data={"confirmed": True})
        slow = r.random() < (0.1 if era.name == "2018" else 0.03)
        t = later(t, 1.0, 3.0) if slow else later(t, 0.05, 0.9)
        if r.random() < era.rejected:
            rejection: dict[str, Any] = {"reason_kind": "not_a_case"}
            rejection["reason"] = r.choice(NOT_A_CASE)
            if r.random() < 0.5:
                rejection = {"reason_kind": "duplicate", "duplicate_of": DUPLICATE}
                rejection["reason"] = "与已上报案件重复"
            step(t, "reject", "operator", "rejected", data=rejection)
            return
        facts, target, unit = self._routing(p, r)
        category = p.pick.category
        step(t, "file", "operator", "filed", data={"category": category, "facts": facts})
        limit = handling_limit_seconds(category, category.urgency, cal)
        tier_high = any(k in facts for k in ("offices", "departments", "city_unit"))

        t = later(t, 0.05, 0.9)
        if r.random() < era.returned:
            # Sent to the wrong side first; they return it and the centre re-dispatches.
            wrong = (
                DispatchTarget.GRID_TEAM
                if target == DispatchTarget.WORKSTATION
                else DispatchTarget.WORKSTATION
            )
            step(
                t,
                "dispatch",
                "dispatcher",
                "dispatched",
                data={"target": wrong},
                due=cal.add(t, limit),
            )
            t = step(
                later(t, 0.3, 2.0),
                "return",
                "handler",
                "filed",
                data={"reason": r.choice(RETURN_REASONS)},
            )
            t = later(t, 0.2, 1.0)
        due = cal.add(t, limit)
        where: dict[str, Any] = {"target": target}
        if unit is not None:
            where["unit"] = unit
        step(t, "dispatch", "dispatcher", "dispatched", data=where, due=due)
        if tier_high and r.random() < 0.6:
            text = "请相关部门密切配合，按期处置到位"
            t = step(later(t, 0.1, 0.5), "instruct", "leader", "dispatched", data={"text": text})
        t = step(later(t, 0.05, 0.8), "accept", "handler", "handling", due=due)
        if "major" in facts:
            day = t.astimezone(cal.tz).date().isoformat()
            meeting = {
                "date": day,
                "attendees": "一级网格长、区城市管理局、区住房和城乡建设局、区交通运输局、洛龙街道",
                "decisions": "明确牵头部门和完成时限，各部门按职责联动处置",
            }
            t = step(later(t, 1, 6), "record-meeting", "level1", "handling", data=meeting)

        if r.random() < era.suspended:
            ts = cal.add(t, max(cal.between(t, due), 0) * r.uniform(0.1, 0.5))
            left = cal.between(ts, due)
            step(ts, "suspend", "dispatcher", "suspended", data={"reason": r.choice(SUSPEND_PLANS)})
            t = cal.add_hours(ts + dt.timedelta(days=r.uniform(3, 40)), r.uniform(0, 2))
            # The clock stopped while suspended: the same working time is left after resuming.
            due = cal.add(t, int(left)) if left > 0 else t + dt.timedelta(seconds=int(left))
            step(t, "resume", "dispatcher", "handling", due=due)
        if r.random() < era.extension:
            t = cal.add(t, max(cal.between(t, due), 0) * r.uniform(0.3, 0.8))
            hours = max(2, round(limit / 3600 * r.uniform(0.5, 1.0)))
            reason = r.choice(EXTENSION_REASONS)
            step(
                t,
                "request-extension",
                "handler",
                "handling",
                data={"hours": hours, "reason": reason},
            )
            t = later(t, 0.2, 1.5)
            if r.random() < 0.85:
                due = cal.add_hours(due, hours)
                step(t, "approve-extension", "dispatcher", "handling", due=due)
            else:
                reason = "时限内可以完成，不予延期"
                step(t, "refuse-extension", "dispatcher", "handling", data={"reason": reason})

        roll = r.random()
        left = cal.between(t, due)
        oversight = False
        if roll < era.long_delay:
            # Weeks late; in the pilot's first months up to three (teething problems).
            weeks = 12 if era.name == "2018" else 6
            feedback = cal.add(due, cal.seconds_per_day * r.uniform(4, 5 * weeks))
            order = max(cal.add_hours(due, r.uniform(2, 6)), later(p.steps[-1].at, 0.1, 1))
            if order < feedback and order < self.now:
                # An overdue case gets an oversight order (重点案件督办), answered by the unit.
                deadline = cal.add_hours(order, 14)
                demand: dict[str, Any] = {"deadline": deadline, "demand": r.choice(DEMANDS)}
                step(order, "order-oversight", "dispatcher", "handling", data=demand)
                reply = later(order, 0.5, 3)
                text = "已安排人员处置，将按期反馈"
                step(
                    reply,
                    "reply-oversight",
                    "handler",
                    "handling",
                    data={"oversight": OVERSIGHT, "text": text},
                )
                oversight = True
                feedback = max(feedback, later(reply, 0.5, 2))
        elif roll < era.long_delay + era.late or left < 600:
            feedback = cal.add(due, max(limit, 3600) * r.uniform(0.05, 0.9))
        else:
            feedback = cal.add(t, left * r.triangular(0.15, 0.97, 0.55))
        t = step(
            feedback,
            "feedback",
            "handler",
            "handled",
            data={"result": p.pick.kind.done if p.pick.kind else "已处置完毕"},
            photo=True,
        )

        reworks = 0
        if r.random() < era.rework:
            reworks = 2 if r.random() < era.rework_twice else 1
        for _ in range(reworks):
            reason = r.choice(REWORK_REASONS)
            t = step(
                later(t, 0.3, 3.5),
                "verify",
                "supervisor",
                "handling",
                data={"passed": False, "reason": reason},
            )
            result = "已返工处置完毕"
            t = step(
                later(t, 0.5, 5),
                "feedback",
                "handler",
                "handled",
                data={"result": result},
                photo=True,
            )
        t = step(later(t, 0.3, 3.5), "verify", "supervisor", "closed", data={"passed": True})
        closed = t
        if oversight:
            data = {"oversight": OVERSIGHT, "outcome": "已按督办要求处置结案"}
            t = step(later(t, 0.2, 2), "close-oversight", "dispatcher", "closed", data=data)
        evaluation: dict[str, Any] = {}
        if p.source in (CaseSource.PUBLIC, CaseSource.HOTLINE_12345, CaseSource.HOTLINE_12319):
            # The citizen is called back: less happy when it took long or came back.
            good = feedback <= due and reworks == 0
            evaluation["satisfaction"] = r.choice((5, 5, 5, 4, 4) if good else (5, 4, 3, 3, 2))
        t = step(later(t, 0.5, 6), "evaluate", "operator", "evaluated", data=evaluation)
        # Counted into its month by the assessment group early the next month.
        local = closed.astimezone(cal.tz)
        month_end = dt.datetime(
            local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=cal.tz
        )
        t = max(t, month_end)
        step(later(t, 1, 20), "assess", "assessor", "assessed", data={"period": f"{local:%Y-%m}"})

    # Recent backlog -----------------------------------------------------------------------------

    def cut(self, p: Plan, state: str) -> bool:
        """Stop a recent case at ``state`` (its next actor has not acted yet); False if it cannot
        be there by now. ``overdue`` = handling past its due time; ``suspended`` = 挂账 now."""
        if p.self_handled or (p.steps and p.steps[0].to == "rejected"):
            return False
        if state == "reported":  # not filed yet (a public report may be verified already)
            p.steps = [s for s in p.steps[:1] if s.to == "reported" and s.at <= self.now]
            return True
        want = "handling" if state in ("overdue", "suspended") else state
        for i, s in enumerate(p.steps):
            if s.at > self.now:
                return False
            if s.to == "rejected":
                return False
            if s.to != want:
                continue
            if state == "overdue" and (s.due is None or s.due >= self.now):
                return False
            kept = p.steps[: i + 1]
            if state == "suspended":
                at = self.cal.add_hours(s.at, 0.5)
                if at > self.now:
                    return False
                reason = SUSPEND_PLANS[0]
                kept.append(Step(at, "suspend", "dispatcher", "suspended", data={"reason": reason}))
            p.steps = kept
            return True
        return False


# --- taking the steps through the services ------------------------------------------------------


@dataclass
class CaseSummary:
    generated: int = 0
    existing: int = 0  # demo cases already there (a second run generates none)
    seconds: float = 0.0
    by_stretch: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    overdue: int = 0

    def line(self) -> str:
        if not self.generated:
            return f"Cases: {self.existing:,} demo cases already there; none generated."
        stretches = ", ".join(
            f"{label} {self.by_stretch[name]:,}"
            for name, label in (("2018", "2018"), ("2019", "2019"), ("recent", "last 12 months"))
        )
        statuses = ", ".join(f"{s} {n:,}" for s, n in self.by_status.most_common())
        return (
            f"Cases: {self.generated:,} generated in {self.seconds:.0f} s ({stretches});"
            f" {statuses}; {self.overdue:,} open overdue."
        )


@contextmanager
def _clock(at: dt.datetime, *, needed: bool) -> Iterator[None]:
    """report_self_handled() takes no ``reported_at`` (yet): run it under a clock set to ``at``
    so that a problem fixed on the spot in 2019 is dated 2019, not today. A no-op once the
    service takes the time itself."""
    if not needed:
        yield
        return
    with mock.patch.object(timezone, "now", return_value=at):
        yield


class Runner:
    def __init__(self, cal: WorkingCalendar, people: Cast, png: bytes) -> None:
        self.cal = cal
        self.cast = people
        self.png = png
        self.last_in_grid: dict[int, Case] = {}
        self.leader_of_post = {
            post_id: people.leader_of_person[person_id]
            for post_id, person_id in LeaderPost.objects.values_list("id", "person_id")
            if person_id in people.leader_of_person
        }
        self.with_reported_at = (
            "reported_at" in inspect.signature(services.report_self_handled).parameters
        )

    def reporter(self, p: Plan) -> tuple[User | None, str, str]:
        """Who records the report, and the citizen's name and phone when a citizen reported."""
        grid_id = p.place.grid.pk
        day = p.at.astimezone(self.cal.tz).date()  # whoever patrolled the grid then
        h = zlib.crc32(p.key.encode())  # stable across runs, unlike hash()
        citizen = (f"{CITIZENS[h % len(CITIZENS)]}先生", f"138{h % 10**8:08d}")
        match p.source:
            case CaseSource.SUPERVISOR:
                return self.cast.role(grid_id, RoleKind.SUPERVISOR, day), "", ""
            case CaseSource.FIVE_ROLES:
                return self.cast.role(grid_id, p.reporter_role, day), "", ""
            case CaseSource.PUBLIC:
                return None, *citizen
            case CaseSource.HOTLINE_12345 | CaseSource.HOTLINE_12319:
                return self.cast.operator, *citizen  # the centre enters the hotline's ticket
            case CaseSource.DISTRICT:
                return self.cast.district, "", ""
            case CaseSource.LEADER:
                leader = self.cast.level3.get(p.place.grid.community_id)
                return leader or self.cast.operator, "", ""
            case _:
                return self.cast.operator, "", ""  # video: the centre watches the cameras

    def actor(self, who: str, case: Case, p: Plan, day: dt.date) -> User:
        """Who takes a step on ``day``: act() checks the roles people held that day."""
        c = self.cast
        match who:
            case "operator":
                return c.operator
            case "dispatcher":
                return c.dispatcher
            case "assessor":
                return c.assessor
            case "supervisor":
                return c.role(case.grid_id, RoleKind.SUPERVISOR, day)
            case "level1":
                return c.level1 or c.dispatcher
            case "leader":
                return self.leader_of_post.get(case.leader_post_id or 0) or c.dispatcher
        # the handler: whoever is on the side the case was dispatched to
        if case.dispatch_target == DispatchTarget.WORKSTATION:
            return c.workstation[case.community_id]
        if case.dispatch_target == DispatchTarget.UNIT and case.handling_unit_id:
            return c.unit[case.handling_unit_id]
        kind_role = p.pick.kind.role if p.pick.kind else p.pick.category.duty_role
        role = kind_role if kind_role and kind_role != RoleKind.SUPERVISOR else "community_worker"
        return c.role(case.grid_id, role, day)

    def run(self, p: Plan, now: dt.datetime) -> Case:
        photos = [self.png] if p.photo else None
        category = p.pick.category
        if p.self_handled:
            day = p.at.astimezone(self.cal.tz).date()
            # The clock below is set to then, so the service checks who held the role then.
            user = self.cast.role(p.place.grid.pk, p.reporter_role, day)
            kwargs: dict[str, Any] = {}
            if self.with_reported_at:
                kwargs["reported_at"] = p.at
            with _clock(p.at, needed=not self.with_reported_at):
                case = services.report_self_handled(
                    actor_user=user,
                    category=category,
                    description=p.description,
                    lon=p.lon,
                    lat=p.lat,
                    address=p.address,
                    before=[self.png],
                    after=[self.png],
                    idempotency_key=p.key,
                    **kwargs,
                )
            return case
        reporter, name, phone = self.reporter(p)
        # Patrols pick the category on the handset; citizens and hotlines only describe it.
        chosen = category if p.source in ("supervisor", "five_roles", "video", "district") else None
        case = services.report(
            actor_user=reporter,
            source=p.source,
            description=p.description,
            lon=p.lon,
            lat=p.lat,
            address=p.address,
            category=chosen,
            reporter_name=name,
            reporter_phone=phone,
            photos=photos,
            idempotency_key=p.key,
            reported_at=p.at,
            calendar=self.cal,
        )
        for s in p.steps:
            if s.at > now:
                break
            data = dict(s.data)
            if data.get("duplicate_of") == DUPLICATE:
                original = self.last_in_grid.get(case.grid_id)
                if original is None:
                    data = {"reason_kind": "not_a_case", "reason": NOT_A_CASE[0]}
                else:
                    data["duplicate_of"] = original
            if data.get("oversight") == OVERSIGHT:
                data["oversight"] = (
                    case.oversights.filter(closed_at__isnull=True)
                    .values_list("pk", flat=True)
                    .first()
                )
            case = services.act(
                case,
                s.action,
                actor_user=self.actor(s.who, case, p, timezone.localdate(s.at)),
                data=data,
                photos=[self.png] if s.photo else None,
                now=s.at,
                calendar=self.cal,
            )
        self.last_in_grid[case.grid_id] = case
        return case


# --- the entry point ------------------------------------------------------------------------------


def demo_cases() -> CaseQuerySet:
    """The cases the demo generated (by their idempotency keys)."""
    return Case.objects.filter(idempotency_key__startswith=KEY_PREFIX)


def generate_cases(
    *,
    scale: float = 1.0,
    volumes: dict[str, int] | None = None,
    now: dt.datetime | None = None,
    seed: int = SEED,
) -> CaseSummary:
    """Generate the demo's cases (see the module's docstring). ``scale`` shrinks every stretch
    (tests use a small one), ``volumes`` sets a stretch's count outright; a second run finds the
    demo cases there and generates none."""
    import time

    started = time.monotonic()
    existing = demo_cases().count()
    if existing:
        return CaseSummary(existing=existing)
    now = now or timezone.now()
    cal = WorkingCalendar.load()
    rng = random.Random(f"{seed}:places")
    planner = Planner(
        cal,
        now,
        categories(),
        places(rng),
        list(HandlingUnit.objects.filter(active=True).order_by("level", "name")),
    )
    today = now.astimezone(cal.tz).date()
    stretches = [
        ("2018", MOBILISATION, dt.date(2018, 12, 31), True),
        ("2019", dt.date(2019, 1, 1), dt.date(2019, 12, 31), False),
        ("recent", today - dt.timedelta(days=365), today, False),
    ]
    plans: list[Plan] = []
    for name, first, last, ramp in stretches:
        r = random.Random(f"{seed}:{name}")
        n = max(1, round({**VOLUMES, **(volumes or {})}[name] * scale))
        for seq, at in enumerate(planner.moments(r, first, last, n, ramp)):
            plans.append(planner.plan(r, name, seq, at))
    _backlog(planner, [p for p in plans if p.stretch == "recent"], random.Random(f"{seed}:backlog"))

    with transaction.atomic():
        people = cast()
    runner = Runner(cal, people, _png())
    summary = CaseSummary()
    for i in range(0, len(plans), BATCH):
        with transaction.atomic():
            for p in plans[i : i + BATCH]:
                case = runner.run(p, now)
                summary.generated += 1
                summary.by_stretch[p.stretch] += 1
                summary.by_status[str(case.status)] += 1  # an enum member after report()
                summary.overdue += int(case.overdue_at(now))
    summary.seconds = time.monotonic() - started
    return summary


def _backlog(planner: Planner, recent: list[Plan], r: random.Random) -> None:
    """Leave the last weeks' work unfinished, as it is on any real morning: the newer a case,
    the likelier its next step is still to come. Then make sure every open state shows up."""
    now = planner.now
    weights = [
        ("reported", 1.0),
        ("filed", 1.0),
        ("dispatched", 1.5),
        ("handling", 3.0),
        ("overdue", 1.0),
        ("handled", 1.5),
        ("suspended", 0.4),
        ("closed", 0.8),  # verified, not evaluated yet
    ]
    for p in recent:
        age = (now - p.at).total_seconds() / 86400
        if age < 21 and r.random() < 0.9 * math.exp(-age / 8):
            planner.cut(p, _weighted(r, weights))
    ends = [p.end(now) for p in recent]
    present = {state for state, _ in ends} | {"overdue" for _, late in ends if late}
    for state, _ in weights:
        if state in present:
            continue
        # Newest first: the case that most plausibly still waits for that step.
        for p in sorted(recent, key=lambda p: p.at, reverse=True):
            if p.end(now)[0] in OPEN_STATES or p.end(now)[1]:
                continue  # already part of the backlog
            if planner.cut(p, state):
                break
