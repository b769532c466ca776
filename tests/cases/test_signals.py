"""Other apps hear of a new case once, after it is committed, and never for a replay."""

from __future__ import annotations

import pytest

from wangge.cases.models import Case
from wangge.cases.services import report
from wangge.cases.signals import case_reported


@pytest.fixture
def heard():
    got: list[int] = []

    def receiver(sender, case_id, **kwargs):
        got.append(case_id)

    case_reported.connect(receiver, dispatch_uid="test-heard")
    yield got
    case_reported.disconnect(dispatch_uid="test-heard")


def _report(user, key):
    return report(
        actor_user=user,
        source="five_roles",
        description="垃圾满溢",
        lon=102.848,
        lat=24.875,
        idempotency_key=key,
    )


def test_a_new_case_is_announced_once_after_commit(cast, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _report(cast.supervisor.user, "key-00000001")
    assert heard == [case.pk]


def test_a_replayed_report_is_not_announced_again(cast, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _report(cast.supervisor.user, "key-00000002")
        again = _report(cast.supervisor.user, "key-00000002")
    assert again.pk == first.pk
    assert heard == [first.pk]
    assert Case.objects.count() == 1


def test_a_failing_listener_does_not_undo_the_report(
    cast, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, case_id, **kwargs):
        raise RuntimeError("listener down")

    case_reported.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = _report(cast.supervisor.user, "key-00000003")
    finally:
        case_reported.disconnect(dispatch_uid="test-broken")
    assert Case.objects.filter(pk=case.pk).exists()
    assert "listener down" in caplog.text
