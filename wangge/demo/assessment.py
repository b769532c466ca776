"""Demo assessment, made through the assessment services: the last three ended months are
assessed; the assessment group scores the manual items (管理体制, 城市运行体系建设 …) of the
two earlier ones and publishes them, and leaves the latest as a draft to finish on the pages.

Run after everything else of the demo (it reads cases, duty, linkage and inspections). Safe to
run twice: a month that already has a run is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from wangge.assessment.models import AssessmentRun
from wangge.assessment.services import assess, publish, score_manual, unscored

SEED = 20191231
EVIDENCE = "月度检查台账、工作站会议记录及现场抽查照片"
REMARKS = ("制度健全，台账完整", "台账基本完整，个别记录缺签字", "按要求落实，材料齐全")


def _months_before(now: dt.datetime, count: int) -> list[str]:
    first = timezone.localtime(now).date().replace(day=1)
    out = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(f"{first:%Y-%m}")
    return list(reversed(out))


def build_assessment(now: dt.datetime) -> str:
    started = time.monotonic()
    months = _months_before(now, 3)
    done = set(AssessmentRun.objects.filter(period__in=months).values_list("period", flat=True))
    todo = [m for m in months if m not in done]
    if not todo:
        return "Assessment: already built."
    assessor = User.objects.filter(username="assessor").first()
    rng = random.Random(SEED)
    published = 0
    drafts = 0
    for month in todo:
        runs = assess(month, by_user=assessor, now=now)
        last = month == months[-1]
        for run in runs:
            if last:
                drafts += 1
                continue
            for score in unscored(run):
                top = score.indicator.max_points
                # Most communities and staff do well on the items scored by hand; a few do not.
                share = Decimal(rng.choice(["1", "1", "0.9", "0.8", "0.7", "0.5"]))
                score_manual(
                    score,
                    (top * share).quantize(Decimal("0.01")),
                    evidence=EVIDENCE,
                    remarks=rng.choice(REMARKS),
                    by_user=assessor,
                )
            publish(run, by_user=assessor)
            published += 1
    return (
        f"Assessment: {', '.join(todo)} assessed; {published} runs published, {drafts} left as"
        f" drafts for the assessment group; {time.monotonic() - started:.1f} s."
    )
