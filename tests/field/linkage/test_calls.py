"""Linkage (五员联动): a report in another role's duty calls the on-duty person of that role in
that grid, and nobody else; with nobody on duty, the grid's level-3 leader."""

from __future__ import annotations

from wangge.core.models import Notification
from wangge.field.duty.services import sign_off
from wangge.field.linkage import services
from wangge.field.linkage.models import LinkageCall, LinkageRule
from wangge.people.models import LeaderPost

from .conftest import report_by


def inbox_owners(kind: str = "linkage") -> set[str]:
    return {n.user.person.name for n in Notification.objects.filter(kind=kind)}


def test_police_reporting_litter_calls_the_on_duty_sanitation_worker_of_that_grid_only(
    cast, crew, django_capture_on_commit_callbacks
):
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    call = LinkageCall.objects.get(case=case)
    assert (call.person, call.role, call.to_leader) == (crew.sanitation, "sanitation", False)
    assert call.user == crew.sanitation.user
    assert call.called_by == crew.police.user
    assert call.status == "called"
    assert inbox_owners() == {"环卫工甲"}  # not the off-duty one, not west's, not the reporter
    note = Notification.objects.get(kind="linkage")
    assert case.number in note.text
    assert note.url == f"/cases/{case.pk}/"


def test_with_no_sanitation_worker_on_duty_the_grids_level3_leader_is_called(
    cast, crew, django_capture_on_commit_callbacks
):
    sign_off(person=crew.sanitation)

    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    call = LinkageCall.objects.get(case=case)
    assert call.person == crew.leader3
    assert call.to_leader is True
    assert call.leader_post == LeaderPost.objects.get(level="level3")
    assert inbox_owners() == {"三级网格长戊"}


def test_a_sanitation_worker_reporting_litter_calls_nobody(
    cast, crew, django_capture_on_commit_callbacks
):
    report_by(crew.sanitation, crew.litter, django_capture_on_commit_callbacks)

    assert not LinkageCall.objects.exists()
    assert not Notification.objects.filter(kind="linkage").exists()


def test_a_public_report_calls_nobody(cast, crew, django_capture_on_commit_callbacks):
    report_by(None, crew.litter, django_capture_on_commit_callbacks, reporter_name="市民")

    assert not LinkageCall.objects.exists()


def test_a_report_without_category_calls_nobody(cast, crew, django_capture_on_commit_callbacks):
    report_by(crew.police, None, django_capture_on_commit_callbacks)

    assert not LinkageCall.objects.exists()


def test_a_five_role_member_of_another_grid_calls_nobody(
    cast, crew, django_capture_on_commit_callbacks
):
    report_by(crew.sanitation_west, crew.vending, django_capture_on_commit_callbacks)

    assert not LinkageCall.objects.exists()


def test_police_reporting_street_vending_calls_the_enforcer(
    cast, crew, django_capture_on_commit_callbacks
):
    case = report_by(crew.police, crew.vending, django_capture_on_commit_callbacks)

    assert [(c.person, c.role) for c in LinkageCall.objects.filter(case=case)] == [
        (crew.enforcer, "enforcer")
    ]


def test_calling_twice_makes_one_call(cast, crew, django_capture_on_commit_callbacks):
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    assert services.call_for_case(case) == []
    assert LinkageCall.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(kind="linkage").count() == 1


def test_with_no_rule_the_categorys_duty_role_is_called(
    cast, crew, django_capture_on_commit_callbacks
):
    LinkageRule.objects.filter(category=crew.litter).delete()
    assert crew.litter.duty_role == "sanitation"
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    assert LinkageCall.objects.get(case=case).person == crew.sanitation


def test_an_inactive_rule_falls_back_and_a_rule_can_name_another_role(
    cast, crew, django_capture_on_commit_callbacks
):
    LinkageRule.objects.filter(category=crew.litter).update(active=False)
    LinkageRule.objects.create(category=crew.litter, role="enforcer", note="test")

    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    assert [c.person for c in LinkageCall.objects.filter(case=case)] == [crew.enforcer]


def test_a_failing_linkage_does_not_break_the_report(
    cast, crew, django_capture_on_commit_callbacks, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("channel down")

    monkeypatch.setattr(services, "call_for_case", boom)
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)

    assert case.pk is not None
    assert not LinkageCall.objects.exists()


def test_a_report_of_a_problem_seen_long_ago_calls_nobody(
    cast, crew, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    at = timezone.now() - dt.timedelta(days=2)
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks, reported_at=at)

    assert not LinkageCall.objects.exists()


def test_a_problem_fixed_on_the_spot_calls_nobody(cast, crew, django_capture_on_commit_callbacks):
    import io

    from PIL import Image

    from wangge.cases import services as case_services

    from .conftest import EAST_POINT

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    png = buf.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.report_self_handled(
            actor_user=crew.police.user,
            category=crew.litter,
            description="顺手清理了垃圾",
            lon=EAST_POINT[0],
            lat=EAST_POINT[1],
            before=[png],
            after=[png],
        )

    assert case.status == "self_handled"
    assert not LinkageCall.objects.exists()


def test_the_leader_closest_to_the_grid_is_called_else_the_next_level_up(
    cast, crew, django_capture_on_commit_callbacks
):
    from tests.factories import PersonFactory, UserFactory

    sign_off(person=crew.sanitation)
    wide = PersonFactory(name="街道三级网格长", user=UserFactory())
    LeaderPost.objects.create(level="level3", person=wide, subdistrict=cast.subdistrict)
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    assert [c.person for c in LinkageCall.objects.all()] == [crew.leader3]  # the community's

    LeaderPost.objects.filter(level="level3").delete()
    level2 = PersonFactory(name="二级网格长", user=UserFactory())
    LeaderPost.objects.create(level="level2", person=level2, subdistrict=cast.subdistrict)
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    assert [c.person for c in LinkageCall.objects.filter(case=case)] == [level2]
