"""Commands and alerts: the centre sends to everyone on duty in chosen grids and roles; each
acknowledges; the silent are called again and their leader is told; the centre sees who."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.models import Notification
from wangge.field.alerts import selectors, services
from wangge.field.alerts.models import Alert, AlertRecipient, AlertRules


def send(cast, **kw):
    args = {
        "by_user": cast.operator.user,
        "kind": "emergency",
        "title": "暴雨预警",
        "text": "立即巡查低洼路段",
        "grids": [cast.east, cast.west],
    }
    args.update(kw)
    return services.send_alert(**args)


def names(qs) -> set[str]:
    return {r.person.name for r in qs}


def test_an_alert_reaches_everyone_on_duty_in_the_chosen_grids(cast, staff):
    alert = send(cast)

    assert names(alert.recipients.all()) == {"东民警", "东环卫", "西监督员", "西环卫"}
    assert alert.ack_minutes == 10  # the rules' default
    inbox = Notification.objects.filter(kind="alert")
    assert {n.user.person.name for n in inbox} == {"东民警", "东环卫", "西监督员", "西环卫"}
    assert all("暴雨预警" in n.text and n.url == f"/alerts/{alert.pk}/" for n in inbox)


def test_roles_narrow_the_recipients(cast, staff):
    alert = send(cast, roles=["sanitation"])

    assert names(alert.recipients.all()) == {"东环卫", "西环卫"}
    assert alert.roles == ["sanitation"]


def test_nobody_on_duty_is_an_error_and_nothing_is_written(cast, staff):
    with pytest.raises(DomainError) as e:
        send(cast, grids=[cast.east], roles=["enforcer"])

    assert e.value.code == "nobody_on_duty"
    assert "nobody is on duty" in e.value.message
    assert not Alert.objects.exists()
    assert not Notification.objects.filter(kind="alert").exists()


def test_a_user_outside_the_territory_is_refused(cast, staff):
    with pytest.raises(Forbidden) as e:
        send(cast, by_user=staff.leader4_other.user)
    assert "outside your territory" in e.value.message
    assert not Alert.objects.exists()


def test_a_five_role_member_may_not_send(cast, staff):
    with pytest.raises(Forbidden):
        send(cast, by_user=staff.east_police.user, grids=[cast.east])


def test_leaders_and_the_district_leader_may_send_within_their_territory(cast, staff):
    assert send(cast, by_user=staff.leader4.user).recipients.count() == 4
    assert send(cast, by_user=cast.district_leader.user).recipients.count() == 4


def test_acknowledge_is_idempotent_and_only_the_recipients(cast, staff):
    alert = send(cast)
    mine = alert.recipients.get(person=staff.east_police)

    first = services.acknowledge(alert, staff.east_police.user)
    again = services.acknowledge(mine, staff.east_police.user)

    assert first.pk == mine.pk and again.acknowledged_at == first.acknowledged_at
    with pytest.raises(Forbidden):
        services.acknowledge(
            alert.recipients.get(person=staff.west_sanitation), staff.east_police.user
        )
    with pytest.raises(NotFound):
        services.acknowledge(alert, cast.operator.user)
    assert [r.person for r in selectors.open_for(staff.east_police)] == []
    assert [r.alert for r in selectors.open_for(staff.west_sanitation)] == [alert]


def test_the_silent_are_called_again_and_their_leader_is_told_once(cast, staff):
    t0 = timezone.now()
    alert = send(cast, now=t0)
    services.acknowledge(alert, staff.east_police.user, at=t0 + dt.timedelta(minutes=3))
    services.acknowledge(alert, staff.west_supervisor.user, at=t0 + dt.timedelta(minutes=4))

    assert services.chase_alerts(now=t0 + dt.timedelta(minutes=9)) == 0  # before the deadline

    deadline = t0 + dt.timedelta(minutes=10)
    sent = services.chase_alerts(now=deadline)

    silent = AlertRecipient.objects.filter(acknowledged_at__isnull=True)
    assert names(silent) == {"东环卫", "西环卫"}
    assert all(r.recalls == 1 and r.leader_told_at == deadline for r in silent)
    assert all(
        r.recalls == 0 and r.leader_told_at is None
        for r in AlertRecipient.objects.filter(acknowledged_at__isnull=False)
    )
    recalls = Notification.objects.filter(kind="alert", text__startswith="Called again")
    assert {n.user.person.name for n in recalls} == {"东环卫", "西环卫"}
    told = Notification.objects.filter(user=staff.leader4.user)
    assert sorted(n.text.split(" (")[0] for n in told) == ["东环卫", "西环卫"]
    assert not Notification.objects.filter(user=staff.leader4_other.user).exists()
    assert sent == 4

    # running it twice changes nothing more
    assert services.chase_alerts(now=deadline) == 0
    assert services.chase_alerts(now=deadline + dt.timedelta(minutes=5)) == 0
    assert Notification.objects.filter(user=staff.leader4.user).count() == 2

    # one recall per interval, up to the limit, the leader told only once
    for k in range(1, 6):
        services.chase_alerts(now=deadline + dt.timedelta(minutes=10 * k))
    assert {r.recalls for r in AlertRecipient.objects.filter(acknowledged_at__isnull=True)} == {
        AlertRules.load().max_recalls
    }
    assert Notification.objects.filter(user=staff.leader4.user).count() == 2


def test_without_a_level4_leader_the_level3_leader_is_told(cast, staff):
    from .conftest import leader

    staff.leader4.leader_posts.all().delete()
    leader3 = leader("三级网格长", "level3", subdistrict=cast.subdistrict)
    t0 = timezone.now()
    send(cast, grids=[cast.east], roles=["police"], now=t0)

    services.chase_alerts(now=t0 + dt.timedelta(minutes=10))

    assert Notification.objects.filter(user=leader3.user).count() == 1


def test_bad_input_is_refused(cast, staff):
    for kw, field in (
        ({"kind": "party"}, "kind"),
        ({"title": " "}, "title"),
        ({"text": ""}, "text"),
        ({"roles": ["mayor"]}, "roles"),
        ({"grids": []}, "grids"),
        ({"ack_minutes": 0}, "ack_minutes"),
    ):
        with pytest.raises(DomainError) as e:
            send(cast, **kw)
        assert e.value.field == field
    assert not Alert.objects.exists()


def test_reassign_moves_only_unacknowledged_deliveries(cast, staff):
    acked = send(cast, title="一")
    services.acknowledge(acked, staff.east_sanitation.user)
    open_one = send(cast, title="二")
    successor = staff.east_enforcer_off

    moved = services.reassign_alerts(
        person=staff.east_sanitation,
        successor=successor,
        by_user=cast.admin_user,
        at=timezone.now(),
    )

    assert len(moved) == 1 and "二" in moved[0][1]
    assert not selectors.open_for(staff.east_sanitation).exists()
    (delivery,) = selectors.open_for(successor)
    assert delivery.alert == open_one and delivery.reassigned_from == staff.east_sanitation
    assert acked.recipients.get(acknowledged_at__isnull=False, person=staff.east_sanitation)
    assert Notification.objects.filter(user=successor.user, kind="alert").count() == 1


def test_the_periodic_task_chases_every_minute(cast, staff):
    from wangge.field.alerts.tasks import chase_alerts_task

    t0 = timezone.now() - dt.timedelta(minutes=11)
    AlertRecipient.objects.all().delete()
    alert = send(cast, grids=[cast.east], roles=["police"])
    alert.recipients.update(delivered_at=t0)

    assert chase_alerts_task.call_local() == 2  # the officer called again, the leader told
    assert chase_alerts_task.call_local() == 0
