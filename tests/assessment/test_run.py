"""The monthly run against a hand-built May 2019, every score worked out by hand.

Communities (curves in the default scheme's descriptions):
- 吴家营社区 (east grid): 4 cases closed in May, 3 on time, 1 closed late, 1 reworked.
  结案率 4/4 → 25; 按期结案率 3/4 = 0.75 → 25 × (0.75 − 0.6)/0.4 = 9.375 → 9.38;
  返工率 1/4 → (1 − 0.25) × 9 = 6.75; 超期率 1/4 → (1 − 0.25) × 8 = 6.00;
  重点案件 no oversight order due → 15 (full). Computed 62.13.
- 洛龙社区 (south grid): 2 cases closed on time: 25 + 25 + 9 + 8 + 15 = 82.
- 碧潭社区: no case at all: every rate is empty → full points: 82 (stated in the scheme).
Manual items scored MGMT 8 and OPS 6 for everyone: 76.13, 96, 96 → ranks 1, 1, 3.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.assessment.conftest import TZ, at, closed_case
from tests.factories import CommunityFactory, GridFactory
from wangge.assessment import selectors, services
from wangge.assessment.models import AssessmentRun, RunStatus, Score
from wangge.assessment.services import assess, correct, publish, score_manual
from wangge.cases.models import Case, CaseSource, CaseStatus
from wangge.core.errors import Conflict, DomainError
from wangge.people.groups import ASSESSORS

D = Decimal
AFTER_MAY = dt.datetime(2019, 6, 2, 9, tzinfo=TZ)


@pytest.fixture
def may(cast):
    bitan = CommunityFactory(subdistrict=cast.subdistrict, code="003", name="碧潭社区")
    first = closed_case(cast.east, 13)
    closed_case(cast.east, 14, rework=1)
    closed_case(cast.east, 15)
    closed_case(cast.east, 16, on_time=False)
    closed_case(cast.south, 20)
    closed_case(cast.south, 21)
    # The supervisor reported the first case and one that was rejected: 1 filed of 2.
    first.reporter = cast.supervisor.user
    first.save()
    Case.objects.create(
        number="20190059999999",
        description="not a case",
        source=CaseSource.SUPERVISOR,
        lon=D("102.85"),
        lat=D("24.875"),
        grid=cast.east,
        community=cast.wujiaying,
        subdistrict=cast.subdistrict,
        status=CaseStatus.REJECTED,
        reported_at=at(5, 22),
        rejected_at=at(5, 22, 10),
        reporter=cast.supervisor.user,
    )
    return bitan


@pytest.fixture
def assessor(cast):
    user = get_user_model().objects.create_user("assessor1", password="pass-word-123")
    user.groups.add(Group.objects.get(name=ASSESSORS))
    return user


def community_run() -> AssessmentRun:
    return AssessmentRun.objects.get(scheme__code="community-monthly", period="2019-05", version=1)


def score_all_manual(run: AssessmentRun, user, mgmt="8", ops="6") -> None:
    for score in run.scores.filter(indicator__kind="manual"):
        points = mgmt if score.indicator.code == "MGMT" else ops
        score_manual(score, points, evidence="spot check of the records", by_user=user)


def points(run: AssessmentRun, name: str) -> dict[str, Decimal | None]:
    return {
        s.indicator.code: s.points
        for s in run.scores.filter(subject_name=name).select_related("indicator")
    }


def test_scores_match_the_hand_computed_month(may, assessor):
    runs = assess("2019-05", by_user=assessor, now=AFTER_MAY)
    assert {r.scheme.code for r in runs} == {
        "community-monthly",
        "staff-supervisor",
        "staff-enforcer",
        "staff-sanitation",
        "staff-police",
        "staff-community_worker",
    }
    run = community_run()
    assert points(run, "吴家营社区") == {
        "MGMT": None,
        "CLOSURE": D("25.00"),
        "ON_TIME": D("9.38"),
        "REWORK": D("6.75"),
        "OVERDUE": D("6.00"),
        "KEY": D("15.00"),
        "OPS": None,
    }
    assert (
        points(run, "碧潭社区")
        == points(run, "洛龙社区")
        == {
            "MGMT": None,
            "CLOSURE": D("25.00"),
            "ON_TIME": D("25.00"),
            "REWORK": D("9.00"),
            "OVERDUE": D("8.00"),
            "KEY": D("15.00"),
            "OPS": None,
        }
    )
    value = run.scores.get(subject_name="吴家营社区", indicator__code="ON_TIME").value
    assert value == D("0.75")
    assert run.scores.get(subject_name="碧潭社区", indicator__code="CLOSURE").value is None

    score_all_manual(run, assessor)
    table = selectors.ranking("2019-05", "community")
    assert [(r.name, r.total, r.rank) for r in table.rows] == [
        ("洛龙社区", D("96.00"), 1),
        ("碧潭社区", D("96.00"), 1),
        ("吴家营社区", D("76.13"), 3),
    ]
    assert table.published is False and table.version == 1
    assert [i.code for i in table.rows[2].items][:2] == ["MGMT", "CLOSURE"]


def test_staff_scores(may, cast, monkeypatch):
    import wangge.leaders.selectors

    def findings(person_ids, first_day, last_day):
        assert (first_day, last_day) == (dt.date(2019, 5, 1), dt.date(2019, 5, 31))
        return {cast.supervisor.pk: {"absent": 1, "neglect": 0}}

    monkeypatch.setattr(wangge.leaders.selectors, "inspection_findings", findings)
    assess("2019-05", now=AFTER_MAY)
    # Supervisor: no planned shift → 在岗在线 full (40); 1 of 2 reports filed → 10;
    # nothing to handle → 20; one absence found → −3: 40 + 10 + 20 + 8 + 6 + 3 = 87.
    table = selectors.ranking("2019-05", "staff", "supervisor")
    assert [(r.name, r.total, r.rank) for r in table.rows] == [("监督员乙", D("87.00"), 1)]
    items = {i.code: (i.points, i.value) for i in table.rows[0].items}
    assert items["REPORTS"] == (D("10.00"), D("0.5"))
    assert items["NEGLECT"] == (D("3.00"), D("1"))
    # Sanitation worker: no report at all → 有效上报 0 (stated: reporting is the job): 80.
    table = selectors.ranking("2019-05", "staff", "sanitation")
    assert [(r.name, r.total) for r in table.rows] == [("环卫工丙", D("80.00"))]


def test_assessing_again_recomputes_the_draft_and_keeps_manual_scores(may, assessor):
    assess("2019-05", now=AFTER_MAY)
    run = community_run()
    score_all_manual(run, assessor)
    # A late case of 碧潭社区 (until now without cases) turns up.
    closed_case(
        GridFactory(community=may, code="530114005003001", name="碧潭社区网格"), 22, on_time=False
    )
    assess("2019-05", now=AFTER_MAY)
    assert AssessmentRun.objects.filter(scheme__code="community-monthly").count() == 1
    bitan = points(community_run(), "碧潭社区")
    assert bitan["ON_TIME"] == D("0.00")  # 0 of 1 on time
    assert bitan["OVERDUE"] == D("0.00")
    assert bitan["MGMT"] == D("8.00") and bitan["OPS"] == D("6.00")


def test_a_published_month_is_frozen_and_a_correction_is_version_2(may, cast, assessor):
    assess("2019-05", now=AFTER_MAY)
    run = community_run()
    score_all_manual(run, assessor)
    publish(run, by_user=assessor)
    before = list(run.results.values_list("subject_name", "total", "rank"))

    # A case of 洛龙社区 is edited later: it turns out to have been handled late.
    case = Case.objects.filter(community=cast.luolong).first()
    case.on_time = False
    case.handling_due_at = at(5, case.closed_at.astimezone(TZ).day, 9, 30)
    case.save()
    again = assess("2019-05", now=AFTER_MAY)
    assert community_run().pk in [r.pk for r in again]
    assert list(run.results.values_list("subject_name", "total", "rank")) == before
    assert points(community_run(), "洛龙社区")["ON_TIME"] == D("25.00")
    with pytest.raises(Conflict, match="is published and cannot change"):
        score_manual(run.scores.filter(indicator__code="MGMT").first(), 5, "x", by_user=assessor)

    with pytest.raises(DomainError, match="say why"):
        correct(run, by_user=assessor, reason=" ")
    v2 = correct(run, by_user=assessor, reason="洛龙社区 case handled late, found in June")
    assert (v2.version, v2.status, v2.correction_of_id) == (2, RunStatus.DRAFT, run.pk)
    assert v2.scores.count() == run.scores.count()
    # While v2 is a draft, the published v1 is what is shown.
    assert selectors.ranking("2019-05", "community").version == 1

    assess("2019-05", now=AFTER_MAY)  # recomputes the v2 draft, keeps its manual scores
    # 洛龙社区: 1 of 2 on time → 0; overdue 1/2 → 4: 25 + 0 + 9 + 4 + 15 + 8 + 6 = 67.
    publish(v2, by_user=assessor)
    table = selectors.ranking("2019-05", "community")
    assert (table.version, table.published, table.reason) == (
        2,
        True,
        "洛龙社区 case handled late, found in June",
    )
    assert table.published_by == "assessor1"
    assert [(r.name, r.total, r.rank) for r in table.rows] == [
        ("碧潭社区", D("96.00"), 1),
        ("吴家营社区", D("76.13"), 2),
        ("洛龙社区", D("67.00"), 3),
    ]
    # Version 1 is kept as it was.
    assert list(run.results.values_list("subject_name", "total", "rank")) == before
    with pytest.raises(Conflict, match="already has version 2"):
        correct(run, by_user=assessor, reason="again")


def test_a_month_that_has_not_ended_is_refused(may):
    with pytest.raises(DomainError) as exc:
        assess("2019-05", now=dt.datetime(2019, 5, 31, 23, 0, tzinfo=TZ))
    assert exc.value.message == (
        "2019-05 has not ended yet (it ends 2019-06-01 00:00); assess it after its end"
    )
    assert exc.value.field == "period"
    assert not AssessmentRun.objects.exists()


@pytest.mark.parametrize("bad", ["2019-13", "May", ""])
def test_a_bad_period_is_refused(bad, db):
    with pytest.raises(DomainError, match="is not a month"):
        assess(bad)


def test_manual_scores_above_the_maximum_or_below_zero_are_refused(may, assessor):
    assess("2019-05", now=AFTER_MAY)
    score = community_run().scores.get(subject_name="洛龙社区", indicator__code="MGMT")
    with pytest.raises(DomainError) as exc:
        score_manual(score, "10.5", evidence="records", by_user=assessor)
    assert exc.value.message == "MGMT 管理体制: 10.5 is above the maximum of 10 points"
    with pytest.raises(DomainError, match="-1 is below zero; give 0 to 10 points"):
        score_manual(score, -1, evidence="records", by_user=assessor)
    with pytest.raises(DomainError, match="needs evidence"):
        score_manual(score, 5, evidence="", by_user=assessor)
    with pytest.raises(DomainError, match="not a number"):
        score_manual(score, "lots", evidence="records", by_user=assessor)
    score.refresh_from_db()
    assert score.points is None and score.evidence == ""
    computed = community_run().scores.get(subject_name="洛龙社区", indicator__code="CLOSURE")
    with pytest.raises(DomainError, match="computed from the data"):
        score_manual(computed, 1, evidence="x", by_user=assessor)
    score_manual(score, 10, evidence="records", remarks="all in place", by_user=assessor)
    score.refresh_from_db()
    assert (score.points, score.remarks, score.scored_by) == (D("10.00"), "all in place", assessor)


def test_publishing_with_unscored_manual_items_is_refused_and_lists_them(may, assessor):
    assess("2019-05", now=AFTER_MAY)
    run = community_run()
    for score in run.scores.filter(indicator__kind="manual").exclude(subject_name="洛龙社区"):
        score_manual(score, 5, evidence="records", by_user=assessor)
    with pytest.raises(DomainError) as exc:
        publish(run, by_user=assessor)
    assert exc.value.message == (
        "社区月度考核 2019-05: 2 manual item(s) are not scored yet: 洛龙社区: MGMT 管理体制;"
        " 洛龙社区: OPS 城市运行体系建设. Score them before publishing"
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.published_at is None


def test_scores_and_drafts_are_for_the_assessment_group(cast, assessor):
    assert services.can_assess(assessor)
    assert services.can_assess(cast.admin_user)
    assert not services.can_assess(cast.supervisor.user)
    assert not Score.objects.exists()


def test_valid_reports_read_the_same_with_a_reporter_grouping_in_rates(may, cast, monkeypatch):
    """When rates.figures_by learns to group by reporter, one grouped query gives the same."""
    from wangge.cases import rates

    groups = dict(rates.GROUPS)
    groups["reporter"] = ("reporter_id", "reporter__username", "reporter__username")
    monkeypatch.setattr(rates, "GROUPS", groups)
    assess("2019-05", now=AFTER_MAY)
    table = selectors.ranking("2019-05", "staff", "supervisor")
    items = {i.code: (i.points, i.value) for i in table.rows[0].items}
    assert items["REPORTS"] == (D("10.00"), D("0.5"))
