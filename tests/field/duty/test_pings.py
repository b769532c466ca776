"""record_pings: every point once, a bad batch refused whole, nothing from someone who left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.field.duty.conftest import INSIDE
from wangge.core.errors import DomainError, Forbidden
from wangge.field.duty.models import DutyRules, Ping
from wangge.field.duty.services import PingBatchError, record_pings

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))


def point(k: int, **overrides):
    at = NOW - dt.timedelta(minutes=30) + dt.timedelta(seconds=k)
    return {
        "client_id": f"dev1-{k:06d}",
        "at": at.isoformat(),
        "lon": INSIDE[0],
        "lat": INSIDE[1] + k * 1e-5,
        "accuracy": 8.0,
        **overrides,
    }


def test_a_batch_is_stored(cast):
    result = record_pings(person=cast.supervisor, pings=[point(k) for k in range(5)], now=NOW)
    assert (result.received, result.stored, result.duplicates) == (5, 5, 0)
    stored = Ping.objects.get(person=cast.supervisor, client_id="dev1-000002")
    assert stored.at == NOW - dt.timedelta(minutes=30) + dt.timedelta(seconds=2)
    assert stored.accuracy == 8.0
    assert stored.received_at == NOW


def test_duplicated_and_out_of_order_pings_are_stored_once(cast):
    batch = [point(3), point(1), point(2), point(1)]  # out of order, one repeated
    first = record_pings(person=cast.supervisor, pings=batch, now=NOW)
    assert (first.received, first.stored, first.duplicates) == (4, 3, 1)
    # The phone retries the same batch plus one new point: only the new point is stored.
    again = record_pings(person=cast.supervisor, pings=[*batch, point(0)], now=NOW)
    assert (again.received, again.stored, again.duplicates) == (5, 1, 4)
    assert Ping.objects.filter(person=cast.supervisor).count() == 4
    ordered = list(Ping.objects.filter(person=cast.supervisor).order_by("at"))
    assert [p.client_id for p in ordered] == [f"dev1-{k:06d}" for k in range(4)]


def test_the_same_client_id_for_another_person_is_another_point(cast):
    record_pings(person=cast.supervisor, pings=[point(1)], now=NOW)
    result = record_pings(person=cast.sanitation_other, pings=[point(1)], now=NOW)
    assert result.stored == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"lon": 181.0}, "lon", "out of range -180..180"),
        ({"lat": -90.5}, "lat", "out of range -90..90"),
        ({"lon": float("nan")}, "lon", "finite number"),
        ({"lat": "24.8"}, "lat", "finite number"),
        ({"lon": None}, "lon", "finite number"),
        ({"lon": True}, "lon", "finite number"),
        ({"at": (NOW - dt.timedelta(hours=73)).isoformat()}, "at", "more than 72 hours ago"),
        ({"at": (NOW + dt.timedelta(minutes=6)).isoformat()}, "at", "in the future"),
        ({"at": "yesterday"}, "at", "ISO-8601"),
        ({"accuracy": -1}, "accuracy", "0 or more"),
        ({"client_id": ""}, "client_id", "no client id"),
        ({"client_id": None}, "client_id", "no client id"),
        ({"client_id": "x" * 65}, "client_id", "longer than 64"),
    ],
)
def test_bad_input_refuses_the_whole_batch(cast, overrides, field, words):
    batch = [point(0), point(1, **overrides), point(2)]
    with pytest.raises(PingBatchError) as caught:
        record_pings(person=cast.supervisor, pings=batch, now=NOW)
    err = caught.value
    assert words in err.message
    assert "nothing was stored" in err.message
    assert err.field == f"pings[1].{field}"
    assert [(p.index, p.field) for p in err.errors] == [(1, f"pings[1].{field}")]
    assert not Ping.objects.exists()


def test_every_bad_point_is_listed(cast):
    batch = [point(0, lon=200.0), point(1), point(2, lat=None, accuracy=-3), "not a point"]
    with pytest.raises(PingBatchError) as caught:
        record_pings(person=cast.supervisor, pings=batch, now=NOW)
    assert [(p.index, p.field) for p in caught.value.errors] == [
        (0, "pings[0].lon"),
        (2, "pings[2].lat"),
        (2, "pings[2].accuracy"),
        (3, "pings[3]"),
    ]
    assert "3 bad point(s)" in caught.value.message
    assert not Ping.objects.exists()


def test_a_client_id_repeated_with_other_content_is_refused(cast):
    batch = [point(0), point(1, client_id="dev1-000000")]
    with pytest.raises(PingBatchError) as caught:
        record_pings(person=cast.supervisor, pings=batch, now=NOW)
    assert caught.value.errors[0].field == "pings[1].client_id"
    assert "different content" in caught.value.message
    assert not Ping.objects.exists()


def test_a_batch_over_the_limit_is_refused(cast):
    rules = DutyRules.load()
    rules.max_batch = 3
    rules.save()
    with pytest.raises(DomainError) as caught:
        record_pings(person=cast.supervisor, pings=[point(k) for k in range(4)], now=NOW)
    assert caught.value.code == "batch_too_large"
    assert "more than the limit of 3" in caught.value.message
    assert not Ping.objects.exists()
    assert (
        record_pings(person=cast.supervisor, pings=[point(k) for k in range(3)], now=NOW).stored
        == 3
    )


def test_default_limit_is_a_thousand(cast):
    with pytest.raises(DomainError, match="1001 points, more than the limit of 1000"):
        record_pings(person=cast.supervisor, pings=[point(k) for k in range(1001)], now=NOW)


def test_a_person_who_left_sends_nothing(cast):
    cast.supervisor.end_date = NOW.date() - dt.timedelta(days=1)
    cast.supervisor.save()
    with pytest.raises(Forbidden, match="left on"):
        record_pings(person=cast.supervisor, pings=[point(0)], now=NOW)
    assert not Ping.objects.exists()


def test_no_query_per_ping(cast):
    record_pings(person=cast.supervisor, pings=[point(0)], now=NOW)  # the rules row exists
    with CaptureQueriesContext(connection) as queries:
        result = record_pings(person=cast.supervisor, pings=[point(k) for k in range(500)], now=NOW)
    assert (result.stored, result.duplicates) == (499, 1)
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    # The rules, and one INSERT … ON CONFLICT DO NOTHING per 100 points (no query per ping).
    assert len(inserts) == 5
    assert len(queries) <= 5 + 3  # plus the rules and the transaction's savepoint
