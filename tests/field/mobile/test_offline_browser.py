"""The handheld app in a phone-sized Chromium (issue 4's first "done when"): a report made
offline with a photo waits on the phone, is sent when the connection returns, and arrives once.

Headless Chromium (/usr/bin/chromium, missing = failure) at 390×844 with touch and a position
inside 吴家营社区东网格. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.cases.conftest import png
from wangge.cases.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_data"),
]
PASSWORD = "pass-word-123"
EAST = {"longitude": 102.847, "latitude": 24.875}  # in 吴家营社区东网格
OUTSIDE = {"longitude": 103.5, "latitude": 25.5}  # outside the jurisdiction
DESCRIPTION = "春融街口暴露垃圾一堆（离线上报）"
CACHED = """url => navigator.serviceWorker.getRegistration().then(r =>
    Boolean(r && r.active && r.active.state === "activated")
    && caches.match(url, {ignoreVary: true}).then(Boolean))"""


@pytest.fixture
def phone(browser, live_server, settings):
    """A new phone: a context with touch, a small screen and a granted position."""
    settings.WANGGE_PUSH_SECONDS = 0  # the live push answers at once: no held connections
    contexts = []
    errors: list[str] = []

    def make(username: str, where: dict[str, float] = EAST):
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            geolocation=where,
            permissions=["geolocation"],
        )
        contexts.append(context)
        page = context.new_page()
        # Failed requests are expected while offline; a script error never is.
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.goto(f"{live_server.url}/m/login/")
        try:
            page.wait_for_selector("#id_username", timeout=15000)
        except PlaywrightTimeout:
            pytest.fail(f"no sign-in form at {page.url}: {page.content()[:500]}")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("form.m-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/m/")
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors


def waiting(page) -> str:
    return page.locator("#outbox [data-outbox-count]").inner_text()


def open_report(page, base: str) -> None:
    page.goto(f"{base}/m/report/")
    page.wait_for_selector("#map.ready")
    # Ready to work offline once the service worker is active and has the page cached.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(100):
        if page.evaluate(CACHED, "/m/report/"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(CACHED, "/m/report/"), "the service worker did not cache the page"
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        # Loaded while the worker was still installing: the next load is under its control.
        page.reload()
        page.wait_for_selector("#map.ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def test_a_report_made_offline_is_sent_once_when_the_phone_is_back_online(
    default_data, live_server, cc, worker, phone, artifacts, tmp_path
):
    photo = tmp_path / "litter.png"
    photo.write_bytes(png("red"))
    page = phone("worker")
    assert "环卫工东" in page.inner_text(".m-me")
    page.wait_for_selector("#map.ready")
    page.screenshot(path=str(artifacts / "mobile-01-home.png"), full_page=True)

    open_report(page, live_server.url)
    page.wait_for_function("document.getElementById('lon').value !== ''")
    assert float(page.input_value("#lon")) == pytest.approx(102.847)
    assert float(page.input_value("#lat")) == pytest.approx(24.875)

    page.context.set_offline(True)
    # The app shell opens without a connection (served by the service worker).
    page.reload()
    page.wait_for_selector("#map.ready")
    assert page.locator("#net-status").is_visible()
    page.wait_for_function("document.getElementById('lon').value !== ''")

    page.set_input_files("#photos", str(photo))
    page.wait_for_selector("[data-thumbs=photos] img")
    # The category by its pinyin initials, found on the phone without the server.
    page.fill("#category-search", "blljcs")
    page.locator('.m-choice[data-code="LE9901"]').click()
    assert "LE9901" in page.inner_text("#category-chosen")
    page.fill("#description", DESCRIPTION)
    page.click(".m-submit")

    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '1'"
    )
    assert page.locator("#outbox-list .m-outbox-item").count() == 1
    assert DESCRIPTION[:10] in page.inner_text("#outbox-list")
    page.screenshot(path=str(artifacts / "mobile-02-offline-waiting.png"), full_page=True)
    assert Case.objects.count() == 0
    # Keep a copy of the queued item (photo Blob and idempotency key) to send it again below.
    key = page.evaluate(
        "WanggeApp.items().then(i => { window.savedItem = i[0]; return i[0].key; })"
    )
    assert len(key) >= 8

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '0'",
        timeout=15000,
    )
    case = Case.objects.get()
    assert (case.description, case.source, case.grid, case.category.code) == (
        DESCRIPTION,
        "five_roles",
        cc.east,
        "LE9901",
    )
    assert (case.idempotency_key, case.photos.count(), case.reporter) == (key, 1, worker.user)
    assert case.number in page.inner_text("#toast")
    page.screenshot(path=str(artifacts / "mobile-03-sent.png"), full_page=True)

    # The same item sent again (a lost answer, a second tab): the server replays, nothing new.
    page.evaluate("WanggeApp.requeue(window.savedItem)")
    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '0'"
    )
    assert Case.objects.filter(description=DESCRIPTION).count() == 1
    assert Case.objects.count() == 1


def test_a_report_the_server_refuses_stays_marked_to_edit_or_delete(
    default_data, live_server, cc, worker, phone, tmp_path
):
    photo = tmp_path / "p.png"
    photo.write_bytes(png("blue"))
    page = phone("worker", OUTSIDE)
    open_report(page, live_server.url)
    page.wait_for_function("document.getElementById('lon').value === '103.5'")
    for text in ("辖区外的问题甲", "辖区外的问题乙"):
        page.set_input_files("#photos", str(photo))
        page.fill("#description", text)
        page.click(".m-submit")
    refused = page.locator('#outbox-list .m-outbox-item[data-state="error"]')
    page.wait_for_function(
        "document.querySelectorAll('#outbox-list .m-outbox-item[data-state=error]').length === 2",
        timeout=15000,
    )
    # The server's own message (in the phone's language), naming the point.
    assert "103.500000" in refused.first.locator(".m-outbox-error").inner_text()
    assert waiting(page) == "2" and Case.objects.count() == 0
    # Not retried on its own: another round leaves them as they are.
    page.evaluate("WanggeApp.flush()")
    assert waiting(page) == "2" and Case.objects.count() == 0

    # One is deleted…
    page.on("dialog", lambda dialog: dialog.accept())
    refused.filter(has_text="辖区外的问题乙").locator("[data-delete]").click()
    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '1'"
    )
    # …the other corrected: opened for editing, the marker put inside the grid, sent again.
    refused.first.locator("a").click()
    page.wait_for_url("**/m/report/?edit=*")
    page.wait_for_selector("#map.ready")
    assert page.input_value("#description") == "辖区外的问题甲"
    assert page.locator("[data-thumbs=photos] img").count() == 1  # the photo kept
    box = page.locator("#map path.leaflet-interactive").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('lon').value !== '103.5'")
    page.click(".m-submit")
    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '0'"
    )
    case = Case.objects.get()
    assert (case.description, case.grid, case.photos.count()) == ("辖区外的问题甲", cc.east, 1)


def test_signing_on_from_the_phone_sends_my_position(default_data, live_server, worker, phone):
    from wangge.field.duty.models import DutySession, Ping

    page = phone("worker")
    page.wait_for_selector("#map.ready")
    page.click("#duty-button")
    page.wait_for_function("document.getElementById('duty').dataset.on === '1'")
    session = DutySession.objects.get(person=worker, ended_at__isnull=True)
    assert (session.grid, session.role) == (worker.roles.get().grid, "sanitation")
    assert float(session.start_lon) == pytest.approx(102.847)
    # A first position is recorded at once and sent from the ping queue.
    for _ in range(100):
        if Ping.objects.filter(person=worker).exists():
            break
        page.wait_for_timeout(100)
    ping = Ping.objects.get(person=worker)
    assert (float(ping.lon), float(ping.lat)) == (pytest.approx(102.847), pytest.approx(24.875))

    page.click("#duty-button")
    page.wait_for_function("document.getElementById('duty').dataset.on === ''")
    session.refresh_from_db()
    assert session.ended_at is not None


def test_a_fix_on_the_spot_and_a_dispatched_task_from_the_phone(
    default_data, live_server, cc, worker, phone, tmp_path, artifacts
):
    from wangge.cases.services import act, report

    before, after = tmp_path / "before.png", tmp_path / "after.png"
    before.write_bytes(png("red"))
    after.write_bytes(png("green"))
    page = phone("worker")

    # Fixed on the spot (tier 1): before and after photos, the category found online by its
    # pinyin initials through GET /api/v1/categories.
    page.goto(f"{live_server.url}/m/fix/")
    page.wait_for_function("document.getElementById('lon').value !== ''")
    page.set_input_files("#photos-before", str(before))
    page.set_input_files("#photos-after", str(after))
    page.fill("#category-search", "blljcs")
    page.locator('.m-choice[data-code="LE9901"]').click()
    page.fill("#description", "捡走路边垃圾一袋")
    page.click(".m-submit")
    page.wait_for_function(
        "document.querySelector('#outbox [data-outbox-count]').textContent === '0'"
        " && document.getElementById('toast').textContent.length > 0"
    )
    fixed = Case.objects.get(description="捡走路边垃圾一袋")
    assert (fixed.status, fixed.tier, fixed.photos.count()) == ("self_handled", 1, 2)

    # A case dispatched to the grid team: accept, then feed back with a photo.
    case = report(
        actor_user=cc.supervisor.user,
        source="supervisor",
        description="井盖缺失",
        lon=102.847,
        lat=24.875,
        category=cc.category,
    )
    case = act(case, "file", actor_user=cc.operator.user, data={"category": cc.category})
    case = act(case, "dispatch", actor_user=cc.dispatcher.user, data={"target": "grid_team"})
    page.goto(f"{live_server.url}/m/tasks/")
    page.screenshot(path=str(artifacts / "mobile-04-tasks.png"), full_page=True)
    page.click(f'a[href="/m/cases/{case.pk}/"]')
    page.wait_for_selector("#map.ready")
    page.screenshot(path=str(artifacts / "mobile-05-case.png"), full_page=True)
    with page.expect_navigation():
        page.click('form[data-action="accept"] button')
    page.set_input_files("#feedback-photos", str(after))
    page.fill("#feedback-result", "已补装井盖")
    with page.expect_navigation():
        page.click('form[data-action="feedback"] button')
    case.refresh_from_db()
    assert (case.status, case.handler) == ("handled", worker)
    assert case.photos.filter(kind="after").count() == 1
    assert page.locator('form[data-action="feedback"]').count() == 0


def test_a_new_message_shows_as_a_banner_linking_into_the_app(
    default_data, live_server, worker, phone
):
    from wangge.core.notifications import notify

    notify(user=worker.user, text="旧消息", url="/cases/41/", kind="case")
    page = phone("worker")
    page.goto(f"{live_server.url}/m/tasks/")
    # The push starts after the newest message when the page was made: an old one is not news,
    # one that comes while the stream reconnects is (the stream here ends at once, see phone).
    notify(user=worker.user, text="请到春融街口处理暴露垃圾", url="/cases/42/", kind="case")
    banner = page.locator("#push-banner")
    banner.wait_for(state="visible", timeout=15000)
    assert banner.inner_text().startswith("请到春融街口处理暴露垃圾")
    assert banner.locator("a").get_attribute("href") == "/m/cases/42/"
