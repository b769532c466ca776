from __future__ import annotations

import pytest

from tests.conftest import MID, N, S, W
from tests.factories import rect
from wangge.core.errors import DomainError
from wangge.core.models import AuditEntry
from wangge.org.services import grid_save


def test_a_new_grid_gets_its_area_and_an_audit_entry(cast):
    grid = grid_save(
        community=cast.wujiaying,
        code="530114005001003",
        name="新网格",
        geometry=rect(W, N, MID, N + 0.01),
    )
    assert float(grid.area_km2) == pytest.approx(1.12, rel=0.01)  # 0.01° × 0.01° at 24.9 N
    assert AuditEntry.objects.filter(action="grid.create", object_id="530114005001003").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("53011400500100", "exactly 15 digits"),
        ("5301140050010011", "exactly 15 digits"),
        ("530114005001000", "sequence starts at 001"),
        ("530114005002003", "does not start with the code of 吴家营社区"),
    ],
)
def test_a_bad_grid_code_is_refused(cast, code, message):
    with pytest.raises(DomainError, match=message) as exc:
        grid_save(community=cast.wujiaying, code=code, name="x", geometry=rect(W, N, MID, N + 0.01))
    assert exc.value.field == "code"


def test_a_grid_overlapping_another_is_refused(cast):
    with pytest.raises(DomainError, match="overlaps grid 530114005001001 吴家营社区东网格"):
        grid_save(
            community=cast.wujiaying,
            code="530114005001003",
            name="越界",
            geometry=rect(W, S + 0.005, MID, N + 0.01),
        )
