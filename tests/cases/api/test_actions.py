"""Workflow actions over the API: every refusal in the one error shape, and lost races as 409."""

from __future__ import annotations

import pytest
from django.db.models import F

from tests.cases.api.conftest import make_case
from tests.cases.conftest import png
from wangge.cases import selectors
from wangge.cases.models import Case
from wangge.cases.services import act
from wangge.people.services import role_assign

pytestmark = pytest.mark.django_db


def advance(cc, case, *steps: str):
    """Take the named steps through the service, as the right person each time."""
    who_data = {
        "file": (cc.operator, {"category": cc.category}),
        "dispatch": (cc.dispatcher, {}),
        "accept": (cc.station_worker, {}),
        "feedback": (cc.station_worker, {"result": "已清理"}),
    }
    for name in steps:
        person, data = who_data[name]
        photos = [png()] if name == "feedback" else None
        case = act(case, name, actor_user=person.user, data=data, photos=photos)
    return case


def unchanged(case) -> bool:
    stored = Case.objects.get(pk=case.pk)
    return (stored.status, stored.version) == (case.status, case.version)


def test_an_unknown_action_is_refused_naming_it(cc, api_as):
    case = make_case(cc)

    response = api_as("operator").post(f"/cases/{case.pk}/actions/close-now", {})

    assert response.status_code == 400
    assert response.json()["field"] == "action"
    assert "close-now" in response.json()["message"] and "dispatch" in response.json()["message"]
    assert unchanged(case)


def test_an_action_from_the_wrong_state_names_the_state_and_the_action(cc, api_as):
    case = make_case(cc)

    response = api_as("dispatcher").post(f"/cases/{case.pk}/actions/dispatch")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_state", "action")
    assert "reported" in body["message"] and "'dispatch'" in body["message"]
    assert unchanged(case)


def test_an_action_the_user_may_not_take_is_forbidden(cc, api_as):
    case = advance(cc, make_case(cc), "file", "dispatch", "accept", "feedback")

    # The operator sees the case but does not verify on site: that is the grid's supervisor.
    response = api_as("operator").post(f"/cases/{case.pk}/actions/verify", {"passed": True})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "verify" in response.json()["message"]
    assert unchanged(case)


def test_the_sanitation_worker_of_another_grid_cannot_even_see_the_case(cc, api_as):
    role_assign(
        person=cc.sanitation_other,
        grid=cc.south,
        role="supervisor",
        start_date=cc.supervisor.roles.get().start_date,
    )
    case = advance(cc, make_case(cc), "file", "dispatch", "accept", "feedback")

    response = api_as("sanitation").post(f"/cases/{case.pk}/actions/verify", {"passed": True})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert unchanged(case)


def test_a_rework_without_a_reason_is_refused(cc, api_as):
    case = advance(cc, make_case(cc), "file", "dispatch", "accept", "feedback")

    response = api_as("supervisor").post(f"/cases/{case.pk}/actions/verify", {"passed": False})

    assert (response.status_code, response.json()["field"]) == (400, "reason")
    assert unchanged(case)


def test_form_fields_are_typed_like_json(cc, api_as):
    case = advance(cc, make_case(cc), "file", "dispatch", "accept", "feedback")

    response = api_as("supervisor").post_form(
        f"/cases/{case.pk}/actions/verify",
        {"passed": "false", "reason": "还有残留", "photos": [("site.png", png())]},
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["rework_count"]) == ("handling", 1)
    assert [p["kind"] for p in response.json()["photos"]] == ["after", "verify"]


