"""The live push in a real browser: a message sent to a signed-in user shows on their open page."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import LIVE_PUSH
from wangge.core.notifications import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_message_updates_the_badge_and_shows_a_notice(logged_in, live_server, cast, settings):
    settings.WANGGE_PUSH_SECONDS = 1  # short streams: the browser reconnects between them
    page = logged_in("supervisor")
    page.context.unroute(LIVE_PUSH)  # this test wants the real stream
    page.goto(f"{live_server.url}/inbox/")
    page.wait_for_load_state("load")
    assert page.locator(".inbox-link .badge").count() == 0
    page.wait_for_timeout(500)  # the stream is open and has noted where the inbox stands
    notify(user=cast.supervisor.user, text="应急预警：暴雨，请立即巡查积水点", kind="alert")
    notice = page.locator(".push-notice.urgent")
    notice.wait_for(timeout=10_000)
    assert "暴雨" in notice.inner_text()
    assert page.locator(".inbox-link .badge").inner_text() == "1"
    page.goto("about:blank")  # ends the stream before the live server stops
