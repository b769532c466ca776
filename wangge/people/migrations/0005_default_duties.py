"""Default data: each role's duties, the seed's 三.3 (1)–(5) word for word.

The seed lists them as "（1）网格监督员工作职责。负责……"; the heading ("<role>工作职责") is not
stored, only the duties after it, as the seed wrote them (its half-width commas included).
Rows missing since 0002_defaults (an admin deleted one) are created again with the seed's
number per grid; a row whose duties were already written is left alone.
"""

from django.db import migrations

# The seed: "每个基础网格配置监督员1名、城管执法人员2名、环卫工人2名、社区民警1名、社区专职工作人员1名".
STAFFING = {"supervisor": 1, "enforcer": 2, "sanitation": 2, "police": 1, "community_worker": 1}

DUTIES = {
    # （1）网格监督员工作职责。
    "supervisor": (
        "负责按标准在网格内巡查、上报各类网格化管理问题；"
        "完成区级网格中心及街道综合管理处置中心派遣的案件进行核实、核查和信息普查任务。"
    ),
    # （2）社区工作人员工作职责。
    "community_worker": (
        "负责上报日常工作中发现的各类网格化管理问题，"
        "对轻微的问题进行自行或协调处置,对不文明行为进行劝导、制止。"
    ),
    # （3）城管执法人员工作职责。
    "enforcer": (
        "在网格内进行全时段、全覆盖巡查，"
        "管理监督网格内的市容市貌、环境卫生、“门前三包”、违法违规建设等，"
        "对发现的违反城市管理法律法规的行为进行及时处理，"
        "处理不了的及时报告网格长或城管执法中队。"
    ),
    # （4）环卫保洁人员工作职责。
    "sanitation": (
        "负责网格内环境卫生清扫、保洁，及时清除发现的小广告等城市牛皮癣,"
        "对其他轻微的问题进行自行或协调处置，及时上报需由环卫公司处理的问题。"
    ),
    # （5）社区民警工作职责。
    "police": (
        "负责参与网格联动巡查，处理治安及刑事案件，"
        "做好流动人口等实有人口管理及矛盾纠纷排查调处工作，"
        "与城管执法人员实现联动、双向告知和信息共享；"
        "负责对执法人员在执法过程中遭遇暴力抗法及时出警，保障执法人员的人身安全。"
    ),
}


def forwards(apps, schema_editor):
    StaffingStandard = apps.get_model("people", "StaffingStandard")
    for role, duties in DUTIES.items():
        row, _created = StaffingStandard.objects.get_or_create(
            role=role, defaults={"per_grid": STAFFING[role]}
        )
        if not row.duties:
            row.duties = duties
            row.save(update_fields=["duties"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_staffingstandard_duties")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
