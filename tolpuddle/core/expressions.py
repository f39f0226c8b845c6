"""Query expressions shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db.models import Func


class Unindexed(Func):
    """A column's value as an expression no index answers: ``+column`` on SQLite,
    the plain column elsewhere.

    SQLite keeps no statistics (the app never runs ANALYZE), so it starts from any
    index that answers a condition, whatever the number of rows it matches: the
    index on status for "active" (most of the register) rather than the few jobs
    of one employer, or the index on a date rather than a walk in the list's
    order. Writing the column as ``+column`` takes that index out of its choice.
    PostgreSQL weighs the indexes from its statistics and needs no hint."""

    template = "+%(expressions)s"

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        if connection.vendor != "sqlite":
            return compiler.compile(self.source_expressions[0])
        return super().as_sql(compiler, connection, **extra)
