"""Benchmarks of the register: the import and the reads, on SQLite and PostgreSQL.

``make bench`` (``.venv/bin/python -m bench.run``) runs everything and overwrites
docs/benchmarks.md with the results. The environment can change what runs:

- ``BENCH_SIZES=20000,100000``: the register sizes to import (default 100000,1000000).
  The reads are timed on the largest.
- ``BENCH_POSTGRES_URL=postgres://user@host:port/db``: a PostgreSQL server to use (the
  role needs CREATEDB); without it, a throwaway cluster is started if PostgreSQL is
  installed under /usr/lib/postgresql, and PostgreSQL is skipped if it is not.
- ``BENCH_POSTGRES_ICU_LOCALE=en-GB``: the throwaway cluster's collation (ICU); set it
  empty for the C collation.

Nothing here fails the run on a missed target: the report says which were met.
"""

from __future__ import annotations

import csv
import datetime
import glob
import hashlib
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from bench import backoffice, ballots, register

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
REPORT = ROOT / "docs" / "benchmarks.md"
BIN = ROOT / ".venv" / "bin"
DEFAULT_SIZES = (100_000, 1_000_000)
BASELINE_BATCH = 10_000
RATIO_TARGET = 10
MEMORY_TARGET_MB = 300
P99_TARGET_MS = 50
NA = "-"  # a cell with nothing to show
IMPORT_TIMEOUT = 30 * 60  # seconds; a stuck import is killed and reported
QUERIES_TIMEOUT = 20 * 60
BENCH_DATABASE = "tolpuddle_bench"
# The ballots' benchmark (bench/ballots.py): BENCH_BALLOT_MEMBERS, BENCH_BALLOT_VOTES.
BALLOT_MEMBERS = int(os.environ.get("BENCH_BALLOT_MEMBERS", "500000"))
BALLOT_VOTES = int(os.environ.get("BENCH_BALLOT_VOTES", "1000000"))
SQLITE_PRAGMAS = (  # as config.settings.base sets them for the app
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA cache_size=-65536",
)

STARTED = time.monotonic()
LOAD_AT_START = os.getloadavg()


