"""Default data: the seed's staffing standard (1/2/2/1/1) and the platform's user groups."""

from django.db import migrations

# The seed: "每个基础网格配置监督员1名、城管执法人员2名、环卫工人2名、社区民警1名、社区专职工作人员1名".
STAFFING = {"supervisor": 1, "enforcer": 2, "sanitation": 2, "police": 1, "community_worker": 1}

GROUPS = [
    "operator_intake",
    "operator_dispatch",
    "leaders",
    "supervisor",
    "enforcer",
    "sanitation",
    "police",
    "community_worker",
    "assessors",
    "finance",
    "admins",
]


def forwards(apps, schema_editor):
    StaffingStandard = apps.get_model("people", "StaffingStandard")
    Group = apps.get_model("auth", "Group")
    for role, n in STAFFING.items():
        StaffingStandard.objects.get_or_create(role=role, defaults={"per_grid": n})
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
