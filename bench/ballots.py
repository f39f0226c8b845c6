"""Time a statutory ballot's heavy steps: freezing the electorate, the notices, the
tally of online votes, and voters voting at once against a production server.

``make bench`` runs this for each engine (bench.run calls ``bench_ballots`` and
``report_lines``). On its own, quicker:

    .venv/bin/python -m bench.ballots [--members 500000] [--votes 1000000] [--postgres]

which builds a register in a throwaway database, times the steps and replaces the
"Ballots" section of docs/benchmarks.md.

In the subprocess (``--measure OUT.json`` with DATABASE_URL set, migrated):

- **Freeze**: a register of ``--members`` members over 200 employers and 2,000
  workplaces (written in bulk by the disputes tests' ``scale_register``: some lapsed,
  resigned, in arrears, leaving or starting around the freeze date, some with two
  jobs); a statutory ballot over every employer; ``ballot_electorate_freeze`` timed,
  with Python's own allocations (tracemalloc) and the process's resident memory
  before and after. The baseline, in the same run on the same connection, is one bare
  ``INSERT ... SELECT DISTINCT membership_id`` of the jobs current on the day at those
  employers into a table of ids: the least a freeze can do.
- **Notices**: ``ballot_notices_prepare`` (the s.226A figures and text for each
  employer), then every notice rendered as a PDF (``documents.notice_pdf``).
- **Tally**: a poll with ``--votes`` votes written in bulk, ``voting.services.poll_count``
  timed against a bare ``SELECT ... count(*) ... GROUP BY`` on the same table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from contextlib import suppress
from pathlib import Path
from typing import Any

SECTION = "## Ballots: the electorate, the notices, the tally"
FREEZE_TARGET_S = 30
TIMEOUT = 60 * 60
NA = "-"

RESULTS: list[dict[str, Any]] = []  # one per engine


def _rss_mb() -> float:
    with suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(out: Path, members: int, votes: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from tolpuddle.disputes import documents, services
    from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
    from tolpuddle.disputes.tests.test_scale import ON, scale_register

    result: dict[str, Any] = {"members": members}
    built_in, employers = _timed(lambda: scale_register(members))
    result["register_s"] = built_in
    dispute = DisputeFactory(employers=employers)
    ballot = statutory_ballot(dispute=dispute, employers=employers)
    employer_ids = [e.pk for e in employers]

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_electorate (membership_id bigint)")
        placeholders = ", ".join(["%s"] * len(employer_ids))

        def baseline() -> None:
            cursor.execute("DELETE FROM bench_electorate")
            cursor.execute(
                "INSERT INTO bench_electorate (membership_id) "
                "SELECT DISTINCT membership_id FROM members_employment "
                f"WHERE employer_id IN ({placeholders}) AND started_on <= %s "
                "AND (ended_on IS NULL OR ended_on >= %s)",
                [*employer_ids, ON, ON],
            )

        result["baseline_s"], _ = _timed(baseline)
        cursor.execute("SELECT count(*) FROM bench_electorate")
        result["baseline_rows"] = cursor.fetchone()[0]

    rss_before = _rss_mb()
    tracemalloc.start()
    result["freeze_s"], summary = _timed(
        lambda: services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    )
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["refreeze_s"], _ = _timed(
        lambda: services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    )
    result["rss_before_mb"] = rss_before
    result["rss_after_mb"] = _rss_mb()
    result["python_peak_mb"] = python_peak / 2**20
    result["considered"] = summary.considered
    result["included"] = summary.included

    result["notices_s"], notices = _timed(
        lambda: services.ballot_notices_prepare(ballot=ballot, by=None)
    )
    result["notices"] = len(notices)

    def pdfs() -> int:
        size = 0
        for notice in notices:
            size += len(documents.notice_pdf(notice=notice))
        return size

    result["pdfs_s"], pdf_bytes = _timed(pdfs)
    result["pdf_mb"] = pdf_bytes / 2**20
    result["rss_end_mb"] = _rss_mb()
    result.update(_tally(votes))
    out.write_text(json.dumps(result), encoding="utf-8")


def _tally(votes: int) -> dict[str, Any]:
    """Votes written in bulk, then counted by the service and by bare SQL."""
    try:
        from bench import voting
    except ImportError:
        return {"tally": None}
    return {"tally": voting.measure_tally(votes)}


# --- In the parent ----------------------------------------------------------------


def bench_ballots(
    engine: str, env: dict[str, str], *, members: int, votes: int
) -> dict[str, Any]:
    import tempfile

    from bench import run

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "ballots.json"
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ballots",
                "--measure",
                str(out),
                "--members",
                str(members),
                "--votes",
                str(votes),
            ],
            cwd=run.ROOT,
            env={**env, "DEBUG": "0"},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        load = os.getloadavg()
        if done.returncode != 0 or not out.exists():
            note = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]
            entry = {"engine": engine, "note": note[0][:200], "load": load}
        else:
            entry = {"engine": engine, "note": "", "load": load}
            entry.update(json.loads(out.read_text(encoding="utf-8")))
        entry["whole_s"] = time.perf_counter() - started
    RESULTS.append(entry)
    return entry


def _s(value: float | None) -> str:
    return NA if value is None else f"{value:.1f}"


def report_lines() -> list[str]:
    if not RESULTS:
        return []
    lines = [
        SECTION,
        "",
        "Written by bench/ballots.py (see its docstring for what each step does).",
        f"Measured on {datetime.datetime.now():%Y-%m-%d at %H:%M}; load average "
        "(1, 5, 15 minutes) when each engine finished: "
        + "; ".join(
            f"{r['engine']} {' '.join(f'{x:.2f}' for x in r['load'])}" for r in RESULTS
        )
        + ".",
        "",
        "**Freezing the electorate and producing every s.226A notice.** Target: under "
        f"{FREEZE_TARGET_S} s, memory flat.",
        "",
        "| Engine | Members | Employers | Considered | In the electorate | Freeze s "
        "| Again s | Baseline s | Notices | Notices s | PDFs s | Freeze + notices + PDFs s "
        "| Python peak MB | RSS before → after MB | Target |",
        "| :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: "
        "| --: | :-- | :-- |",
    ]
    for r in RESULTS:
        if r["note"]:
            lines.append(f"| {r['engine']} | {r['note']} |" + " |" * 14)
            continue
        whole = r["freeze_s"] + r["notices_s"] + r["pdfs_s"]
        flat = r["python_peak_mb"] < 5
        met = whole < FREEZE_TARGET_S and flat
        lines.append(
            "| "
            + " | ".join(
                [
                    r["engine"],
                    f"{r['members']:,}",
                    "200",
                    f"{r['considered']:,}",
                    f"{r['included']:,}",
                    _s(r["freeze_s"]),
                    _s(r["refreeze_s"]),
                    f"{r['baseline_s']:.2f}",
                    str(r["notices"]),
                    _s(r["notices_s"]),
                    _s(r["pdfs_s"]),
                    _s(whole),
                    f"{r['python_peak_mb']:.1f}",
                    f"{r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f}",
                    "met" if met else "**not met**",
                ]
            )
            + " |"
        )
    tallies = [r for r in RESULTS if not r["note"] and r.get("tally")]
    if tallies:
        lines += [
            "",
            "**Tallying online votes** (`poll_count`, against a bare `GROUP BY` count "
            "of the same votes in the same run). Target: seconds.",
            "",
            "| Engine | Votes | Questions | Tally s (median of 3) | Bare SQL s "
            "| Ratio |",
            "| :-- | --: | --: | --: | --: | --: |",
        ]
        for r in tallies:
            t = r["tally"]
            lines.append(
                f"| {r['engine']} | {t['votes']:,} | {t['questions']} "
                f"| {t['tally_s']:.2f} | {t['bare_s']:.2f} "
                f"| {t['tally_s'] / t['bare_s']:.1f}x |"
            )
    return [*lines, ""]


def standalone(members: int, votes: int, postgres: bool) -> None:
    from bench import backoffice, run

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
                run.migrate(env)
                run.log(f"{engine.name}: ballots with {members:,} members")
                bench_ballots(engine.name, env, members=members, votes=votes)
    finally:
        for cluster in clusters:
            cluster.stop()
    backoffice.replace_section(run.REPORT, SECTION, report_lines())
    run.log(f"wrote the ballots section of {run.REPORT.relative_to(run.ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=Path, help="(subprocess) write JSON here")
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.members, args.votes)
    else:
        standalone(args.members, args.votes, args.postgres)


if __name__ == "__main__":
    main()
