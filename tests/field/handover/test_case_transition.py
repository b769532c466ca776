"""The workflow's "hand-over" action: the centre, leaders or the platform give an open case's
handler role to a successor; the state stays, the event records from → to."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import api_as  # noqa: F401
from tests.factories import PersonFactory
from wangge.cases.actors import Actor
from wangge.cases.models import CaseEvent
from wangge.cases.services import act
from wangge.cases.workflow import TRANSITIONS, allowed_actions
from wangge.core.errors import DomainError, Forbidden

pytestmark = pytest.mark.django_db


def test_the_table_has_the_hand_over():
    t = TRANSITIONS["hand-over"]
    assert set(t.sources) == {"dispatched", "handling", "suspended", "handled"}
    assert t.requires == ("successor", "reason") and not t.changes_status


def test_a_dispatcher_hands_a_case_over_and_the_state_stays(ho):
    case = act(
        ho.case,
        "hand-over",
        actor_user=ho.dispatcher.user,
        data={"successor": ho.successor, "reason": "调岗"},
    )
    assert (case.status, case.handler) == ("handling", ho.successor)
    event = CaseEvent.objects.get(case=case, action="hand-over")
    assert event.data["from_name"] == "环卫工甲" and event.data["to_name"] == "环卫工乙"
    assert event.actor == ho.dispatcher.user and event.comment == "调岗"


def test_the_successor_may_be_given_as_an_id_from_a_form(ho):
    case = act(
        ho.case,
        "hand-over",
        actor_user=ho.level3.person.user,
        data={"successor": str(ho.successor.pk), "reason": "调岗"},
    )
    assert case.handler == ho.successor


@pytest.mark.parametrize(
    ("successor", "reason", "field"),
    [
        (None, "调岗", "successor"),
        ("nobody", "调岗", "successor"),
        ("same", "调岗", "successor"),
        ("left", "调岗", "successor"),
        ("ok", "  ", "reason"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(ho, successor, reason, field):
    person = {
        None: None,
        "nobody": 987654,
        "same": ho.leaver,
        "left": PersonFactory(end_date=dt.date(2019, 6, 30)),
        "ok": ho.successor,
    }[successor]
    version = ho.case.version
    with pytest.raises(DomainError) as exc:
        act(
            ho.case,
            "hand-over",
            actor_user=ho.dispatcher.user,
            data={"successor": person, "reason": reason},
        )
    assert exc.value.field == field
    ho.case.refresh_from_db()
    assert (ho.case.handler, ho.case.version) == (ho.leaver, version)


def test_the_handler_and_the_grids_staff_may_not_hand_over(ho):
    for user in (ho.leaver.user, ho.supervisor.user, ho.successor.user):
        with pytest.raises(Forbidden):
            act(
                ho.case,
                "hand-over",
                actor_user=user,
                data={"successor": ho.successor, "reason": "调岗"},
            )
    assert "hand-over" not in [t.action for t in allowed_actions(ho.case, Actor.of(ho.leaver.user))]
    assert "hand-over" in [t.action for t in allowed_actions(ho.case, Actor.of(ho.dispatcher.user))]


def test_the_platform_may_hand_over(ho):
    case = act(
        ho.case, "hand-over", actor_user=None, data={"successor": ho.successor, "reason": "离职"}
    )
    assert case.handler == ho.successor


def test_the_case_page_offers_it_to_the_dispatcher_and_takes_a_person_id(ho, client):
    client.force_login(ho.dispatcher.user)
    page = client.get(f"/cases/{ho.case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "hand-over" in page.content.decode()
    # The successor is picked from a list of people serving in the territory.
    assert f'<option value="{ho.successor.pk}"' in page.content.decode()
    r = client.post(
        f"/cases/{ho.case.pk}/act/hand-over/",
        {"successor": str(ho.successor.pk), "reason": "调岗"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code in (200, 302)
    ho.case.refresh_from_db()
    assert ho.case.handler == ho.successor


def test_the_case_api_takes_the_successors_id(ho, api_as):  # noqa: F811
    r = api_as("dispatcher").post(
        f"/cases/{ho.case.pk}/actions/hand-over", {"successor": ho.successor.pk, "reason": "调岗"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "handling"
    ho.case.refresh_from_db()
    assert ho.case.handler == ho.successor
