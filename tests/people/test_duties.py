"""The roles' duties (the seed's 三.3 (1)–(5)) are data on the staffing standard, editable in the
admin, and the annual report prints them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.factories import UserFactory
from wangge.people.models import StaffingStandard

pytestmark = pytest.mark.django_db

duties_migration = importlib.import_module("wangge.people.migrations.0005_default_duties")

# The seed, word for word after each heading "（n）<role>工作职责。".
SEED = {
    "supervisor": (
        "负责按标准在网格内巡查、上报各类网格化管理问题；"
        "完成区级网格中心及街道综合管理处置中心派遣的案件进行核实、核查和信息普查任务。"
    ),
    "community_worker": (
        "负责上报日常工作中发现的各类网格化管理问题，"
        "对轻微的问题进行自行或协调处置,对不文明行为进行劝导、制止。"
    ),
    "enforcer": (
        "在网格内进行全时段、全覆盖巡查，"
        "管理监督网格内的市容市貌、环境卫生、“门前三包”、违法违规建设等，"
        "对发现的违反城市管理法律法规的行为进行及时处理，"
        "处理不了的及时报告网格长或城管执法中队。"
    ),
    "sanitation": (
        "负责网格内环境卫生清扫、保洁，及时清除发现的小广告等城市牛皮癣,"
        "对其他轻微的问题进行自行或协调处置，及时上报需由环卫公司处理的问题。"
    ),
    "police": (
        "负责参与网格联动巡查，处理治安及刑事案件，"
        "做好流动人口等实有人口管理及矛盾纠纷排查调处工作，"
        "与城管执法人员实现联动、双向告知和信息共享；"
        "负责对执法人员在执法过程中遭遇暴力抗法及时出警，保障执法人员的人身安全。"
    ),
}


def test_the_migration_wrote_each_roles_duties_from_the_seed():
    rows = {r.role: r for r in StaffingStandard.objects.all()}
    assert {role: row.duties for role, row in rows.items()} == SEED
    # The numbers per grid are still the seed's 1/2/2/1/1.
    assert {role: row.per_grid for role, row in rows.items()} == {
        "supervisor": 1,
        "enforcer": 2,
        "sanitation": 2,
        "police": 1,
        "community_worker": 1,
    }


def test_the_migration_creates_a_missing_row_and_keeps_written_duties():
    StaffingStandard.objects.filter(role="police").delete()
    StaffingStandard.objects.filter(role="enforcer").update(duties="本街道自定职责", per_grid=3)
    StaffingStandard.objects.filter(role="supervisor").update(duties="")
    duties_migration.forwards(apps, None)
    police = StaffingStandard.objects.get(role="police")
    assert (police.per_grid, police.duties) == (1, SEED["police"])
    enforcer = StaffingStandard.objects.get(role="enforcer")
    assert (enforcer.per_grid, enforcer.duties) == (3, "本街道自定职责")
    assert StaffingStandard.objects.get(role="supervisor").duties == SEED["supervisor"]
    assert StaffingStandard.objects.count() == 5


def test_the_admin_shows_and_saves_the_duties(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    row = StaffingStandard.objects.get(role="sanitation")
    page = client.get(f"/admin/people/staffingstandard/{row.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="duties"' in html and "城市牛皮癣" in html
    listing = client.get("/admin/people/staffingstandard/").content.decode()
    assert "负责网格内环境卫生清扫" in listing  # the excerpt column
    r = client.post(
        f"/admin/people/staffingstandard/{row.pk}/change/",
        {"role": "sanitation", "per_grid": "2", "duties": "负责清扫保洁。"},
    )
    assert r.status_code == 302, r.content.decode()[:1000]
    row.refresh_from_db()
    assert row.duties == "负责清扫保洁。"
