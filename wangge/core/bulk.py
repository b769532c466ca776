"""Writing many rows fast: COPY on PostgreSQL, one prepared executemany on SQLite.

The ORM's ``bulk_create`` builds a model instance and prepares every value of every row in
Python; for a city's month of assessment scores (over a hundred thousand rows) that was most of
the run. :func:`insert_rows` streams plain tuples instead. It runs no ``save()``, sends no
signal and checks nothing: callers pass values that are already valid (they come from a
service that made them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

CHUNK = 50_000


def _defaults(model: type[models.Model], given: set[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns not given and the value each takes (timestamps now, else its default)."""
    now = timezone.now()
    columns: list[str] = []
    values: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in given:
            continue
        if f.attname in ("created_at", "updated_at"):
            value: Any = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = ""
        columns.append(str(f.column))
        values.append(f.get_db_prep_save(value, connection))
    return columns, tuple(values)


def insert_rows(
    model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert ``rows`` (tuples of the ``fields``' values, by attname, e.g. ``run_id``); every
    other column takes its default. Returns the number of rows written."""
    given = set(fields)
    extra_columns, tail = _defaults(model, given)
    meta = model._meta
    columns = [str(cast("models.Field[Any, Any]", meta.get_field(name)).column) for name in fields]
    columns += extra_columns
    quote = connection.ops.quote_name
    table = quote(str(meta.db_table))
    names = ", ".join(quote(c) for c in columns)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    written += 1
            return written
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        adapt = connection.ops.adapt_datetimefield_value
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) + tail)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
