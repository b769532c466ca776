"""The pages, seen by the cast: login, territory scoping, the filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from wangge.people.services import role_assign

PASSWORD = "pass-word-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    ["/map/", "/grids/530114005001001/", "/org/", "/people/", "/grids/check/"],
)
def test_every_page_requires_login(cast, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_logs_in_and_lands_on_the_map(cast, client):
    response = client.post("/login/", {"username": "operator", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/map/"
    assert response.status_code == 200


def test_logging_out_ends_the_session(cast, client):
    login(client, "operator")
    client.post("/logout/")
    assert client.get("/map/").status_code == 302


def map_features(response):
    return response.context["grids_geojson"]["features"]


def test_the_supervisors_map_holds_only_their_grid(cast, client):
    response = login(client, "supervisor").get("/map/")
    assert response.status_code == 200
    names = [f["properties"]["name"] for f in map_features(response)]
    assert names == ["吴家营社区东网格"]
    assert "吴家营社区西网格" not in response.content.decode()


def test_the_operators_map_holds_the_subdistrict_with_popups_data(cast, client):
    response = login(client, "operator").get("/map/")
    features = {f["properties"]["code"]: f["properties"] for f in map_features(response)}
    assert len(features) == 3
    east = features[cast.east.code]
    assert east["community"] == "吴家营社区"
    assert east["color"] == "#1f77b4"
    assert east["staff"] == 1
    assert east["url"] == f"/grids/{cast.east.code}/"
    assert east["area_km2"] > 0
    supervisor = next(r for r in east["roles"] if r["actual"])
    assert (supervisor["actual"], supervisor["required"]) == (1, 1)
    # The GeoJSON is embedded for the map script, not fetched.
    assert 'id="grids-data"' in response.content.decode()


def test_the_grid_page_shows_roster_gaps_and_leaders(cast, client):
    response = login(client, "leader").get(f"/grids/{cast.east.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "监督员乙" in html
    assert "区领导丁" in html  # the district leader's post is in the chain over every grid
    assert cast.east.code in html
    # 1/2/2/1/1 with only the supervisor: six people missing.
    assert response.context["gaps"] == 6


def test_a_grid_outside_the_territory_is_not_found(cast, client):
    response = login(client, "supervisor").get(f"/grids/{cast.south.code}/")
    assert response.status_code == 404


def test_an_unknown_grid_is_not_found(cast, client):
    assert login(client, "root").get("/grids/530114005009009/").status_code == 404


def test_the_org_tree_lists_the_territory_without_n_plus_one(
    cast, client, django_assert_max_num_queries
):
    login(client, "operator")
    with django_assert_max_num_queries(20):
        response = client.get("/org/")
    html = response.content.decode()
    for name in (
        "呈贡区",
        "洛龙街道",
        "吴家营社区",
        "洛龙社区",
        "吴家营社区西网格",
        "洛龙社区南网格",
    ):
        assert name in html
    assert "吴家营社区网格化管理工作站" in html
    assert "洛龙街道网格化综合管理处置中心" in html


def test_the_org_tree_query_count_does_not_grow_with_grids(cast, client, django_assert_num_queries):
    from tests.factories import GridFactory, rect

    login(client, "root")
    client.get("/org/")  # warm the session and user
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/org/")
    GridFactory(
        community=cast.luolong, code="530114005002009", geometry=rect(103, 25, 103.01, 25.01)
    )
    with CaptureQueriesContext(connection) as after:
        client.get("/org/")
    assert len(after) == len(before)


def test_the_supervisor_sees_only_their_community_in_the_org_tree(cast, client):
    html = login(client, "supervisor").get("/org/").content.decode()
    assert "吴家营社区东网格" in html
    assert "洛龙社区南网格" not in html


def people_names(response):
    return [p.name for p in response.context["page"].object_list]


def test_the_people_list_is_scoped_to_the_territory(cast, client):
    response = login(client, "supervisor").get("/people/")
    assert people_names(response) == ["监督员乙"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "sanitation"}, ["环卫工丙"]),
        ({"role": "supervisor"}, ["监督员乙"]),
        ({"q": "操作"}, ["操作员甲"]),
        ({"employment": "permanent"}, ["区领导丁"]),
        ({"status": "left"}, ["离职者戊"]),
    ],
)
def test_the_people_filters(cast, client, query, expected):
    PersonFactory(name="离职者戊", center=cast.center, end_date="2020-01-01")
    response = login(client, "root").get("/people/", query)
    assert people_names(response) == expected


def test_the_people_filter_by_grid_and_community(cast, client):
    login(client, "root")
    grid = client.get("/people/", {"grid": cast.south.pk})
    assert people_names(grid) == ["环卫工丙"]
    community = client.get("/people/", {"community": cast.wujiaying.pk})
    assert people_names(community) == ["监督员乙"]


def test_an_active_filter_hides_people_who_left(cast, client):
    PersonFactory(name="离职者戊", center=cast.center, end_date="2020-01-01")
    response = login(client, "root").get("/people/", {"status": "active"})
    assert "离职者戊" not in people_names(response)
    assert "监督员乙" in people_names(response)


def test_htmx_gets_only_the_table(cast, client):
    login(client, "root")
    response = client.get(
        "/people/", {"role": "sanitation"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-table"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="people-table"')
    assert "<header" not in html
    assert "环卫工丙" in html


def test_the_people_list_paginates(cast, client):
    for i in range(30):
        person = PersonFactory(name=f"保洁{i:02d}")
        role_assign(
            person=person,
            grid=cast.south,
            role="sanitation",
            start_date=cast.east.created_at.date(),
        )
    response = login(client, "root").get("/people/", {"role": "sanitation"})
    assert response.context["page"].paginator.count == 31
    assert len(people_names(response)) == 25
    second = client.get("/people/", {"role": "sanitation", "page": 2})
    assert len(people_names(second)) == 6


def test_the_partition_check_page(cast, client):
    response = login(client, "operator").get("/grids/check/")
    assert response.status_code == 200
    (report,) = response.context["reports"]
    assert report.ok
    html = response.content.decode()
    assert "洛龙街道" in html
    assert "吴家营社区东网格" in html


def test_the_people_list_links_to_todays_duty_and_the_hand_over(cast, client):
    from django.utils import timezone

    login(client, "operator")
    html = client.get("/people/").content.decode()
    today = timezone.localdate().isoformat()
    assert f'href="/duty/{cast.supervisor.pk}/{today}/"' in html
    assert f'href="/handovers/new/?person={cast.supervisor.pk}"' in html
    # The operator holds no grid role: no duty day to show.
    assert f'href="/duty/{cast.operator.pk}/' not in html