def log(message: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{elapsed // 60:3d}:{elapsed % 60:02d}] {message}", flush=True)


# --- Results -----------------------------------------------------------------------


@dataclass
class ImportResult:
    engine: str
    rows: int
    seconds: float | None = None  # None: the import failed
    peak_mb: float = 0.0
    tree_mb: float = 0.0
    baseline_seconds: float | None = None
    database_mb: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.baseline_seconds:
            return None
        return self.seconds / self.baseline_seconds


@dataclass
class QueryRun:
    engine: str
    rows: int
    results: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


# --- Running the app's commands ----------------------------------------------------


def app_env(database: dict[str, str]) -> dict[str, str]:
    """The environment for the app's commands: the bench database, DEBUG off as in
    production (DEBUG keeps a log of every query)."""
    env = dict(os.environ)
    env.update(database)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    env["DEBUG"] = "0"
    return env


@dataclass
class Measured:
    code: int
    seconds: float
    peak_mb: float  # ru_maxrss: the largest single process (the command, or a child it reaped)
    tree_mb: float  # the most the command and its children held at once (PSS, sampled)


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children.get(current, [])
    return found


def pss_kb(pid: int) -> int:
    """A process's proportional set size: pages shared with its fork count by halves."""
    with suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


class TreeMemory:
    """The peak summed PSS of a process and its children, sampled five times a
    second: ru_maxrss sees one process at a time, and the import forks a checker."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            total = sum(pss_kb(pid) for pid in process_tree(self.pid))
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def measured(
    command: list[str], env: dict[str, str], output: Path, timeout: float
) -> Measured:
    """Run ``command`` to the end, timed, with its memory. Killed after ``timeout``
    seconds."""
    with output.open("wb") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        sampler = TreeMemory(process.pid)
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
            tree_mb = sampler.stop()
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    # ru_maxrss is in KB.
    return Measured(process.returncode, seconds, usage.ru_maxrss / 1024, tree_mb)


def migrate(env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(BIN / "tolpuddle"), "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).strip().splitlines()
        raise RuntimeError(f"migrate failed: {' / '.join(lines[-3:])}")


def tail(path: Path, lines: int = 5) -> str:
    return " / ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])


# --- The register files ------------------------------------------------------------


def register_file(rows: int) -> Path:
    """A generated register of ``rows`` members, cached in bench/data. The name carries
    a hash of the generator, so that a changed generator makes new files."""
    digest = hashlib.sha256(Path(register.__file__).read_bytes()).hexdigest()[:8]
    path = DATA / f"register-{rows}-{digest}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob(f"register-{rows}-*.csv"):
        stale.unlink()
    log(f"generating {rows:,} members into {path.relative_to(ROOT)}")
    partial = path.with_suffix(".partial")
    register.write(partial, rows, seed=1)
    partial.rename(path)
    return path


def csv_batches(path: Path) -> Iterator[list[list[str]]]:
    """The file's data rows in batches, as the baseline inserts them."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BASELINE_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def flat_table_sql(columns: list[str]) -> str:
    return f"CREATE TABLE bench_flat ({', '.join(f'{c} text' for c in columns)})"


# --- Database engines --------------------------------------------------------------


class Engine(Protocol):
    name: str

    def database(self) -> Any:
        """A context manager: a fresh empty database, as the env its app needs."""

    def baseline(self, env: dict[str, str], path: Path) -> float: ...

    def size_mb(self, env: dict[str, str]) -> float: ...

    def settle(self, env: dict[str, str]) -> None:
        """Whatever the database would do by itself after a bulk load."""


class SQLiteEngine:
    name = "SQLite"

    @contextmanager
    def database(self) -> Iterator[dict[str, str]]:
        folder = Path(tempfile.mkdtemp(prefix="tolpuddle-bench-sqlite-"))
        try:
            yield {
                "DATABASE_URL": f"sqlite:///{folder / 'tolpuddle.sqlite3'}",
                "TOLPUDDLE_DATA_DIR": str(folder),
            }
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def baseline(self, env: dict[str, str], path: Path) -> float:
        """Seconds to insert the file's rows into one flat table with executemany,
        in its own file beside the app's database."""
        flat = Path(env["TOLPUDDLE_DATA_DIR"]) / "flat.sqlite3"
        start = time.perf_counter()
        db = sqlite3.connect(flat)
        for pragma in SQLITE_PRAGMAS:
            db.execute(pragma)
        db.execute(flat_table_sql(register.COLUMNS))
        insert = (
            f"INSERT INTO bench_flat VALUES ({', '.join('?' * len(register.COLUMNS))})"
        )
        for batch in csv_batches(path):
            db.executemany(insert, batch)
            db.commit()
        db.close()
        seconds = time.perf_counter() - start
        for suffix in ("", "-wal", "-shm"):
            Path(f"{flat}{suffix}").unlink(missing_ok=True)
        return seconds

    def size_mb(self, env: dict[str, str]) -> float:
        folder = Path(env["TOLPUDDLE_DATA_DIR"])
        return sum(p.stat().st_size for p in folder.glob("tolpuddle.sqlite3*")) / 2**20

    def settle(self, env: dict[str, str]) -> None:
        """Nothing: SQLite gathers no statistics unless told to, and the app does not."""


class PostgresEngine:
    name = "PostgreSQL"

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.url = urlsplit(admin_url)._replace(path=f"/{BENCH_DATABASE}").geturl()

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as db:
            for statement in statements:
                db.execute(statement)

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.admin_url) as db:
            version = db.execute("SHOW server_version").fetchone()
            collation = db.execute(
                "SELECT datlocprovider, datcollate, daticulocale FROM pg_database "
                "WHERE datname = current_database()"
            ).fetchone()
        assert version is not None  # noqa: S101
        assert collation is not None  # noqa: S101
        provider, collate, icu = collation
        locale = f"ICU {icu}" if provider == "i" else collate
        return f"{version[0]} (collation {locale})"

    @contextmanager
    def database(self) -> Iterator[dict[str, str]]:
        self._admin(
            f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)",
            f"CREATE DATABASE {BENCH_DATABASE}",
        )
        try:
            yield {"DATABASE_URL": self.url}
        finally:
            self._admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    def baseline(self, env: dict[str, str], path: Path) -> float:
        """Seconds to insert the file's rows into one flat table with psycopg's
        executemany, in the bench database (the table is dropped afterwards)."""
        import psycopg

        start = time.perf_counter()
        with psycopg.connect(self.url) as db:
            db.execute(flat_table_sql(register.COLUMNS))
            db.commit()
            insert = f"INSERT INTO bench_flat VALUES ({', '.join(['%s'] * len(register.COLUMNS))})"
            with db.cursor() as cursor:
                for batch in csv_batches(path):
                    cursor.executemany(insert, batch)
                    db.commit()
            seconds = time.perf_counter() - start
            db.execute("DROP TABLE bench_flat")
        return seconds

    def size_mb(self, env: dict[str, str]) -> float:
        import psycopg

        with psycopg.connect(self.url) as db:
            row = db.execute("SELECT pg_database_size(current_database())").fetchone()
        assert row is not None  # noqa: S101
        return float(row[0]) / 2**20

    def settle(self, env: dict[str, str]) -> None:
        """VACUUM ANALYZE, as autovacuum would soon after a bulk load: statistics for
        the planner and a visibility map for index-only scans."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE")


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free port. As root,
    its programs run as the postgres user, which PostgreSQL insists on."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="tolpuddle-bench-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self.started = False

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        with (self.folder / f"{program}.out").open("ab") as output:
            result = subprocess.run(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=300,
            )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed: {tail(self.folder / f'{program}.out')}"
            )

    def start(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        locale = ["-E", "UTF8", "--locale=C.UTF-8"]
        icu = os.environ.get("BENCH_POSTGRES_ICU_LOCALE", "en-GB")
        if icu:
            locale += ["--locale-provider=icu", f"--icu-locale={icu}"]
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", *locale
        )
        # random_page_cost as README recommends for a server on SSD storage.
        options = (
            f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1"
            " -c random_page_cost=1.1"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self.started = True
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def stop(self) -> None:
        if self.started:
            with suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def find_postgres() -> Path | None:
    """The bin folder of the newest PostgreSQL installed the Debian way."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name)
            if Path(p).parent.parent.name.isdigit()
            else 0
        ),
    )
    return Path(found[-1]).parent if found else None


