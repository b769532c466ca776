"""A hand-over moves everything open of a person who leaves to the named successor, in one step,
and logs every moved thing; nothing stays with the person who left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PersonFactory
from tests.field.handover.conftest import grid_team_case
from wangge.assets.models import Equipment, EquipmentAssignment
from wangge.cases.models import Case, CaseEvent
from wangge.core.errors import DomainError, Forbidden
from wangge.core.models import AuditEntry, Notification
from wangge.field.alerts.models import AlertRecipient
from wangge.field.duty.models import DutySession
from wangge.field.handover.models import Handover, HandoverItem
from wangge.field.handover.selectors import preview
from wangge.field.handover.services import hand_over
from wangge.field.linkage.models import LinkageCall
from wangge.people.models import GridRole
from wangge.people.selectors import staffing

pytestmark = pytest.mark.django_db


def do(ho, **kw):
    args = {
        "person": ho.leaver,
        "successor": ho.successor,
        "by_user": ho.operator.user,
        "reason": "辞职",
    }
    return hand_over(**(args | kw))


def test_after_a_hand_over_the_person_who_left_has_nothing_open(ho):
    second = grid_team_case(ho.cc, ho.leaver, "人行道乱堆放杂物")
    do(ho)
    assert not Case.objects.open().filter(handler=ho.leaver).exists()
    assert not LinkageCall.objects.filter(person=ho.leaver, status="called").exists()
    assert not AlertRecipient.objects.filter(person=ho.leaver).exists()
    assert not Equipment.objects.filter(person=ho.leaver).exists()
    assert preview(ho.leaver).total == 0
    for case in (ho.case, second):
        case.refresh_from_db()
        assert case.handler == ho.successor and case.status == "handling"


def test_every_moved_thing_is_in_the_log(ho):
    handover = do(ho)
    items = set(HandoverItem.objects.filter(handover=handover).values_list("kind", "object_id"))
    assert items == {
        ("case", ho.case.pk),
        ("linkage_call", ho.call.pk),
        ("alert", ho.delivery.pk),
        ("equipment", ho.handheld.pk),
        ("equipment", ho.motorcycle.pk),
        ("role", GridRole.objects.get(person=ho.leaver).pk),
    }
    assert (handover.cases, handover.linkage_calls, handover.alerts, handover.equipment) == (
        1,
        1,
        1,
        2,
    )
    event = CaseEvent.objects.get(case=ho.case, action="hand-over")
    assert (event.from_status, event.to_status) == ("handling", "handling")
    assert event.data["from"] == ho.leaver.pk and event.data["to"] == ho.successor.pk
    assert event.comment == "辞职"
    # Each item's history: the leaver's period closed, the successor's open.
    rows = list(
        EquipmentAssignment.objects.filter(equipment=ho.handheld).values_list(
            "person_id", "ended_at"
        )
    )
    assert [p for p, _ in rows] == [None, ho.leaver.pk, ho.successor.pk]
    assert rows[1][1] is not None and rows[2][1] is None
    audit = AuditEntry.objects.get(action="handover", object_id=str(handover.pk))
    assert audit.data["cases"] == 1 and audit.data["equipment"] == 2


def test_the_successor_is_told(ho):
    handover = do(ho)
    note = Notification.objects.filter(user=ho.successor.user, kind="handover").get()
    assert "环卫工甲" in note.text and note.url == f"/handovers/{handover.pk}/"


def test_leaving_ends_roles_employment_duty_and_login_and_the_roster_shows_the_gap(ho):
    today = timezone.localdate()
    before = {
        rs.role: rs.actual
        for rs in staffing(type(ho.east).objects.filter(pk=ho.east.pk))[ho.east.pk]
    }
    do(ho)
    ho.leaver.refresh_from_db()
    ho.leaver.user.refresh_from_db()
    assert ho.leaver.end_date == today - dt.timedelta(days=1)
    assert GridRole.objects.get(person=ho.leaver).end_date == today - dt.timedelta(days=1)
    assert ho.leaver.user.is_active is False
    assert DutySession.objects.get(person=ho.leaver).ended_at is not None
    after = {
        rs.role: rs.actual
        for rs in staffing(type(ho.east).objects.filter(pk=ho.east.pk))[ho.east.pk]
    }
    assert after["sanitation"] == before["sanitation"] - 1
    # The grid page shows the sanitation post one short.
    ho.cc.base  # noqa: B018


def test_a_move_ends_the_roles_only(ho):
    do(ho, kind="moves", reason="调往洛龙社区")
    ho.leaver.refresh_from_db()
    ho.leaver.user.refresh_from_db()
    assert ho.leaver.end_date is None and ho.leaver.user.is_active
    assert GridRole.objects.get(person=ho.leaver).end_date is not None
    assert not Case.objects.open().filter(handler=ho.leaver).exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"successor": "self"}, "successor", "themself"),
        ({"successor": "left"}, "successor", "left on"),
        ({"reason": "  "}, "reason", "say why"),
        ({"kind": "retires"}, "kind", "kind must be"),
        ({"person": "gone"}, "person", "already left"),
    ],
)
def test_a_refused_hand_over_writes_nothing(ho, change, field, words):
    kw = dict(change)
    if kw.get("successor") == "self":
        kw["successor"] = ho.leaver
    elif kw.get("successor") == "left":
        kw["successor"] = PersonFactory(name="早已离职者", end_date=dt.date(2019, 6, 30))
    if kw.get("person") == "gone":
        ho.leaver.end_date = dt.date(2019, 6, 30)
        ho.leaver.save()
        kw.pop("person")
    with pytest.raises(DomainError) as exc:
        do(ho, **kw)
    assert exc.value.field == field and words in exc.value.message
    assert not Handover.objects.exists()
    ho.case.refresh_from_db()
    assert ho.case.handler == ho.leaver
    assert Equipment.objects.filter(person=ho.leaver).count() == 2


def test_when_one_step_fails_everything_rolls_back(ho, monkeypatch):
    def broken(**kw):
        raise DomainError("equipment register is locked", field="equipment")

    monkeypatch.setattr("wangge.field.handover.services.transfer_all", broken)
    with pytest.raises(DomainError):
        do(ho)
    ho.case.refresh_from_db()
    ho.call.refresh_from_db()
    assert ho.case.handler == ho.leaver
    assert not CaseEvent.objects.filter(action="hand-over").exists()
    assert ho.call.person == ho.leaver
    assert AlertRecipient.objects.get(pk=ho.delivery.pk).person == ho.leaver
    assert not Handover.objects.exists() and not HandoverItem.objects.exists()
    assert GridRole.objects.get(person=ho.leaver).end_date is None


def test_only_admins_centre_operators_and_leaders_over_the_person_may(ho):
    with pytest.raises(Forbidden):
        do(ho, by_user=ho.supervisor.user)  # a colleague in the grid may not
    with pytest.raises(Forbidden):
        do(ho, by_user=ho.sanitation_other.user)
    assert not Handover.objects.exists()
    assert do(ho, by_user=ho.level3.person.user).successor == ho.successor


def test_an_admin_may_and_the_platform_itself_may(ho):
    assert do(ho, by_user=ho.admin_user).cases == 1


def test_a_successor_without_a_login_is_allowed_but_not_notified(ho):
    nobody = PersonFactory(name="无账号者")
    from wangge.people.services import role_assign

    role_assign(person=nobody, grid=ho.east, role="sanitation", start_date=dt.date(2019, 1, 1))
    handover = do(ho, successor=nobody)
    ho.case.refresh_from_db()
    assert ho.case.handler == nobody and handover.equipment == 2
    assert not Notification.objects.filter(kind="handover").exists()
