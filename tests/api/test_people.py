"""People and their roles: lists and details scoped by territory; writes for admins only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from tests.factories import UserFactory
from wangge.people.models import GridRole, Person, RoleKind
from wangge.people.permissions import can_manage_master_data


def names(response) -> list[str]:
    return [p["name"] for p in response.json()["items"]]


# ---------------------------------------------------------------------------------------------
# Reading


def test_the_list_holds_the_people_of_the_territory(api_as):
    operator = api_as("operator").get("/people")
    supervisor = api_as("supervisor").get("/people")
    root = api_as("root").get("/people")

    assert operator.json()["count"] == 3
    assert sorted(names(operator)) == sorted(["操作员甲", "环卫工丙", "监督员乙"])
    assert names(supervisor) == ["监督员乙"]
    assert root.json()["count"] == 4


def test_the_list_filters_by_role_grid_and_community(api_as, cast):
    api = api_as("operator")

    assert names(api.get("/people", role="supervisor")) == ["监督员乙"]
    assert names(api.get("/people", grid=cast.south.code)) == ["环卫工丙"]
    assert names(api.get("/people", community="530114005001")) == ["监督员乙"]
    # Role and grid must hold on the same assignment.
    assert names(api.get("/people", role="supervisor", grid=cast.south.code)) == []


def test_the_list_filters_by_employment_activity_and_text(api_as, cast):
    Person.objects.filter(pk=cast.sanitation_other.pk).update(
        employment="temporary", end_date=dt.date(2020, 1, 1)
    )
    api = api_as("root")

    assert names(api.get("/people", employment="temporary")) == ["环卫工丙"]
    assert names(api.get("/people", active="false")) == ["环卫工丙"]
    assert "环卫工丙" not in names(api.get("/people", active="true"))
    assert names(api.get("/people", q="领导")) == ["区领导丁"]


def test_the_list_pages_with_limit_and_offset(api_as):
    api = api_as("root")

    first = api.get("/people", limit="2", offset="0").json()
    rest = api.get("/people", limit="2", offset="2").json()

    assert first["count"] == rest["count"] == 4
    assert len(first["items"]) == len(rest["items"]) == 2
    assert {p["id"] for p in first["items"]}.isdisjoint(p["id"] for p in rest["items"])


def test_a_bad_filter_value_is_named(api_as):
    response = api_as("operator").get("/people", role="mayor")

    assert response.status_code == 422
    assert response.json()["field"] == "role"
    assert "supervisor" in response.json()["message"]


def test_a_person_comes_with_their_role_history(api_as, cast):
    GridRole.objects.filter(person=cast.supervisor).update(end_date=dt.date(2020, 12, 31))
    GridRole.objects.create(
        person=cast.supervisor, grid=cast.west, role="supervisor", start_date=dt.date(2021, 1, 1)
    )

    response = api_as("root").get(f"/people/{cast.supervisor.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "监督员乙"
    assert [(r["grid"]["name"], r["start_date"], r["end_date"]) for r in body["roles"]] == [
        ("吴家营社区西网格", "2021-01-01", None),
        ("吴家营社区东网格", "2019-01-01", "2020-12-31"),
    ]


def test_a_person_outside_the_territory_is_not_found(api_as, cast):
    response = api_as("supervisor").get(f"/people/{cast.sanitation_other.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_roles_and_the_staffing_standard(api_as):
    api = api_as("sanitation")
    del api.headers["Accept-Language"]  # what a client that asks for no language gets

    roles = api.get("/roles").json()
    standard = api.get("/staffing-standard").json()

    assert [r["role"] for r in roles] == [r.value for r in RoleKind]
    assert roles[0] == {"role": "supervisor", "label": "网格监督员"}  # Chinese by default
    assert {s["role"]: s["per_grid"] for s in standard} == {
        "supervisor": 1,
        "enforcer": 2,
        "sanitation": 2,
        "police": 1,
        "community_worker": 1,
    }


# ---------------------------------------------------------------------------------------------
# Writing


def test_labels_follow_the_requested_language(api_as):
    api = api_as("sanitation")
    api.headers["Accept-Language"] = "en"

    assert api.get("/roles").json()[0]["label"] == "grid supervisor"


def test_an_admin_creates_a_person(api_as):
    response = api_as("root").post(
        "/people",
        {
            "name": "张三",
            "phone": "13800000000",
            "employment": "temporary",
            "start_date": "2024-03-01",
        },
    )

    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.name, person.employment, person.start_date) == (
        "张三",
        "temporary",
        dt.date(2024, 3, 1),
    )
    assert body["roles"] == []


def test_a_member_of_the_admins_group_may_write(api_as):
    user = UserFactory(username="clerk")
    user.groups.add(Group.objects.get(name="admins"))

    response = api_as("clerk").post("/people", {"name": "李四"})

    assert response.status_code == 201
    assert can_manage_master_data(user)


def test_others_may_not_write(api_as, cast):
    api = api_as("leader")
    assignment = GridRole.objects.get(person=cast.supervisor)

    created = api.post("/people", {"name": "李四"})
    assigned = api.post(
        f"/people/{cast.supervisor.pk}/roles",
        {"grid": cast.east.code, "role": "police", "start_date": "2024-01-01"},
    )
    ended = api.post(f"/roles/{assignment.pk}/end", {"end_date": "2024-01-01"})

    assert [r.status_code for r in (created, assigned, ended)] == [403, 403, 403]
    assert created.json()["code"] == "forbidden"
    assert not Person.objects.filter(name="李四").exists()
    assert GridRole.objects.filter(person=cast.supervisor).count() == 1
    assignment.refresh_from_db()
    assert assignment.end_date is None
    assert not can_manage_master_data(cast.district_leader.user)


def test_an_admin_assigns_a_role(api_as, cast):
    response = api_as("root").post(
        f"/people/{cast.sanitation_other.pk}/roles",
        {"grid": cast.west.code, "role": "enforcer", "start_date": "2024-01-01"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["grid"]["code"], body["role"], body["start_date"]) == (
        cast.west.code,
        "enforcer",
        "2024-01-01",
    )
    assert GridRole.objects.filter(
        person=cast.sanitation_other, grid=cast.west, role="enforcer"
    ).exists()


def test_an_assignment_ending_before_it_starts_is_refused(api_as, cast):
    response = api_as("root").post(
        f"/people/{cast.sanitation_other.pk}/roles",
        {
            "grid": cast.west.code,
            "role": "enforcer",
            "start_date": "2024-06-01",
            "end_date": "2024-05-31",
        },
    )

    assert response.status_code == 400
    assert response.json()["field"] == "end_date"
    assert "before the start date" in response.json()["message"]
    assert not GridRole.objects.filter(grid=cast.west).exists()


def test_an_unknown_role_is_refused_naming_the_roles(api_as, cast):
    response = api_as("root").post(
        f"/people/{cast.sanitation_other.pk}/roles",
        {"grid": cast.west.code, "role": "mayor", "start_date": "2024-01-01"},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "role"
    assert "unknown role 'mayor'" in response.json()["message"]
    assert "community_worker" in response.json()["message"]
    assert not GridRole.objects.filter(grid=cast.west).exists()


def test_an_unknown_grid_is_refused_naming_the_grid(api_as, cast):
    response = api_as("root").post(
        f"/people/{cast.sanitation_other.pk}/roles",
        {"grid": "530114005009009", "role": "enforcer", "start_date": "2024-01-01"},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "grid"


def test_an_admin_ends_an_assignment_and_it_stays_as_history(api_as, cast):
    assignment = GridRole.objects.get(person=cast.supervisor)
    api = api_as("root")

    response = api.post(f"/roles/{assignment.pk}/end", {"end_date": "2023-12-31"})

    assert response.status_code == 200
    assert response.json()["end_date"] == "2023-12-31"
    assignment.refresh_from_db()
    assert assignment.end_date == dt.date(2023, 12, 31)
    roster = api.get(f"/grids/{cast.east.code}").json()["roster"]
    assert roster[0] == {"role": "supervisor", "label": roster[0]["label"], "people": []}


def test_ending_before_the_start_is_refused(api_as, cast):
    assignment = GridRole.objects.get(person=cast.supervisor)

    response = api_as("root").post(f"/roles/{assignment.pk}/end", {"end_date": "2018-12-31"})

    assert response.status_code == 400
    assert response.json()["field"] == "end_date"
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_an_unknown_assignment_is_not_found(api_as):
    response = api_as("root").post("/roles/999999/end", {"end_date": "2024-01-01"})

    assert response.status_code == 404
    assert response.json()["field"] == "id"
