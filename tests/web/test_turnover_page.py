"""/people/turnover/ (the page and its Excel export) and GET /api/v1/people/turnover.

The cast's 洛龙街道 in 2019, plus: 网格员戊 supervises 吴家营社区西网格 until 30 June and leaves;
网格员己 takes over on 11 July, so the post is open 1..10 July (10 days).
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.api.conftest import api_as  # noqa: F401
from tests.factories import PersonFactory, SubdistrictFactory
from wangge.people.services import role_assign
from wangge.people.turnover import TURNOVER_DEFINITIONS

pytestmark = pytest.mark.django_db

YEAR = {"from": "2019-01-01", "to": "2019-12-31"}


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """Pages are Chinese unless the language cookie says otherwise."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def story(cast):
    left = PersonFactory(name="网格员戊", employment="temporary", start_date=dt.date(2019, 1, 1))
    role_assign(
        person=left,
        grid=cast.west,
        role="supervisor",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    came = PersonFactory(name="网格员己", employment="temporary", start_date=dt.date(2019, 7, 11))
    role_assign(person=came, grid=cast.west, role="supervisor", start_date=dt.date(2019, 7, 11))
    return cast


def test_the_page_shows_roles_months_and_open_posts(story, client):
    client.force_login(story.operator.user)
    r = client.get("/people/turnover/", YEAR)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Staff turnover" in html and "洛龙街道" in html
    roles = html.split('id="turnover-roles"')[1].split("</section>")[0]
    # Supervisors: 监督员乙 (all year) and 戊 at the start; 乙 and 己 at the end. 乙 and 戊 are
    # hires too, on 1 January: they held no role the day before. 戊 left.
    # Person-days 365 + 181 + 174 = 720 → 1.97 on average; 1 × 365 / 720 = 50.69%.
    row = roles.split("grid supervisor")[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells == ["2", "2", "1.97", "3", "1", "50.69%", "269.50"]
    months = html.split('id="turnover-months"')[1].split("</section>")[0]
    assert "2019-06" in months and "2019-07" in months
    posts = html.split('id="turnover-open-posts"')[1].split("</section>")[0]
    west = [
        line
        for line in posts.split("<tr>")
        if "吴家营社区西网格" in line and "grid supervisor" in line
    ]
    assert len(west) == 1
    assert "2019-07-01" in west[0] and "2019-07-11" in west[0] and ">10</td>" in west[0]
    assert 'href="/people/turnover/export.xlsx?' in html


def test_the_default_period_is_this_year_so_far(story, client):
    client.force_login(story.operator.user)
    html = client.get("/people/turnover/").content.decode()
    today = timezone.localdate()
    assert f'value="{today.year}-01-01"' in html and f'value="{today.isoformat()}"' in html
    assert f"{today.year}-01-01 to {today.isoformat()}" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2019-02-30", "to": "2019-12-31"}, "is not a date: write it as YYYY-MM-DD"),
        ({"from": "2019-01-01", "to": "31/12/2019"}, "is not a date: write it as YYYY-MM-DD"),
        ({"from": "2019-12-31", "to": "2019-01-01"}, "before it starts"),
        ({"from": "2010-01-01", "to": "2019-12-31"}, "at most 5 years"),
    ],
)
def test_a_bad_period_is_a_clear_error_not_a_crash(story, client, query, message):
    client.force_login(story.operator.user)
    r = client.get("/people/turnover/", query)
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html and 'role="alert"' in html
    assert 'id="turnover-roles"' not in html
    export = client.get("/people/turnover/export.xlsx", query)
    assert export.status_code == 400 and message in export.content.decode()


@pytest.fixture
def another_subdistrict(cast):
    return SubdistrictFactory(district=cast.district, code="006", name="吴家营街道")


