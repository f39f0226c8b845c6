"""Time the back office's members list (/admin/members/) on a big register.

``make bench`` runs this after the reads (bench.run calls ``bench_member_list`` for
each engine and ``report_lines`` for its section of docs/benchmarks.md). To run it on
its own, quicker, on SQLite (and PostgreSQL with ``--postgres``):

    .venv/bin/python -m bench.backoffice --size 100000 [--postgres]
    .venv/bin/python -m bench.backoffice --size 1000000 --postgres

which imports a register of that size into a throwaway database, times the list and
replaces the "Back office" section of docs/benchmarks.md. To time an existing
database, pick a few cases and print them (nothing is written to the report):

    DATABASE_URL=... BENCH_CASES=employer,prefix \
        .venv/bin/python -m bench.backoffice --measure /tmp/out.json

or time registers imported earlier (with the same code) and replace the section:

    .venv/bin/python -m bench.backoffice --size 1000000 \
        --existing SQLite=sqlite:////tmp/r.sqlite3 --existing PostgreSQL=postgres://...

In the subprocess (``python -m bench.backoffice --measure OUT.json``, with
DATABASE_URL pointing at an imported register) each case is a GET of the list through
Django's test client, signed in as HQ staff (or a branch secretary) with a second
factor set up, so the time is the server's whole: middleware, session, permissions,
the selectors, the count, the page and Wagtail's admin templates. The baseline is the
same filtered queryset, one page of 50 with person and branch, evaluated directly.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

WARM_UPS = 3
RUNS = 100
P99_TARGET_MS = 200
TIMEOUT = 20 * 60
NA = "-"
SECTION = "## Back office: the members list"

RESULTS: list[
    dict[str, Any]
] = []  # one per engine: {"engine", "rows", "cases", "note"}


# --- In the subprocess ---------------------------------------------------------------


def _p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[98]


def _timed(run: Callable[[Any], None], values: list[Any]) -> list[float]:
    for value in values[:WARM_UPS]:
        run(value)
    times = []
    for value in values[WARM_UPS:]:
        start = time.perf_counter()
        run(value)
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(out: Path) -> None:  # noqa: PLR0915 - one case after another
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.models import Max, Min
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tolpuddle.backoffice.member_list import (
        PAGE_SIZE,
        MemberListFilters,
        members_listed,
    )
    from tolpuddle.core.models import User
    from tolpuddle.core.startup import process_ready
    from tolpuddle.members.models import (
        Branch,
        Employer,
        Membership,
        Position,
        Role,
    )

    rng = random.Random(11)
    wanted = WARM_UPS + RUNS
    today = timezone.localdate()

    # Created once: measuring the same database again reuses them.
    hq, created = User.objects.get_or_create(
        username="bench-hq", defaults={"email": "bench-hq@example.org"}
    )
    if created:
        hq.groups.add(Group.objects.get(name="Membership staff"))
        TOTP.activate(hq, generate_totp_secret())
    secretary, created = User.objects.get_or_create(
        username="bench-sec", defaults={"email": "bench-sec@example.org"}
    )
    if created:
        first = (
            Membership.objects.filter(status="active", branch__isnull=False)
            .select_related("person")
            .first()
        )
        assert first is not None  # noqa: S101
        person = first.person
        person.user = secretary
        person.save(update_fields=["user"])
        Position.objects.create(
            membership=first,
            role=Role.objects.get(slug="branch-secretary"),
            branch=first.branch,
            started_on=today,
        )
        TOTP.activate(secretary, generate_totp_secret())
    secretary_membership = Membership.objects.get(person__user=secretary)

    bounds = Membership.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = rng.sample(range(bounds["low"], bounds["high"] + 1), wanted * 2)
    sample = sorted(
        Membership.objects.filter(pk__in=ids).values_list(
            "membership_number", "person__last_name_key", "person__postcode"
        )
    )
    rng.shuffle(sample)
    sample = sample[:wanted]
    branch_ids = list(Branch.objects.values_list("pk", flat=True))
    employer_ids = list(Employer.objects.values_list("pk", flat=True))
    other_branches = [b for b in branch_ids if b != secretary_membership.branch_id]
    statuses = ["active", "lapsed", "resigned"]
    categories = ["full", "student", "retired", "associate"]

    def joined_between() -> dict[str, str]:
        year = rng.randint(1975, 2024)
        month = rng.randint(1, 12)
        return {
            "joined_from": f"01/{month:02d}/{year}",
            "joined_to": f"28/{month:02d}/{year}",
        }

    cases: list[tuple[str, Any, list[dict[str, Any]]]] = [
        ("HQ: no filter, first page", hq, [{} for _ in range(wanted)]),
        ("HQ: no filter, page 100", hq, [{"page": "100"} for _ in range(wanted)]),
        (
            "HQ: a branch",
            hq,
            [{"branch": str(rng.choice(branch_ids))} for _ in range(wanted)],
        ),
        (
            "HQ: status and category",
            hq,
            [
                {"status": rng.choice(statuses), "category": rng.choice(categories)}
                for _ in range(wanted)
            ],
        ),
        ("HQ: joined in a given month", hq, [joined_between() for _ in range(wanted)]),
        (
            "HQ: left in the last year",
            hq,
            [
                {
                    "left_from": f"{today - datetime.timedelta(days=rng.randint(365, 400)):%d/%m/%Y}"
                }
                for _ in range(wanted)
            ],
        ),
        (
            "HQ: an employer",
            hq,
            [{"employer": str(rng.choice(employer_ids))} for _ in range(wanted)],
        ),
        ("HQ: last-name prefix", hq, [{"q": s[1][:3]} for s in sample]),
        ("HQ: membership number", hq, [{"q": s[0]} for s in sample]),
        ("HQ: postcode", hq, [{"q": s[2]} for s in sample]),
        ("Branch secretary: no filter", secretary, [{} for _ in range(wanted)]),
        (
            "Branch secretary: last-name prefix",
            secretary,
            [{"q": s[1][:3]} for s in sample],
        ),
        (
            "Branch secretary: another branch",
            secretary,
            [{"branch": str(rng.choice(other_branches))} for _ in range(wanted)],
        ),
    ]

    # BENCH_CASES="employer,prefix" times only the cases whose names contain one of
    # those words (case-insensitive), for quicker work on one slow case.
    only = [w.strip().lower() for w in os.environ.get("BENCH_CASES", "").split(",")]
    cases = [
        c for c in cases if not any(only) or any(w in c[0].lower() for w in only if w)
    ]
    results = []
    process_ready()  # as config/wsgi.py does in a web process
    load_start = os.getloadavg()
    for name, user, values in cases:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        sizes: list[int] = []

        def view(
            params: dict[str, Any], client: Client = client, sizes: list[int] = sizes
        ) -> None:
            response = client.get("/admin/members/", params)
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code} for {params}")
            sizes.append(len((response.context_data or {})["members"]))

        def bare(params: dict[str, Any], user: Any = user) -> None:
            query = QueryDict("", mutable=True)
            query.update(params)
            form = MemberListFilters(query)
            form.is_valid()
            page = int(params.get("page", 1))
            members = members_listed(user=user, filters=form.cleaned_data)
            offset = (page - 1) * PAGE_SIZE
            list(
                members.select_related("person", "branch")[offset : offset + PAGE_SIZE]
            )

        times = _timed(view, values)
        baseline = _timed(bare, values)
        with CaptureQueriesContext(connection) as captured:
            view(values[WARM_UPS])
        result = {
            "case": name,
            "n": len(times),
            "p50": statistics.median(times),
            "p99": _p99(times),
            "max": max(times),
            "mean_rows": statistics.fmean(sizes) if sizes else 0,
            "baseline_p50": statistics.median(baseline),
            "baseline_p99": _p99(baseline),
            "queries": len(captured.captured_queries),
            "example": json.dumps(values[WARM_UPS]),
        }
        results.append(result)
        print(
            f"  {connection.vendor}: {name}: p50 {result['p50']:.1f} ms, p99 "
            f"{result['p99']:.1f} ms; bare query p99 {result['baseline_p99']:.1f} ms",
            flush=True,
        )
    out.write_text(
        json.dumps({"cases": results, "load": [load_start, os.getloadavg()]}, indent=2)
    )


# --- In bench.run's process ----------------------------------------------------------


def bench_member_list(engine: str, rows: int, env: dict[str, str]) -> dict[str, Any]:
    """Time the list in a subprocess against ``env``'s database; kept for the report."""
    root = Path(__file__).resolve().parent.parent
    run: dict[str, Any] = {
        "engine": engine,
        "rows": rows,
        "cases": [],
        "load": [],
        "note": "",
    }
    output = Path(
        tempfile.mkstemp(prefix="tolpuddle-bench-backoffice-", suffix=".json")[1]
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.backoffice", "--measure", str(output)],
            cwd=root,
            env=env,
            check=False,
            timeout=TIMEOUT,
        )
        if result.returncode == 0:
            measured = json.loads(output.read_text())
            run["cases"], run["load"] = measured["cases"], measured["load"]
        else:
            run["note"] = (
                f"the members list benchmark failed (exit {result.returncode})"
            )
    except subprocess.TimeoutExpired:
        run["note"] = f"the members list benchmark took over {TIMEOUT // 60} minutes"
    finally:
        output.unlink(missing_ok=True)
    RESULTS.append(run)
    return run


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def report_lines(runs: list[dict[str, Any]] | None = None) -> list[str]:
    """The report's section on the members list."""
    runs = RESULTS if runs is None else runs
    if not runs:
        return []
    sizes = sorted({run["rows"] for run in runs})
    headers = [
        "Engine",
        "Case",
        "n",
        "Rows shown",
        "Queries",
        "p50",
        "p99",
        "max",
        "Bare query p50",
        "Bare query p99",
        f"Target (p99 <{P99_TARGET_MS} ms)",
    ]
    lines = [
        SECTION,
        "",
        f"On {', '.join(f'{s:,}' for s in sizes)} imported members. Times in milliseconds.",
        "Each case is a GET of /admin/members/ through Django's test client, signed in",
        "with a second factor: the server's whole time (middleware, session,",
        "permissions, the scope, the count up to 10,001 (1,001 for a search), the page of 50 and Wagtail's",
        f"admin templates), with values varied per run after {WARM_UPS} warm-ups. The bare",
        "query is the same filtered queryset, one page of 50 with person and branch,",
        "evaluated directly. The process first does what config/wsgi.py does before",
        "it serves (core/startup.py: import the views, freeze what is held out of the",
        "garbage collector, whose full passes otherwise cost 175-265 ms every fifty or",
        "so requests). Written by bench/backoffice.py.",
        "",
        *_machine_lines(runs),
        "",
        "| " + " | ".join(headers) + " |",
        "| :-- | :-- | " + " | ".join(["--:"] * (len(headers) - 2)) + " |",
    ]
    for run in runs:
        if run["note"]:
            lines.append(
                f"| {run['engine']} | {run['note']} | " + " | ".join([NA] * 9) + " |"
            )
        for case in run["cases"]:
            ok = case["p99"] < P99_TARGET_MS
            lines.append(
                "| "
                + " | ".join(
                    [
                        run["engine"],
                        case["case"],
                        str(case["n"]),
                        f"{case['mean_rows']:.0f}",
                        str(case["queries"]),
                        _ms(case["p50"]),
                        _ms(case["p99"]),
                        _ms(case["max"]),
                        _ms(case["baseline_p50"]),
                        _ms(case["baseline_p99"]),
                        "met" if ok else "**not met**",
                    ]
                )
                + " |"
            )
    return [*lines, ""]