def test_filing_with_facts_from_a_form(cc, api_as):
    case = make_case(cc)

    response = api_as("operator").post_form(
        f"/cases/{case.pk}/actions/file", {"category": "LE9901", "facts": '{"offices": 3}'}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["tier"] == 3


@pytest.mark.parametrize(
    ("action", "steps", "body", "field"),
    [
        ("file", (), {"category": "ZZ0000"}, "category"),
        ("dispatch", ("file",), {"target": "unit", "unit": "没有这个局"}, "unit"),
        ("dispatch", ("file",), {"target": "unit", "unit": 99999}, "unit"),
        (
            "reject",
            (),
            {"reason_kind": "duplicate", "reason": "重复", "duplicate_of": "2019"},
            "duplicate_of",
        ),
        ("file", (), {"category": "LE9901", "tier": "two"}, "tier"),
        ("file", (), {"category": "LE9901", "facts": "not json"}, "facts"),
    ],
    ids=["category", "unit-name", "unit-id", "duplicate-number", "tier-type", "facts-json"],
)
def test_unknown_codes_ids_and_numbers_are_named(cc, api_as, action, steps, body, field):
    case = advance(cc, make_case(cc), *steps)
    who = "operator" if action in ("file", "reject") else "dispatcher"

    response = api_as(who).post(f"/cases/{case.pk}/actions/{action}", body)

    assert response.status_code in (400, 422)
    assert response.json()["field"] == field, response.json()
    assert unchanged(case)


@pytest.mark.parametrize("by", ["name", "id"])
def test_dispatch_to_a_unit_by_name_or_id(cc, api_as, by):
    case = advance(cc, make_case(cc), "file")
    unit = cc.unit.name if by == "name" else cc.unit.pk

    response = api_as("dispatcher").post(
        f"/cases/{case.pk}/actions/dispatch", {"target": "unit", "unit": unit}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["handling_unit"] == {"id": cc.unit.pk, "name": "呈贡区城市管理局"}


def test_reject_as_a_duplicate_of_a_case_number(cc, api_as):
    original = make_case(cc, category=cc.category)
    again = make_case(cc, category=cc.category)
    operator = api_as("operator")
    offered = operator.get(f"/cases/{again.pk}").json()["likely_duplicates"]
    assert [d["number"] for d in offered] == [original.number]

    response = operator.post(
        f"/cases/{again.pk}/actions/reject",
        {"reason_kind": "duplicate", "reason": "同一堆垃圾", "duplicate_of": original.number},
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["duplicate_of"]) == (
        "rejected",
        original.number,
    )
    assert response.json()["likely_duplicates"] == []  # offered only while it waits for filing


# --- lost races --------------------------------------------------------------------------


@pytest.mark.parametrize("send", ["if-match", "body"])
def test_an_action_on_a_stale_version_is_a_conflict(cc, api_as, send):
    case = advance(cc, make_case(cc), "file")
    dispatcher = api_as("dispatcher")
    read = dispatcher.get(f"/cases/{case.pk}")
    version = read.json()["version"]
    # Someone else dispatches it between our read and our action.
    act(Case.objects.get(pk=case.pk), "dispatch", actor_user=cc.dispatcher.user)

    if send == "if-match":
        response = dispatcher.post(
            f"/cases/{case.pk}/actions/dispatch",
            {"target": "grid_team"},
            headers={"If-Match": read["ETag"]},
        )
    else:
        response = dispatcher.post(
            f"/cases/{case.pk}/actions/dispatch", {"target": "grid_team", "version": version}
        )

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("conflict", "version")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.dispatch_target, stored.events.filter(action="dispatch").count()) == (
        "workstation",
        1,
    )


def test_the_current_version_is_accepted(cc, api_as):
    case = advance(cc, make_case(cc), "file")
    dispatcher = api_as("dispatcher")
    etag = dispatcher.get(f"/cases/{case.pk}")["ETag"]

    response = dispatcher.post(f"/cases/{case.pk}/actions/dispatch", headers={"If-Match": etag})

    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{case.version + 1}"'


def test_a_bad_if_match_is_named(cc, api_as):
    case = advance(cc, make_case(cc), "file")

    response = api_as("dispatcher").post(
        f"/cases/{case.pk}/actions/dispatch", headers={"If-Match": "yesterday"}
    )

    assert (response.status_code, response.json()["field"]) == (400, "If-Match")
    assert unchanged(case)


def test_a_race_lost_inside_the_service_is_a_409(cc, api_as, monkeypatch):
    """No version sent: the service's compare-and-set alone decides, and its Conflict is a 409."""
    case = advance(cc, make_case(cc), "file")
    real_get = selectors.case_get

    def read_then_lose_the_race(territory, pk):
        loaded = real_get(territory, pk)
        # Another request writes the row after this one has read it.
        Case.objects.filter(pk=pk).update(version=F("version") + 1)
        return loaded

    monkeypatch.setattr("wangge.cases.api.selectors.case_get", read_then_lose_the_race)

    response = api_as("dispatcher").post(f"/cases/{case.pk}/actions/dispatch")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.events.filter(action="dispatch").count()) == ("filed", 0)
