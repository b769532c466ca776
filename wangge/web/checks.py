"""The partition check with each grid's workload, put together from the apps that own it.

org checks the geometry; people counts the staff on each roster; cases counts the cases of
the last twelve months. The `grids check` command, the API and the pages all call this.
"""

from __future__ import annotations

from wangge.cases.selectors import case_counts
from wangge.org.partition import SubdistrictReport, check_subdistrict
from wangge.org.selectors import subdistricts_visible
from wangge.org.territory import Territory
from wangge.people.selectors import staff_counts


def partition_reports(territory: Territory) -> list[SubdistrictReport]:
    return [
        check_subdistrict(sub, staff_counts=staff_counts, case_counts=case_counts)
        for sub in subdistricts_visible(territory)
    ]
