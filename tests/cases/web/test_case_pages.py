"""The case pages, seen by the cast: login, territory scoping, the report form, the action forms,
the list's filters and exports, the queues and the to-do list."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import png
from wangge.cases.models import Case, CaseEvent
from wangge.cases.services import act, report

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"
EAST = (102.8475, 24.875)  # 吴家营社区东网格
WEST = (102.8425, 24.875)  # 吴家营社区西网格
SOUTH = (102.855, 24.875)  # 洛龙社区南网格
OUTSIDE = (102.95, 24.875)  # east of 洛龙街道


def in_english(client) -> None:
    """Pick English, as the language switch does (the pages are Chinese by default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def new_case(cc, where=EAST, description="路边暴露垃圾一堆", **kw):
    kw.setdefault("source", "supervisor")
    return report(
        actor_user=cc.operator.user,
        description=description,
        lon=where[0],
        lat=where[1],
        category=cc.category,
        **kw,
    )


def step(case, action, who, **data):
    photos = data.pop("photos", None)
    return act(case, action, actor_user=who.user, data=data, photos=photos)


def to_handling(cc, case):
    case = step(case, "file", cc.operator, category=cc.category)
    case = step(case, "dispatch", cc.dispatcher)
    return step(case, "accept", cc.station_worker)


def to_handled(cc, case):
    case = to_handling(cc, case)
    return step(case, "feedback", cc.station_worker, result="已清理", photos=[png()])


# --- login and scoping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/cases/",
        "/cases/new/",
        "/cases/queues/",
        "/cases/todo/",
        "/cases/map/",
        "/cases/map/data/",
        "/cases/export.csv",
        "/cases/export.xlsx",
        "/cases/1/",
    ],
)
def test_every_case_page_requires_login(cc, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_supervisor_sees_only_their_grids_cases(cc, client):
    mine = new_case(cc, EAST, description="东网格的垃圾")
    theirs = new_case(cc, WEST, description="西网格的垃圾")
    login(client, "supervisor")
    listing = client.get("/cases/").content.decode()
    assert mine.number in listing
    assert theirs.number not in listing
    assert client.get(f"/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    # Nor can they act on it, or see its photos, or find it on the map.
    assert client.post(f"/cases/{theirs.pk}/act/verify/", {"passed": "yes"}).status_code == 404
    numbers = [c["number"] for c in client.get("/cases/map/data/").json()["cases"]]
    assert numbers == [mine.number]


def test_the_operator_sees_the_whole_subdistrict(cc, client):
    cases = [new_case(cc, p) for p in (EAST, WEST, SOUTH)]
    listing = login(client, "operator").get("/cases/").content.decode()
    assert all(c.number in listing for c in cases)


# --- reporting ------------------------------------------------------------------------------


def report_form(**over):
    data = {
        "description": "井盖缺失，有行人跌落危险",
        "source": "supervisor",
        "urgency": "urgent",
        "lon": str(EAST[0]),
        "lat": str(EAST[1]),
        "address": "吴家营路12号",
        "category": "",
    }
    data.update(over)
    return data


def test_the_report_form_creates_a_case_with_its_photos(cc, client):
    login(client, "supervisor")
    data = report_form(category=str(cc.category.pk))
    data["photos"] = [
        SimpleUploadedFile("a.png", png(), content_type="image/png"),
        SimpleUploadedFile("b.png", png("blue"), content_type="image/png"),
    ]
    response = client.post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.grid, case.urgency, case.category) == (cc.east, "urgent", cc.category)
    assert case.reporter == cc.supervisor.user
    assert case.photos.filter(kind="before").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "井盖缺失" in page
    # The photos are served to those who may see the case.
    photo = case.photos.first()
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 200


def test_a_point_outside_the_jurisdiction_is_shown_and_nothing_is_written(cc, client):
    login(client, "supervisor")
    response = client.post("/cases/new/", report_form(lon=str(OUTSIDE[0])))
    assert response.status_code == 400
    assert response.context["form"].errors["lon"]  # next to the point, not over the form
    assert "outside" in response.content.decode() or "辖区" in response.content.decode()
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(cc, client):
    login(client, "supervisor")
    in_english(client)  # the assertions read the service's English message
    data = report_form()
    data["photos"] = [SimpleUploadedFile("notes.png", b"not an image", content_type="image/png")]
    response = client.post("/cases/new/", data)
    assert response.status_code == 400
    assert "not an image" in str(response.context["form"].errors["photos"])
    assert not Case.objects.exists()


def test_a_report_without_a_point_asks_for_a_click(cc, client):
    login(client, "supervisor")
    response = client.post("/cases/new/", report_form(lon="", lat=""))
    assert response.status_code == 400
    assert {"lon", "lat"} <= set(response.context["form"].errors)


def test_the_category_search_narrows_the_options(cc, client):
    login(client, "supervisor")
    html = client.get("/cases/categories/", {"q": "暴露"}).content.decode()
    assert "暴露垃圾（测试）" in html
    assert (
        "暴露垃圾（测试）" not in client.get("/cases/categories/", {"q": "井盖"}).content.decode()
    )


# --- the case page and its action forms ------------------------------------------------------


def test_the_case_page_offers_each_user_their_actions(cc, client):
    case = new_case(cc)
    page = login(client, "operator").get(f"/cases/{case.pk}/")
    actions = [a["action"] for a in page.context["actions"]]
    assert actions[:2] == ["file", "reject"]
    assert page.context["proposal"].tier == 2  # the rules' proposal is shown at filing
    client.logout()
    page = login(client, "supervisor").get(f"/cases/{case.pk}/")
    assert page.context["actions"] == []  # nothing for the supervisor until it is handled


def test_filing_through_the_form_calls_the_service(cc, client):
    case = new_case(cc)
    login(client, "operator")
    response = client.post(
        f"/cases/{case.pk}/act/file/",
        {"category": cc.category.pk, "urgency": "normal", "heavy_machinery": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.tier, case.facts) == ("filed", 2, {"heavy_machinery": True})
    assert "大型机械" in case.tier_reason


def test_another_tier_than_proposed_needs_a_reason_next_to_the_field(cc, client):
    case = new_case(cc)
    login(client, "operator")
    in_english(client)  # the assertions read the service's English message
    response = client.post(
        f"/cases/{case.pk}/act/file/", {"category": cc.category.pk, "urgency": "normal", "tier": 4}
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["action"] == "file")
    assert "say why" in str(form.errors["tier_reason"])
    case.refresh_from_db()
    assert case.status == "reported"


def test_a_wrong_user_gets_403(cc, client):
    case = new_case(cc)
    login(client, "supervisor")  # sees the case, but filing is the centre's job
    response = client.post(f"/cases/{case.pk}/act/file/", {"category": cc.category.pk})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "reported" and case.events.count() == 1


def test_a_rework_without_a_reason_shows_the_field_error(cc, client):
    case = to_handled(cc, new_case(cc))
    login(client, "supervisor")
    response = client.post(f"/cases/{case.pk}/act/verify/", {"passed": "no", "reason": ""})
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["action"] == "verify")
    assert "reason" in form.errors
    case.refresh_from_db()
    assert (case.status, case.rework_count) == ("handled", 0)
    # With the reason it goes back for rework.
    client.post(f"/cases/{case.pk}/act/verify/", {"passed": "no", "reason": "仍有残留垃圾"})
    case.refresh_from_db()
    assert (case.status, case.rework_count) == ("handling", 1)


def test_feedback_takes_photos_through_the_form(cc, client):
    case = to_handling(cc, new_case(cc))
    login(client, "station")
    response = client.post(
        f"/cases/{case.pk}/act/feedback/",
        {"result": "已清理完毕", "photos": [SimpleUploadedFile("after.png", png("green"))]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "handled"
    assert case.photos.filter(kind="after").count() == 1


def test_an_action_from_the_wrong_state_is_explained(cc, client):
    case = new_case(cc)
    login(client, "operator")
    in_english(client)  # the assertions read the service's English message
    response = client.post(f"/cases/{case.pk}/act/evaluate/", {})
    assert response.status_code == 400
    assert "not allowed in that state" in response.content.decode()


def test_a_stale_form_reloads_the_case_with_a_note(cc, client, monkeypatch):
    from wangge.cases import views
    from wangge.core.errors import Conflict

    case = new_case(cc)
    login(client, "operator")

    def lost_race(*args, **kwargs):
        raise Conflict("changed by someone else")

    monkeypatch.setattr(views.services, "act", lost_race)
    response = client.post(
        f"/cases/{case.pk}/act/file/",
        {"category": cc.category.pk, "urgency": "normal"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert any("reloaded" in str(m) or "已重新载入" in str(m) for m in response.context["messages"])


def test_rejecting_as_a_duplicate_looks_the_number_up(cc, client):
    first = new_case(cc)
    second = new_case(cc)
    login(client, "operator")
    response = client.post(
        f"/cases/{second.pk}/act/reject/",
        {"reason_kind": "duplicate", "reason": "同一堆垃圾", "duplicate_number": "nope"},
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["action"] == "reject")
    assert "duplicate_number" in form.errors
    client.post(
        f"/cases/{second.pk}/act/reject/",
        {"reason_kind": "duplicate", "reason": "同一堆垃圾", "duplicate_number": first.number},
    )
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == ("rejected", first)


# --- the list, its filters and exports ------------------------------------------------------


def test_the_list_filters_and_swaps_the_table_with_htmx(cc, client):
    east = new_case(cc, EAST, description="东网格的垃圾")
    south = new_case(cc, SOUTH, description="南网格的垃圾")
    login(client, "operator")
    response = client.get(
        "/cases/", {"grid": cc.east.pk}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-table"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="case-table"')  # the table alone
    assert east.number in html and south.number not in html
    html = client.get("/cases/", {"q": "南网格"}).content.decode()
    assert south.number in html and east.number not in html


def test_the_list_needs_the_same_queries_for_5_and_25_cases(cc, client):
    login(client, "operator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        new_case(cc)
    few = queries()
    for _ in range(20):
        new_case(cc, SOUTH)
    assert queries() == few  # no query per row
    assert few <= 12


def test_csv_export_holds_the_filtered_rows(cc, client):
    east = new_case(cc, EAST)
    south = new_case(cc, SOUTH)
    login(client, "operator")
    response = client.get("/cases/export.csv", {"community": cc.wujiaying.pk})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the one case in 吴家营社区
    assert rows[1][0] == east.number
    assert south.number not in text
    assert "吴家营社区东网格" in rows[1]


def test_excel_export_holds_the_filtered_rows(cc, client):
    from openpyxl import load_workbook

    east = new_case(cc, EAST)
    new_case(cc, SOUTH)
    to_handling(cc, east)
    login(client, "operator")
    response = client.get("/cases/export.xlsx", {"status": "handling"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == east.number


# --- queues, to-do and the live map ----------------------------------------------------------


def test_the_queues_count_right(cc, client):
    new_case(cc)  # to file
    new_case(cc, source="hotline_12345")  # to verify on site first
    filed = step(new_case(cc), "file", cc.operator, category=cc.category)  # to dispatch
    handled = to_handled(cc, new_case(cc))  # to verify and close
    response = login(client, "operator").get("/cases/queues/")
    counts = {q["key"]: q["count"] for q in response.context["queues"]}
    assert counts == {
        "to_verify": 1,
        "to_file": 1,
        "to_dispatch": 1,
        "overdue": 0,
        "late": 0,
        "extensions": 0,
        "to_close": 1,
        "to_evaluate": 0,
        "suspended": 0,
    }
    html = response.content.decode()
    assert filed.number in html and handled.number in html


def test_the_todo_lists_what_each_user_can_do_now(cc, client):
    waiting = to_handling(cc, new_case(cc))
    dispatched = step(
        step(new_case(cc), "file", cc.operator, category=cc.category), "dispatch", cc.dispatcher
    )
    handled = to_handled(cc, new_case(cc))
    new_case(cc)  # to file: the centre's, nobody else's
    todo = login(client, "station").get("/cases/todo/").context["rows"]
    assert {r["case"].number for r in todo} == {waiting.number, dispatched.number}
    client.logout()
    todo = login(client, "supervisor").get("/cases/todo/").context["rows"]
    assert [r["case"].number for r in todo] == [handled.number]
    assert [t.action for t in todo[0]["actions"]] == ["verify"]


def test_the_map_data_holds_the_open_cases_with_their_state(cc, client):
    case = to_handling(cc, new_case(cc))
    rejected = new_case(cc)
    step(rejected, "reject", cc.operator, reason_kind="not_a_case", reason="不是案件")
    data = login(client, "operator").get("/cases/map/data/").json()
    assert [(c["number"], c["status"], c["overdue"]) for c in data["cases"]] == [
        (case.number, "handling", False)
    ]
    assert login(client, "operator").get("/cases/map/").status_code == 200
