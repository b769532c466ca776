"""The pages under /assessment/: runs, the run's table with manual items, publish, correct,
the Excel export with formulas in the header notes, the year end. For assessors only."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.assessment.conftest import closed_case
from wangge.assessment.models import AssessmentRun, RunStatus
from wangge.assessment.services import assess
from wangge.people.groups import ASSESSORS


@pytest.fixture
def assessor_client(cast, client):
    user = get_user_model().objects.create_user("assessor1", password="pass-word-123")
    user.groups.add(Group.objects.get(name=ASSESSORS))
    client.force_login(user)
    return client


@pytest.fixture
def run(cast):
    closed_case(cast.east, 13)
    closed_case(cast.south, 14, on_time=False)
    assess("2019-05")
    return AssessmentRun.objects.get(scheme__code="community-monthly", period="2019-05")


def test_others_may_not_see_the_pages(cast, client, run):
    client.force_login(cast.supervisor.user)
    assert client.get("/assessment/").status_code == 403
    assert client.get(f"/assessment/runs/{run.pk}/").status_code == 403
    assert client.post(f"/assessment/runs/{run.pk}/publish/").status_code == 403


def test_the_period_lists_its_runs(assessor_client, run):
    page = assessor_client.get("/assessment/?period=2019-05").content.decode()
    assert "社区月度考核" in page and "draft" in page
    assert f"/assessment/runs/{run.pk}/" in page


def test_the_runs_page_costs_the_same_queries_however_many_runs(assessor_client, run):
    """Each run's subject count and publisher come with the runs, not one query per run."""
    others = AssessmentRun.objects.filter(period="2019-05").exclude(pk=run.pk)
    assert others.exists()
    with CaptureQueriesContext(connection) as many:
        assert assessor_client.get("/assessment/?period=2019-05").status_code == 200
    others.delete()
    with CaptureQueriesContext(connection) as one:
        assert assessor_client.get("/assessment/?period=2019-05").status_code == 200
    assert len(many) == len(one)


def test_assessing_an_unfinished_month_on_the_page_says_why(assessor_client, cast):
    response = assessor_client.post("/assessment/assess/", {"period": "2099-01"}, follow=True)
    assert "2099-01 has not ended yet" in response.content.decode()
    assert not AssessmentRun.objects.exists()


def test_a_bad_period_sent_to_assess_comes_back_whole_in_the_address(assessor_client, cast):
    """The typed period is quoted in the redirect, so the page shows what was refused."""
    response = assessor_client.post("/assessment/assess/", {"period": "2019-05&x=1"})
    assert response.status_code == 302
    assert response["Location"].endswith("?period=2019-05%26x%3D1")
    page = assessor_client.get(response["Location"]).content.decode()
    assert "is not a month" in page
    assert not AssessmentRun.objects.exists()


def test_score_publish_and_correct_on_the_pages(assessor_client, run):
    manual = list(run.scores.filter(indicator__kind="manual").order_by("subject_name", "pk"))
    page = assessor_client.get(f"/assessment/runs/{run.pk}/").content.decode()
    assert "4 manual items are not scored yet." in page
    response = assessor_client.post(
        f"/assessment/scores/{manual[0].pk}/", {"points": "11", "evidence": "e"}, follow=True
    )
    assert "is above the maximum of" in response.content.decode()
    response = assessor_client.post(f"/assessment/runs/{run.pk}/publish/", follow=True)
    assert "manual item(s) are not scored yet" in response.content.decode()
    for score in manual:
        assessor_client.post(
            f"/assessment/scores/{score.pk}/", {"points": "5", "evidence": "records"}
        )
    response = assessor_client.post(f"/assessment/runs/{run.pk}/publish/", follow=True)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    page = response.content.decode()
    assert 'id="correct"' in page and 'id="manual"' not in page

    response = assessor_client.post(
        f"/assessment/runs/{run.pk}/correct/", {"reason": "a case was misfiled"}, follow=True
    )
    v2 = AssessmentRun.objects.get(scheme=run.scheme, period="2019-05", version=2)
    assert response.redirect_chain[-1][0] == f"/assessment/runs/{v2.pk}/"
    assert "a case was misfiled" in response.content.decode()


def test_the_excel_export_has_the_formulas_in_the_header_notes(assessor_client, run):
    response = assessor_client.get(f"/assessment/runs/{run.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    header = next(r for r in sheet.iter_rows() if r[0].value == "Rank")
    names = [c.value for c in header]
    assert names[:3] == ["Rank", "Name", "管理体制 (10)"]
    closure = header[names.index("结案率 (25)")]
    assert "结案率 = 结案数 / 应结案数" in closure.comment.text
    assert "60% 及以下" not in closure.comment.text  # the curve, in formula form:
    assert "(值 − 0.6) / (1.0 − 0.6)" in closure.comment.text
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=header[0].row + 1)]
    assert [(r[0], r[1], r[-1]) for r in rows] == [(1, "吴家营社区", 82), (2, "洛龙社区", 49)]


def test_the_year_end_page(assessor_client, run):
    response = assessor_client.post("/assessment/year/2019/", follow=True)
    assert "no community month of 2019 is published yet" in response.content.decode()


def test_the_runs_of_a_period_export_to_excel(assessor_client, run):
    html = assessor_client.get("/assessment/?period=2019-05").content.decode()
    assert "/assessment/export.xlsx?period=2019-05" in html
    response = assessor_client.get("/assessment/export.xlsx?period=2019-05")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    header = next(r for r in sheet.iter_rows() if r[0].value == "Scheme")
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=header[0].row + 1)]
    # Every run of the month is listed; the community run ranks the two communities.
    assert (run.scheme.name, 1, 2) in [(r[0], r[1], r[3]) for r in rows]
    assert len(rows) == AssessmentRun.objects.filter(period="2019-05").count() > 1
    assert assessor_client.get("/assessment/export.xlsx?period=2019-13").status_code == 404