# --- The benchmarks ----------------------------------------------------------------


def bench_import(
    engine: Engine, rows: int, path: Path, env: dict[str, str]
) -> ImportResult:
    result = ImportResult(engine=engine.name, rows=rows)
    log(f"{engine.name}: migrating a fresh database")
    migrate(env)
    log(f"{engine.name}: importing {rows:,} members")
    output = Path(tempfile.mkstemp(prefix="tolpuddle-bench-import-", suffix=".txt")[1])
    try:
        run = measured(
            [str(BIN / "tolpuddle"), "import_members", str(path), "-v0"],
            env,
            output,
            IMPORT_TIMEOUT,
        )
        summary = tail(output)
    finally:
        output.unlink(missing_ok=True)
    result.peak_mb, result.tree_mb = run.peak_mb, run.tree_mb
    if run.code != 0:
        result.note = f"import failed (exit {run.code}): {summary}"
        log(f"{engine.name}: {result.note}")
        return result
    if f"{rows} created" not in summary:
        result.note = f"not every row was created: {summary[:300]}"
    result.seconds = run.seconds
    result.database_mb = engine.size_mb(env)
    log(
        f"{engine.name}: imported in {run.seconds:.1f} s ({rows / run.seconds:,.0f} "
        f"rows/s), peak {run.peak_mb:.0f} MB (all processes {run.tree_mb:.0f} MB PSS); "
        f"timing the executemany baseline"
    )
    result.baseline_seconds = engine.baseline(env, path)
    log(
        f"{engine.name}: baseline {result.baseline_seconds:.1f} s, "
        f"ratio {result.ratio:.1f}x"
    )
    return result


