"""The default duty rules (one row, editable in the admin)."""

from django.db import migrations


def forwards(apps, schema_editor):
    DutyRules = apps.get_model("duty", "DutyRules")
    DutyRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("duty", "0002_dutyrules_ping_shift_shiftexception"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
