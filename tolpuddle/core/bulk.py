"""Fast inserts for the import's hot path.

``bulk_create`` prepares every value of every object through its field (about 15 µs
an object); an import of a million members writes four million rows. Here each
column's values are prepared by one database adapter and the rows go to the
database with ``executemany``. Ids are reserved first, so that the caller can link
rows (a membership to its person) without reading them back.

Only for plain columns (text, numbers, dates, JSON): there is no ``save()``, no
signals and no field validation, so callers validate first.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``'s table. Call inside a transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(
                f"reserve_ids does not support {connection.vendor}"
            )
        # SQLite: the transaction holds the write lock (transaction_mode IMMEDIATE),
        # so nobody else can take these ids before we insert them.
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608 - a table name from the model
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + count))


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a Python value into what this database stores; None: the driver's
    own adapter does it (dates and decimals, on both databases; see below)."""
    if isinstance(field, models.DateTimeField):
        ops = connection.ops
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.JSONField):
        return json.dumps
    return None


# SQLite stores a date as the ISO text Django writes; say so rather than rely on
# sqlite3's default adapter, which Python 3.12 deprecates. (Django registers one
# for Decimal.)
sqlite3.register_adapter(datetime.date, datetime.date.isoformat)


def _rows_to_send(
    rows: Sequence[Sequence[Any]],
    width: int,
    ids: Sequence[int] | None,
    extra: Sequence[Any],
    adapters: Sequence[tuple[int, Callable[[Any], Any]]],
) -> list[Sequence[Any]]:
    """Each row with its id in front, the time stamps behind, and adapted values."""
    if any(len(row) != width for row in rows):
        raise ValueError(f"every row needs {width} values, one for each column")
    prepared: list[Sequence[Any]]
    if ids is not None:
        prepared = [(key, *row, *extra) for key, row in zip(ids, rows, strict=True)]
    else:
        prepared = [(*row, *extra) for row in rows]
    if not adapters:
        return prepared
    shift = 1 if ids is not None else 0
    adapted: list[Sequence[Any]] = []
    for values in prepared:
        listed = list(values)
        for index, adapt in adapters:
            listed[index + shift] = adapt(listed[index + shift])
        adapted.append(listed)
    return adapted


ROWS_A_STATEMENT = 100


def _insert_many_rows_a_statement(
    cursor: Any, sql: str, width: int, rows: Sequence[Sequence[Any]]
) -> None:
    """SQLite: ``ROWS_A_STATEMENT`` rows to each INSERT (``VALUES (...), (...)``), so
    that the statement is stepped once for many rows; the rest with one a statement."""
    marks = "(" + ", ".join(["%s"] * width) + ")"
    many = (
        sql.rsplit(" VALUES ", 1)[0]
        + " VALUES "
        + ", ".join([marks] * ROWS_A_STATEMENT)
    )
    whole = len(rows) - len(rows) % ROWS_A_STATEMENT
    if whole:
        cursor.executemany(
            many,
            [
                [
                    value
                    for row in rows[start : start + ROWS_A_STATEMENT]
                    for value in row
                ]
                for start in range(0, whole, ROWS_A_STATEMENT)
            ],
        )
    if whole < len(rows):
        cursor.executemany(sql, rows[whole:])


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ids: Sequence[int] | None = None,
    json_text: Sequence[str] = (),
) -> None:
    """Insert ``rows`` (values in the order of ``columns``, which are attnames such as
    ``person_id``) into ``model``'s table, with ``ids`` if given. ``created_at`` and
    ``updated_at`` are filled in when the model has them. Values of the JSON columns
    named in ``json_text`` are already JSON text; other JSON values are encoded."""
    if not rows:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bulk_insert must run inside a transaction")
    opts = model._meta
    fields = [
        opts.get_field(name.removesuffix("_id"))
        if name.endswith("_id")
        else opts.get_field(name)
        for name in columns
    ]
    adapters = [
        (index, adapt)
        for index, (name, field) in enumerate(zip(columns, fields, strict=True))
        if name not in json_text and (adapt := _adapter(field)) is not None  # type: ignore[arg-type]
    ]
    names: list[str] = [field.column for field in fields]  # type: ignore[union-attr,misc]
    extra: list[Any] = []
    now = timezone.now()
    for stamp in ("created_at", "updated_at"):
        if any(f.name == stamp for f in opts.concrete_fields) and stamp not in columns:
            names.append(stamp)
            extra.append(connection.ops.adapt_datetimefield_value(now))
    if ids is not None:
        names.insert(0, str(opts.pk.column))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the model
        quote(opts.db_table),
        ", ".join(quote(n) for n in names),
        ", ".join(["%s"] * len(names)),
    )
    prepared = _rows_to_send(rows, len(columns), ids, extra, adapters)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's own bulk path: several times executemany's speed.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(opts.db_table), ", ".join(quote(n) for n in names)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            _insert_many_rows_a_statement(cursor, sql, len(names), prepared)


def planner_statistics_refresh(*, for_models: Sequence[type[models.Model]]) -> None:
    """After a bulk load, let the query planner see the tables' new shape.

    PostgreSQL's autovacuum analyses a table only after its rows are committed, and
    may have analysed it while it was empty (after an earlier load rolled back); a
    join planned on "this table has one row" then runs as nested loops over
    thousands of rows. ``ANALYZE`` inside the loading transaction counts that
    transaction's own rows, so what follows in it is planned on the real sizes.
    SQLite keeps no statistics unless asked: ``PRAGMA optimize`` is its cheap form.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            for model in for_models:
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                )
