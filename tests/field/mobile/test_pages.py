"""The handheld app's pages: sign-in, the phone pages of a five-role member, and what makes it
installable (manifest, icons, service worker)."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.field.mobile.conftest import EAST
from wangge.cases.services import act, report

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"


@pytest.fixture
def phone(client, worker):
    client.force_login(worker.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("path", ["/m/", "/m/tasks/", "/m/report/", "/m/fix/", "/m/cases/1/"])
def test_a_page_asks_a_signed_out_user_to_sign_in_on_the_phone(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/m/login/?next={path}"


def test_signing_in_on_the_phone_lands_on_the_app_home(client, worker):
    page = html(client.get("/m/login/", HTTP_ACCEPT_LANGUAGE="en"))
    assert 'name="username"' in page and "mobile/app.css" in page and "site-header" not in page
    response = client.post("/m/login/", {"username": "worker", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/m/")
    assert "环卫工东" in html(client.get("/m/"))


def test_a_wrong_password_stays_on_the_sign_in_page(client, worker):
    response = client.post("/m/login/", {"username": "worker", "password": "wrong"})
    assert response.status_code == 200
    assert "m-error" in response.content.decode()


def test_signing_out_returns_to_the_sign_in_page(phone):
    response = phone.post("/m/logout/")
    assert (response.status_code, response["Location"]) == (302, "/m/login/")
    assert phone.get("/m/").status_code == 302


def test_home_shows_me_my_grid_duty_and_task_counts(phone, cast):
    page = html(phone.get("/m/"))
    assert "环卫工东" in page and "吴家营社区东网格" in page
    assert 'id="duty-button"' in page and "Sign on" in page
    assert 'data-task-count="cases"' in page and "data-outbox-count" in page
    assert 'rel="manifest" href="/m/manifest.webmanifest"' in page
    assert 'data-sw="/m/sw.js"' in page and "leaflet/leaflet.js" in page
    # My grid is on the map, and only mine.
    start = page.index('id="grids-data"')
    grids = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert [f["properties"]["code"] for f in grids["features"]] == [cast.east.code]


def test_the_report_page_takes_photos_from_the_camera_and_works_offline(phone, cc):
    page = html(phone.get("/m/report/"))
    assert 'accept="image/*" capture="environment" multiple' in page
    assert 'data-api="/api/v1/cases"' in page
    # The categories ride along for searching without a connection, pinyin initials included.
    start = page.index('id="categories-data"')
    categories = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    test_category = next(c for c in categories if c["code"] == "LE9901")
    assert "blljcs" in test_category["initials"]  # 暴露垃圾（测试）


def test_the_fix_page_asks_for_before_and_after_photos(phone, cc):
    page = html(phone.get("/m/fix/"))
    assert 'name="before"' in page and 'name="after"' in page
    assert 'data-api="/api/v1/cases/self-handled"' in page


def test_a_case_dispatched_to_my_grid_team_offers_accept(phone, cc, worker):
    case = report(
        actor_user=cc.supervisor.user,
        source="supervisor",
        description="路边暴露垃圾一堆",
        lon=EAST[0],
        lat=EAST[1],
        category=cc.category,
    )
    case = act(case, "file", actor_user=cc.operator.user, data={"category": cc.category})
    case = act(case, "dispatch", actor_user=cc.dispatcher.user, data={"target": "grid_team"})
    tasks = html(phone.get("/m/tasks/"))
    assert case.number in tasks and f"/m/cases/{case.pk}/" in tasks
    page = html(phone.get(f"/m/cases/{case.pk}/"))
    assert 'data-action="accept"' in page and 'data-action="verify"' not in page
    assert "路边暴露垃圾一堆" in page


def test_a_case_outside_my_territory_is_not_found(client, cc, worker):
    from tests.field.mobile.conftest import SOUTH

    case = report(
        actor_user=cc.sanitation_other.user,
        source="five_roles",
        description="南网格的问题",
        lon=SOUTH[0],
        lat=SOUTH[1],
    )
    client.force_login(worker.user)
    assert client.get(f"/m/cases/{case.pk}/").status_code == 404


def test_the_manifest_makes_the_app_installable(client, db):
    response = client.get("/m/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "处置通"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/m/",
        "/m/",
        "standalone",
    )
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert sizes["192x192"] == "/m/icon-192.png" and sizes["512x512"] == "/m/icon-512.png"
    assert sizes["any"].endswith("mobile/icon.svg")


@pytest.mark.parametrize("size", [192, 512])
def test_the_icons_are_pngs_of_their_size(client, db, size):
    response = client.get(f"/m/icon-{size}.png")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(response.content)).size == (size, size)


def test_an_icon_size_that_is_not_offered_is_not_found(client, db):
    assert client.get("/m/icon-100.png").status_code == 404


def test_the_service_worker_is_javascript_for_the_app_scope_with_the_shell(client, db):
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    source = response.content.decode()
    shell = json.loads(source.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert {"/m/", "/m/tasks/", "/m/report/", "/m/fix/"} <= set(shell)
    assert any(url.endswith("mobile/app.js") for url in shell)
    assert any(url.endswith("leaflet/leaflet.js") for url in shell)
    assert 'addEventListener("fetch"' in source


def test_an_account_without_a_person_gets_the_app_with_nothing_to_do(client, cast):
    client.force_login(cast.admin_user)
    page = html(client.get("/m/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "not linked to a person" in page
    assert 'id="duty-button"' in page and "disabled" in page.split('id="duty-button"')[1][:40]
    assert html(client.get("/m/tasks/", HTTP_ACCEPT_LANGUAGE="en"))


def test_the_supervisor_verifies_a_handled_case_from_the_phone(client, cc, worker):
    from tests.cases.conftest import png

    case = report(
        actor_user=cc.supervisor.user,
        source="supervisor",
        description="井盖缺失",
        lon=EAST[0],
        lat=EAST[1],
        category=cc.category,
    )
    case = act(case, "file", actor_user=cc.operator.user, data={"category": cc.category})
    case = act(case, "dispatch", actor_user=cc.dispatcher.user, data={"target": "grid_team"})
    case = act(case, "accept", actor_user=worker.user)
    case = act(case, "feedback", actor_user=worker.user, data={"result": "已补装"}, photos=[png()])
    client.force_login(cc.supervisor.user)
    page = html(client.get(f"/m/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert 'data-action="verify"' in page
    assert 'name="passed" value="true"' in page and 'name="passed" value="false"' in page
    assert f'data-version="{case.version}"' in page
    # The photo fed back shows on the page.
    assert f"/cases/{case.pk}/photos/" in page
