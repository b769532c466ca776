"""The seed's four linkage examples are default rules after migrate."""

from __future__ import annotations

from wangge.cases.models import Category
from wangge.field.linkage.models import LinkageRule, LinkageRules
from wangge.field.linkage.services import responsible_roles


def test_the_four_seed_examples_are_default_rules(db):
    def roles(code: str) -> list[str]:
        return responsible_roles(Category.objects.get(code=code))

    # police who see litter call the sanitation worker
    assert roles("E0102") == roles("LE0108") == roles("LE0113") == ["sanitation"]
    # a sanitation worker who sees a public-security problem calls the police
    group = LinkageRule.objects.get(kind="event", major_code="07")
    assert group.role == "police" and group.category is None
    assert roles("LE0701") == roles("LE0702") == ["police"]
    # an enforcer who sees illegal parking calls the police
    assert roles("LE0504") == ["police"]
    # police who see street vending call the enforcer
    assert roles("LE0501") == roles("LE0503") == ["enforcer"]
    assert all("三.5" in r.note for r in LinkageRule.objects.all())
    assert LinkageRules.load().arrival_radius_m == 200


def test_the_group_rule_is_for_events_not_components_with_the_same_major_code(db):
    component = Category.objects.filter(kind="component", major_code="07").first()
    assert component is not None
    assert responsible_roles(component) == ([component.duty_role] if component.duty_role else [])


def test_the_data_migration_skips_missing_categories_and_adds_nothing_twice(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("wangge.field.linkage.migrations.0002_default_rules")
    before = LinkageRule.objects.count()
    migration.forwards(apps, None)
    assert LinkageRule.objects.count() == before

    LinkageRule.objects.all().delete()
    Category.objects.filter(code__in=["E0102", "LE0504"]).delete()
    migration.forwards(apps, None)
    assert not LinkageRule.objects.filter(category__code="E0102").exists()
    assert LinkageRule.objects.filter(category__code="LE0108").exists()


def test_no_category_no_roles(db):
    assert responsible_roles(None) == []
