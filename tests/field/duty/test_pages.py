"""The duty pages: who is on duty now, and the replay of a person's day; territory-scoped."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.field.duty.conftest import DAY, INSIDE, OUTSIDE, every_minute, local
from wangge.field.duty.services import sign_on


@pytest.fixture
def login(client):
    def as_(username: str):
        assert client.login(username=username, password="pass-word-123")
        return client

    return as_


def test_now_page_lists_who_is_on_duty_for_an_operator(cast, login):
    sign_on(person=cast.supervisor, client_id="signon-0001")
    r = login("operator").get("/duty/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    html = r.content.decode()
    assert "On duty now" in html
    assert cast.supervisor.name in html
    assert f"/duty/{cast.supervisor.pk}/{timezone.localdate().isoformat()}/" in html
    assert 'id="duty-positions"' in html
    assert "leaflet/leaflet.js" in html and "duty/duty.js" in html


def test_now_page_is_territory_scoped(cast, login):
    sign_on(person=cast.sanitation_other, client_id="signon-0002")
    html = login("supervisor").get("/duty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert cast.sanitation_other.name not in html
    assert "Nobody in your territory is on duty now." in html


def test_now_page_needs_a_login(client, cast):
    r = client.get("/duty/")
    assert r.status_code == 302


def test_day_page_replays_the_track_with_the_summary(cast, login, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 9))

    def where(at):
        return OUTSIDE if local(DAY, 8, 10) <= at < local(DAY, 8, 20) else INSIDE

    track(cast.supervisor, every_minute(local(DAY, 8), local(DAY, 9), where))
    r = login("operator").get(f"/duty/{cast.supervisor.pk}/{DAY}/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    html = r.content.decode()
    assert cast.supervisor.name in html and cast.east.name in html
    replay = json.loads(html.split('id="duty-replay" type="application/json">')[1].split("<")[0])
    assert len(replay["track"]) == 60
    assert replay["excursions"] == [
        [int(local(DAY, 8, 10).timestamp() * 1000), int(local(DAY, 8, 20).timestamp() * 1000)]
    ]
    assert 'data-figure="off_post_minutes"><span class="badge bad">10 min' in html
    assert 'data-role="play"' in html and 'type="range"' in html


def test_day_page_is_territory_scoped(cast, login):
    client = login("sanitation")
    assert client.get(f"/duty/{cast.supervisor.pk}/{DAY}/").status_code == 404
    assert client.get(f"/duty/{cast.sanitation_other.pk}/{DAY}/").status_code == 200  # own day
    assert client.get(f"/duty/{cast.sanitation_other.pk}/2026-13-01/").status_code == 404


def test_day_page_in_chinese_by_default(cast, login, client, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    r = login("operator").get(f"/duty/{cast.supervisor.pk}/{DAY - dt.timedelta(days=1)}/")
    assert r.status_code == 200
    assert 'lang="zh-hans"' in r.content.decode()
