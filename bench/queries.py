"""Time the register's reads in-process: the selectors, and bare SQL beside them.

Run by bench.run in a subprocess whose DATABASE_URL (and TOLPUDDLE_DATA_DIR) point at
a database holding an imported register:

    python -m bench.queries OUT.json

Writes a JSON list with, for each query: n (how many were timed), p50, p99 and max in
milliseconds, the mean number of results, the baseline's p99, one example value and
the plan the database chose for it.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WARM_UPS = 3
QUERIES = 200
TIME_BUDGET = 30.0  # seconds of timed runs per query: a slow query stops early...
MIN_RUNS = 10  # ...but not before this many
PAGE = 25


@dataclass
class Case:
    name: str
    values: list[Any]
    run: Callable[[Any], int]  # the selector for one value; how many results
    baseline: Callable[[Any], int]  # bare SQL for the same value
    show: Callable[[Any], str] = str  # the value as the report shows it


def timings(
    run: Callable[[Any], int], values: list[Any]
) -> tuple[list[float], list[int]]:
    """Milliseconds for each value after the warm-ups, and the result counts."""
    for value in values[:WARM_UPS]:
        run(value)
    times: list[float] = []
    sizes: list[int] = []
    started = time.perf_counter()
    for value in values[WARM_UPS:]:
        start = time.perf_counter()
        sizes.append(run(value))
        times.append((time.perf_counter() - start) * 1000)
        if len(times) >= MIN_RUNS and time.perf_counter() - started > TIME_BUDGET:
            break
    return times, sizes


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[98]


def main() -> None:  # noqa: PLR0915 - one case after another
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()

    from django.db import connection
    from django.db.models import Max, Min
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tolpuddle.members.models import Employer, Membership
    from tolpuddle.members.normalise import normalise_postcode
    from tolpuddle.members.selectors import memberships_employed_by, memberships_search

    out = Path(sys.argv[1])
    rng = random.Random(7)
    postgres = connection.vendor == "postgresql"
    today = timezone.localdate()
    wanted = WARM_UPS + QUERIES

    def sql(query: str, params: list[Any]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return len(cursor.fetchall())

    def starts_with(column: str, prefix: str) -> tuple[str, list[str]]:
        """``column`` starts with ``prefix``, as the selectors write it for an index."""
        if postgres:
            escaped = (
                prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            return f"{column} LIKE %s", [escaped + "%"]
        return f"{column} >= %s AND {column} < %s", [
            prefix,
            prefix[:-1] + chr(ord(prefix[-1]) + 1),
        ]

    def plan(run: Callable[[Any], int], value: Any) -> str:
        """The plan for ``run(value)``'s last query: EXPLAIN ANALYZE on PostgreSQL,
        EXPLAIN QUERY PLAN (as a tree) on SQLite."""
        with CaptureQueriesContext(connection) as captured:
            run(value)
        query = captured.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
                return "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            depth: dict[int, int] = {0: -1}
            lines = []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)

    # Values to ask about, sampled from what was imported.
    bounds = Membership.objects.aggregate(low=Min("pk"), high=Max("pk"))
    everyone = range(bounds["low"], bounds["high"] + 1)
    ids = rng.sample(everyone, min(wanted * 2, len(everyone)))
    members = sorted(  # the same values on every engine
        Membership.objects.filter(pk__in=ids).values_list(
            "pk",
            "membership_number",
            "person__email",
            "person__postcode",
            "person__first_name_key",
            "person__last_name_key",
        )
    )
    rng.shuffle(members)
    members = members[:wanted]
    employers = list(Employer.objects.all())
    first_day = datetime.date(2010, 1, 1)

    def past_day() -> datetime.date:
        return first_day + datetime.timedelta(
            days=rng.randrange((today - first_day).days)
        )

    def shout(text: str) -> str:
        return text.upper() if rng.random() < 0.5 else text

    def postcode_as_typed(postcode: str) -> str:
        return rng.choice([postcode, postcode.lower(), postcode.replace(" ", "")])

    def name_prefix(key: str) -> str:
        return key[: rng.randint(2, 4)]

    print(
        f"  {Membership.objects.count():,} members, {len(employers)} employers",
        flush=True,
    )

    def employed(on_past: bool, counted: bool) -> Case:
        values = [
            (rng.choice(employers), past_day() if on_past else today)
            for _ in range(wanted)
        ]

        def run(value: tuple[Employer, datetime.date]) -> int:
            employer, day = value
            found = memberships_employed_by(employer=employer, on=day)
            return found.count() if counted else len(found[:PAGE])

        when = "a past date" if on_past else "today"
        return Case(
            name=f"employed by X on {when}: {'count' if counted else 'first 25'}",
            values=values,
            run=run,
            baseline=lambda v: sql(
                "SELECT count(*) FROM members_employment WHERE employer_id = %s",
                [v[0].pk],
            ),
            show=lambda v: f"{v[0].name}, {v[1]:%Y-%m-%d}",
        )

    def search(query: str) -> int:
        return len(memberships_search(query=query)[:PAGE])

    def prefix_sql(columns: list[tuple[str, str]]) -> int:
        parts = [starts_with(column, prefix) for column, prefix in columns]
        where = " AND ".join(part for part, _ in parts)
        return sql(
            f"SELECT id FROM members_person WHERE {where} LIMIT {PAGE}",
            [p for _, params in parts for p in params],
        )

    def first_and_last(query: str) -> int:
        first, last = query.lower().split(" ")
        return prefix_sql([("first_name_key", first), ("last_name_key", last)])

    def outward(query: str) -> int:
        return prefix_sql([("postcode", query.upper() + " ")])

    cases = [
        employed(on_past=False, counted=True),
        employed(on_past=False, counted=False),
        employed(on_past=True, counted=True),
        employed(on_past=True, counted=False),
        Case(
            name='search last-name prefix ("smi")',
            values=[name_prefix(m[5]) for m in members],
            run=search,
            baseline=lambda q: prefix_sql([("last_name_key", q)]),
        ),
        Case(
            name='search first and last name ("ben jon")',
            values=[f"{shout(name_prefix(m[4]))} {name_prefix(m[5])}" for m in members],
            run=search,
            baseline=first_and_last,
        ),
        Case(
            name="search membership number",
            values=[m[1] for m in members],
            run=search,
            baseline=lambda q: sql(
                "SELECT id, status FROM members_membership WHERE membership_number = %s",
                [q],
            ),
        ),
        Case(
            name="search email",
            values=[shout(m[2]) for m in members],
            run=search,
            baseline=lambda q: sql(
                "SELECT id FROM members_person WHERE email = %s", [q.lower()]
            ),
        ),
        Case(
            name="search postcode",
            values=[postcode_as_typed(m[3]) for m in members],
            run=search,
            baseline=lambda q: sql(
                f"SELECT id FROM members_person WHERE postcode = %s LIMIT {PAGE}",
                [normalise_postcode(q)],
            ),
        ),
        Case(
            name='search outward code ("B3")',
            values=[m[3].split(" ")[0] for m in members],
            run=search,
            baseline=outward,
        ),
        Case(
            name="membership by primary key (ORM get)",
            values=[m[0] for m in members],
            run=lambda pk: int(
                Membership.objects.select_related("person").get(pk=pk).pk == pk
            ),
            baseline=lambda pk: sql(
                "SELECT * FROM members_membership WHERE id = %s", [pk]
            ),
        ),
    ]

    results = []
    for case in cases:
        times, sizes = timings(case.run, case.values)
        baseline_times, _ = timings(case.baseline, case.values)
        example = case.values[WARM_UPS]
        result = {
            "query": case.name,
            "n": len(times),
            "p50": statistics.median(times),
            "p99": p99(times),
            "max": max(times),
            "mean_results": statistics.fmean(sizes),
            "baseline_p99": p99(baseline_times),
            "example": case.show(example),
            "plan": plan(case.run, example),
        }
        results.append(result)
        print(
            f"  {connection.vendor}: {case.name}: p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms (n={result['n']}), baseline p99 "
            f"{result['baseline_p99']:.1f} ms",
            flush=True,
        )
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
