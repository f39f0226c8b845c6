"""Time the secret-ballot engine (tolpuddle.voting) at scale: the count above all.

    .venv/bin/python -m bench.voting --votes 1000000 [--voters N] [--skip-voters-add]
        [--engine both|sqlite|postgresql]

For SQLite (a throwaway file) and, if ``BENCH_POSTGRES_URL`` is set (a role that may
create databases), PostgreSQL (a throwaway database ``tolpuddle_bench_voting`` on that
server), each in a subprocess of its own: migrate, then

- **voters_add**: ``services.poll_voters_add`` for ``--voters`` members (default: as
  many as votes) streamed from a queryset, codes handed to a sink that drops them;
  the time, and how much the process's resident memory grew meanwhile (sampled), which
  should stay flat whatever the number;
- **tally**: a poll with ``--votes`` votes (two Yes/No questions, as a statutory ballot
  asks) written in bulk, closed with ``services.poll_close`` (timed: on PostgreSQL it
  rewrites the votes in random order), then ``services.poll_count`` timed against a bare
  ``SELECT choice_id, count(*) ... GROUP BY choice_id`` on the same table in the same
  run (the median of three of each).

It prints the results and writes nothing else. ``measure_tally`` is also what
``bench.ballots`` calls, in a process already set up for a migrated database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000
REPEATS = 3
PG_DATABASE = "tolpuddle_bench_voting"
YES_SHARE = (0.8, 0.6)  # the share voting Yes to each question


def log(message: str) -> None:
    print(f"[bench.voting] {message}", file=sys.stderr, flush=True)


# --- In the measuring process (Django set up, database migrated) -------------------


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakMemory:
    """The most resident memory the process held while running, sampled."""

    def __init__(self) -> None:
        self.start = rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb())

    def stop(self) -> float:
        """Growth in MB over the start."""
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        return self.peak - self.start


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _defaults(model: Any, given: list[str]) -> tuple[list[str], list[Any]]:
    """The columns of ``model`` not in ``given`` that need a value, and a constant for
    each (its default, else empty): so that a field added later does not break this."""
    from django.db import models

    columns, values = [], []
    for f in model._meta.concrete_fields:
        if (
            f.primary_key
            or f.attname in given
            or f.name in ("created_at", "updated_at")
        ):
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, models.CharField | models.TextField):
            value = ""
        elif isinstance(f, models.BooleanField):
            value = False
        else:
            raise RuntimeError(f"bench.voting cannot fill {model.__name__}.{f.name}")
        columns.append(f.attname)
        values.append(value)
    return columns, values


def memberships_make(count: int) -> list[int]:
    """``count`` new active members (people and memberships), written in bulk."""
    import datetime

    from django.db import transaction

    from tolpuddle.core.bulk import bulk_insert, reserve_ids
    from tolpuddle.members.models import Membership, Person

    person_given = [
        "first_name",
        "last_name",
        "email",
        "first_name_key",
        "last_name_key",
    ]
    person_extra, person_defaults = _defaults(Person, person_given)
    member_given = [
        "person_id",
        "membership_number",
        "status",
        "joined_on",
        "applied_on",
    ]
    member_extra, member_defaults = _defaults(Membership, member_given)
    joined = datetime.date(2020, 1, 6)
    tag = secrets.token_hex(3)
    ids: list[int] = []
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            person_ids = reserve_ids(Person, size)
            bulk_insert(
                Person,
                person_given + person_extra,
                [
                    [
                        "Voter",
                        f"{tag}{n}",
                        f"voter{n}.{tag}@bench.example",
                        "voter",
                        f"{tag}{n}",
                        *person_defaults,
                    ]
                    for n in range(start, start + size)
                ],
                ids=person_ids,
            )
            member_ids = reserve_ids(Membership, size)
            bulk_insert(
                Membership,
                member_given + member_extra,
                [
                    [pk, f"V{tag}{n}", "active", joined, joined, *member_defaults]
                    for pk, n in zip(
                        person_ids, range(start, start + size), strict=True
                    )
                ],
                ids=member_ids,
            )
        ids.extend(member_ids)
    return ids


def _poll(title: str) -> Any:
    import datetime

    from django.utils import timezone

    from tolpuddle.voting import services
    from tolpuddle.voting.models import PollKind

    now = timezone.now()
    return services.poll_create(
        title=title,
        kind=PollKind.CONSULTATIVE,  # a statutory one needs e-voting set in the settings
        questions=[
            services.QuestionSpec(
                text="Are you prepared to take part in strike action?", key="strike"
            ),
            services.QuestionSpec(
                text="Are you prepared to take part in industrial action short of a "
                "strike?",
                key="action_short_of_strike",
            ),
        ],
        opens_at=now - datetime.timedelta(days=14),
        closes_at=now + datetime.timedelta(days=1),
        by=None,
    )


def measure_voters_add(members: list[int]) -> dict[str, Any]:
    """``poll_voters_add`` for ``members``, streamed from a queryset."""
    from tolpuddle.members.models import Membership
    from tolpuddle.voting import services

    poll = _poll("Voters added")
    issued = 0

    def sink(batch: Any) -> None:
        nonlocal issued
        issued += len(batch)

    memory = _PeakMemory()
    seconds, added = timed(
        lambda: services.poll_voters_add(
            poll=poll,
            memberships=Membership.objects.filter(pk__in=members)
            if len(members) < 50_000
            else Membership.objects.filter(pk__gte=min(members), pk__lte=max(members)),
            by=None,
            codes_to=sink,
        )
    )
    grew = memory.stop()
    return {
        "voters": added.added,
        "codes": issued,
        "voters_add_s": seconds,
        "rows_a_second": added.added / seconds if seconds else None,
        "memory_grew_mb": grew,
    }


def _votes_write(poll: Any, votes: int, voter_ids: list[int]) -> None:
    """``votes`` votes in the poll, and as many of its voters marked as having
    voted: written in bulk, as nothing else could write a million quickly."""
    from django.db import connection, transaction

    from tolpuddle.core.bulk import bulk_insert
    from tolpuddle.voting.models import Answer, Vote, Voter

    rng = random.Random(2026)
    questions = list(poll.questions.prefetch_related("choices"))
    choices = [{c.text: c.pk for c in q.choices.all()} for q in questions]
    id_field = Vote._meta.pk
    # In key order (and receipt order), so that the indexes are written in order:
    # this only builds the poll to count; vote_cast writes one vote at a time.
    all_keys = sorted(uuid.uuid4() for _ in range(votes))
    receipts = sorted(secrets.token_hex(8).upper() for _ in range(votes))
    for start in range(0, votes, BATCH):
        size = min(BATCH, votes - start)
        keys = all_keys[start : start + size]
        with transaction.atomic():
            bulk_insert(
                Vote,
                ["id", "poll_id", "receipt"],
                [
                    [id_field.get_db_prep_value(key, connection), poll.pk, receipt]
                    for key, receipt in zip(
                        keys, receipts[start : start + size], strict=True
                    )
                ],
            )
            bulk_insert(
                Answer,
                ["vote_id", "question_id", "choice_id"],
                [
                    [
                        id_field.get_db_prep_value(key, connection),
                        question.pk,
                        offered["Yes" if rng.random() < share else "No"],
                    ]
                    for key in keys
                    for question, offered, share in zip(
                        questions, choices, YES_SHARE, strict=True
                    )
                ],
            )
    for start in range(0, votes, BATCH):
        Voter.objects.filter(pk__in=voter_ids[start : start + BATCH]).update(
            has_voted=True
        )


def _settle() -> None:
    """PostgreSQL: statistics for the planner, as autovacuum would gather after a
    bulk load (poll_close's own tidy-up has vacuumed the tables). SQLite: nothing,
    as the app gathers none."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure_tally(votes: int, *, voters: int | None = None) -> dict[str, Any]:
    """A poll of ``voters`` (default ``votes``) with ``votes`` votes written in bulk,
    closed, then counted by ``poll_count`` and by bare SQL, three times each."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tolpuddle.core.bulk import bulk_insert
    from tolpuddle.voting import services
    from tolpuddle.voting.models import Answer, Poll, Voter

    voters = max(voters or votes, votes)
    result: dict[str, Any] = {"votes": votes, "voters": voters}
    result["members_s"], members = timed(lambda: memberships_make(voters))
    poll = _poll("Tally")

    def voters_write() -> None:
        for start in range(0, voters, BATCH):
            with transaction.atomic():
                bulk_insert(
                    Voter,
                    ["poll_id", "membership_id", "code_hash", "has_voted"],
                    [
                        [poll.pk, pk, secrets.token_hex(32), False]
                        for pk in members[start : start + BATCH]
                    ],
                )

    result["voters_write_s"], _ = timed(voters_write)
    services.poll_open(poll=poll, by=None)
    voter_ids = list(
        Voter.objects.filter(poll=poll).order_by("pk").values_list("pk", flat=True)
    )
    result["votes_write_s"], _ = timed(lambda: _votes_write(poll, votes, voter_ids))
    # Past its closing time, so that it may close.
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    result["close_s"], _ = timed(lambda: services.poll_close(poll=poll, by=None))
    _settle()

    questions = list(poll.questions.values_list("pk", flat=True))
    result["questions"] = len(questions)
    table = connection.ops.quote_name(Answer._meta.db_table)
    marks = ", ".join(["%s"] * len(questions))
    bare_sql = (
        f"SELECT choice_id, count(*) FROM {table} "
        f"WHERE question_id IN ({marks}) GROUP BY choice_id"
    )

    def bare() -> dict[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, questions)
            return dict(cursor.fetchall())

    tally_times, bare_times = [], []
    counted: Any = None
    by_sql: dict[int, int] = {}
    for _ in range(REPEATS):
        seconds, counted = timed(lambda: services.poll_count(poll=poll, by=None))
        tally_times.append(seconds)
        seconds, by_sql = timed(bare)
        bare_times.append(seconds)
    by_service = {c.choice_id: c.votes for q in counted.questions for c in q.choices}
    if by_service != by_sql or counted.votes_cast != votes or counted.voted != votes:
        raise RuntimeError(f"the counts differ: {by_service} against {by_sql}")
    result.update(
        {
            "tally_s": statistics.median(tally_times),
            "tally_all_s": tally_times,
            "bare_s": statistics.median(bare_times),
            "bare_all_s": bare_times,
            "turnout": counted.voted,
            "result": {
                q.key: {c.text: c.votes for c in q.choices} for q in counted.questions
            },
        }
    )
    return result


def measure(votes: int, voters: int | None, skip_voters_add: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    result: dict[str, Any] = {"engine": connection.vendor}
    result["tally"] = measure_tally(votes, voters=voters)
    if not skip_voters_add:
        log("timing poll_voters_add")
        members = memberships_make(voters or votes)
        result["voters_add"] = measure_voters_add(members)
    return result


# --- In the parent -------------------------------------------------------------------


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "TOLPUDDLE_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "0",  # DEBUG keeps every query in memory
        }
    )
    return env


def _run_child(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "tolpuddle"), "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            sys.executable,
            "-m",
            "bench.voting",
            "--measure",
            out.name,
            "--votes",
            str(args.votes),
        ]
        if args.voters:
            command += ["--voters", str(args.voters)]
        if args.skip_voters_add:
            command.append("--skip-voters-add")
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        data: dict[str, Any] = json.loads(Path(out.name).read_text(encoding="utf-8"))
        return data


@contextmanager
def _postgres_database(admin_url: str) -> Any:
    import psycopg

    def admin(statement: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {PG_DATABASE}")
    try:
        yield urlsplit(admin_url)._replace(path=f"/{PG_DATABASE}").geturl()
    finally:
        admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def _report(name: str, data: dict[str, Any]) -> None:
    t = data["tally"]
    print(f"\n== {name}: {t['votes']:,} votes, {t['questions']} questions ==")
    print(f"  writing {t['voters']:,} members:        {t['members_s']:8.2f} s")
    print(f"  writing the voters (bulk):      {t['voters_write_s']:8.2f} s")
    print(f"  writing the votes (bulk):       {t['votes_write_s']:8.2f} s")
    print(f"  poll_close:                     {t['close_s']:8.2f} s")
    print(
        f"  poll_count, median of {REPEATS}:        {t['tally_s']:8.3f} s"
        f"  ({', '.join(f'{s:.3f}' for s in t['tally_all_s'])})"
    )
    print(
        f"  bare SELECT ... GROUP BY:       {t['bare_s']:8.3f} s"
        f"  ({', '.join(f'{s:.3f}' for s in t['bare_all_s'])})"
    )
    print(f"  ratio:                          {t['tally_s'] / t['bare_s']:8.1f}x")
    print(f"  result: {t['result']}, turnout {t['turnout']:,}")
    if "voters_add" in data:
        v = data["voters_add"]
        print(
            f"  poll_voters_add, {v['voters']:,} voters: {v['voters_add_s']:.1f} s "
            f"({v['rows_a_second']:,.0f} a second), codes issued {v['codes']:,}, "
            f"resident memory grew {v['memory_grew_mb']:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--voters", type=int, default=None)
    parser.add_argument("--skip-voters-add", action="store_true")
    parser.add_argument(
        "--engine",
        choices=["both", "sqlite", "postgresql"],
        default="both",
        help="PostgreSQL runs only with BENCH_POSTGRES_URL set",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = measure(args.votes, args.voters, args.skip_voters_add)
        Path(args.measure).write_text(json.dumps(result), encoding="utf-8")
        return

    if args.engine in ("both", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="tolpuddle-bench-voting-") as folder:
            log(f"SQLite in {folder}")
            sqlite = _run_child(
                _env(f"sqlite:///{folder}/tolpuddle.sqlite3", folder), args
            )
        _report("SQLite", sqlite)
    if args.engine == "sqlite":
        return
    admin_url = os.environ.get("BENCH_POSTGRES_URL")
    if admin_url:
        with (
            tempfile.TemporaryDirectory(prefix="tolpuddle-bench-voting-") as folder,
            _postgres_database(admin_url) as url,
        ):
            log(f"PostgreSQL: {PG_DATABASE}")
            postgres = _run_child(_env(url, folder), args)
        _report("PostgreSQL", postgres)
    else:
        print("\nPostgreSQL: skipped (set BENCH_POSTGRES_URL to include it)")


if __name__ == "__main__":
    main()
