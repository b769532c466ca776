"""The hand-over pages: the form shows what will move, confirming moves it, the log shows it."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.cases.conftest import user_in
from wangge.field.handover.models import Handover

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_form_previews_then_the_hand_over_is_logged(ho, client):
    c = login(client, ho.operator.user)
    r = c.get(f"/handovers/new/?person={ho.leaver.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    page = r.content.decode()
    assert ho.case.number in page and "CZT-0001" in page and "暴雨预警" in page
    # The same grid and role's colleague is offered first.
    assert page.index("环卫工乙") < page.index("监督员乙")
    r = c.post(
        f"/handovers/new/?person={ho.leaver.pk}",
        {"successor": ho.successor.pk, "kind": "leaves", "reason": "辞职"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    handover = Handover.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/handovers/{handover.pk}/"
    page = c.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ho.case.number in page and "MC-0001" in page
    assert "环卫工甲" in c.get("/handovers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_refusal_is_shown_on_the_form(ho, client):
    c = login(client, ho.operator.user)
    r = c.post(
        f"/handovers/new/?person={ho.leaver.pk}",
        {"successor": ho.successor.pk, "kind": "leaves", "reason": "   "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200 and not Handover.objects.exists()


def test_a_colleague_gets_a_403(ho, client):
    c = login(client, ho.supervisor.user)
    r = c.get(f"/handovers/new/?person={ho.leaver.pk}")
    assert r.status_code == 403


def test_the_grid_page_shows_the_vacancy_after_someone_leaves(ho, client):
    from wangge.field.handover.services import hand_over

    c = login(client, ho.operator.user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def sanitation_row() -> str:
        page = c.get(f"/grids/{ho.east.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        return page.split("sanitation worker")[1].split("</tr>")[0]

    assert "环卫工甲" in sanitation_row() and "−1" not in sanitation_row()
    hand_over(person=ho.leaver, successor=ho.successor, by_user=ho.operator.user, reason="辞职")
    row = sanitation_row()
    assert "环卫工甲" not in row and "−1" in row


def test_the_list_is_scoped_to_the_territory(ho, client):
    from tests.factories import PersonFactory
    from wangge.field.handover.services import hand_over
    from wangge.people.models import LeaderPost

    hand_over(person=ho.leaver, successor=ho.successor, by_user=ho.operator.user, reason="辞职")
    other = PersonFactory(name="洛龙社区网格长", user=user_in("llleader", "leaders"))
    LeaderPost.objects.create(level="level4", person=other, community=ho.luolong)
    page = login(client, other.user).get("/handovers/").content.decode()
    assert "环卫工甲" not in page
    page = login(client, ho.level3.person.user).get("/handovers/").content.decode()
    assert "环卫工甲" in page


def test_the_list_offers_the_people_to_hand_over(ho, client):
    page = login(client, ho.operator.user).get("/handovers/").content.decode()
    assert f'value="{ho.leaver.pk}"' in page
