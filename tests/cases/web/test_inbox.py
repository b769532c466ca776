"""The leader a case's tier puts in charge hears of it in the in-app inbox."""

from __future__ import annotations

import pytest

from tests.cases.test_workflow import new_case, step
from wangge.core.models import Notification

PASSWORD = "pass-word-123"


@pytest.mark.django_db
def test_filing_tells_the_leader_in_charge_and_the_inbox_shows_it(cc, monday_morning, client):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    leader = cc.level3.person.user
    note = Notification.objects.get(user=leader)
    assert case.number in note.text and note.url == f"/cases/{case.pk}/"
    client.login(username=leader.username, password=PASSWORD)
    header = client.get("/map/").content.decode()
    assert 'class="badge">1<' in header
    page = client.get("/inbox/").content.decode()
    assert case.number in page
    assert Notification.objects.get(pk=note.pk).read_at is not None
    assert 'class="badge"' not in client.get("/map/").content.decode()


@pytest.mark.django_db
def test_raising_the_tier_tells_the_new_leader(cc, monday_morning):
    case = step(new_case(cc), "file", cc.operator, monday_morning, category=cc.category)
    step(case, "set-tier", cc.operator, monday_morning, tier=5, reason="跨部门")
    # The level-1 leader of the district (the cast's district leader) takes charge of tier 5.
    assert Notification.objects.filter(user=cc.district_leader.user).count() == 1
