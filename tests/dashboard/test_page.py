"""The command centre /dashboard/: figures of a hand-built set of cases, equal to cases.rates;
territory scoping; the wall display; the panels htmx refreshes; nothing from another host.

The cases are placed in today's local day relative to now (the page reads the running day and
month), so the test holds whenever it runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from wangge.cases import rates
from wangge.cases.models import Case, CaseSource, CaseStatus, Oversight
from wangge.cases.selectors import cases_visible
from wangge.dashboard import selectors
from wangge.dashboard.templatetags.dashboard_tags import pct
from wangge.dashboard.views import PANELS
from wangge.field.duty.models import DutySession, Ping
from wangge.org.territory import Territory

PASSWORD = "pass-word-123"
S = CaseStatus
_numbers = itertools.count(1)


def make(grid, status, reported_at, **fields) -> Case:
    fields.setdefault("source", CaseSource.SUPERVISOR)
    return Case.objects.create(
        number=f"2099001{next(_numbers):07d}",
        description="hand-made",
        lon=Decimal("102.85"),
        lat=Decimal("24.875"),
        grid=grid,
        community=grid.community,
        subdistrict=grid.community.subdistrict,
        status=status,
        reported_at=reported_at,
        **fields,
    )


@pytest.fixture
def today(cast):
    """Five cases reported today (local), all in this month.

    C   grid   state now   due            handled / closed    on time  counts as
    1   east   closed      now + 1 day    +2 min / +3 min      yes      closed on time
    2   east   evaluated   start + 1 min  +4 min / +5 min      no       closed late
    3   south  handling    now − 1 hour   —                            open past due (overdue)
    4   west   reported    —              —                            not filed
    5   east   dispatched  now + 1 day    —                            key case, oversight open

    This month: to close = C1, C2, C3 = 3; closed = 2; on time = 1 →
    closure rate 2/3 = 66.7%, on-time closure rate 1/3 = 33.3%.
    """
    now = timezone.now()
    start = dt.datetime.combine(timezone.localdate(), dt.time(), timezone.get_current_timezone())
    m = dt.timedelta(minutes=1)
    c = {}
    c[1] = make(cast.east, S.CLOSED, start, filed_at=start, dispatched_at=start,
                handling_due_at=now + dt.timedelta(days=1), handled_at=start + 2 * m,
                closed_at=start + 3 * m, on_time=True)  # fmt: skip
    c[2] = make(cast.east, S.EVALUATED, start, filed_at=start, dispatched_at=start,
                handling_due_at=start + m, handled_at=start + 4 * m, closed_at=start + 5 * m,
                on_time=False)  # fmt: skip
    c[3] = make(cast.south, S.HANDLING, start, filed_at=start, dispatched_at=start,
                handling_due_at=now - dt.timedelta(hours=1))  # fmt: skip
    c[4] = make(cast.west, S.REPORTED, start)
    c[5] = make(cast.east, S.DISPATCHED, start, filed_at=start, dispatched_at=start,
                handling_due_at=now + dt.timedelta(days=1), is_key=True)  # fmt: skip
    Oversight.objects.create(
        case=c[5], deadline=now + dt.timedelta(days=2), demand="fix it by the weekend"
    )
    return c


def login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def kpi(html: str, name: str) -> str:
    m = re.search(rf'data-kpi="{name}"[^>]*><span class="kpi-value">([^<]*)<', html)
    assert m, f"no key figure {name}"
    return m.group(1)


@pytest.mark.django_db
def test_the_page_shows_the_hand_computed_figures(client, cast, today):
    login(client, "operator")
    r = client.get("/dashboard/")
    assert r.status_code == 200
    html = r.content.decode()
    assert kpi(html, "today-reported") == "5"
    assert kpi(html, "month-reported") == "5"
    assert kpi(html, "month-closed") == "2"
    assert kpi(html, "month-overdue") == "1"
    assert kpi(html, "month-closure-rate") == "66.7%"
    assert kpi(html, "month-on-time-rate") == "33.3%"
    begin = html.index('id="states-table"')
    table = html[begin : html.index("</table>", begin)]
    rows = dict(
        (label.strip(), (int(t), int(mo)))
        for label, t, mo in re.findall(
            r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", table
        )
    )
    assert rows["closed"] == (1, 1)
    assert rows["evaluated"] == (1, 1)
    assert rows["handling"] == (1, 1)
    assert rows["reported"] == (1, 1)
    assert rows["dispatched"] == (1, 1)
    assert rows["filed"] == (0, 0)


@pytest.mark.django_db
def test_the_rates_on_the_page_are_those_of_cases_rates(client, cast, today):
    login(client, "operator")
    html = client.get("/dashboard/").content.decode()
    now = timezone.now()
    month = rates.figures(cases_visible(Territory.all()), selectors.month_period(now), now=now)
    assert kpi(html, "month-closure-rate") == pct(month.closure_rate)
    assert kpi(html, "month-on-time-rate") == pct(month.on_time_rate)
    by_community = rates.figures_by(
        cases_visible(Territory.all()), selectors.month_period(now), "community", now=now
    )
    section = html[html.index('id="panel-communities"') :]
    for row in by_community:
        assert row.label in section
        assert pct(row.figures.on_time_rate) in section


@pytest.mark.django_db
def test_overdue_and_key_cases_are_listed(client, cast, today):
    login(client, "operator")
    html = client.get("/dashboard/").content.decode()
    overdue = html[html.index('id="panel-overdue"') : html.index('id="panel-key"')]
    assert f'data-case="{today[3].number}"' in overdue
    assert f'data-case="{today[5].number}"' not in overdue
    key = html[html.index('id="panel-key"') :]
    key = key[: key.index("</section>")]
    assert f'data-case="{today[5].number}"' in key
    assert f'data-case="{today[1].number}"' not in key  # closed: off the list


@pytest.mark.django_db
def test_a_supervisor_sees_only_their_grid(client, cast, today):
    login(client, "supervisor")
    r = client.get("/dashboard/")
    assert r.status_code == 200
    html = r.content.decode()
    assert kpi(html, "today-reported") == "3"  # C1, C2, C5 in the east grid
    assert today[3].number not in html  # the south grid's overdue case
    assert cast.south.name not in html
    assert cast.east.name in html
    grid_panel = client.get("/dashboard/panel/grids/").content.decode()
    assert cast.east.name in grid_panel and cast.west.name not in grid_panel


@pytest.mark.django_db
def test_the_map_colours_each_grid_by_its_on_time_rate(client, cast, today):
    now = timezone.now()
    features = {
        f["properties"]["code"]: f["properties"]
        for f in selectors.rate_map(Territory.all(), now)["features"]
    }
    # east: C1 on time, C2 late → 50%; south: C3 open past due → 0%; west: nothing to close
    assert features[cast.east.code]["on_time_rate"] == 0.5
    assert features[cast.east.code]["color"] == selectors.rate_colour(Decimal("0.5"))
    assert features[cast.south.code]["color"] == selectors.RATE_BANDS[-1][1]
    assert features[cast.west.code]["color"] == selectors.NO_RATE_COLOUR
    login(client, "operator")
    html = client.get("/dashboard/").content.decode()
    assert 'id="rate-legend"' in html and 'id="grids-data"' in html


@pytest.mark.django_db
def test_who_is_on_duty_now_is_counted_per_role_and_drawn(client, cast):
    now = timezone.now()
    DutySession.objects.create(
        person=cast.supervisor, grid=cast.east, role="supervisor",
        started_at=now - dt.timedelta(hours=1), client_id="s1",
    )  # fmt: skip
    Ping.objects.create(
        person=cast.supervisor, client_id="p1", at=now - dt.timedelta(minutes=5),
        lon=102.85, lat=24.875, received_at=now,
    )  # fmt: skip
    duty = selectors.on_duty(Territory.all())
    assert duty.total == 1
    assert dict((role, n) for role, _label, n in duty.by_role)["supervisor"] == 1
    assert duty.positions[0]["name"] == cast.supervisor.name
    assert selectors.on_duty_counts(Territory.all()).by_role == duty.by_role
    login(client, "operator")
    html = client.get("/dashboard/").content.decode()
    assert 'data-count="on-duty">1<' in html
    positions = re.search(r'<script id="duty-positions"[^>]*>(.*?)</script>', html)
    assert [p["name"] for p in json.loads(positions.group(1))] == [cast.supervisor.name]
    login(client, "sanitation")  # the south grid: nobody on duty there
    html = client.get("/dashboard/panel/duty/").content.decode()
    assert 'data-count="on-duty">0<' in html


@pytest.mark.django_db
def test_the_wall_display_is_dark_full_screen_and_reloads_itself(client, cast, today):
    login(client, "operator")
    normal = client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/?wall=1"' in normal  # the button to enter it
    assert 'http-equiv="refresh"' not in normal
    assert 'hx-trigger="every 60s"' in normal  # the normal page refreshes panel by panel
    wall = client.get("/dashboard/?wall=1").content.decode()
    assert re.search(r'<body class="dashboard wall">', wall)
    assert '<meta http-equiv="refresh" content="60">' in wall
    assert "hx-trigger" not in wall  # the whole page reloads instead
    assert kpi(wall, "month-on-time-rate") == "33.3%"
    from django.contrib.staticfiles import finders

    with open(finders.find("dashboard/dashboard.css"), encoding="utf-8") as f:
        css = f.read()
    assert "body.wall .site-header { display: none; }" in css


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PANELS))
def test_every_panel_is_served_alone_and_refreshes_itself(client, cast, today, name):
    login(client, "operator")
    r = client.get(f"/dashboard/panel/{name}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'id="panel-{name}"' in html
    assert f'hx-get="/dashboard/panel/{name}/"' in html
    assert "<html" not in html  # a fragment, not a page


@pytest.mark.django_db
def test_the_states_panel_alone_shows_the_same_figures(client, cast, today):
    login(client, "operator")
    html = client.get("/dashboard/panel/states/").content.decode()
    assert kpi(html, "month-on-time-rate") == "33.3%"


@pytest.mark.django_db
def test_an_unknown_panel_is_404_and_anonymous_users_must_log_in(client, cast):
    login(client, "operator")
    assert client.get("/dashboard/panel/nope/").status_code == 404
    client.logout()
    for url in ("/dashboard/", "/dashboard/panel/states/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_nothing_is_loaded_from_another_host(client, cast, today):
    login(client, "operator")
    for url in ("/dashboard/", "/dashboard/?wall=1", *(f"/dashboard/panel/{n}/" for n in PANELS)):
        html = client.get(url).content.decode()
        assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", html), url
        assert "url(http" not in html and "@import" not in html


@pytest.mark.django_db
def test_an_empty_territory_renders_without_figures(client, cast):
    login(client, "operator")
    html = client.get("/dashboard/").content.decode()
    assert kpi(html, "month-closure-rate") == "—"
    assert "No linkage calls this month." in text_of(html)


@pytest.mark.django_db
def test_the_page_is_chinese_by_default(client, cast, settings):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    login(client, "operator")
    r = client.get("/dashboard/")
    assert r.status_code == 200
    assert '<html lang="zh-hans">' in r.content.decode()


@pytest.mark.django_db
def test_a_panel_is_kept_a_minute_per_territory(client, cast, today):
    """The wall reloads every minute: within that minute the figures are served from the
    cache, and another territory never gets them."""
    login(client, "operator")
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "5"
    make(cast.east, S.REPORTED, timezone.now())
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "5"
    login(client, "supervisor")  # the east grid: its own figures, not the operator's
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "4"
    from django.core.cache import cache

    cache.clear()
    login(client, "operator")
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "6"


@pytest.mark.django_db
def test_a_long_table_shows_only_the_lowest_on_time_rates(client, cast, today, monkeypatch):
    """A city has thousands of grids: past TABLE_ROWS rows the table keeps the worst ones."""
    from wangge.dashboard import views

    monkeypatch.setattr(views, "TABLE_ROWS", 2)
    login(client, "operator")
    html = client.get("/dashboard/panel/grids/").content.decode()
    keys = re.findall(r'<tr data-key="(\d+)">', html)
    # south 0% then east 50%; west (nothing to close) is left out
    assert keys == [str(cast.south.pk), str(cast.east.pk)]
    assert "The 2 lowest on-time closure rates of 3" in text_of(html)


@pytest.mark.django_db
def test_the_minute_job_recomputes_the_panels_of_watched_dashboards(client, cast, today):
    """The job refreshes what screens show, in their language, before they ask again: a new
    case reaches a watched panel through the job, and a dashboard nobody opened costs nothing."""
    from wangge.dashboard.tasks import warm_dashboard_panels
    from wangge.dashboard.views import warm_panels

    assert warm_panels() == 0  # nobody watching
    login(client, "operator")
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "5"
    make(cast.east, S.REPORTED, timezone.now())
    assert warm_dashboard_panels.call_local() == len(PANELS)
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "6"
    # The operator's panels were warmed in English (their language), not the default Chinese.
    assert "Reported" in client.get("/dashboard/panel/states/").content.decode()
    login(client, "supervisor")  # another territory: its own figures, never the operator's
    assert kpi(client.get("/dashboard/panel/states/").content.decode(), "today-reported") == "4"
    assert warm_panels() == 2 * len(PANELS)


@pytest.mark.django_db
def test_the_wall_page_is_watched_once_and_warmed_in_its_own_mode(client, cast, today):
    """Opening the wall display notes one viewer (wall mode), whose panels the job keeps
    computed apart from the normal page's."""
    from wangge.dashboard.views import warm_panels

    login(client, "operator")
    assert kpi(client.get("/dashboard/?wall=1").content.decode(), "today-reported") == "5"
    make(cast.east, S.REPORTED, timezone.now())
    assert warm_panels() == len(PANELS)
    wall = client.get("/dashboard/?wall=1").content.decode()
    assert kpi(wall, "today-reported") == "6"
