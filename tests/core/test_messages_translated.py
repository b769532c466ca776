"""Messages the services raise reach the user in the active language (zh-hans by default)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.cases import conftest as cases_conftest
from tests.cases.test_workflow import new_case
from wangge.cases.services import act
from wangge.core.errors import DomainError
from wangge.core.geo import parse_point
from wangge.people.services import parse_role

cc = cases_conftest.cc  # the case cast lives in tests/cases


def _message(fn, *args, **kw) -> str:
    with pytest.raises(DomainError) as exc:
        fn(*args, **kw)
    return exc.value.message


def test_a_swapped_coordinate_is_explained_in_chinese():
    with translation.override("zh-hans"):
        message = _message(parse_point, 24.88, 102.85)
    assert "纬度 102.85" in message and "颠倒" in message
    with translation.override("en"):
        message = _message(parse_point, 24.88, 102.85)
    assert "latitude 102.85 is out of range" in message and "look swapped" in message


def test_an_unknown_role_is_refused_in_chinese():
    with translation.override("zh-hans"):
        message = _message(parse_role, "x")
    assert "未知岗位 'x'" in message and "supervisor" in message
    with translation.override("en"):
        assert "unknown role 'x'; the roles are:" in _message(parse_role, "x")


@pytest.mark.django_db
def test_an_action_from_the_wrong_state_is_refused_in_chinese(cc):
    case = new_case(cc)
    assert case.status == "reported"
    with translation.override("zh-hans"):
        message = _message(act, case, "dispatch", actor_user=cc.admin_user)
    assert case.number in message and "不允许" in message
    with translation.override("en"):
        message = _message(act, case, "dispatch", actor_user=cc.admin_user)
    assert "the action 'dispatch' is not allowed in that state" in message