def test_a_district_user_picks_a_subdistrict(story, another_subdistrict, client):
    client.force_login(story.district_leader.user)
    html = client.get("/people/turnover/", YEAR).content.decode()
    assert "Choose a subdistrict" in html and 'id="turnover-roles"' not in html
    r = client.get("/people/turnover/", {**YEAR, "subdistrict": "530114005"})
    assert r.status_code == 200 and 'id="turnover-roles"' in r.content.decode()
    r = client.get("/people/turnover/", {**YEAR, "subdistrict": "530114999"})
    assert r.status_code == 404 and "no subdistrict" in r.content.decode()


def test_the_page_needs_a_login(story, client):
    r = client.get("/people/turnover/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_the_people_page_links_to_it(story, client):
    client.force_login(story.operator.user)
    assert 'href="/people/turnover/"' in client.get("/people/").content.decode()


def test_the_export_is_a_workbook_with_the_definitions_as_notes(story, client):
    client.force_login(story.operator.user)
    r = client.get("/people/turnover/export.xlsx", YEAR)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(r.content))
    assert book.sheetnames == ["Roles", "Months", "Open posts"]
    roles = book["Roles"]
    assert roles["A1"].value == "洛龙街道 2019-01-01 – 2019-12-31"
    header = {cell.value: cell for cell in roles[3]}
    assert header["Turnover rate"].comment.text == TURNOVER_DEFINITIONS["turnover_rate"]
    assert header["Hires"].comment.text == TURNOVER_DEFINITIONS["hires"]
    supervisor = next(
        row for row in roles.iter_rows(min_row=4, values_only=True) if row[0] == "grid supervisor"
    )
    assert supervisor[1:6] == (2, 2, 1.97, 3, 1)
    posts = [row for row in book["Open posts"].iter_rows(min_row=4, values_only=True)]
    west = [p for p in posts if p[1] == "吴家营社区西网格" and p[2] == "grid supervisor"]
    assert west == [
        (
            "吴家营社区",
            "吴家营社区西网格",
            "grid supervisor",
            dt.datetime(2019, 7, 1),
            dt.datetime(2019, 7, 11),
            10,
        )
    ]
    months = {row[0]: row for row in book["Months"].iter_rows(min_row=4, values_only=True)}
    assert months["2019-06"][2] == 1  # supervisor departures in June
    assert months["2019-07"][1] == 1  # supervisor hires in July


def test_the_api_gives_the_figures(story, api_as):  # noqa: F811
    r = api_as("operator").get("/people/turnover", **YEAR)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["subdistrict"], body["start"], body["end"]) == (
        "530114005",
        "2019-01-01",
        "2019-12-31",
    )
    sup = body["roles"][0]
    assert (sup["role"], sup["hires"], sup["departures"], sup["average_headcount"]) == (
        "supervisor",
        3,
        1,
        1.97,
    )
    assert (sup["turnover_rate"], sup["average_tenure_days"]) == (0.5069, 269.5)
    assert [r["role"] for r in body["roles"]] == [
        "supervisor",
        "enforcer",
        "sanitation",
        "police",
        "community_worker",
    ]
    assert {
        "grid": "530114005001002",
        "role": "supervisor",
        "opened": "2019-07-01",
        "filled": "2019-07-11",
        "days_open": 10,
    }.items() <= next(
        p
        for p in body["open_posts"]
        if p["grid"] == "530114005001002" and p["role"] == "supervisor"
    ).items()
    june = next(m for m in body["months"] if m["month"] == "2019-06")
    assert june["departures"]["supervisor"] == 1 and june["total_departures"] == 1


def test_the_api_refuses_bad_input_with_the_field(story, another_subdistrict, api_as):  # noqa: F811
    r = api_as("operator").get("/people/turnover", **{"from": "2019-1-1"})
    assert r.status_code == 400 and r.json()["field"] == "from"
    r = api_as("leader").get("/people/turnover", **YEAR)
    assert r.status_code == 400 and r.json()["field"] == "subdistrict"
    assert "530114005 洛龙街道" in r.json()["message"]
    r = api_as("leader").get("/people/turnover", subdistrict="530114005", **YEAR)
    assert r.status_code == 200
    assert api_as(None).get("/people/turnover", **YEAR).status_code == 401
