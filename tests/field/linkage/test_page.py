"""The /linkage/ page: response times per grid and role and the calls, territory-scoped."""

from __future__ import annotations

from wangge.field.linkage import services
from wangge.field.linkage.models import LinkageCall

from .conftest import report_by


def test_the_page_shows_the_table_and_the_calls(
    client, cast, crew, django_capture_on_commit_callbacks
):
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    services.acknowledge(LinkageCall.objects.get(), crew.sanitation.user)
    client.force_login(cast.operator.user)

    page = client.get("/linkage/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="response-times"' in html
    assert "吴家营社区东网格" in html and case.number in html and "环卫工甲" in html


def test_the_page_is_territory_scoped(client, cast, crew, django_capture_on_commit_callbacks):
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    client.force_login(cast.sanitation_other.user)  # a worker of 洛龙社区南网格

    html = client.get("/linkage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert case.number not in html
    assert "No linkage calls in this month." in html


def test_the_page_needs_a_sign_in(client, db):
    assert client.get("/linkage/").status_code == 302


def test_the_called_person_acknowledges_and_handles_on_the_page(
    client, cast, crew, django_capture_on_commit_callbacks
):
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    call = LinkageCall.objects.get()
    client.force_login(crew.sanitation.user)
    assert f'id="call-{call.pk}"' in client.get("/linkage/").content.decode()

    client.post(f"/linkage/calls/{call.pk}/ack/")
    call.refresh_from_db()
    assert call.status == "acknowledged"
    client.post(f"/linkage/calls/{call.pk}/handle/", {"comment": "已清扫"})
    call.refresh_from_db()
    assert (call.status, call.comment) == ("handled", "已清扫")
    assert f'id="call-{call.pk}"' not in client.get("/linkage/").content.decode()

    client.force_login(crew.police.user)  # not addressed to the reporter
    assert client.post(f"/linkage/calls/{call.pk}/ack/").status_code == 404


def test_a_malformed_month_is_said_and_this_month_shown(client, cast):
    from django.utils import timezone

    client.force_login(cast.operator.user)
    page = client.get("/linkage/?month=2026-13")
    assert page.status_code == 200
    html = page.content.decode()
    assert "is not a month" in html
    assert f'value="{timezone.localdate():%Y-%m}"' in html
