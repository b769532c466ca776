"""`wangge demo` generates realistic cases through the workflow services (issue 3, item 12).

Generating takes a while even at a small ``volumes`` (every case goes through the services),
so one test generates once and checks each property in turn; the volumes are enough cases for
2018's and 2019's rates to differ as the seed says, few enough to stay fast.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from wangge.cases.models import Case, CaseEvent, CaseStatus
from wangge.cases.rates import Period, figures
from wangge.demo.builder import build
from wangge.demo.cases import CaseSummary, demo_cases, generate_cases

pytestmark = pytest.mark.django_db

VOLUMES = {"2018": 70, "2019": 110, "recent": 60}


def test_the_demo_generates_realistic_cases_once():
    build()
    generated = generate_cases(volumes=VOLUMES)
    _cases_cover_2018_2019_and_the_last_twelve_months(generated)
    _every_open_state_has_recent_cases_so_every_queue_shows_something()
    _2019_closes_more_cases_and_more_of_them_on_time_than_2018()
    _every_event_log_starts_with_the_report_and_runs_state_to_state()
    _running_it_again_does_not_duplicate_cases()


def _cases_cover_2018_2019_and_the_last_twelve_months(generated: CaseSummary) -> None:
    now = timezone.now()
    assert generated.generated == Case.objects.count() > 0
    assert Case.objects.filter(reported_at__lt=dt.datetime(2018, 9, 21, tzinfo=dt.UTC)).count() == 0
    for year in (2018, 2019):
        assert Case.objects.filter(reported_at__range=_range(Period.year(year))).count() > 20
    recent = Case.objects.filter(reported_at__gte=now - dt.timedelta(days=366))
    assert recent.count() > 20
    assert set(generated.by_stretch) == {"2018", "2019", "recent"}
    # Tier 1 is recorded as fixed on the spot, the rest go round the loop with tiers 2–6.
    assert Case.objects.filter(status=CaseStatus.SELF_HANDLED, tier=1).exists()
    assert set(Case.objects.exclude(tier=None).values_list("tier", flat=True)) >= {1, 2, 3}
    # Closed cases of past months are evaluated and counted into their month.
    assessed = Case.objects.filter(status=CaseStatus.ASSESSED)
    assert assessed.count() > Case.objects.count() / 2
    for case in assessed[:50]:
        assert case.assessed_period == timezone.localtime(case.closed_at).strftime("%Y-%m")
    line = generated.line()
    assert "2018" in line and "2019" in line and "last 12 months" in line and "\n" not in line


def _every_open_state_has_recent_cases_so_every_queue_shows_something() -> None:
    now = timezone.now()
    recent = Case.objects.filter(reported_at__gte=now - dt.timedelta(days=366))
    statuses = set(recent.values_list("status", flat=True))
    assert {"reported", "filed", "dispatched", "handling", "handled", "suspended"} <= statuses
    overdue = [c for c in recent.filter(status__in=["dispatched", "handling"]) if c.overdue_at(now)]
    assert overdue, "no open overdue case"
    # Nothing happens in the future.
    assert not CaseEvent.objects.filter(at__gt=now).exists()


def _2019_closes_more_cases_and_more_of_them_on_time_than_2018() -> None:
    before = figures(Case.objects.all(), Period.year(2018))
    after = figures(Case.objects.all(), Period.year(2019))
    assert before.closure_rate is not None and after.closure_rate is not None
    assert before.on_time_rate is not None and after.on_time_rate is not None
    assert after.closure_rate > before.closure_rate
    assert after.on_time_rate > before.on_time_rate


def _every_event_log_starts_with_the_report_and_runs_state_to_state() -> None:
    events: dict[int, list[tuple[str, str, str]]] = {}
    for case_id, action, src, dst in CaseEvent.objects.order_by("case_id", "at", "id").values_list(
        "case_id", "action", "from_status", "to_status"
    ):
        events.setdefault(case_id, []).append((action, src, dst))
    cases = dict(Case.objects.values_list("id", "status"))
    assert set(events) == set(cases)
    for case_id, log in events.items():
        assert log[0] == ("report", "", "reported"), (case_id, log)
        for (_, _, previous), (action, src, _) in pairwise(log):
            assert src == previous, (case_id, action, log)
        assert log[-1][2] == cases[case_id], (case_id, log)


def _running_it_again_does_not_duplicate_cases() -> None:
    counts = (Case.objects.count(), CaseEvent.objects.count())
    again = generate_cases(volumes=VOLUMES)
    assert again.generated == 0 and again.existing == counts[0]
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    assert "already there" in again.line()


def test_the_command_can_skip_cases(capsys):
    call_command("demo", "--no-cases")
    assert "partition check: ok" in capsys.readouterr().out
    assert not demo_cases().exists()


def _range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    return period.start, period.end - dt.timedelta(microseconds=1)
