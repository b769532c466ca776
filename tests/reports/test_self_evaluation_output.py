"""The self-evaluation report as files: ``wangge report self-evaluation …`` and the downloads on
/reports/ (the hand-built 2019 of test_self_evaluation)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.factories import UserFactory
from tests.reports.pdf_text import docx_text, pdf_pages
from tests.reports.test_self_evaluation import PROJECT, Year, build_year

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = f"洛龙街道2019年区级预算支出 —{PROJECT}绩效自评报告"


@pytest.fixture
def year2019(cast) -> Year:
    return build_year(cast)


def run(*args: str) -> None:
    call_command("report", *args)


# --- the command -------------------------------------------------------------------------------


def test_writes_word(year2019, tmp_path, capsys):
    out = tmp_path / "report.docx"
    run("self-evaluation", "--year", "2019", "--subdistrict", "530114005", "-o", str(out))
    paragraphs, tables = docx_text(out.read_bytes())
    assert paragraphs[0] == TITLE
    assert "一、项目基本情况" in paragraphs
    assert any("62.53万元" in p for p in paragraphs)
    assert ["2019年8月20日", "呈财调〔2019〕45号", "财政调节经费", "2.78"] in tables[1]
    assert f"Wrote {TITLE} to" in capsys.readouterr().err


def test_writes_pdf(year2019, tmp_path):
    out = tmp_path / "report.pdf"
    run("self-evaluation", "--year", "2019", "--subdistrict", "005", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    whole = "".join("".join(pdf_pages(out.read_bytes())).split())  # without line breaks
    assert "绩效自评报告" in whole
    assert "吴家营社区东网格" in whole
    assert "附录：数据来源" in whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2019", "--subdistrict", "530114005", "-o", "r.odt"), "'r.odt' does not end"),
        (("--year", "19", "--subdistrict", "530114005", "-o", "r.pdf"), "'19' is not a year"),
        (("--year", "2019", "--subdistrict", "53011400", "-o", "r.pdf"), "'53011400' is not a"),
        (
            ("--year", "2019", "--subdistrict", "530114009", "-o", "r.pdf"),
            "no subdistrict with code 530114009",
        ),
        (
            ("--year", "2017", "--subdistrict", "530114005", "-o", "r.docx"),
            "no data for 洛龙街道 in 2017: no cases, no budget project, no staff in its grids",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    year2019, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as err:
        run("self-evaluation", *args)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_report_is_refused(year2019, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'bulletin'"):
        run("bulletin", "--year", "2019", "--subdistrict", "005", "-o", str(tmp_path / "r.pdf"))


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def operator(year2019, client):
    """The centre's operator: their territory is 洛龙街道."""
    client.force_login(get_user_model().objects.get(username="operator"))


def test_the_reports_page_offers_the_territorys_subdistricts(operator, client):
    page = client.get("/reports/").content.decode()
    assert 'id="self-evaluation"' in page
    assert '<option value="530114005">洛龙街道</option>' in page
    assert 'action="/reports/self-evaluation/"' in page


def test_downloads_word(operator, client):
    response = client.get("/reports/self-evaluation/530114005/2019.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("洛龙街道2019年绩效自评报告.docx") in response["Content-Disposition"]
    paragraphs, _ = docx_text(response.content)
    assert paragraphs[0] == TITLE


def test_downloads_pdf(operator, client):
    response = client.get("/reports/self-evaluation/530114005/2019.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "绩效自评报告" in "".join(pdf_pages(response.content))


def test_the_form_sends_the_browser_to_the_download(operator, client):
    response = client.get("/reports/self-evaluation/?subdistrict=530114005&year=2019&format=pdf")
    assert response.status_code == 302
    assert response["Location"] == "/reports/self-evaluation/530114005/2019.pdf"


def test_a_bad_choice_in_the_form_is_shown_on_the_page(operator, client):
    response = client.get("/reports/self-evaluation/?subdistrict=530114005&year=20x9&format=pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="self-evaluation-error"' in page
    assert "&#x27;20x9&#x27; is not a year" in page


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/reports/self-evaluation/530114005/1800.pdf", 400, "'1800' is not a year"),
        ("/reports/self-evaluation/530114005/2017.docx", 400, "no data for 洛龙街道 in 2017"),
    ],
)
def test_a_bad_year_is_refused_with_the_reason(operator, client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_subdistrict_outside_the_territory_is_not_found(operator, client):
    assert client.get("/reports/self-evaluation/530114009/2019.pdf").status_code == 404


def test_finance_staff_may_download_but_grid_staff_may_not(year2019, client):
    finance = UserFactory(username="finance")
    finance.groups.add(Group.objects.get(name="finance"))
    client.force_login(finance)
    assert client.get("/reports/").status_code == 200
    # no person, so no territory: the subdistrict is not theirs
    assert client.get("/reports/self-evaluation/530114005/2019.pdf").status_code == 404
    client.force_login(get_user_model().objects.get(username="supervisor"))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/self-evaluation/530114005/2019.pdf").status_code == 403


def test_an_unknown_format_in_the_form_is_shown_on_the_page(operator, client):
    response = client.get("/reports/self-evaluation/?subdistrict=530114005&year=2019&format=odt")
    assert response.status_code == 400
    assert "&#x27;odt&#x27; is not a format" in response.content.decode()


def test_the_thresholds_are_one_row_in_the_admin(year2019, client):
    from wangge.reports.models import ProblemThresholds

    client.force_login(get_user_model().objects.get(username="root"))
    assert client.get("/admin/reports/problemthresholds/add/").status_code == 200
    ProblemThresholds(max_overdue_rate="0.10").save()
    ProblemThresholds(max_overdue_rate="0.08").save()  # the same row, pk 1
    assert ProblemThresholds.objects.count() == 1
    assert str(ProblemThresholds.current().max_overdue_rate) == "0.0800"
    assert client.get("/admin/reports/problemthresholds/add/").status_code == 403
    assert client.get("/admin/reports/problemthresholds/1/change/").status_code == 200
