"""Two expenditures at the same time cannot both pass the balance check (PostgreSQL only:
SQLite serialises writers anyway, and its test database is not shared between threads)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from tests.factories import SubdistrictFactory
from wangge.core.errors import DomainError
from wangge.finance import services
from wangge.finance.models import Expenditure
from wangge.finance.selectors import project_figures

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (dev.py --postgres)"
    ),
]


def test_concurrent_expenditures_do_not_overspend():
    project = services.project_create(
        subdistrict=SubdistrictFactory(code="098"), year=2019, name="经费", by_user=None
    )
    services.allocation_add(
        project, kind="initial", amount="1000", date=dt.date(2019, 1, 1), by_user=None
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def spend() -> None:
        # A new thread starts in the default language (Chinese): read the English message.
        translation.activate("en")
        try:
            start.wait()
            services.record_expenditure(
                project,
                kind="other",
                amount="600",
                date=dt.date(2019, 2, 1),
                description="同时录入",
                by_user=None,
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[-1] == "ok" and "balance of 400.00 yuan" in sorted(outcomes)[0]
    assert Expenditure.objects.count() == 1
    assert project_figures(project).balance == Decimal("400.00")
