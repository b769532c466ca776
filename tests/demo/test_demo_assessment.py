"""The demo's assessment: three ended months, the two earlier published, the latest a draft."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangge.assessment.models import AssessmentRun
from wangge.demo.assessment import build_assessment


def test_three_months_two_published_and_a_draft_and_a_second_run_is_skipped(cast):
    now = timezone.make_aware(dt.datetime(2026, 11, 28, 10, 0))
    line = build_assessment(now)
    assert "2026-08, 2026-09, 2026-10 assessed" in line
    runs = AssessmentRun.objects.all()
    assert {r.period for r in runs} == {"2026-08", "2026-09", "2026-10"}
    assert {r.status for r in runs if r.period != "2026-10"} == {"published"}
    assert {r.status for r in runs if r.period == "2026-10"} == {"draft"}
    assert build_assessment(now) == "Assessment: already built."
    assert AssessmentRun.objects.count() == runs.count()