def bench_queries(engine: Engine, rows: int, env: dict[str, str]) -> QueryRun:
    run = QueryRun(engine=engine.name, rows=rows)
    log(
        f"{engine.name}: settling the database, then timing the reads on {rows:,} members"
    )
    engine.settle(env)
    output = Path(
        tempfile.mkstemp(prefix="tolpuddle-bench-queries-", suffix=".json")[1]
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.queries", str(output)],
            cwd=ROOT,
            env=env,
            check=False,
            timeout=QUERIES_TIMEOUT,
        )
        if result.returncode == 0:
            run.results = json.loads(output.read_text())
        else:
            run.note = f"the query benchmark failed (exit {result.returncode}); see its output above"
    except subprocess.TimeoutExpired:
        run.note = f"the query benchmark took longer than {QUERIES_TIMEOUT // 60} minutes and was stopped"
    finally:
        output.unlink(missing_ok=True)
    if run.note:
        log(f"{engine.name}: {run.note}")
    return run


def bench_engine(
    engine: Engine, sizes: list[int], files: dict[int, Path]
) -> tuple[list[ImportResult], QueryRun | None]:
    imports = []
    queries = None
    for rows in sizes:
        with engine.database() as database:
            env = app_env(database)
            try:
                result = bench_import(engine, rows, files[rows], env)
            except (OSError, RuntimeError) as error:
                result = ImportResult(
                    engine=engine.name, rows=rows, note=f"failed: {error}"
                )
                log(f"{engine.name}: {result.note}")
            imports.append(result)
            if rows == sizes[-1] and result.seconds is not None:
                queries = bench_queries(engine, rows, env)
                backoffice.bench_member_list(engine.name, rows, env)
    with engine.database() as database:  # a register of its own, built in bulk
        env = app_env(database)
        migrate(env)
        log(
            f"{engine.name}: ballots ({BALLOT_MEMBERS:,} members, {BALLOT_VOTES:,} votes)"
        )
        ballots.bench_ballots(
            engine.name, env, members=BALLOT_MEMBERS, votes=BALLOT_VOTES
        )
    return imports, queries


# --- The machine -------------------------------------------------------------------


def read_first(path: str, key: str, separator: str = ":") -> str:
    """The value of the first ``key`` line in a file such as /proc/cpuinfo."""
    with suppress(OSError):
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(separator)
            if name.strip() == key:
                return value.strip().strip('"')
    return "unknown"


def code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def machine(postgres: str) -> list[tuple[str, str]]:
    import django

    memory_kb = read_first("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(memory_kb) / 2**20:.1f} GB" if memory_kb.isdigit() else "unknown"
    return [
        ("CPU", read_first("/proc/cpuinfo", "model name")),
        ("Cores", str(os.cpu_count())),
        ("Load average at start", " ".join(f"{n:.2f}" for n in LOAD_AT_START)),
        ("RAM", memory),
        (
            "OS",
            f"{read_first('/etc/os-release', 'PRETTY_NAME', '=')}, Linux {platform.release()}",
        ),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres),
        ("Code", code_version()),
    ]


# --- The report --------------------------------------------------------------------


def met(ok: bool, why: str = "") -> str:
    return "met" if ok else f"**not met**{f' ({why})' if why else ''}"


