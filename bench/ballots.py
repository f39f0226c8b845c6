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
  employer), then every notice written as text and PDF into a directory by
  ``documents.notices_write`` (what ``tolpuddle ballot_notices`` does), the PDFs
  laid out by one process a CPU.
- **Tally**: a poll with ``--votes`` votes written in bulk, ``voting.services.poll_count``
  timed against a bare ``SELECT ... count(*) ... GROUP BY`` on the same table.

Then, in the parent, **voters voting at once**: a poll of ``VOTERS`` members with
their one-time codes (``--voting-setup``), the site served by gunicorn with the
production settings on loopback (``GUNICORN_WORKERS`` processes), and one thread per
voter: each fetches the vote-with-your-code page, all wait at a barrier, then each
posts their code and answers; each then posts the same again (a second vote, which
must be refused), and ``RACERS`` of them post their code from several threads at
once. Afterwards the database is asked (``--voting-check``) how many voters are
marked as having voted and how many votes there are: both must equal the votes the
site accepted, and that must be every voter. The baseline is the same number of
GETs of the site's simplest page (the receipts list) from the same threads.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import suppress
from pathlib import Path
from typing import Any

from bench.voting import rss_mb, timed

SECTION = "## Ballots: the electorate, the notices, the tally"
FREEZE_TARGET_S = 30
TIMEOUT = 60 * 60
NA = "-"

RESULTS: list[dict[str, Any]] = []  # one per engine


