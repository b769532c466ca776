"""The seed's four linkage examples (三.5 五员驱动) as default rules, and the rules row.

Matched against the default taxonomy (cases/data/taxonomy.csv). A category that does not exist
is skipped (tests and other installations may build their own taxonomy); running it again adds
nothing. Edit or add rules in the admin.
"""

from django.db import migrations

SEED = "seed 三.5 五员驱动: "
LITTER = SEED + "police who see litter call the sanitation worker"
PUBLIC_ORDER = SEED + "a sanitation worker who sees a public-security problem calls the police"
PARKING = SEED + "an enforcer who sees illegal parking calls the police"
VENDING = SEED + "police who see street vending call the enforcer"

# (category code, role, note): one rule per category.
CATEGORY_RULES = [
    ("E0102", "sanitation", LITTER),  # 暴露垃圾
    ("LE0108", "sanitation", LITTER),  # 积存垃圾渣土
    ("LE0113", "sanitation", LITTER),  # 垃圾满溢
    ("LE0504", "police", PARKING),  # 车辆乱停乱放
    ("LE0501", "enforcer", VENDING),  # 占道经营
    ("LE0502", "enforcer", VENDING),  # 流动摊贩
    ("LE0503", "enforcer", VENDING),  # 无照经营游商
]
# (kind, major code, role, note): a whole category group.
GROUP_RULES = [
    ("event", "07", "police", PUBLIC_ORDER),  # 社会治安
]


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    LinkageRule = apps.get_model("linkage", "LinkageRule")
    LinkageRules = apps.get_model("linkage", "LinkageRules")
    LinkageRules.objects.get_or_create(pk=1, defaults={"arrival_radius_m": 200})
    for code, role, note in CATEGORY_RULES:
        category = Category.objects.filter(code=code).first()
        if category is None:
            continue
        LinkageRule.objects.get_or_create(category=category, role=role, defaults={"note": note})
    for kind, major_code, role, note in GROUP_RULES:
        if not Category.objects.filter(kind=kind, major_code=major_code).exists():
            continue
        LinkageRule.objects.get_or_create(
            category=None, kind=kind, major_code=major_code, role=role, defaults={"note": note}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0001_initial"),
        ("cases", "0005_default_taxonomy"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
