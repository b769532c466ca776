"""The report form's category list: pinyin for offline search, and fresh after a change."""

from __future__ import annotations

import pytest

from wangge.cases.models import Category
from wangge.field.mobile.selectors import picker_categories

pytestmark = pytest.mark.django_db


def codes() -> set[str]:
    return {c["code"] for c in picker_categories()}


def test_the_picker_follows_changes_to_the_categories(db):
    before = codes()
    new = Category.objects.create(
        kind="event", code="LE9902", major_name="市容环境", name="占道经营（测试）", time_limit=4
    )
    row = next(c for c in picker_categories() if c["code"] == "LE9902")
    assert "zdjycs" in row["initials"].split() and "zhandaojingying" in row["pinyin"]
    assert codes() == before | {"LE9902"}
    new.active = False
    new.save()
    assert codes() == before
