"""The alert rules row with its defaults: acknowledge within 10 minutes, called again every
10 minutes, at most 3 times. Edit it in the admin."""

from django.db import migrations


def forwards(apps, schema_editor):
    AlertRules = apps.get_model("alerts", "AlertRules")
    AlertRules.objects.get_or_create(
        pk=1, defaults={"ack_minutes": 10, "recall_minutes": 10, "max_recalls": 3}
    )


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