def table(headers: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    align = [":--" if i < right_from else "--:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def import_row(r: ImportResult) -> list[str]:
    head = [r.engine, f"{r.rows:,}"]
    memory = [f"{r.peak_mb:.0f}", f"{r.tree_mb:.0f}"]
    if r.seconds is None:
        return [*head, NA, NA, *memory, NA, NA, NA, NA, r.note]
    misses = []
    ratio = r.ratio
    if ratio is None or ratio > RATIO_TARGET:
        misses.append("time")
    if max(r.peak_mb, r.tree_mb) >= MEMORY_TARGET_MB:
        misses.append("memory")
    baseline = r.baseline_seconds or 0.0
    return [
        *head,
        f"{r.seconds:.1f}",
        f"{r.rows / r.seconds:,.0f}",
        *memory,
        f"{baseline:.1f}",
        f"{r.rows / baseline:,.0f}" if baseline else NA,
        f"{ratio:.1f}x" if ratio else NA,
        f"{r.database_mb:,.0f}" if r.database_mb is not None else NA,
        met(not misses, " and ".join(misses)) + (f"; {r.note}" if r.note else ""),
    ]


def ms(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def query_row(engine: str, q: dict[str, Any]) -> list[str]:
    return [
        engine,
        q["query"],
        str(q["n"]),
        f"{q['mean_results']:,.0f}",
        ms(q["p50"]),
        ms(q["p99"]),
        ms(q["max"]),
        ms(q["baseline_p99"]),
        met(q["p99"] < P99_TARGET_MS),
    ]


def query_rows(runs: list[QueryRun]) -> list[list[str]]:
    rows = []
    for run in runs:
        if run.note:
            rows.append([run.engine, run.note, NA, NA, NA, NA, NA, NA, NA])
        rows += [query_row(run.engine, q) for q in run.results]
    return rows


INTRO = """\
# Benchmarks

Written by `make bench` (`.venv/bin/python -m bench.run`), which overwrites this file
with what it measured. `BENCH_SIZES=20000,100000 make bench` runs smaller registers
(default 100,000 and 1,000,000 members); `BENCH_POSTGRES_URL` names a PostgreSQL server
to use instead of a throwaway cluster (see bench/run.py). The registers are generated
by bench/register.py (seed 1) and cached in bench/data/.

**Import.** `tolpuddle import_members FILE -v0` against a freshly migrated, empty
database, timed as the whole command (start-up included). Peak MB is the command's
`ru_maxrss` from `wait4`: the largest single process, which for an import that forks a
checker is not their sum; "All processes MB" is the peak of the summed proportional
set size (PSS) of the command and its children, sampled five times a second. The
memory target applies to the larger of the two. The baseline, in the same run and with the same engine, reads
the same file with `csv.reader` and inserts the rows into one flat table of 22 text
columns with `executemany` in batches of 10,000, committing each batch (SQLite through
the `sqlite3` module with the app's pragmas: WAL, `synchronous=NORMAL`; PostgreSQL
through psycopg 3). Ratio = import time / baseline time. Target: within
{ratio}x the baseline and under {memory} MB.

**Reads.** On the largest register, in one process per engine that calls the
selectors directly (no HTTP): `memberships_employed_by` counted and as its first page
of 25 (for today, which reads the current status, and for a past date, which reads
each member's history), and `memberships_search` (first page of 25) by last-name
prefix, first and last name prefixes, membership number, email, full postcode and
outward code. Each query is run with varied values sampled from the database, after
a few warm-ups; n is how many were timed (fewer than 200 when a query is so slow that
it hit its time budget). Beside each, a bare-SQL baseline for the same values (listed
below the table) run through the same connection. Target: p99 under {p99} ms.
Before the reads, PostgreSQL is given a `VACUUM ANALYZE`, as autovacuum would do soon
after a bulk load; SQLite is left as the import leaves it (the app never runs
`ANALYZE`). DEBUG is off throughout.
"""

BASELINES = """\
Bare-SQL baselines (prefixes are a range on SQLite and `LIKE 'x%'` on PostgreSQL):

- employed by: `SELECT count(*) FROM members_employment WHERE employer_id = %s`
- last-name prefix: `SELECT id FROM members_person WHERE last_name_key` starts with `%s` `LIMIT 25`
- first + last name: the same on `first_name_key` and `last_name_key`, `LIMIT 25`
- membership number: `SELECT id, status FROM members_membership WHERE membership_number = %s`
- email: `SELECT id FROM members_person WHERE email = %s`
- postcode: `SELECT id FROM members_person WHERE postcode = %s LIMIT 25`
- outward code: `SELECT id FROM members_person WHERE postcode` starts with `'B3 '` `LIMIT 25`
- primary key (the ORM's `Membership.objects.select_related("person").get(pk=…)`
  beside it): `SELECT * FROM members_membership WHERE id = %s`
"""


def write_report(
    *,
    started: datetime.datetime,
    seconds: float,
    about: list[tuple[str, str]],
    imports: list[ImportResult],
    queries: list[QueryRun],
    notes: list[str],
) -> None:
    lines = [
        INTRO.format(ratio=RATIO_TARGET, memory=MEMORY_TARGET_MB, p99=P99_TARGET_MS),
        f"Run on {started:%Y-%m-%d at %H:%M}; the whole run took {seconds / 60:.1f} minutes.",
        "",
    ]
    lines += [f"> {note}" for note in notes]
    if notes:
        lines.append("")
    lines += [
        "## Machine",
        "",
        *table(["", ""], [[k, v] for k, v in about], right_from=2),
        "",
    ]
    lines += [
        "## Import",
        "",
        *table(
            [
                "Engine",
                "Rows",
                "Import s",
                "Rows/s",
                "Peak MB",
                "All processes MB",
                "Baseline s",
                "Baseline rows/s",
                "Ratio",
                "Database MB",
                f"Target (≤{RATIO_TARGET}x, <{MEMORY_TARGET_MB} MB)",
            ],
            [import_row(r) for r in imports],
        ),
        "",
    ]
    rows = sorted({run.rows for run in queries})
    lines += [
        "## Reads",
        "",
        f"On {', '.join(f'{r:,}' for r in rows) or 'no'} imported members. Times in milliseconds.",
        "",
        *table(
            [
                "Engine",
                "Query",
                "n",
                "Results",
                "p50",
                "p99",
                "max",
                "Baseline p99",
                f"Target (p99 <{P99_TARGET_MS} ms)",
            ],
            query_rows(queries),
            right_from=2,
        ),
        "",
        BASELINES,
    ]
    missed = [
        (run.engine, q)
        for run in queries
        for q in run.results
        if q["p99"] >= P99_TARGET_MS
    ]
    if missed:
        lines += ["## Plans of the reads that missed the target", ""]
        for engine, q in missed:
            lines += [
                f"{engine}, {q['query']} (`{q['example']}`):",
                "",
                "```",
                q["plan"],
                "```",
                "",
            ]
    lines += backoffice.report_lines()
    lines += ballots.report_lines()
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


# --- Putting it together -----------------------------------------------------------


def sizes_from_env() -> list[int]:
    text = os.environ.get("BENCH_SIZES", "")
    sizes = (
        {int(s.replace("_", "")) for s in text.split(",") if s.strip()}
        if text.strip()
        else set(DEFAULT_SIZES)
    )
    return sorted(sizes)


def postgres_engine(stack: list[Cluster]) -> tuple[PostgresEngine | None, str]:
    """The PostgreSQL to use, and what the report says about it."""
    url = os.environ.get("BENCH_POSTGRES_URL")
    if not url:
        bindir = find_postgres()
        if bindir is None:
            return (
                None,
                "not available (no BENCH_POSTGRES_URL, no /usr/lib/postgresql); skipped",
            )
        cluster = Cluster(bindir)
        stack.append(cluster)
        log(f"starting a throwaway PostgreSQL cluster from {bindir}")
        try:
            url = cluster.start()
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            return (
                None,
                f"not available (the throwaway cluster did not start: {error}); skipped",
            )
    engine = PostgresEngine(url)
    try:
        version = engine.version()
    except Exception as error:  # noqa: BLE001 - any failure to connect means skip
        return None, f"not available ({error}); skipped"
    where = (
        "throwaway cluster, default settings but random_page_cost = 1.1 (as README advises)"
        if stack
        else "BENCH_POSTGRES_URL"
    )
    return engine, f"{version}, {where}"


def main() -> None:
    started = datetime.datetime.now()
    sizes = sizes_from_env()
    log(
        f"register sizes {', '.join(f'{s:,}' for s in sizes)}; report to {REPORT.relative_to(ROOT)}"
    )
    files = {rows: register_file(rows) for rows in sizes}
    imports: list[ImportResult] = []
    queries: list[QueryRun] = []
    notes: list[str] = []
    clusters: list[Cluster] = []
    try:
        engines: list[Engine] = [SQLiteEngine()]
        postgres, postgres_about = postgres_engine(clusters)
        if postgres is not None:
            engines.append(postgres)
        else:
            notes.append(f"PostgreSQL {postgres_about}.")
            log(f"PostgreSQL {postgres_about}")
        about = machine(postgres_about)
        for engine in engines:
            engine_imports, engine_queries = bench_engine(engine, sizes, files)
            imports += engine_imports
            if engine_queries is not None:
                queries.append(engine_queries)
    finally:
        for cluster in clusters:
            log("stopping the throwaway PostgreSQL cluster")
            cluster.stop()
    seconds = time.monotonic() - STARTED
    write_report(
        started=started,
        seconds=seconds,
        about=about,
        imports=imports,
        queries=queries,
        notes=notes,
    )
    log(f"done in {seconds / 60:.1f} minutes; wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
