"""Listing cases: scoped by territory, filtered, paged, newest first; the queues; categories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.api.conftest import EAST, SOUTH, WEST, make_case
from tests.cases.conftest import TZ
from wangge.cases.models import Case, Category
from wangge.cases.services import act

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [c["number"] for c in response.json()["items"]]


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2019, 5, day, hour, tzinfo=TZ)


@pytest.fixture
def spread(cc):
    """Five cases across grids, states and days of May 2019 (newest last)."""
    east = make_case(cc, EAST, reported_at=at(6), description="井盖缺失")
    west = make_case(cc, WEST, reported_at=at(7), category=cc.category)
    south = make_case(cc, SOUTH, reported_at=at(8), source="hotline_12345", address="洛龙路")
    filed = make_case(cc, EAST, reported_at=at(9))
    filed = act(filed, "file", actor_user=cc.operator.user, data={"category": cc.category})
    late = make_case(cc, EAST, reported_at=at(10))
    late = act(late, "file", actor_user=cc.operator.user, data={"category": cc.category})
    late = act(late, "dispatch", actor_user=cc.dispatcher.user)
    Case.objects.filter(pk=late.pk).update(
        handling_due_at=timezone.now() - dt.timedelta(hours=1), is_key=True
    )
    return {"east": east, "west": west, "south": south, "filed": filed, "late": late}


def test_the_operator_lists_every_case_of_the_subdistrict_newest_first(spread, api_as):
    response = api_as("operator").get("/cases")

    assert response.json()["count"] == 5
    assert numbers(response) == [
        spread[k].number for k in ("late", "filed", "south", "west", "east")
    ]


def test_a_supervisor_lists_only_their_grids_cases(spread, api_as):
    supervisor = api_as("supervisor")

    assert sorted(numbers(supervisor.get("/cases"))) == sorted(
        spread[k].number for k in ("east", "filed", "late")
    )
    other = supervisor.get(f"/cases/{spread['west'].pk}")
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert supervisor.get(f"/cases/{spread['east'].pk}").status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "filed"}, ["filed"]),
        ({"status": ["filed", "dispatched"]}, ["late", "filed"]),
        ({"status": "filed,dispatched"}, ["late", "filed"]),
        ({"grid": "530114005001002"}, ["west"]),
        ({"community": "530114005002"}, ["south"]),
        ({"category": "LE9901"}, ["late", "filed", "west"]),
        ({"source": "hotline_12345"}, ["south"]),
        ({"tier": "2"}, ["late", "filed"]),
        ({"overdue": "true"}, ["late"]),
        ({"overdue": "false", "status": "dispatched,filed"}, ["filed"]),
        ({"key": "true"}, ["late"]),
        ({"reported_from": "2019-05-07", "reported_to": "2019-05-08"}, ["south", "west"]),
        ({"q": "井盖"}, ["east"]),
        ({"q": "洛龙路"}, ["south"]),
    ],
    ids=lambda v: str(v),
)
def test_the_list_filters(spread, api_as, params, expected):
    response = api_as("operator").get("/cases", params)

    assert numbers(response) == [spread[k].number for k in expected]
    assert response.json()["count"] == len(expected)


def test_the_list_finds_a_case_by_its_number(spread, api_as):
    number = spread["south"].number

    assert numbers(api_as("operator").get("/cases", {"q": number})) == [number]


def test_the_list_pages_with_limit_and_offset(spread, api_as):
    api = api_as("operator")

    first = api.get("/cases", {"limit": 2, "offset": 0})
    rest = api.get("/cases", {"limit": 2, "offset": 4})

    assert first.json()["count"] == rest.json()["count"] == 5
    assert numbers(first) == [spread["late"].number, spread["filed"].number]
    assert numbers(rest) == [spread["east"].number]


def test_the_list_takes_the_same_queries_however_many_cases(spread, api_as, cc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as("operator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/cases").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a token also records its use
    before = queries()
    for _ in range(3):
        make_case(cc, SOUTH, category=cc.category)
    assert queries() == before


def test_the_items_say_what_a_list_needs(spread, api_as):
    items = {c["number"]: c for c in api_as("operator").get("/cases").json()["items"]}

    late = items[spread["late"].number]
    assert (late["status"], late["overdue"], late["is_key"], late["tier"]) == (
        "dispatched",
        True,
        True,
        2,
    )
    assert late["grid"] == {"code": "530114005001001", "name": "吴家营社区东网格"}
    assert late["community"] == {"code": "530114005001", "name": "吴家营社区"}
    assert items[spread["east"].number]["category"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"community": "001"}, "community"),
        ({"source": "rumour"}, "source"),
        ({"tier": "7"}, "tier"),
        ({"reported_from": "May"}, "reported_from"),
    ],
)
def test_a_bad_filter_is_named(spread, api_as, params, field):
    response = api_as("operator").get("/cases", params)

    assert (response.status_code, response.json()["field"]) == (422, field)


def test_the_queues_count_and_show_the_first_cases(spread, api_as, cc):
    make_case(cc, EAST, reported_at=at(11))

    queues = {q["name"]: q for q in api_as("operator").get("/cases/queues", {"limit": 1}).json()}

    assert queues["to_file"]["count"] == 3  # east, west and the one just added
    assert len(queues["to_file"]["items"]) == 1
    assert queues["to_verify"]["count"] == 1  # the hotline report in 洛龙社区
    assert queues["to_verify"]["items"][0]["number"] == spread["south"].number
    assert queues["to_dispatch"]["count"] == 1
    assert queues["overdue"]["count"] == 1


def test_a_supervisor_sees_the_queues_of_their_grid_only(spread, api_as):
    queues = {q["name"]: q["count"] for q in api_as("supervisor").get("/cases/queues").json()}

    assert (queues["to_file"], queues["to_verify"], queues["to_dispatch"]) == (1, 0, 1)


def test_categories_are_searched_by_name_code_and_keywords(cc, api_as):
    Category.objects.create(
        kind="component",
        code="LT0101",
        major_name="公用设施",
        name="测试井盖甲",
        keywords="独特关键词 下水道盖",
        time_limit=2,
    )
    Category.objects.create(
        kind="event",
        code="LT0199",
        major_name="市容环境",
        name="旧类测试",
        time_limit=1,
        active=False,
    )
    api = api_as("supervisor")

    def codes(q: str, **params: int) -> list[str]:
        response = api.get("/categories", {"q": q, **params})
        assert response.status_code == 200, response.json()
        return [c["code"] for c in response.json()]

    assert codes("测试井盖甲") == ["LT0101"]
    assert codes("独特关键词") == ["LT0101"]
    assert codes("LT01") == ["LT0101"]  # LT0199 is no longer in use
    assert codes("旧类测试") == []
    assert len(codes("", limit=3)) == 3
    # Pinyin initials, as typed on a phone (cases.taxonomy.category_search).
    assert api.get("/categories", {"q": "zdjy"}).json()[0]["name"] == "占道经营"
