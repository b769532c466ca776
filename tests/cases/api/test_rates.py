"""GET /stats/rates: the figures of cases.rates, scoped by territory, with their definitions."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.api.conftest import EAST, SOUTH, WEST, make_case
from tests.cases.conftest import TZ, png
from wangge.cases import rates
from wangge.cases.selectors import cases_visible
from wangge.cases.services import act
from wangge.people.territory import territory_of

pytestmark = pytest.mark.django_db
MAY = "2019-05"


def t(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2019, 5, day, hour, tzinfo=TZ)


@pytest.fixture
def may(cc):
    """May 2019: one case closed after a rework, one overdue and open, one merely reported."""

    def step(case, action, who, now, **data):
        photos = [png()] if action == "feedback" else None
        return act(case, action, actor_user=who.user, data=data, photos=photos, now=now)

    closed = make_case(cc, EAST, reported_at=t(20, 9))
    closed = step(closed, "file", cc.operator, t(20, 9), category=cc.category)
    closed = step(closed, "dispatch", cc.dispatcher, t(20, 10))
    closed = step(closed, "accept", cc.station_worker, t(20, 10))
    closed = step(closed, "feedback", cc.station_worker, t(20, 11), result="ok")
    closed = step(closed, "verify", cc.supervisor, t(20, 11), passed=False, reason="残留")
    closed = step(closed, "feedback", cc.station_worker, t(21, 9), result="ok")
    closed = step(closed, "verify", cc.supervisor, t(21, 10), passed=True)
    late = make_case(cc, WEST, reported_at=t(22, 9))
    late = step(late, "file", cc.operator, t(22, 9), category=cc.category)
    late = step(late, "dispatch", cc.dispatcher, t(22, 10))
    make_case(cc, SOUTH, reported_at=t(23, 9))
    return cc


def expected(username: str, by: str | None = None):
    from django.contrib.auth import get_user_model

    cases = cases_visible(territory_of(get_user_model().objects.get(username=username)))
    period = rates.Period.parse(MAY)
    if by is None:
        return [(None, rates.figures(cases, period))]
    return [(row.key, row.figures) for row in rates.figures_by(cases, period, by)]


def as_json(figures: rates.Figures) -> dict:
    return {
        k: float(v) if v is not None and not isinstance(v, int) else v
        for k, v in figures.as_dict().items()
    }


def test_the_totals_are_the_figures_of_the_rates_module(may, api_as):
    response = api_as("operator").get("/stats/rates", {"period": MAY})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["period"]["label"] == MAY and body["by"] is None
    [row] = body["rows"]
    [(_, figures)] = expected("operator")
    assert row["figures"] == as_json(figures)
    # The hand count: 3 reported, 2 owed closing (one closed, one overdue), 1 reworked.
    assert (row["figures"]["reported"], row["figures"]["to_close"]) == (3, 2)
    assert (row["figures"]["closed"], row["figures"]["reworked"]) == (1, 1)
    assert row["figures"]["closure_rate"] == 0.5


def test_the_figures_by_community(may, api_as):
    body = api_as("operator").get("/stats/rates", {"period": MAY, "by": "community"}).json()

    assert [r["label"] for r in body["rows"]] == ["吴家营社区", "洛龙社区"]
    assert [(r["key"], r["figures"]) for r in body["rows"]] == [
        (key, as_json(figures)) for key, figures in expected("operator", "community")
    ]


def test_the_figures_are_scoped_by_territory(may, api_as):
    body = api_as("supervisor").get("/stats/rates", {"period": MAY}).json()

    [(_, figures)] = expected("supervisor")
    assert body["rows"][0]["figures"] == as_json(figures)
    assert body["rows"][0]["figures"]["reported"] == 1  # only 吴家营社区东网格's case


def test_every_figure_comes_with_its_label_and_definition(may, api_as):
    body = api_as("operator").get("/stats/rates", {"period": MAY}).json()

    assert set(body["rows"][0]["figures"]) == set(rates.FIGURES)
    assert body["labels"]["closure_rate"] == "结案率"
    assert body["definitions"] == rates.DEFINITIONS


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"period": "2019-13"}, 400, "period"),
        ({"period": "May"}, 400, "period"),
        ({"period": MAY, "by": "colour"}, 400, "by"),
        ({}, 422, "period"),
    ],
)
def test_a_bad_period_or_grouping_is_named(cc, api_as, params, status, field):
    response = api_as("operator").get("/stats/rates", params)

    assert (response.status_code, response.json()["field"]) == (status, field)