def measure(out: Path, members: int, votes: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from tolpuddle.disputes import documents, services
    from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
    from tolpuddle.disputes.tests.test_scale import ON, scale_register

    result: dict[str, Any] = {"members": members}
    built_in, employers = timed(lambda: scale_register(members))
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

        result["baseline_s"], _ = timed(baseline)
        cursor.execute("SELECT count(*) FROM bench_electorate")
        result["baseline_rows"] = cursor.fetchone()[0]

    rss_before = rss_mb()
    tracemalloc.start()
    result["freeze_s"], summary = timed(
        lambda: services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    )
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["refreeze_s"], _ = timed(
        lambda: services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    )
    result["rss_before_mb"] = rss_before
    result["rss_after_mb"] = rss_mb()
    result["python_peak_mb"] = python_peak / 2**20
    result["considered"] = summary.considered
    result["included"] = summary.included

    result["notices_s"], notices = timed(
        lambda: services.ballot_notices_prepare(ballot=ballot, by=None)
    )
    result["notices"] = len(notices)

    def pdfs() -> int:
        with tempfile.TemporaryDirectory() as directory:
            written = documents.notices_write(ballot=ballot, directory=Path(directory))
            return sum(path.stat().st_size for path in written if path.suffix == ".pdf")

    result["pdfs_s"], pdf_bytes = timed(pdfs)
    result["pdf_mb"] = pdf_bytes / 2**20
    result["pdf_jobs"] = os.cpu_count() or 1
    result["rss_end_mb"] = rss_mb()
    result.update(_tally(votes))
    out.write_text(json.dumps(result), encoding="utf-8")


def _tally(votes: int) -> dict[str, Any]:
    """Votes written in bulk, then counted by the service and by bare SQL."""
    try:
        from bench import voting
    except ImportError:
        return {"tally": None}
    return {"tally": voting.measure_tally(votes)}


def voting_setup(out: Path, voters: int) -> None:
    """A poll open now with ``voters`` voters; their codes written to ``out``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from bench import voting as bench_voting
    from tolpuddle.voting import services

    members = bench_voting.memberships_make(voters)
    poll = bench_voting._poll("Voting at once")
    codes: list[str] = []
    services.poll_voters_add(
        poll=poll,
        memberships=members,
        by=None,
        codes_to=lambda issued: codes.extend(c.code for c in issued),
    )
    services.poll_open(poll=poll, by=None)
    questions = [
        (f"question-{q.pk}", [c.pk for c in q.choices.all()])
        for q in poll.questions.prefetch_related("choices")
    ]
    out.write_text(
        json.dumps({"poll": poll.pk, "codes": codes, "questions": questions}),
        encoding="utf-8",
    )


def voting_check(out: Path, poll_id: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from tolpuddle.voting.models import Answer, Poll, Vote, Voter

    poll = Poll.objects.get(pk=poll_id)
    out.write_text(
        json.dumps(
            {
                "voted": Voter.objects.filter(poll=poll, has_voted=True).count(),
                "votes": Vote.objects.filter(poll=poll).count(),
                "answers": Answer.objects.filter(question__poll=poll).count(),
            }
        ),
        encoding="utf-8",
    )


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
    try:
        entry["concurrent"] = bench_concurrent_voting(engine, env)
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        entry["concurrent"] = {"note": f"failed: {error}"[:200]}
    RESULTS.append(entry)
    return entry


VOTERS = 200
RACERS = 20  # voters who also send their code from several threads at once
RACE_THREADS = 5
GUNICORN_WORKERS = 4


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Site:
    """A cookie-keeping client of the site over plain HTTP on loopback, saying it
    came through a TLS proxy (``X-Forwarded-Proto: https``), as production expects."""

    def __init__(self, port: int) -> None:
        self.origin = f"https://127.0.0.1:{port}"
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, Any] | None = None
    ) -> tuple[int, str]:
        import http.client
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()


def _csrf(page: str) -> str:
    import re

    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found.group(1) if found else ""


def bench_concurrent_voting(engine: str, env: dict[str, str]) -> dict[str, Any]:
    """200 voters at once against gunicorn with the production settings."""
    import random
    import secrets
    import tempfile

    from bench import run

    # The codes are hashed with SECRET_KEY: the same key for setting up and serving.
    env = {**env, "SECRET_KEY": secrets.token_urlsafe(64)}
    with tempfile.TemporaryDirectory() as scratch:
        setup = Path(scratch) / "setup.json"
        subprocess.run(
            [sys.executable, "-m", "bench.ballots", "--voting-setup", str(setup)],
            cwd=run.ROOT,
            env=env,
            check=True,
            timeout=TIMEOUT,
        )
        data = json.loads(setup.read_text(encoding="utf-8"))
        port = _free_port()
        server_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXY_COUNT": "0",
            "EMAIL_URL": "consolemail://",
            "DEBUG": "0",
        }
        server = subprocess.Popen(
            [
                str(run.BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(GUNICORN_WORKERS),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=run.ROOT,
            env=server_env,
        )
        poll = data["poll"]
        vote_path = f"/vote/{poll}/"
        try:
            for _ in range(100):  # until it answers
                with suppress(OSError):
                    if _Site(port).request("GET", f"{vote_path}receipts/")[0] < 500:
                        break
                time.sleep(0.2)
            result = _vote_at_once(port, vote_path, data, random.Random(1913))
        finally:
            server.terminate()
            server.wait(timeout=60)
        check = Path(scratch) / "check.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ballots",
                "--voting-check",
                str(check),
                "--poll",
                str(poll),
            ],
            cwd=run.ROOT,
            env=env,
            check=True,
            timeout=TIMEOUT,
        )
        result["database"] = json.loads(check.read_text(encoding="utf-8"))
        result["questions"] = len(data["questions"])
    result["engine"] = engine
    return result


def _vote_at_once(
    port: int, vote_path: str, data: dict[str, Any], chance: Any
) -> dict[str, Any]:
    import threading

    codes: list[str] = data["codes"]
    voters = len(codes)
    sites = [_Site(port) for _ in codes]
    forms: list[dict[str, Any]] = []
    statuses: dict[str, list[int]] = {"first": [], "second": [], "race": []}
    lock = threading.Lock()
    ready = threading.Barrier(voters)
    times: dict[str, float] = {}

    def fetch(index: int) -> None:
        _status, page = sites[index].request("GET", vote_path)
        form = {"csrfmiddlewaretoken": _csrf(page), "code": codes[index]}
        for name, choices in data["questions"]:
            form[name] = str(chance.choice(choices))
        with lock:
            forms.append(form)
        sites[index].form = form  # type: ignore[attr-defined]

    def vote(index: int, phase: str) -> None:
        if phase == "first":
            ready.wait()
        status, _ = sites[index].request(
            "POST",
            vote_path,
            sites[index].form,  # type: ignore[attr-defined]
        )
        with lock:
            statuses[phase].append(status)

    def in_threads(target: Any, args: list[tuple[Any, ...]]) -> float:
        threads = [threading.Thread(target=target, args=a) for a in args]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    times["fetch_s"] = in_threads(fetch, [(i,) for i in range(voters)])
    times["vote_s"] = in_threads(vote, [(i, "first") for i in range(voters)])
    times["second_s"] = in_threads(vote, [(i, "second") for i in range(voters)])
    racers = chance.sample(range(voters), min(RACERS, voters))
    times["race_s"] = in_threads(
        vote, [(i, "race") for i in racers for _ in range(RACE_THREADS)]
    )
    baseline = [_Site(port) for _ in range(voters)]
    times["baseline_s"] = in_threads(
        lambda site: site.request("GET", f"{vote_path}receipts/"),
        [(site,) for site in baseline],
    )
    return {
        "voters": voters,
        "accepted": statuses["first"].count(200),
        "first_statuses": sorted(set(statuses["first"])),
        "second_accepted": statuses["second"].count(200),
        "race_accepted": statuses["race"].count(200),
        "race_posts": len(statuses["race"]),
        **times,
        "votes_per_s": statuses["first"].count(200) / times["vote_s"],
    }


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
        "| Again s | Baseline s | Notices | Notices s | PDFs s (processes) "
        "| Freeze + notices + PDFs s "
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
                    f"{_s(r['pdfs_s'])} ({r.get('pdf_jobs', 1)})",
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
    concurrent = [r["concurrent"] for r in RESULTS if r.get("concurrent")]
    if concurrent:
        lines += [
            "",
            f"**{VOTERS} voters voting at once** with their codes, against gunicorn "
            f"({GUNICORN_WORKERS} worker processes, production settings) on "
            "loopback. Each voter then votes again (must be refused), and "
            f"{RACERS} send their vote from {RACE_THREADS} threads at once (at most "
            "one may count). Target: no vote lost or doubled; votes per second "
            "recorded. The baseline is the same number of GETs of the published "
            "receipts page from as many threads.",
            "",
            "| Engine | Voters | Accepted | Second votes accepted | Racing posts "
            "accepted | Marked voted | Votes in the database | Voting s | Votes/s "
            "| Baseline s | Target |",
            "| :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: | :-- |",
        ]
        for c in concurrent:
            if c.get("note"):
                lines.append(f"| {c.get('engine', NA)} | {c['note']} |" + " |" * 9)
                continue
            db = c["database"]
            ok = (
                c["accepted"] == c["voters"] == db["voted"] == db["votes"]
                and c["second_accepted"] == 0
                and c["race_accepted"] == 0
                and db["answers"] == db["votes"] * c["questions"]
            )
            lines.append(
                f"| {c['engine']} | {c['voters']} | {c['accepted']} "
                f"| {c['second_accepted']} | {c['race_accepted']} of {c['race_posts']} "
                f"| {db['voted']} | {db['votes']} | {c['vote_s']:.2f} "
                f"| {c['votes_per_s']:.0f} | {c['baseline_s']:.2f} "
                f"| {'met' if ok else '**not met**'} |"
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
    parser.add_argument("--voting-setup", type=Path, help="(subprocess)")
    parser.add_argument("--voting-check", type=Path, help="(subprocess)")
    parser.add_argument("--poll", type=int)
    args = parser.parse_args()
    if args.voting_setup:
        voting_setup(args.voting_setup, VOTERS)
    elif args.voting_check:
        voting_check(args.voting_check, args.poll)
    elif args.measure:
        measure(args.measure, args.members, args.votes)
    else:
        standalone(args.members, args.votes, args.postgres)


if __name__ == "__main__":
    main()
