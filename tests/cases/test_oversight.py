"""Key cases and oversight (重点案件督办), leaders' instructions, joint meetings, duplicates,
and the step clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext

from tests.cases.conftest import TZ, png
from tests.cases.test_workflow import EAST, handling_case, new_case, step
from wangge.cases.models import Case, Instruction, JointMeeting, Oversight
from wangge.cases.selectors import likely_duplicates, queues
from wangge.cases.services import flag_overdue, report
from wangge.core.errors import DomainError, Forbidden
from wangge.org.territory import Territory

pytestmark = pytest.mark.django_db


def test_each_step_has_its_own_clock_in_working_time(cc, monday_morning):
    t = monday_morning
    case = new_case(cc, reported_at=t)  # a supervisor's report: filing due in 1 working hour
    assert case.step_due_at == dt.datetime(2019, 5, 20, 10, 0, tzinfo=TZ)
    public = new_case(cc, source="public", reported_at=t)  # on-site check due in 2 hours
    assert public.step_due_at == dt.datetime(2019, 5, 20, 11, 0, tzinfo=TZ)
    case = step(case, "file", cc.operator, t, category=cc.category)
    assert case.step_due_at == dt.datetime(2019, 5, 20, 10, 0, tzinfo=TZ)  # dispatch: 1 h
    case = step(case, "dispatch", cc.dispatcher, t)
    assert case.step_due_at == case.handling_due_at
    case = step(case, "accept", cc.station_worker, t)
    # Fed back at 16:30: verification is due 4 working hours later: 1 h on Monday, then
    # Tuesday 09:00 + 3 h.
    late = dt.datetime(2019, 5, 20, 16, 30, tzinfo=TZ)
    case = step(case, "feedback", cc.station_worker, late, result="ok", photos=[png()])
    assert case.step_due_at == dt.datetime(2019, 5, 21, 12, 0, tzinfo=TZ)


def test_a_case_past_its_step_due_time_is_in_the_overdue_queue(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    everything = Territory.all()
    assert case not in queues(everything, now=monday_morning)["overdue"]
    assert case in queues(everything, now=monday_morning + dt.timedelta(days=1))["overdue"]


def test_a_case_reworked_twice_becomes_a_key_case(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    for n in (1, 2):
        case = step(
            case, "feedback", cc.station_worker, monday_morning, result="ok", photos=[png()]
        )
        case = step(
            case, "verify", cc.supervisor, monday_morning, passed=False, reason=f"第{n}次未通过"
        )
    assert (case.rework_count, case.is_key) == (2, True)
    assert case.key_reason == gettext("reworked %(n)s times") % {"n": 2}


def test_a_tier_4_case_is_a_key_case(cc, monday_morning):
    case = step(
        new_case(cc),
        "file",
        cc.operator,
        monday_morning,
        category=cc.category,
        facts={"departments": 2},
    )
    assert (case.tier, case.is_key) == (4, True)
    assert case.key_reason == gettext("tier %(tier)s") % {"tier": 4}


def test_a_problem_reported_again_where_it_was_closed_is_a_key_case(cc, monday_morning):
    first = new_case(cc)
    Case.objects.filter(pk=first.pk).update(status="closed", closed_at=first.reported_at)
    again = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    assert again.is_key and again.key_reason == gettext("reported again at the same place")


def test_the_overdue_sweep_marks_overdue_cases_as_key_through_the_workflow(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    assert flag_overdue(monday_morning) == 0
    assert flag_overdue(monday_morning + dt.timedelta(days=2)) == 1
    assert flag_overdue(monday_morning + dt.timedelta(days=2)) == 0  # safe to run twice
    case.refresh_from_db()
    assert case.is_key and case.key_reason == gettext("overdue")
    event = case.events.get(action="mark-key")
    assert event.actor is None and event.from_status == event.to_status == "handling"


def test_an_oversight_order_is_tracked_to_its_outcome(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    deadline = (monday_morning + dt.timedelta(days=3)).isoformat()
    with pytest.raises(DomainError) as exc:
        step(
            case,
            "order-oversight",
            cc.operator,
            monday_morning,
            deadline="2019-05-01T09:00",
            demand="x",
        )
    assert exc.value.field == "deadline" and "past" in exc.value.message
    case = step(
        case,
        "order-oversight",
        cc.operator,
        monday_morning,
        deadline=deadline,
        demand="三日内清运完毕",
    )
    order = Oversight.objects.get(case=case)
    assert case.is_key and order.closed_at is None
    case = step(
        case,
        "reply-oversight",
        cc.station_worker,
        monday_morning,
        oversight=order.pk,
        text="已调派车辆",
    )
    case = step(
        case, "close-oversight", cc.operator, monday_morning, oversight=order.pk, outcome="按期完成"
    )
    order.refresh_from_db()
    assert [r.text for r in order.replies.all()] == ["已调派车辆"]
    assert order.outcome == "按期完成" and order.closed_at is not None
    with pytest.raises(DomainError, match="is for a case with an open oversight order"):
        step(
            case, "reply-oversight", cc.station_worker, monday_morning, oversight=order.pk, text="x"
        )


def test_a_leader_records_an_instruction(cc, monday_morning):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    case = step(case, "instruct", cc.level3.person, monday_morning, text="今日内清理完毕")
    instruction = Instruction.objects.get(case=case)
    assert (instruction.text, instruction.leader_post) == ("今日内清理完毕", cc.level3)
    with pytest.raises(Forbidden):
        step(case, "instruct", cc.station_worker, monday_morning, text="x")


def test_only_a_level1_leader_records_the_joint_meeting_of_a_tier5_case(cc, monday_morning):
    leader = cc.district_leader  # level-1 post over the district
    facts = {"departments": 3, "crosses_subdistricts": True}
    case = step(
        new_case(cc), "file", cc.operator, monday_morning, category=cc.category, facts=facts
    )
    assert case.tier == 5
    with pytest.raises(Forbidden):
        step(
            case,
            "record-meeting",
            cc.level3.person,
            monday_morning,
            date="2019-05-21",
            attendees="a",
            decisions="b",
        )
    step(
        case,
        "record-meeting",
        leader,
        monday_morning,
        date="2019-05-21",
        attendees="区城管局、住建局",
        decisions="联合整治",
    )
    assert JointMeeting.objects.get(case=case).decisions == "联合整治"


def test_a_joint_meeting_needs_a_tier5_case(cc, monday_morning):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    with pytest.raises(DomainError, match="tier-5"):
        step(
            case,
            "record-meeting",
            cc.district_leader,
            monday_morning,
            date="2019-05-21",
            attendees="a",
            decisions="b",
        )


def test_a_report_near_an_open_case_of_the_same_category_is_a_likely_duplicate(cc):
    first = new_case(cc)
    near = new_case(cc)  # the same point
    assert likely_duplicates(near) == [first]
    elsewhere = report(
        actor_user=cc.supervisor.user,
        source="supervisor",
        description="x",
        lon=EAST[0] + 0.002,
        lat=EAST[1],
        category=cc.category,
    )
    assert likely_duplicates(elsewhere) == []  # about 200 m away


def test_actions_that_need_something_waiting_are_not_offered_without_it(cc, monday_morning):
    from wangge.cases.actors import Actor
    from wangge.cases.workflow import allowed_actions

    case = handling_case(cc, monday_morning)
    offered = {t.action for t in allowed_actions(case, Actor.of(cc.dispatcher.user))}
    assert "approve-extension" not in offered and "close-oversight" not in offered
    with pytest.raises(DomainError, match="extension request waiting") as exc:
        step(case, "approve-extension", cc.dispatcher, monday_morning)
    assert exc.value.code == "invalid_state"
    case = step(case, "request-extension", cc.station_worker, monday_morning, hours=4, reason="x")
    offered = {t.action for t in allowed_actions(case, Actor.of(cc.dispatcher.user))}
    assert {"approve-extension", "refuse-extension"} <= offered


def test_only_a_public_report_is_verified_before_filing(cc, monday_morning):
    with pytest.raises(DomainError, match="public or hotline report"):
        step(new_case(cc), "verify-report", cc.supervisor, monday_morning, confirmed=True)
