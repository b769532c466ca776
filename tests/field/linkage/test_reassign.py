"""Hand-over: open linkage calls move to the successor; handled ones stay."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wangge.core.models import AuditEntry, Notification
from wangge.field.linkage import selectors, services
from wangge.field.linkage.models import LinkageCall

from .conftest import report_by


@pytest.fixture
def three_calls(cast, crew, django_capture_on_commit_callbacks) -> list[LinkageCall]:
    for _ in range(3):
        report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    return list(LinkageCall.objects.order_by("pk"))


def test_reassign_moves_only_open_calls_and_tells_the_successor(cast, crew, three_calls):
    handled, acked, called = three_calls
    services.handle(handled, crew.sanitation.user, "done")
    services.acknowledge(acked, crew.sanitation.user)
    now = timezone.now()

    moved = services.reassign_calls(
        person=crew.sanitation, successor=crew.sanitation_off, by_user=cast.admin_user, at=now
    )

    assert [pk for pk, _ in moved] == [acked.pk, called.pk]
    assert all(acked.case.number in label or called.case.number in label for _, label in moved)
    assert not selectors.open_calls_for(crew.sanitation).exists()
    assert [c.pk for c in selectors.open_calls_for(crew.sanitation_off)] == [called.pk, acked.pk]
    acked.refresh_from_db()
    assert (acked.person, acked.user, acked.reassigned_from) == (
        crew.sanitation_off,
        crew.sanitation_off.user,
        crew.sanitation,
    )
    assert acked.reassigned_by == cast.admin_user and acked.reassigned_at == now
    assert acked.status == "acknowledged"
    handled.refresh_from_db()
    assert handled.person == crew.sanitation
    assert Notification.objects.filter(user=crew.sanitation_off.user, kind="linkage").count() == 2
    assert AuditEntry.objects.filter(action="linkage.reassign").count() == 2


def test_reassign_with_nothing_open_moves_nothing(cast, crew):
    assert (
        services.reassign_calls(
            person=crew.sanitation,
            successor=crew.sanitation_off,
            by_user=cast.admin_user,
            at=timezone.now(),
        )
        == []
    )


def test_a_call_the_successor_already_has_is_cancelled_not_doubled(cast, crew, three_calls):
    first = three_calls[0]
    LinkageCall.objects.create(
        case=first.case,
        grid=first.grid,
        role=first.role,
        person=crew.sanitation_off,
        user=crew.sanitation_off.user,
        called_at=first.called_at,
    )

    moved = services.reassign_calls(
        person=crew.sanitation,
        successor=crew.sanitation_off,
        by_user=cast.admin_user,
        at=timezone.now(),
    )

    assert len(moved) == 3
    first.refresh_from_db()
    assert first.status == "cancelled" and first.person == crew.sanitation
    assert not selectors.open_calls_for(crew.sanitation).exists()
    assert selectors.open_calls_for(crew.sanitation_off).count() == 3
