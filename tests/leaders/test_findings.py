"""inspection_findings: what the assessment reads to deduct points for 脱岗 and 在岗不履职."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangge.leaders.models import Finding, Inspection
from wangge.leaders.selectors import inspection_findings
from wangge.leaders.services import inspection_record


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


NOW = at(2026, 6, 15)


def inspect(crew, person, when, finding, note="seen"):
    return inspection_record(
        by_user=crew.leader.user, person=person, at=when, finding=finding, note=note, now=NOW
    )


def test_counts_absent_and_neglect_per_person(crew):
    inspect(crew, crew.enforcer, at(2026, 5, 3), Finding.ABSENT)
    inspect(crew, crew.enforcer, at(2026, 5, 9), Finding.ABSENT)
    inspect(crew, crew.enforcer, at(2026, 5, 20), Finding.NEGLECT)
    inspect(crew, crew.worker, at(2026, 5, 21), Finding.NEGLECT)
    inspect(crew, crew.worker, at(2026, 5, 22), Finding.OK, note="")
    inspect(crew, crew.worker, at(2026, 5, 23), Finding.OTHER, note="uniform missing")

    got = inspection_findings(
        [crew.enforcer.pk, crew.worker.pk], dt.date(2026, 5, 1), dt.date(2026, 5, 31)
    )

    assert got == {
        crew.enforcer.pk: {"absent": 2, "neglect": 1},
        crew.worker.pk: {"absent": 0, "neglect": 1},
    }


def test_people_without_findings_are_left_out(crew):
    inspect(crew, crew.worker, at(2026, 5, 22), Finding.OK, note="")

    got = inspection_findings(
        [crew.enforcer.pk, crew.worker.pk], dt.date(2026, 5, 1), dt.date(2026, 5, 31)
    )

    assert got == {}


def test_only_the_people_asked_for(crew):
    inspect(crew, crew.enforcer, at(2026, 5, 3), Finding.ABSENT)

    assert inspection_findings([crew.worker.pk], dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == {}
    assert inspection_findings([], dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == {}


def test_an_absent_finding_counts_in_its_month_and_not_the_next(crew):
    # 23:30 local on the last day of May is still May (Asia/Shanghai), though it is May 31
    # 15:30 UTC; 00:10 on June 1 local belongs to June.
    inspect(crew, crew.enforcer, at(2026, 5, 31, 23, 30), Finding.ABSENT)
    inspect(crew, crew.worker, at(2026, 6, 1, 0, 10), Finding.NEGLECT)

    may = inspection_findings(
        [crew.enforcer.pk, crew.worker.pk], dt.date(2026, 5, 1), dt.date(2026, 5, 31)
    )
    june = inspection_findings(
        [crew.enforcer.pk, crew.worker.pk], dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    )

    assert may == {crew.enforcer.pk: {"absent": 1, "neglect": 0}}
    assert june == {crew.worker.pk: {"absent": 0, "neglect": 1}}
    assert Inspection.objects.count() == 2
