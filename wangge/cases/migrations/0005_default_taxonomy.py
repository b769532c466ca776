"""Load the default category taxonomy (部件/事件 with their 立案结案标准) from data/taxonomy.csv.

Self-contained on purpose: it reads the CSV with the csv module and writes through the
historical model, so that later changes to wangge.cases.taxonomy cannot change what this
migration does. Idempotent: a category whose code exists already is left as it is (an operator
may have edited it); `wangge categories import` is the way to update the standard later.
"""

import csv
from pathlib import Path

from django.db import migrations

TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.csv"


def load(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    fields = {f.name for f in Category._meta.get_fields()}
    with TAXONOMY.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if not code:
                continue
            values = {
                "kind": row["kind"],
                "major_code": row["major_code"],
                "major_name": row["major_name"],
                "name": row["name"],
                "official": row["official"].strip().lower() == "yes",
                "time_limit": int(row["time_limit"]),
                "time_unit": row["time_unit"],
                "urgent_time_limit_hours": int(row["urgent_time_limit_hours"])
                if row["urgent_time_limit_hours"].strip()
                else None,
                "urgency": row["urgency"] or "normal",
                "default_target": row["default_target"] or "workstation",
                "default_unit_name": row["default_unit_name"],
                "duty_role": row["duty_role"],
                "keywords": row["keywords"],
                "filing_condition": row["filing_condition"],
                "closing_condition": row["closing_condition"],
                "source": row.get("source", ""),
            }
            # Only what the model has at this point of the history (source may come later).
            defaults = {k: v for k, v in values.items() if k in fields}
            Category.objects.get_or_create(code=code, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_category_source")]

    # Not reversed: cases may point at these categories by then (on_delete=PROTECT).
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
