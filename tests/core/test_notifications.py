"""A message reaches a person in the inbox, through the live push, and, when asked, outbound."""

from __future__ import annotations

import json

import pytest

from wangge.core import channels
from wangge.core.models import Notification
from wangge.core.notifications import newer_than, notify

PASSWORD = "pass-word-123"


class Recorder:
    sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        Recorder.sent.append(notification)


@pytest.fixture
def recorder(settings):
    Recorder.sent = []
    channels._channel_class.cache_clear()
    settings.WANGGE_OUTBOUND_CHANNEL = "tests.core.test_notifications.Recorder"
    yield Recorder
    channels._channel_class.cache_clear()


def test_outbound_goes_only_after_the_transaction_commits(
    cast, recorder, django_capture_on_commit_callbacks
):
    user = cast.supervisor.user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note = notify(user=user, text="到现场", kind="linkage", outbound=True)
    assert recorder.sent == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert recorder.sent == [note]
    assert note.kind == "linkage"


def test_without_outbound_only_the_inbox_gets_it(
    cast, recorder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=cast.supervisor.user, text="仅站内")
    assert recorder.sent == []
    assert Notification.objects.filter(user=cast.supervisor.user).count() == 1


def test_the_default_channel_logs_the_message(cast, caplog, settings):
    channels._channel_class.cache_clear()
    settings.WANGGE_OUTBOUND_CHANNEL = "wangge.core.channels.LogChannel"
    note = notify(user=cast.supervisor.user, text="应急预警", kind="alert")
    with caplog.at_level("INFO", logger="wangge.outbound"):
        channels.outbound_channel().send(note)
    assert "应急预警" in caplog.text


def test_newer_than_gives_only_the_users_later_messages_oldest_first(cast):
    first = notify(user=cast.supervisor.user, text="一")
    notify(user=cast.operator.user, text="别人的")
    second = notify(user=cast.supervisor.user, text="二")
    third = notify(user=cast.supervisor.user, text="三")
    assert newer_than(cast.supervisor.user, first.pk) == [second, third]


def _events(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return [
        json.loads(line.removeprefix("data: "))
        for line in body.splitlines()
        if line.startswith("data: ")
    ]


def test_the_live_push_streams_messages_after_the_last_event_id(cast, client, settings):
    settings.WANGGE_PUSH_SECONDS = 0  # one pass, then the response ends
    seen = notify(user=cast.supervisor.user, text="已看过")
    fresh = notify(user=cast.supervisor.user, text="新消息", kind="alert", url="/m/")
    notify(user=cast.operator.user, text="别人的")
    assert client.login(username="supervisor", password=PASSWORD)
    response = client.get("/events/", HTTP_LAST_EVENT_ID=str(seen.pk))
    assert response["Content-Type"] == "text/event-stream"
    events = _events(response)
    assert [e["id"] for e in events] == [fresh.pk]
    assert events[0]["kind"] == "alert" and events[0]["text"] == "新消息"
    assert events[0]["unread"] == 2


def test_a_new_page_gets_only_what_arrives_after_it_opened(cast, client, settings):
    settings.WANGGE_PUSH_SECONDS = 0
    notify(user=cast.supervisor.user, text="旧的")
    assert client.login(username="supervisor", password=PASSWORD)
    assert _events(client.get("/events/")) == []


def test_the_live_push_needs_a_login(cast, client):
    assert client.get("/events/").status_code == 302


def test_a_quiet_stream_still_tells_the_browser_where_to_resume(cast, client, settings):
    settings.WANGGE_PUSH_SECONDS = 0
    newest = notify(user=cast.supervisor.user, text="旧的")
    assert client.login(username="supervisor", password=PASSWORD)
    body = b"".join(client.get("/events/").streaming_content).decode()
    assert f"id: {newest.pk}\n" in body  # the reconnect sends it back as Last-Event-ID
