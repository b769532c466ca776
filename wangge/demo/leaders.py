"""Demo leaders' work, made through the leaders services: coordination meetings with decisions
and follow-ups (most done, some open, one overdue) and spot inspections of the grid staff
(most fine, a couple finding someone absent or not doing the job), over the last two months.

Run after the people (and cases) demo. Safe to run twice: when any meeting or inspection
exists, nothing is made.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from wangge.leaders.models import CoordinationMeeting, Finding, Inspection
from wangge.leaders.services import (
    FollowUpInput,
    follow_up_done,
    inspection_record,
    meeting_record,
)
from wangge.people.models import GridRole, LeaderLevel, LeaderPost, RoleKind

SEED = 20260505

# (topic, decisions, [(action, role of the owner, days from the meeting to the due date)])
MEETINGS: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "网格工作协调会：背街小巷占道经营整治",
        "一、对背街小巷占道经营开展为期两周的集中整治；二、城管执法队员每日巡查两次，"
        "社区工作人员上门告知商户；三、整治情况在下次协调会通报。",
        [
            ("清理背街小巷占道摊点并登记商户", RoleKind.ENFORCER, 7),
            ("逐户告知沿街商户门前三包责任", RoleKind.COMMUNITY_WORKER, 5),
            ("清运整治后遗留垃圾", RoleKind.SANITATION, 3),
        ],
    ),
    (
        "网格工作协调会：雨季积水点和井盖隐患排查",
        "一、排查辖区低洼积水点和缺损井盖，建立台账；二、发现隐患立即上报并设置警示；"
        "三、社区民警配合做好夜间巡逻。",
        [
            ("排查低洼积水点并建立台账", RoleKind.COMMUNITY_WORKER, 10),
            ("夜间巡逻时检查井盖和警示标志", RoleKind.POLICE, 14),
            ("疏通辖区雨水篦子", RoleKind.SANITATION, 7),
        ],
    ),
    (
        "网格工作协调会：上月案件处置情况和超期案件督办",
        "一、通报上月案件处置和按期结案情况；二、对超期案件逐件明确责任人和完成时限；"
        "三、五员联动案件响应情况纳入月度考核。",
        [
            ("督促超期案件处置并反馈结果", RoleKind.ENFORCER, 5),
            ("回访上月投诉的居民", RoleKind.COMMUNITY_WORKER, 10),
        ],
    ),
]

DONE_NOTES = ["已按要求完成", "已完成并拍照留档", "已处理完毕，居民无异议", "已完成，台账已报社区"]

INSPECTION_NOTES = {
    Finding.OK: ["在岗巡查，着装规范", "正在处置案件", "在岗，终端在线", ""],
    Finding.ABSENT: ["抽查时不在责任网格，电话联系后半小时方到岗", "上班时间离开网格办私事"],
    Finding.NEGLECT: ["在岗玩手机，责任区域暴露垃圾未清理"],
    Finding.OTHER: ["未按规定着装"],
}

PLACES = ["社区会议室", "网格工作站", "社区党群服务中心二楼会议室"]


def _staff(community_id: int, day: dt.date) -> dict[str, list[GridRole]]:
    """The community's five-role staff on a day, by role (still working today)."""
    out: dict[str, list[GridRole]] = {}
    roles = (
        GridRole.objects.active_on(day)
        .filter(grid__community_id=community_id, person__end_date__isnull=True)
        .select_related("person__user", "grid")
        .order_by("grid__code", "role", "pk")
    )
    for role in roles:
        out.setdefault(role.role, []).append(role)
    return out


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _meetings(posts: list[LeaderPost], now: dt.datetime, r: random.Random) -> dict[str, int]:
    counts = {"meetings": 0, "follow_ups": 0, "done": 0, "open": 0, "overdue": 0}
    today = timezone.localdate(now)
    overdue_left = 1
    for post in posts:
        assert post.person is not None and post.person.user is not None
        # One meeting about 50 days ago, one about 25 days ago, one a few days ago.
        for index, days_ago in enumerate((50, 25, 4)):
            topic, decisions, actions = MEETINGS[(index + post.pk) % len(MEETINGS)]
            day = _workday(today - dt.timedelta(days=days_ago + r.randint(0, 3)))
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, r.choice((0, 30)))))
            staff = _staff(post.community_id or 0, day)
            attendees = [g.person for roles in staff.values() for g in roles[:2]]
            follow_ups = []
            for action, role, due_in in actions:
                holders = staff.get(role) or []
                if not holders:
                    continue
                owner = r.choice(holders).person
                follow_ups.append(FollowUpInput(action, owner, day + dt.timedelta(days=due_in)))
            meeting = meeting_record(
                by_user=post.person.user,
                leader=post,
                at=at,
                topic=topic,
                place=r.choice(PLACES),
                attendees=attendees,
                other_attendees="居民代表2人、物业公司负责人1人",
                decisions=decisions,
                minutes=f"会议由{post.person.name}主持，网格五员参加。{decisions}",
                follow_ups=follow_ups,
                now=now,
            )
            counts["meetings"] += 1
            for fu in meeting.follow_ups.select_related("owner__user").order_by("due_date"):
                counts["follow_ups"] += 1
                if fu.due_date >= today:
                    counts["open"] += 1
                    continue
                if overdue_left and days_ago == 25:
                    overdue_left -= 1
                    counts["overdue"] += 1
                    continue
                done_day = min(fu.due_date - dt.timedelta(days=r.randint(0, 2)), today)
                done_day = max(done_day, day)
                done_at = timezone.make_aware(
                    dt.datetime.combine(done_day, dt.time(r.randint(9, 17), r.randint(0, 59)))
                )
                done_at = min(done_at, now - dt.timedelta(minutes=1))
                by = fu.owner.user or post.person.user
                follow_up_done(fu, by, r.choice(DONE_NOTES), now=done_at)
                counts["done"] += 1
    return counts


