"""The centre's alert pages and the alerts API."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from wangge.field.alerts import services
from wangge.field.alerts.models import Alert
from wangge.people.services import token_create


def post_json(client, user, path, body=None):
    return client.post(
        "/api/v1/alerts" + path,
        json.dumps(body or {}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_create(user=user)}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def get_json(client, user, path):
    return client.get(
        "/api/v1/alerts" + path,
        headers={"Authorization": f"Bearer {token_create(user=user)}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_centres_page_shows_who_acknowledged_and_who_did_not(client, cast, staff):
    t0 = timezone.now()
    alert = services.send_alert(
        by_user=cast.operator.user,
        kind="emergency",
        title="暴雨预警",
        text="巡查低洼路段",
        grids=[cast.east, cast.west],
        now=t0,
    )
    services.acknowledge(alert, staff.east_police.user, at=t0 + dt.timedelta(minutes=2))
    services.chase_alerts(now=t0 + dt.timedelta(minutes=10))
    client.force_login(cast.operator.user)

    page = client.get(f"/alerts/{alert.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    silent, acked = page.split('id="silent"')[1].split('id="acknowledged"')
    assert "东民警" in acked and "东民警" not in silent
    for name in ("东环卫", "西监督员", "西环卫"):
        assert name in silent and name not in acked
    assert 'hx-trigger="every 5s"' in page
    # the htmx refresh returns only the status part
    part = client.get(f"/alerts/{alert.pk}/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="silent"' in part.content.decode() and "<html" not in part.content.decode()


def test_sending_through_the_form(client, cast, staff):
    client.force_login(cast.operator.user)
    assert client.get("/alerts/new/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200

    response = client.post(
        "/alerts/new/",
        {
            "kind": "instruction",
            "title": "集合",
            "text": "到社区集合",
            "grids": [cast.east.pk],
            "roles": ["police", "sanitation"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alerts/{alert.pk}/"
    assert alert.recipients.count() == 2


def test_the_form_shows_nobody_on_duty(client, cast, staff):
    client.force_login(cast.operator.user)
    response = client.post(
        "/alerts/new/",
        {"kind": "instruction", "title": "集合", "text": "到社区集合", "grids": [cast.south.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "nobody is on duty" in response.content.decode()
    assert not Alert.objects.exists()


def test_a_recipient_acknowledges_on_the_page(client, cast, staff):
    alert = services.send_alert(
        by_user=cast.operator.user,
        kind="emergency",
        title="火情",
        text="疏散",
        grids=[cast.east],
    )
    client.force_login(staff.east_sanitation.user)
    assert "火情" in client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    client.post(f"/alerts/{alert.pk}/ack/")

    assert alert.recipients.get(person=staff.east_sanitation).acknowledged_at is not None


def test_the_api_sends_reads_and_acknowledges(client, cast, staff):
    sent = post_json(
        client,
        cast.operator.user,
        "",
        {
            "kind": "emergency",
            "title": "暴雨",
            "text": "巡查",
            "grids": [cast.east.code, cast.west.code],
            "roles": ["sanitation"],
        },
    )
    assert sent.status_code == 201, sent.json()
    alert_id = sent.json()["id"]
    assert {r["person"] for r in sent.json()["recipients"]} == {"东环卫", "西环卫"}

    (mine,) = get_json(client, staff.east_sanitation.user, "/mine").json()
    assert mine["alert_id"] == alert_id and mine["acknowledged_at"] is None

    first = post_json(client, staff.east_sanitation.user, f"/{alert_id}/ack")
    again = post_json(client, staff.east_sanitation.user, f"/{alert_id}/ack")
    assert first.status_code == again.status_code == 200
    assert first.json()["acknowledged_at"] == again.json()["acknowledged_at"] is not None
    assert get_json(client, staff.east_sanitation.user, "/mine").json() == []

    detail = get_json(client, cast.operator.user, f"/{alert_id}").json()
    assert detail["acknowledged"] == 1 and len(detail["recipients"]) == 2


def test_the_api_refuses_nobody_on_duty_and_outsiders(client, cast, staff):
    nobody = post_json(
        client,
        cast.operator.user,
        "",
        {
            "kind": "emergency",
            "title": "x",
            "text": "y",
            "grids": [cast.south.code],
        },
    )
    assert nobody.status_code == 400 and nobody.json()["code"] == "nobody_on_duty"
    outsider = post_json(
        client,
        staff.leader4_other.user,
        "",
        {
            "kind": "emergency",
            "title": "x",
            "text": "y",
            "grids": [cast.east.code],
        },
    )
    assert outsider.status_code == 403
    unknown = post_json(
        client,
        cast.operator.user,
        "",
        {
            "kind": "emergency",
            "title": "x",
            "text": "y",
            "grids": ["nope"],
        },
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "grids"
    assert not Alert.objects.exists()
