"""Schemes are data: the defaults add up; a scheme whose points do not add up is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wangge.assessment import computations
from wangge.assessment.models import Indicator, Scheme
from wangge.assessment.services import assess, leaves, scheme_check
from wangge.core.errors import DomainError

D = Decimal


@pytest.mark.django_db
def test_every_default_scheme_adds_up():
    schemes = list(Scheme.objects.all())
    assert {s.code for s in schemes} >= {
        "community-monthly",
        "office-yearly",
        "staff-supervisor",
        "staff-enforcer",
        "staff-sanitation",
        "staff-police",
        "staff-community_worker",
        "std-supervisor",
        "std-dispatcher",
        "std-intake",
    }
    for scheme in schemes:
        scheme_check(scheme)  # raises if not


@pytest.mark.django_db
def test_the_community_scheme_is_the_seeds():
    scheme = Scheme.objects.get(code="community-monthly")
    top = {i.code: i.max_points for i in scheme.indicators.filter(parent=None)}
    assert top == {"MGMT": D(10), "CASES": D(67), "KEY": D(15), "OPS": D(8)}
    cases = {i.code: i.max_points for i in scheme.indicators.filter(parent__code="CASES")}
    assert cases == {"CLOSURE": D(25), "ON_TIME": D(25), "REWORK": D(9), "OVERDUE": D(8)}
    assert [i.code for i in leaves(scheme)] == [
        "MGMT",
        "CLOSURE",
        "ON_TIME",
        "REWORK",
        "OVERDUE",
        "KEY",
        "OPS",
    ]


@pytest.mark.django_db
def test_the_standard_schemes_are_ready_but_inactive():
    assert not Scheme.objects.filter(code__startswith="std-", active=True).exists()


@pytest.mark.django_db
def test_children_that_do_not_add_up_to_their_parent_are_refused():
    scheme = Scheme.objects.get(code="community-monthly")
    Indicator.objects.filter(scheme=scheme, code="REWORK").update(max_points=D(10))
    with pytest.raises(DomainError) as exc:
        scheme_check(scheme)
    assert exc.value.message == (
        "indicator CASES 案件处置 has 67 points but its items add up to 68"
        " (CLOSURE 25 + ON_TIME 25 + REWORK 10 + OVERDUE 8)"
    )


@pytest.mark.django_db
def test_a_top_level_that_does_not_add_up_to_the_total_is_refused_and_not_assessed():
    scheme = Scheme.objects.get(code="community-monthly")
    Indicator.objects.filter(scheme=scheme, code="OPS").update(max_points=D(9))
    with pytest.raises(DomainError, match=r"add up to 101, not to the scheme's total 100"):
        scheme_check(scheme)
    with pytest.raises(DomainError, match="add up to 101"):
        assess("2019-05", scheme=scheme)
    assert not scheme.runs.exists()


@pytest.mark.django_db
def test_negative_points_and_unknown_computations_are_refused():
    scheme = Scheme.objects.get(code="staff-police")
    Indicator.objects.filter(scheme=scheme, code="HANDLING").update(source="staff.nothing")
    with pytest.raises(DomainError, match=r"no computation named 'staff\.nothing'"):
        scheme_check(scheme)
    scheme = Scheme.objects.get(code="staff-enforcer")
    Indicator.objects.filter(scheme=scheme, code="MISSED").update(max_points=D(-6))
    with pytest.raises(DomainError, match="negative points"):
        scheme_check(scheme)


@pytest.mark.parametrize(
    ("curve", "value", "maximum", "points"),
    [
        ({"type": "linear", "zero_at": 0.6, "full_at": 1.0}, D("0.75"), D(25), D("9.38")),
        ({"type": "linear", "zero_at": 0.6, "full_at": 1.0}, D("0.5"), D(25), D("0.00")),
        ({"type": "linear", "zero_at": 0.6, "full_at": 1.0}, D("1"), D(25), D("25.00")),
        ({"type": "linear", "zero_at": 0, "full_at": 1}, D("0.5"), D(20), D("10.00")),
        ({"type": "inverse"}, D("0.25"), D(9), D("6.75")),
        ({"type": "inverse"}, D("1.5"), D(9), D("0.00")),
        ({"type": "per_unit", "points": 2, "cap": 6}, D(2), D(6), D("2.00")),
        ({"type": "per_unit", "points": 2, "cap": 6}, D(5), D(6), D("0.00")),
        ({"type": "per_unit", "points": 1}, D("1.5"), D(8), D("6.50")),
        ({"type": "linear", "empty": "full"}, None, D(25), D(25)),
        ({"type": "linear", "empty": "zero"}, None, D(25), D(0)),
        ({"type": "inverse"}, None, D(8), D(8)),
    ],
)
def test_curves(curve, value, maximum, points):
    assert computations.points_for(curve, value, maximum) == points


def test_bad_curves_are_named():
    assert computations.check_curve({"type": "log"}) == (
        "unknown curve type 'log': use linear, inverse or per_unit"
    )
    assert computations.check_curve({"type": "linear", "zero_at": 1, "full_at": 0.5})
    assert computations.check_curve({"type": "inverse", "empty": "maybe"})
    assert computations.check_curve({"type": "per_unit", "points": 1}) is None