def _inspections(posts: list[LeaderPost], now: dt.datetime, r: random.Random) -> dict[str, int]:
    counts = {"inspections": 0, "absent": 0, "neglect": 0}
    today = timezone.localdate(now)
    # A couple of findings against someone, the rest fine.
    bad = [Finding.ABSENT, Finding.ABSENT, Finding.NEGLECT, Finding.OTHER]
    planned = 24
    bad_at = set(r.sample(range(planned), len(bad)))
    for n in range(planned):
        post = posts[n % len(posts)]
        assert post.person is not None and post.person.user is not None
        day = _workday(today - dt.timedelta(days=r.randint(1, 58)))
        staff = _staff(post.community_id or 0, day)
        candidates = [g for role, gs in staff.items() if role != RoleKind.SUPERVISOR for g in gs]
        if not candidates:
            continue
        role = r.choice(candidates)
        finding = bad.pop() if n in bad_at and bad else Finding.OK
        at = timezone.make_aware(
            dt.datetime.combine(day, dt.time(r.choice((9, 10, 14, 15, 16)), r.randint(0, 59)))
        )
        grid = role.grid
        inspection_record(
            by_user=post.person.user,
            person=role.person,
            at=at,
            finding=finding,
            post=post,
            grid=grid,
            note=r.choice(INSPECTION_NOTES[Finding(finding)]),
            place=f"{grid.name}责任区",
            now=now,
        )
        counts["inspections"] += 1
        if finding in counts:
            counts[finding] += 1
    return counts


def build_leaders(now: dt.datetime) -> str:
    """Coordination meetings and inspections of the last two months; a one-line summary."""
    if CoordinationMeeting.objects.exists() or Inspection.objects.exists():
        return "Leaders' work: already there, nothing made."
    posts = list(
        LeaderPost.objects.filter(
            level=LeaderLevel.LEVEL3,
            community__isnull=False,
            person__isnull=False,
            person__user__isnull=False,
        )
        .select_related("person__user", "community")
        .order_by("community__code", "pk")[:3]
    )
    if not posts:
        return "Leaders' work: no level-3 leader posts with a login, nothing made."
    inspectors = list(
        LeaderPost.objects.filter(
            level__in=[LeaderLevel.LEVEL3, LeaderLevel.LEVEL4],
            community__isnull=False,
            person__isnull=False,
            person__user__isnull=False,
        )
        .select_related("person__user", "community")
        .order_by("community__code", "level", "pk")
    )
    r = random.Random(SEED)
    with transaction.atomic():
        m = _meetings(posts, now, r)
        i = _inspections(inspectors, now, r)
    return (
        f"Leaders' work: {m['meetings']} coordination meetings with {m['follow_ups']} follow-ups"
        f" ({m['done']} done, {m['open']} open, {m['overdue']} overdue);"
        f" {i['inspections']} inspections ({i['absent']} absent, {i['neglect']} neglect)."
    )
