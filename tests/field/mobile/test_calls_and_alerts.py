"""Linkage calls and alerts on the phone: they count in my tasks and open on their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.factories import PersonFactory, UserFactory
from tests.field.mobile.conftest import EAST
from wangge.cases.services import report
from wangge.field.alerts.services import send_alert
from wangge.field.duty.services import sign_on
from wangge.field.linkage.models import LinkageCall
from wangge.people.services import role_assign, token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(cast):
    user = UserFactory(username="police")
    user.groups.add(Group.objects.get(name="police"))
    person = PersonFactory(name="民警东", user=user)
    role_assign(person=person, grid=cast.east, role="police", start_date=dt.date(2019, 1, 1))
    return person


@pytest.fixture
def called(cc, worker, police, django_capture_on_commit_callbacks):
    """The on-duty sanitation worker of 东网格 is called to the litter a police officer saw."""
    sign_on(person=worker, client_id="phone-worker-1", lon=EAST[0], lat=EAST[1])
    with django_capture_on_commit_callbacks(execute=True):
        case = report(
            actor_user=police.user,
            source="five_roles",
            description="路口暴露垃圾，需环卫处理",
            lon=EAST[0],
            lat=EAST[1],
            category=cc.category,
        )
    return LinkageCall.objects.get(case=case, person=worker)


def get_tasks(client, user) -> dict:
    key = token_create(user=user, label="phone")
    response = client.get(
        "/api/v1/me/tasks", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_linkage_call_is_in_my_tasks_and_opens_with_its_steps(client, called, worker):
    body = get_tasks(client, worker.user)
    assert body["counts"]["linkage"] == 1
    (item,) = body["linkage"]
    assert (item["id"], item["case"], item["url"]) == (
        called.pk,
        called.case.number,
        f"/m/calls/{called.pk}/",
    )
    client.force_login(worker.user)
    page = client.get(item["url"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "路口暴露垃圾，需环卫处理" in page
    for step in ("ack", "arrive", "handle"):
        assert f'data-step="{step}"' in page
    assert f'data-api="/api/v1/linkage/calls/{called.pk}/"' in page


def test_a_call_to_someone_else_is_not_found(client, called, police):
    client.force_login(police.user)
    assert client.get(f"/m/calls/{called.pk}/").status_code == 404


def test_an_acknowledged_call_offers_the_remaining_steps(client, called, worker):
    from wangge.field.linkage.services import acknowledge

    acknowledge(called, worker.user)
    client.force_login(worker.user)
    page = client.get(f"/m/calls/{called.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-step="ack"' not in page and 'data-step="arrive"' in page


def test_an_alert_to_the_on_duty_staff_waits_for_my_acknowledgement(client, cast, worker):
    sign_on(person=worker, client_id="phone-worker-1", lon=EAST[0], lat=EAST[1])
    alert = send_alert(
        by_user=cast.operator.user,
        kind="emergency",
        title="暴雨预警",
        text="今晚有暴雨，请检查排水井盖",
        grids=[cast.east],
    )
    body = get_tasks(client, worker.user)
    assert body["counts"]["alerts"] == 1
    (item,) = body["alerts"]
    assert (item["id"], item["title"], item["url"]) == (
        alert.pk,
        "暴雨预警",
        f"/m/alerts/{alert.pk}/",
    )
    client.force_login(worker.user)
    page = client.get(item["url"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "今晚有暴雨" in page and f'data-api="/api/v1/alerts/{alert.pk}/"' in page
    # Acknowledged, it leaves my tasks.
    client.post(f"/api/v1/alerts/{alert.pk}/ack", HTTP_ACCEPT_LANGUAGE="en")
    assert get_tasks(client, worker.user)["counts"]["alerts"] == 0
    assert client.get(item["url"]).status_code == 404


def test_a_handled_call_still_opens_for_me_with_no_steps_left(client, called, worker):
    from wangge.field.linkage.services import handle

    handle(called, worker.user, "已清运")
    client.force_login(worker.user)
    page = client.get(f"/m/calls/{called.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-step="handle"' not in page.content.decode()
