"""The eight-step closed loop, as the transition table allows it and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import TZ, png
from wangge.cases.actors import Actor
from wangge.cases.models import Case, CaseEvent, CaseStatus
from wangge.cases.services import act, report, report_self_handled
from wangge.cases.workflow import TRANSITIONS, allowed_actions
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.org.locate import OutsideJurisdiction

pytestmark = pytest.mark.django_db
EAST = (102.847, 24.875)  # in 吴家营社区东网格


def new_case(cc, source="supervisor", **kw):
    return report(
        actor_user=cc.supervisor.user,
        source=source,
        description="路边暴露垃圾一堆",
        lon=EAST[0],
        lat=EAST[1],
        category=cc.category,
        **kw,
    )


def step(case, action, who, now, **data):
    photos = data.pop("photos", None)
    return act(case, action, actor_user=who.user, data=data, photos=photos, now=now)


def test_a_case_goes_round_the_whole_loop_with_one_rework(cc, monday_morning):
    t = monday_morning
    h = dt.timedelta(hours=1)
    case = new_case(cc, reported_at=t)
    assert case.status == "reported" and case.grid == cc.east
    assert case.number.startswith("2019530114005")
    case = step(case, "file", cc.operator, t + 0.5 * h, category=cc.category)
    assert (case.status, case.tier) == ("filed", 2)
    assert case.leader_post == cc.level3  # tier 2: the level-3 leader of 吴家营社区
    case = step(case, "dispatch", cc.dispatcher, t + h)
    assert case.dispatch_target == "workstation"
    # Dispatched 10:00 + 4 working hours: 2 h before lunch, 2 h from 13:30.
    assert case.handling_due_at == dt.datetime(2019, 5, 20, 15, 30, tzinfo=TZ)
    case = step(case, "accept", cc.station_worker, t + 1.5 * h)
    assert case.handler == cc.station_worker
    case = step(case, "feedback", cc.station_worker, t + 2 * h, result="已清理", photos=[png()])
    case = step(case, "verify", cc.supervisor, t + 2.5 * h, passed=False, reason="还有残留")
    assert (case.status, case.rework_count) == ("handling", 1)
    case = step(
        case, "feedback", cc.station_worker, t + 3 * h, result="已彻底清理", photos=[png("blue")]
    )
    case = step(case, "verify", cc.supervisor, t + 3.5 * h, passed=True)
    assert (case.status, case.on_time) == ("closed", True)
    case = step(case, "evaluate", cc.operator, t + 4 * h)
    case = step(case, "assess", cc.operator, t + 5 * h)
    assert (case.status, case.assessed_period) == ("assessed", "2019-05")
    trail = list(case.events.values_list("action", "from_status", "to_status"))
    assert trail == [
        ("report", "", "reported"),
        ("file", "reported", "filed"),
        ("dispatch", "filed", "dispatched"),
        ("accept", "dispatched", "handling"),
        ("feedback", "handling", "handled"),
        ("verify", "handled", "handling"),
        ("feedback", "handling", "handled"),
        ("verify", "handled", "closed"),
        ("evaluate", "closed", "evaluated"),
        ("assess", "evaluated", "assessed"),
    ]
    evaluation = case.events.get(action="evaluate").data
    assert evaluation["reworks"] == 1 and evaluation["on_time"] is True
    assert evaluation["hours"]["handling"] == 2.0  # dispatched 10:00, handled 12:00 = 2 working h
    assert case.photos.filter(kind="after").count() == 2


def test_a_public_report_is_verified_on_site_before_it_is_filed(cc, monday_morning):
    case = new_case(cc, source="hotline_12345")
    with pytest.raises(DomainError, match="verified on site"):
        step(case, "file", cc.operator, monday_morning, category=cc.category)
    case = step(case, "verify-report", cc.supervisor, monday_morning, confirmed=True)
    case = step(case, "file", cc.operator, monday_morning, category=cc.category)
    assert case.status == "filed"


def test_a_report_not_found_on_site_is_rejected(cc, monday_morning):
    case = new_case(cc, source="public")
    case = step(
        case, "verify-report", cc.supervisor, monday_morning, confirmed=False, reason="现场无此问题"
    )
    assert case.status == "rejected"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("dispatch", {}),
        ("accept", {}),
        ("feedback", {"result": "x"}),
        ("verify", {"passed": True}),
        ("evaluate", {}),
        ("resume", {}),
    ],
)
def test_an_action_from_the_wrong_state_is_refused_naming_state_and_action(cc, action, data):
    case = new_case(cc)
    with pytest.raises(DomainError) as exc:
        act(case, action, actor_user=cc.admin_user, data=data)
    assert exc.value.code == "invalid_state"
    assert "reported" in exc.value.message and action in exc.value.message
    assert Case.objects.get(pk=case.pk).status == "reported"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_an_unknown_action_is_refused(cc):
    with pytest.raises(DomainError, match="unknown action 'close-now'"):
        act(new_case(cc), "close-now", actor_user=cc.admin_user)


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("supervisor", "file", {"category": None}),
        ("sanitation_other", "file", {}),
        ("station_worker", "reject", {"reason_kind": "not_a_case", "reason": "x"}),
        ("dispatcher", "verify-report", {"confirmed": True}),
    ],
)
def test_only_the_right_people_may_act_on_a_reported_case(cc, who, action, data):
    case = new_case(cc, source="public")
    data = {**data, "category": cc.category} if action == "file" else data
    with pytest.raises(Forbidden) as exc:
        act(case, action, actor_user=getattr(cc, who).user, data=data)
    assert exc.value.status == 403
    assert Case.objects.get(pk=case.pk).status == "reported"


def test_a_supervisor_of_another_grid_may_not_verify(cc, monday_morning):
    from wangge.people.services import role_assign

    role_assign(
        person=cc.sanitation_other, grid=cc.south, role="supervisor", start_date=dt.date(2019, 1, 1)
    )
    case = new_case(cc)
    for action, who, data in [
        ("file", cc.operator, {"category": cc.category}),
        ("dispatch", cc.dispatcher, {}),
        ("accept", cc.station_worker, {}),
        ("feedback", cc.station_worker, {"result": "ok", "photos": [png()]}),
    ]:
        case = step(case, action, who, monday_morning, **data)
    with pytest.raises(Forbidden):
        step(case, "verify", cc.sanitation_other, monday_morning, passed=True)


def test_only_the_side_it_was_dispatched_to_may_accept(cc, monday_morning):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    case = step(case, "dispatch", cc.dispatcher, monday_morning, target="unit", unit=cc.unit)
    with pytest.raises(Forbidden):
        step(case, "accept", cc.station_worker, monday_morning)
    case = step(case, "accept", cc.unit_officer, monday_morning)
    assert case.status == "handling"


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("reject", {"reason_kind": "not_a_case"}, "reason"),
        ("reject", {"reason_kind": "other", "reason": "x"}, "reason_kind"),
        ("reject", {"reason_kind": "duplicate", "reason": "重复"}, "duplicate_of"),
    ],
)
def test_a_rejection_needs_a_reason(cc, action, data, field):
    with pytest.raises(DomainError) as exc:
        act(new_case(cc), action, actor_user=cc.operator.user, data=data)
    assert exc.value.field == field


def handling_case(cc, now):
    case = step(new_case(cc), "file", cc.operator, now, category=cc.category)
    case = step(case, "dispatch", cc.dispatcher, now)
    return step(case, "accept", cc.station_worker, now)


def test_a_rework_needs_a_reason(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    case = step(case, "feedback", cc.station_worker, monday_morning, result="ok", photos=[png()])
    with pytest.raises(DomainError) as exc:
        step(case, "verify", cc.supervisor, monday_morning, passed=False)
    assert exc.value.field == "reason"


def test_feedback_needs_a_photo_and_it_must_be_an_image(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    with pytest.raises(DomainError, match="at least one photo"):
        step(case, "feedback", cc.station_worker, monday_morning, result="ok")
    with pytest.raises(DomainError, match="not an image"):
        step(
            case,
            "feedback",
            cc.station_worker,
            monday_morning,
            result="ok",
            photos=[b"%PDF-1.4 not a photo"],
        )
    assert Case.objects.get(pk=case.pk).status == "handling"


def test_of_two_racing_actions_exactly_one_wins(cc, monday_morning):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    step(first, "dispatch", cc.dispatcher, monday_morning)
    with pytest.raises(Conflict) as exc:
        step(second, "dispatch", cc.dispatcher, monday_morning, target="grid_team")
    assert exc.value.status == 409
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.dispatch_target, stored.version) == (
        "dispatched",
        "workstation",
        2,
    )
    assert stored.events.filter(action="dispatch").count() == 1


def test_an_extension_moves_the_due_time_in_working_hours(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    assert case.handling_due_at == dt.datetime(2019, 5, 20, 14, 30, tzinfo=TZ)
    case = step(
        case, "request-extension", cc.station_worker, monday_morning, hours=8, reason="需调机械"
    )
    with pytest.raises(DomainError, match="already waiting"):
        step(case, "request-extension", cc.station_worker, monday_morning, hours=2, reason="x")
    case = step(case, "approve-extension", cc.dispatcher, monday_morning)
    # 14:30 Monday + 8 working hours: 3 h Monday, 5 h Tuesday (3 before lunch, 2 after).
    assert case.handling_due_at == dt.datetime(2019, 5, 21, 15, 30, tzinfo=TZ)
    assert (case.extension_count, case.status) == (1, "handling")


def test_refusing_an_extension_needs_a_reason(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    case = step(case, "request-extension", cc.station_worker, monday_morning, hours=8, reason="x")
    with pytest.raises(DomainError):
        step(case, "refuse-extension", cc.dispatcher, monday_morning)
    case = step(case, "refuse-extension", cc.dispatcher, monday_morning, reason="时限够用")
    assert case.pending_extension_hours is None and case.extension_count == 0


def test_the_clock_stops_while_a_case_is_suspended(cc, monday_morning):
    case = handling_case(cc, monday_morning)  # due Mon 14:30, 4 working hours away
    case = step(
        case, "suspend", cc.dispatcher, monday_morning + dt.timedelta(hours=1), reason="待规划审批"
    )
    assert case.status == "suspended"
    resumed_at = dt.datetime(2019, 5, 27, 9, 0, tzinfo=TZ)  # a week later
    case = step(case, "resume", cc.level3.person, resumed_at)
    assert case.status == "handling"
    # 3 working hours were left at suspension: Mon 27th 09:00 + 3 h = 12:00.
    assert case.handling_due_at == dt.datetime(2019, 5, 27, 12, 0, tzinfo=TZ)
    assert case.suspended_seconds == 7 * 24 * 3600 - 3600


def test_returning_a_case_sends_it_back_to_dispatch(cc, monday_morning):
    case = handling_case(cc, monday_morning)
    with pytest.raises(DomainError):
        step(case, "return", cc.station_worker, monday_morning)
    case = step(case, "return", cc.station_worker, monday_morning, reason="属公安职责")
    assert (case.status, case.return_count, case.handler) == ("filed", 1, None)
    case = step(case, "dispatch", cc.dispatcher, monday_morning, target="unit", unit=cc.unit)
    assert case.status == "dispatched"


def test_the_rules_propose_the_tier_and_a_different_one_needs_a_reason(cc, monday_morning):
    case = new_case(cc)
    facts = {"offices": 3}
    with pytest.raises(DomainError, match="propose tier 3") as exc:
        step(case, "file", cc.operator, monday_morning, category=cc.category, facts=facts, tier=4)
    assert exc.value.field == "tier_reason"
    case = step(case, "file", cc.operator, monday_morning, category=cc.category, facts=facts)
    assert case.tier == 3 and "3 subdistrict offices" in case.tier_reason  # tests run in English
    case = step(
        case, "set-tier", cc.level3.person, monday_morning, tier=4, reason="涉及区城管局、住建局"
    )
    assert case.tier == 4
    assert case.events.get(action="set-tier").data["from_tier"] == 3


def test_unknown_facts_are_refused(cc, monday_morning):
    with pytest.raises(DomainError) as exc:
        step(
            new_case(cc),
            "file",
            cc.operator,
            monday_morning,
            category=cc.category,
            facts={"budget": 5},
        )
    assert exc.value.field == "facts.budget"


def test_a_minor_problem_fixed_on_the_spot_skips_the_loop(cc):
    case = report_self_handled(
        actor_user=cc.supervisor.user,
        category=cc.category,
        description="捡拾垃圾",
        lon=EAST[0],
        lat=EAST[1],
        before=[png()],
        after=[png("green")],
    )
    assert (case.status, case.tier, case.filed_at, case.dispatched_at) == (
        "self_handled",
        1,
        None,
        None,
    )
    assert case.photos.filter(kind="before").count() == 1
    assert case.photos.filter(kind="after").count() == 1


def test_only_the_grids_own_staff_record_a_fix_there(cc):
    with pytest.raises(Forbidden):
        report_self_handled(
            actor_user=cc.sanitation_other.user,
            category=cc.category,
            description="x",
            lon=EAST[0],
            lat=EAST[1],
            before=[png()],
            after=[png()],
        )
    with pytest.raises(DomainError, match="before and after"):
        report_self_handled(
            actor_user=cc.supervisor.user,
            category=cc.category,
            description="x",
            lon=EAST[0],
            lat=EAST[1],
            before=[png()],
            after=[],
        )
    assert not Case.objects.exists()


def test_a_retried_report_with_the_same_key_makes_one_case(cc):
    a = new_case(cc, idempotency_key="phone-1-0001")
    b = new_case(cc, idempotency_key="phone-1-0001")
    assert a.pk == b.pk and Case.objects.count() == 1


def test_a_report_outside_the_jurisdiction_is_refused(cc):
    with pytest.raises(OutsideJurisdiction):
        report(
            actor_user=cc.supervisor.user, source="supervisor", description="x", lon=103.5, lat=25.5
        )
    assert not Case.objects.exists()


def test_the_actions_shown_are_the_ones_the_actor_may_take(cc):
    case = new_case(cc)
    assert [t.action for t in allowed_actions(case, Actor.of(cc.operator.user))] == [
        "file",
        "reject",
    ]
    assert allowed_actions(case, Actor.of(cc.station_worker.user)) == []


def test_every_action_in_the_table_names_who_and_from_where():
    for t in TRANSITIONS.values():
        assert t.sources and t.who, t.action
        assert all(isinstance(s, CaseStatus) for s in t.sources)
