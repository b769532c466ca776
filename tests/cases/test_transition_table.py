"""Every action of the table, from every state it is not allowed in, and by someone with no
capacity for it, is refused, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.cases.test_workflow import new_case
from tests.factories import PersonFactory, UserFactory
from wangge.cases.models import Case, CaseEvent, CaseStatus, Oversight
from wangge.cases.services import act
from wangge.cases.workflow import TRANSITIONS
from wangge.core.errors import DomainError, Forbidden
from wangge.people.services import role_assign

pytestmark = pytest.mark.django_db

DISALLOWED = [
    (action, status)
    for action, t in TRANSITIONS.items()
    for status in CaseStatus
    if status not in t.sources
]


def in_state(case: Case, status: str) -> Case:
    # Set up around the services on purpose: the test is about what act() refuses.
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("action", "status"), DISALLOWED)
def test_an_action_is_refused_from_every_state_the_table_does_not_list(cc, action, status):
    case = in_state(new_case(cc), status)
    with pytest.raises(DomainError) as exc:
        act(case, action, actor_user=cc.admin_user, data={})
    assert exc.value.code == "invalid_state"
    assert status in exc.value.message and action in exc.value.message
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.version) == (status, case.version)
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.fixture
def outsider(cc):
    """The supervisor of another grid, in no group: may see nothing here and act on nothing."""
    person = PersonFactory(name="外网格监督员", user=UserFactory(username="outsider"))
    role_assign(
        person=person, grid=cc.south, role="supervisor", start_date=cc.base.east.created_at.date()
    )
    return person.user


ALLOWED = [(action, t.sources[0]) for action, t in TRANSITIONS.items()]


@pytest.mark.parametrize(("action", "status"), ALLOWED)
def test_every_action_is_refused_to_someone_without_the_capacity(cc, outsider, action, status):
    case = in_state(new_case(cc, source="public"), status)
    # Whatever else an action waits for is there: an extension request, an oversight order.
    Case.objects.filter(pk=case.pk).update(pending_extension_hours=4, tier=5)
    Oversight.objects.create(case=case, deadline=timezone.now(), demand="督办")
    case.refresh_from_db()
    with pytest.raises(Forbidden) as exc:
        act(case, action, actor_user=outsider, data={})
    assert exc.value.status == 403 and action in exc.value.message
    assert Case.objects.get(pk=case.pk).version == case.version
