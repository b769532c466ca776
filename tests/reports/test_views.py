"""The reports page: the months and their bulletin downloads."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import UserFactory
from tests.reports.pdf_text import docx_text, pdf_pages

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def last_month() -> str:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


@pytest.fixture
def assessor(cast, client):
    user = UserFactory(username="assessor")
    user.groups.add(Group.objects.get(name="assessors"))
    client.force_login(user)
    return user


def test_lists_the_ended_months_with_downloads_for_assessed_ones(assessor, assessment, client):
    month = last_month()
    assessment.months[month] = False
    page = client.get("/reports/").content.decode()
    assert f'id="month-{month}"' in page
    assert f"/reports/bulletin/{month}.docx" in page
    assert f"/reports/bulletin/{month}.pdf?audience=police" in page
    assert "draft" in page
    this_month = timezone.localdate().strftime("%Y-%m")
    assert f'id="month-{this_month}"' not in page  # not ended yet
    assert page.count("/reports/bulletin/") == 8  # one month assessed: 2 + 3 × 2 links


def test_an_earlier_month_can_be_asked_for(assessor, assessment, client):
    assessment.months["2019-05"] = True
    page = client.get("/reports/?month=2019-05").content.decode()
    assert "/reports/bulletin/2019-05.pdf" in page


def test_downloads_word_with_its_name(assessor, assessment, client):
    assessment.months["2026-10"] = True
    response = client.get("/reports/bulletin/2026-10.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert quote("2026年10月考核情况通报.docx") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    paragraphs, _ = docx_text(response.content)
    assert paragraphs[0] == "洛龙街道网格化管理工作2026年10月考核情况通报"


def test_downloads_an_addressed_pdf(assessor, assessment, client):
    assessment.months["2026-10"] = True
    response = client.get("/reports/bulletin/2026-10.pdf?audience=supervisor")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("2026年10月考核情况通报（网格监督员）.pdf") in response["Content-Disposition"]
    whole = "".join(pdf_pages(response.content))
    assert "监督员乙" in whole and "民警辛" not in whole


def test_a_month_without_a_run_is_404(assessor, assessment, client):
    assert client.get("/reports/bulletin/2026-09.pdf").status_code == 404


def test_a_bad_audience_is_400_with_the_reason(assessor, assessment, client):
    assessment.months["2026-10"] = True
    response = client.get("/reports/bulletin/2026-10.pdf?audience=mayor")
    assert response.status_code == 400
    assert "'mayor' is not an audience" in response.content.decode()


@pytest.mark.parametrize("username", ["operator", "root"])
def test_operators_and_admins_may_read(cast, assessment, client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    assert client.get("/reports/").status_code == 200


def test_others_may_not(cast, assessment, client):
    from django.contrib.auth import get_user_model

    assessment.months["2026-10"] = True
    client.force_login(get_user_model().objects.get(username="supervisor"))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/bulletin/2026-10.pdf").status_code == 403


def test_anonymous_is_sent_to_log_in(db, client):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert "login" in response["Location"]