def _load(values: list[float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _machine_lines(runs: list[dict[str, Any]]) -> list[str]:
    """When, on what, and how busy the machine was (its load average, 1, 5 and 15
    minutes, as each engine's measuring began and ended): other work on the machine
    shows in the p99s."""
    cpu = "unknown"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    lines = [
        f"Measured on {datetime.datetime.now():%Y-%m-%d at %H:%M}, {cpu}, "
        f"{os.cpu_count()} cores. Load average while measuring:"
    ]
    lines += [
        f"{run['engine']} {_load(run['load'][0])} at the start, "
        f"{_load(run['load'][1])} at the end;"
        for run in runs
        if run.get("load")
    ]
    lines[-1] = lines[-1].rstrip(";:") + "."
    return lines


def _replace_section(report: Path, lines: list[str]) -> None:
    replace_section(report, SECTION, lines)


def replace_section(report: Path, section: str, lines: list[str]) -> None:
    """Put this section into an existing report, in place of an older one."""
    text = report.read_text(encoding="utf-8") if report.exists() else "# Benchmarks\n"
    start = text.find(section)
    if start != -1:
        following = text.find("\n## ", start + len(section))
        text = text[:start] + (text[following + 1 :] if following != -1 else "")
    report.write_text(
        text.rstrip() + "\n\n" + "\n".join(lines).rstrip() + "\n", encoding="utf-8"
    )


def standalone(size: int, postgres: bool) -> None:
    from bench import run

    path = run.register_file(size)
    engines: list[Any] = [run.SQLiteEngine()]
    clusters: list[Any] = []
    try:
        if postgres:
            engine, about = run.postgres_engine(clusters)
            if engine is None:
                run.log(f"PostgreSQL {about}")
            else:
                engines.append(engine)
        for engine in engines:
            with engine.database() as database:
                env = run.app_env(database)
                run.log(f"{engine.name}: migrating and importing {size:,} members")
                run.migrate(env)
                subprocess.run(
                    [str(run.BIN / "tolpuddle"), "import_members", str(path), "-v0"],
                    cwd=run.ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                engine.settle(env)
                run.log(f"{engine.name}: timing the members list")
                bench_member_list(engine.name, size, env)
    finally:
        for cluster in clusters:
            cluster.stop()
    _replace_section(run.REPORT, report_lines())
    run.log(f"wrote the back office section of {run.REPORT.relative_to(run.ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--measure", type=Path, help="(subprocess) time, write JSON here"
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--existing",
        action="append",
        metavar="ENGINE=DATABASE_URL",
        help="time a register already imported (--size members) in this database "
        "instead of importing one, e.g. SQLite=sqlite:////tmp/r.sqlite3; may be "
        "given once per engine; replaces the section of docs/benchmarks.md",
    )
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
    elif args.existing:
        existing(args.size, args.existing)
    else:
        standalone(args.size, args.postgres)


def existing(size: int, databases: list[str]) -> None:
    from bench import run

    for given in databases:
        engine, _, url = given.partition("=")
        run.log(f"{engine}: timing the members list on {url}")
        bench_member_list(engine, size, run.app_env({"DATABASE_URL": url}))
    _replace_section(run.REPORT, report_lines())
    run.log(f"wrote the back office section of {run.REPORT.relative_to(run.ROOT)}")


if __name__ == "__main__":
    main()
