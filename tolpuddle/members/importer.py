"""Loading a register exported from another system (``tolpuddle import_members``).

The file is read twice, streaming both times, so memory stays flat however long it is:

1. The first pass decodes every line (refusing the file, with the line, if it is not
   valid in its encoding), counts the rows and notes each membership number in a
   temporary on-disk table, so that numbers appearing more than once are known
   before anything is written.
2. The second pass validates each row and writes the good ones in batches, each batch
   in one transaction: new members with ``bulk_create``, changed members through
   the same comparisons and history rows the services write.

A row is imported whole or rejected whole, with its line, column and a reason.
The import is keyed on membership number, so running the same file again changes
nothing, and a run that was stopped half-way can simply be run again.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import json
import multiprocessing
import multiprocessing.queues
import operator
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from queue import Empty
from typing import IO, Any

from django.db import connection, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

from tolpuddle.core.bulk import bulk_insert, planner_statistics_refresh, reserve_ids
from tolpuddle.core.models import User
from tolpuddle.members.models import (
    ENDED_STATUSES,
    Branch,
    Employer,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PaymentMethod,
    Person,
    Workplace,
    search_key,
)
from tolpuddle.members.normalise import (
    InvalidValueError,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    parse_choice,
    parse_date,
    parse_hours,
)
from tolpuddle.members.services import (
    PERSON_FIELDS,
    history_value,
    membership_number_sequence_raise_to,
)

COLUMNS = (
    "membership_number",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "date_of_birth",
    "category",
    "status",
    "joined_on",
    "left_on",
    "branch",
    "employer",
    "workplace",
    "job_category",
    "hours",
    "pay_band",
    "employment_start",
    "payment_method",
)
REQUIRED_COLUMNS = (
    "membership_number",
    "first_name",
    "last_name",
    "category",
    "status",
)
JOB_COLUMNS = ("workplace", "job_category", "hours", "pay_band", "employment_start")
MAX_LENGTHS = {
    "membership_number": 20,
    "title": 30,
    "first_name": 100,
    "last_name": 100,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "branch": 150,
    "employer": 200,
    "workplace": 200,
    "job_category": 100,
    "pay_band": 30,
}
CATEGORIES = {c.value: c.label for c in MembershipCategory}
IMPORTABLE_STATUSES = {
    s.value: s.label for s in MembershipStatus if s != MembershipStatus.DECLINED
}
PAYMENT_METHODS = {p.value: p.label for p in PaymentMethod}
BATCH_SIZE = 10000
# What exports write for "no value": read as empty. ("None" and "NA" are left alone:
# "none" is a payment method and Na is a surname.)
EMPTY_MARKERS = frozenset({"null", "n/a", "#n/a", "-", "--"})
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


class ImportFileError(Exception):
    """The file cannot be read at all; nothing was imported."""


@dataclass
class Rejection:
    line: int
    column: str
    reason: str
    membership_number: str


@dataclass
class ImportReport:
    file: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    created_branches: list[str] = field(default_factory=list)
    created_employers: list[str] = field(default_factory=list)
    created_workplaces: list[dict[str, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n")


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# A checked row's values, in an order that lets the writer take each table's
# columns as one slice: the person's, then the membership's, then the job's.
PERSON_COLUMNS = (*PERSON_FIELDS, "first_name_key", "last_name_key")
JOB_VALUES = ("job_category", "hours", "pay_band", "employment_start")
VALUE_KEYS = (
    *PERSON_COLUMNS,
    *("category", "status", "joined_on", "left_on", "payment_method"),
    *JOB_VALUES,
    *("branch", "employer", "workplace", "employment_start_given"),
)
PERSON_SLICE = slice(0, len(PERSON_COLUMNS))
_JOB_START = VALUE_KEYS.index(JOB_VALUES[0])
JOB_SLICE = slice(_JOB_START, _JOB_START + len(JOB_VALUES))
_AT = {key: index for index, key in enumerate(VALUE_KEYS)}
CATEGORY, STATUS, JOINED_ON, LEFT_ON, PAYMENT_METHOD = (
    _AT[k] for k in ("category", "status", "joined_on", "left_on", "payment_method")
)
BRANCH, EMPLOYER, WORKPLACE = _AT["branch"], _AT["employer"], _AT["workplace"]


class Row:
    """One valid row, normalised. The values travel as a tuple (cheap to pass between
    processes); ``values`` gives them by name."""

    __slots__ = ("data", "line", "number")

    def __init__(self, line: int, number: str, data: tuple[Any, ...]) -> None:
        self.line = line
        self.number = number
        self.data = data

    def __reduce__(self) -> tuple[type[Row], tuple[int, str, tuple[Any, ...]]]:
        return (Row, (self.line, self.number, self.data))

    @property
    def values(self) -> dict[str, Any]:
        return dict(zip(VALUE_KEYS, self.data, strict=True))


# --- Reading the file -------------------------------------------------------------


def _header_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    """Decode ``handle`` line by line, so that an undecodable byte is reported with
    the line it is on."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line_number = 0
    for raw in handle:
        line_number += 1
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"Line {line_number} is not valid {encoding} (byte {error.start + 1} "
                f"of the line); save the file as UTF-8, or name its encoding with "
                f"--encoding (Excel often uses cp1252)."
            ) from None
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"The file ends part-way through a character on line {line_number}; it is not "
            f"valid {encoding}."
        ) from None
    if tail:
        yield tail


def _check_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(
            f"“{encoding}” is not an encoding Python knows."
        ) from None
    if "\n".encode(info.name) != b"\n":
        raise ImportFileError(
            f"{encoding} files cannot be read line by line; save the file as UTF-8."
        )
    # UTF-8 with or without a byte-order mark.
    return "utf-8-sig" if info.name == "utf-8" else info.name


class _Source:
    """The open file: dialect, header and column mapping settled once."""

    def __init__(self, path: Path, encoding: str, mapping: dict[str, str]) -> None:
        self.path = path
        self.encoding = _check_encoding(encoding)
        self.mapping = {_header_key(k): v for k, v in mapping.items()}
        for target in self.mapping.values():
            if target not in COLUMNS:
                raise ImportFileError(
                    f"The map sends a column to “{target}”, which is not a column Tolpuddle "
                    f"imports; see docs/import.md for the list."
                )
        if not path.exists():
            raise ImportFileError(f"There is no file at {path}.")
        if path.is_dir():
            raise ImportFileError(f"{path} is a folder, not a file.")
        with path.open("rb") as handle:
            first = b""
            for raw in handle:
                first = raw
                break
        try:
            header_text = codecs.decode(first, self.encoding)
        except UnicodeDecodeError:
            raise ImportFileError(
                f"Line 1 is not valid {self.encoding}; name the file's encoding with --encoding."
            ) from None
        if not header_text.strip():
            raise ImportFileError(
                "The file is empty, or its first line is blank; it needs a header row."
            )
        self.delimiter = self._choose_delimiter(header_text)
        header = next(csv.reader([header_text], delimiter=self.delimiter))
        self.columns: list[str | None] = []
        self.ignored: list[str] = []
        seen: dict[str, str] = {}
        for name in header:
            key = _header_key(name)
            column: str | None = self.mapping.get(key, key if key in COLUMNS else None)
            if column is None:
                if name.strip():
                    self.ignored.append(name.strip())
                self.columns.append(None)
                continue
            if column in seen:
                raise ImportFileError(
                    f"The columns “{seen[column]}” and “{name.strip()}” both give {column}; "
                    f"remove one, or map it elsewhere with --map."
                )
            seen[column] = name.strip()
            self.columns.append(column)
        missing = [c for c in REQUIRED_COLUMNS if c not in seen]
        if missing:
            raise ImportFileError(
                f"The header has no {', '.join(missing)} column. Found: "
                f"{', '.join(h.strip() for h in header)}. Rename the columns, or give --map "
                f'a JSON file such as {{"Member No": "membership_number"}}.'
            )
        self.present = frozenset(seen)

    def _choose_delimiter(self, header_line: str) -> str:
        """The delimiter under which the header names the most known columns."""
        best, best_score = ",", -1
        for delimiter in (",", ";", "\t", "|"):
            names = next(csv.reader([header_line], delimiter=delimiter))
            score = sum(
                1
                for name in names
                if self.mapping.get(_header_key(name), _header_key(name)) in COLUMNS
            )
            if score > best_score:
                best, best_score = delimiter, score
        return best

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line the record starts on, its fields) for each record after the header."""
        with self.path.open("rb") as handle:
            reader = csv.reader(_lines(handle, self.encoding), delimiter=self.delimiter)
            try:
                next(reader)
                previous_end = reader.line_num
                for record in reader:
                    start = previous_end + 1
                    previous_end = reader.line_num
                    if not record or (len(record) == 1 and not record[0].strip()):
                        continue
                    yield start, record
            except csv.Error as error:
                raise ImportFileError(
                    f"Line {reader.line_num}: the file is not valid CSV ({error}); check for a "
                    f"quotation mark that is opened and never closed."
                ) from None


# --- Checking a row ----------------------------------------------------------------


class _Validator:
    def __init__(self, columns: list[str | None], present: frozenset[str]) -> None:
        self.columns = columns
        self.width = len(columns)
        self.present = present
        self.today = timezone.localdate()
        self.number_index = columns.index("membership_number")

    def number_of(self, record: list[str]) -> str:
        if self.number_index < len(record):
            return record[self.number_index].strip().upper()
        return ""

    def check(self, line: int, record: list[str]) -> Row:  # noqa: PLR0912, PLR0915 - one rule per column, in file order
        if len(record) > self.width:
            raise RowError(
                "",
                f"the line has {len(record)} fields but the header has {self.width}; check "
                f"for an unquoted comma",
            )
        raw: dict[str, str] = {}
        for name, value in zip(self.columns, record, strict=False):
            if name is not None:
                text = value.strip()
                raw[name] = "" if text.lower() in EMPTY_MARKERS else text
        for name, limit in MAX_LENGTHS.items():
            if len(raw.get(name, "")) > limit:
                raise RowError(name, f"is longer than {limit} characters")
        number = raw.get("membership_number", "").upper()
        if not number:
            raise RowError(
                "membership_number", "is missing; every member needs their number"
            )
        if any(ch.isspace() for ch in number):
            raise RowError("membership_number", f"“{number}” has a space in it")
        for name in ("first_name", "last_name"):
            if not raw.get(name):
                raise RowError(name, "is missing")
        values: dict[str, Any] = {
            "title": raw.get("title", ""),
            "first_name": " ".join(raw["first_name"].split()),
            "last_name": " ".join(raw["last_name"].split()),
            "address_line_1": raw.get("address_line_1", ""),
            "address_line_2": raw.get("address_line_2", ""),
            "town": raw.get("town", ""),
            "branch": " ".join(raw.get("branch", "").split()),
            "employer": " ".join(raw.get("employer", "").split()),
            "workplace": " ".join(raw.get("workplace", "").split()),
            "job_category": raw.get("job_category", ""),
            "pay_band": raw.get("pay_band", ""),
        }
        column = "email"
        try:
            values["email"] = normalise_email(raw["email"]) if raw.get("email") else ""
            column = "phone"
            values["phone"] = normalise_phone(raw["phone"]) if raw.get("phone") else ""
            column = "postcode"
            values["postcode"] = (
                normalise_postcode(raw["postcode"]) if raw.get("postcode") else ""
            )
            column = "category"
            if not raw.get("category"):
                raise RowError("category", "is missing")
            values["category"] = parse_choice(
                raw["category"], CATEGORIES, "membership category"
            )
            column = "status"
            if not raw.get("status"):
                raise RowError("status", "is missing")
            status = parse_choice(
                raw["status"], IMPORTABLE_STATUSES, "membership status"
            )
            values["status"] = status
            column = "payment_method"
            values["payment_method"] = (
                parse_choice(raw["payment_method"], PAYMENT_METHODS, "payment method")
                if raw.get("payment_method")
                else PaymentMethod.NONE.value
            )
            column = "date_of_birth"
            born = (
                parse_date(raw["date_of_birth"]) if raw.get("date_of_birth") else None
            )
            if born is not None and not (EARLIEST_BIRTH <= born <= self.today):
                raise RowError(
                    column, f"{born:%d/%m/%Y} cannot be a member's date of birth"
                )
            values["date_of_birth"] = born
            column = "joined_on"
            joined = parse_date(raw["joined_on"]) if raw.get("joined_on") else None
            if joined is None and status != MembershipStatus.APPLICANT:
                raise RowError(
                    column,
                    "is missing; a member who has been admitted has a joining date",
                )
            if joined is not None and joined > self.today:
                raise RowError(column, f"{joined:%d/%m/%Y} is in the future")
            if joined is not None and born is not None and joined <= born:
                raise RowError(
                    column, f"{joined:%d/%m/%Y} is before their date of birth"
                )
            values["joined_on"] = joined
            column = "left_on"
            left = parse_date(raw["left_on"]) if raw.get("left_on") else None
            if left is not None:
                if status not in ENDED_STATUSES:
                    raise RowError(
                        column,
                        f"is given but the status is {status}; only former members have left",
                    )
                if joined is not None and left < joined:
                    raise RowError(column, f"{left:%d/%m/%Y} is before they joined")
                if left > self.today:
                    raise RowError(column, f"{left:%d/%m/%Y} is in the future")
            values["left_on"] = left
            column = "hours"
            values["hours"] = parse_hours(raw["hours"]) if raw.get("hours") else None
            column = "employment_start"
            started = (
                parse_date(raw["employment_start"])
                if raw.get("employment_start")
                else None
            )
            values["employment_start"] = started
            values["employment_start_given"] = started is not None
        except InvalidValueError as error:
            raise RowError(column, str(error)) from None
        if not values["employer"]:
            for name in JOB_COLUMNS:
                if raw.get(name):
                    raise RowError(
                        name, "is given but employer is empty; a job needs its employer"
                    )
        elif values["employment_start"] is None:
            values["employment_start"] = joined or self.today
        values["first_name_key"] = search_key(values["first_name"])
        values["last_name_key"] = search_key(values["last_name"])
        return Row(line, number, tuple(values[key] for key in VALUE_KEYS))


# --- Reference data: branches, employers, workplaces --------------------------------


class _References:
    """Branches, employers and workplaces by name (any case), created on first sight."""

    def __init__(self, report: ImportReport, dry_run: bool) -> None:
        self.report = report
        self.dry_run = dry_run
        self.branches = {b.name.lower(): b.pk for b in Branch.objects.all()}
        self.employers = {e.name.lower(): e.pk for e in Employer.objects.all()}
        self.workplaces = {
            (w.employer_id, w.name.lower()): w.pk for w in Workplace.objects.all()
        }
        self._fake = -1  # ids for what a dry run would create

    def _new_id(self) -> int:
        self._fake -= 1
        return self._fake

    def branch(self, name: str) -> int | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.branches:
            self.branches[key] = (
                self._new_id() if self.dry_run else Branch.objects.create(name=name).pk
            )
            self.report.created_branches.append(name)
        return self.branches[key]

    def employer(self, name: str) -> int | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.employers:
            self.employers[key] = (
                self._new_id()
                if self.dry_run
                else Employer.objects.create(name=name).pk
            )
            self.report.created_employers.append(name)
        return self.employers[key]

    def workplace(
        self, employer_id: int | None, name: str, employer_name: str
    ) -> int | None:
        if not name or employer_id is None:
            return None
        key = (employer_id, name.lower())
        if key not in self.workplaces:
            self.workplaces[key] = (
                self._new_id()
                if self.dry_run
                else Workplace.objects.create(employer_id=employer_id, name=name).pk
            )
            self.report.created_workplaces.append(
                {"name": name, "employer": employer_name}
            )
        return self.workplaces[key]


# --- Writing ---------------------------------------------------------------------

MEMBERSHIP_FIELDS = ("category", "status", "joined_on", "payment_method")
MEMBERSHIP_COLUMNS = (
    "person_id",
    "membership_number",
    "category",
    "status",
    "branch_id",
    "joined_on",
    "left_on",
    "payment_method",
    "arrears",
    "readmitted",
)
EMPLOYMENT_COLUMNS = (
    "membership_id",
    "employer_id",
    "workplace_id",
    "job_category",
    "hours",
    "pay_band",
    "started_on",
)
EVENT_COLUMNS = (
    "membership_id",
    "kind",
    "actor_id",
    "effective_on",
    "status_from",
    "status_to",
    "reason",
    "data",
)
ZERO = Decimal("0.00")
STAYING_STATUSES = frozenset(
    {MembershipStatus.APPLICANT.value, MembershipStatus.ACTIVE.value}
)


person_values = operator.itemgetter(*PERSON_FIELDS)


def _numbers_in_register(numbers: list[str]) -> list[str]:
    """Which of ``numbers`` the register already holds: one plain query, since on a
    first import the answer is none and the ORM's preparation of thousands of
    parameters would cost more than the query."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Membership._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT membership_number FROM {table} WHERE membership_number = ANY(%s)",  # noqa: S608 - a table name from the model
                [numbers],
            )
        else:
            marks = ", ".join(["%s"] * len(numbers))
            cursor.execute(
                f"SELECT membership_number FROM {table} WHERE membership_number IN ({marks})",  # noqa: S608 - placeholders only
                numbers,
            )
        return [row[0] for row in cursor.fetchall()]


class _Writer:
    def __init__(
        self,
        *,
        report: ImportReport,
        refs: _References,
        present: frozenset[str],
        actor: User | None,
        dry_run: bool,
        source: str,
    ) -> None:
        self.report = report
        self.refs = refs
        self.present = present
        self.actor_id = actor.pk if actor else None
        self.dry_run = dry_run
        self.source = source
        self.source_json = json.dumps(source)
        self.today = timezone.localdate()
        self.highest_number = 0

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        for row in rows:
            if row.number.isdigit():
                self.highest_number = max(self.highest_number, int(row.number))
        with transaction.atomic():
            known = _numbers_in_register([r.number for r in rows])
            existing: dict[str, Membership] = (
                {
                    m.membership_number or "": m
                    for m in Membership.objects.select_related("person").filter(
                        membership_number__in=known
                    )
                }
                if known
                else {}
            )
            new_rows = [r for r in rows if r.number not in existing]
            old_rows = [r for r in rows if r.number in existing]
            self._create(new_rows)
            if old_rows:
                self._update(old_rows, existing)
            if self.dry_run:
                transaction.set_rollback(True)

    def _ids(self, row: Row) -> tuple[int | None, int | None, int | None]:
        data = row.data
        branch_id = self.refs.branch(data[BRANCH])
        employer_id = self.refs.employer(data[EMPLOYER])
        workplace_id = self.refs.workplace(employer_id, data[WORKPLACE], data[EMPLOYER])
        return branch_id, employer_id, workplace_id

    def _create(self, rows: list[Row]) -> None:
        self.report.created += len(rows)
        if not rows:
            return
        resolved = [self._ids(row) for row in rows]
        if self.dry_run:
            return
        person_ids = reserve_ids(Person, len(rows))
        membership_ids = reserve_ids(Membership, len(rows))
        bulk_insert(
            Person,
            PERSON_COLUMNS,
            [row.data[PERSON_SLICE] for row in rows],
            ids=person_ids,
        )
        today = self.today
        bulk_insert(
            Membership,
            MEMBERSHIP_COLUMNS,
            [
                (
                    person_id,
                    row.number,
                    data[CATEGORY],
                    data[STATUS],
                    branch_id,
                    data[JOINED_ON],
                    (data[LEFT_ON] or today)
                    if data[STATUS] in ENDED_STATUSES
                    else None,
                    data[PAYMENT_METHOD],
                    ZERO,
                    False,
                )
                for row, person_id, (branch_id, _e, _w) in zip(
                    rows, person_ids, resolved, strict=True
                )
                for data in (row.data,)
            ],
            ids=membership_ids,
        )
        jobs = []
        events: list[tuple[Any, ...]] = []
        for row, membership_id, (_b, employer_id, workplace_id) in zip(
            rows, membership_ids, resolved, strict=True
        ):
            if employer_id is not None:
                jobs.append(
                    (membership_id, employer_id, workplace_id, *row.data[JOB_SLICE])
                )
            events.extend(self._creation_events(row, membership_id))
        bulk_insert(Employment, EMPLOYMENT_COLUMNS, jobs)
        bulk_insert(MembershipEvent, EVENT_COLUMNS, events, json_text=("data",))

    def _left_on(self, row: Row) -> datetime.date:
        left: datetime.date | None = row.data[LEFT_ON]
        return left or self.today

    def _creation_events(self, row: Row, membership_id: int) -> list[tuple[Any, ...]]:
        """History for a member first seen in an import: when they joined and, for a
        former member, when they left (the import day if the file does not say).
        Tuples in the order of EVENT_COLUMNS."""
        status = row.data[STATUS]
        data = f'{{"source": {self.source_json}, "line": {row.line}}}'
        kind = MembershipEventKind.IMPORTED.value
        if status in STAYING_STATUSES:
            joined = row.data[JOINED_ON] or self.today
            return [(membership_id, kind, self.actor_id, joined, "", status, "", data)]
        v = row.values
        events = []
        if v["joined_on"] is not None:
            events.append(
                (
                    membership_id,
                    kind,
                    self.actor_id,
                    v["joined_on"],
                    "",
                    MembershipStatus.ACTIVE.value,
                    "",
                    data,
                )
            )
        reason = (
            ""
            if v["left_on"]
            else "The file did not give the date they left; the import date is used."
        )
        events.append(
            (
                membership_id,
                kind,
                self.actor_id,
                self._left_on(row),
                MembershipStatus.ACTIVE.value if v["joined_on"] else "",
                status,
                reason,
                data,
            )
        )
        return events

    def _update(self, rows: list[Row], existing: dict[str, Membership]) -> None:
        memberships = [existing[r.number] for r in rows]
        open_jobs: dict[int, list[Employment]] = {}
        for job in (
            Employment.objects.filter(membership__in=memberships, ended_on__isnull=True)
            .select_related("employer", "workplace")
            .order_by("-started_on", "-pk")
        ):
            open_jobs.setdefault(job.membership_id, []).append(job)
        for row in rows:
            membership = existing[row.number]
            changed = self._update_one(
                row, membership, open_jobs.get(membership.pk, [])
            )
            if changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    def _update_one(  # noqa: PLR0912 - one decision per part of the record
        self, row: Row, membership: Membership, jobs: list[Employment]
    ) -> bool:
        v = row.values
        person = membership.person
        branch_id = (
            self.refs.branch(v["branch"])
            if "branch" in self.present
            else membership.branch_id
        )
        diff: dict[str, list[Any]] = {}
        for name in PERSON_FIELDS:
            if name in self.present and getattr(person, name) != v[name]:
                diff[name] = [
                    history_value(getattr(person, name)),
                    history_value(v[name]),
                ]
                setattr(person, name, v[name])
        old_status = membership.status
        for name in MEMBERSHIP_FIELDS:
            if name in self.present and getattr(membership, name) != v[name]:
                diff[name] = [
                    history_value(getattr(membership, name)),
                    history_value(v[name]),
                ]
                setattr(membership, name, v[name])
        if membership.branch_id != branch_id:
            diff["branch"] = [
                membership.branch.name if membership.branch else "",
                v["branch"],
            ]
            membership.branch_id = branch_id
        if (
            "left_on" in self.present
            and v["left_on"]
            and membership.left_on != v["left_on"]
        ):
            diff["left_on"] = [
                history_value(membership.left_on),
                history_value(v["left_on"]),
            ]
            membership.left_on = v["left_on"]
        job_change = (
            self._job_change(row, membership, jobs)
            if "employer" in self.present
            else None
        )
        if not diff and job_change is None:
            return False
        if self.dry_run:
            return True
        status_changed = "status" in diff
        if status_changed:
            if membership.status in ENDED_STATUSES:
                membership.left_on = v["left_on"] or membership.left_on or self.today
            else:
                if old_status in ENDED_STATUSES:
                    membership.readmitted = True  # a second spell of membership
                membership.left_on = None
        person.set_search_keys()
        person.save()
        membership.save()
        if job_change is not None:
            job_change()
            diff["job"] = [
                "",
                f"{v['employer']} {v['workplace']}".strip() or "no current job",
            ]
        MembershipEvent.objects.create(
            membership=membership,
            kind=MembershipEventKind.IMPORT_UPDATED,
            actor_id=self.actor_id,
            effective_on=(
                membership.left_on
                if status_changed
                and membership.status in ENDED_STATUSES
                and membership.left_on
                else self.today
            ),
            status_from=old_status if status_changed else "",
            status_to=membership.status if status_changed else "",
            data={"source": self.source, "line": row.line, "changed": diff},
        )
        return True

    def _job_change(
        self, row: Row, membership: Membership, jobs: list[Employment]
    ) -> Callable[[], None] | None:
        """What the row says about the member's current job, as a deferred write, or
        None if it matches what the register holds."""
        v = row.values
        employer_name = v["employer"]
        if not employer_name:
            if not jobs:
                return None

            def end_all() -> None:
                for job in jobs:
                    job.ended_on = max(
                        job.started_on, self.today - datetime.timedelta(days=1)
                    )
                    job.save(update_fields=["ended_on", "updated_at"])

            return end_all
        current = next(
            (j for j in jobs if j.employer.name.lower() == employer_name.lower()),
            jobs[0] if jobs else None,
        )
        wanted = {
            "employer": employer_name.lower(),
            "workplace": v["workplace"].lower(),
            "job_category": v["job_category"],
            "hours": v["hours"],
            "pay_band": v["pay_band"],
        }
        if current is not None:
            held = {
                "employer": current.employer.name.lower(),
                "workplace": current.workplace.name.lower()
                if current.workplace
                else "",
                "job_category": current.job_category,
                "hours": current.hours,
                "pay_band": current.pay_band,
            }
            if held == wanted:
                return None
        # Without a start date in the file, a change to the job takes effect today.
        start = v["employment_start"] if v["employment_start_given"] else self.today

        def apply() -> None:
            _b, employer_id, workplace_id = self._ids(row)
            assert employer_id is not None  # noqa: S101 - employer_name is not empty
            new_start = start
            if current is not None:
                if start <= current.started_on:
                    # The same job, corrected.
                    current.employer_id = employer_id
                    current.workplace_id = workplace_id
                    current.job_category = v["job_category"]
                    current.hours = v["hours"]
                    current.pay_band = v["pay_band"]
                    current.started_on = min(start, current.started_on)
                    current.save()
                    return
                current.ended_on = start - datetime.timedelta(days=1)
                current.save(update_fields=["ended_on", "updated_at"])
            Employment.objects.create(
                membership=membership,
                employer_id=employer_id,
                workplace_id=workplace_id,
                job_category=v["job_category"],
                hours=v["hours"],
                pay_band=v["pay_band"],
                started_on=new_start,
            )

        return apply


# --- The whole import ---------------------------------------------------------------


def _load_mapping(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFileError(f"There is no map file at {path}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(
            f"The map file {path} is not valid JSON: {error}."
        ) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ImportFileError(
            "The map file must be a JSON object of header names to columns, such as "
            '{"Member No": "membership_number"}.'
        )
    return mapping


class _Numbers:
    """Membership numbers seen in the first pass, on disk so that memory stays flat."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(
            prefix="tolpuddle-import-", suffix=".sqlite3"
        )
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE seen (number TEXT NOT NULL, line INTEGER NOT NULL)"
        )

    def add(self, batch: list[tuple[str, int]]) -> None:
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", batch)

    def duplicates(self) -> dict[str, list[int]]:
        rows = self.db.execute(
            "SELECT number, group_concat(line) FROM seen WHERE number != '' "
            "GROUP BY number HAVING count(*) > 1"
        )
        return {
            number: sorted(int(x) for x in lines.split(",")) for number, lines in rows
        }

    def close(self) -> None:
        self.db.close()
        Path(self.path).unlink(missing_ok=True)


PARALLEL_FROM_ROWS = 20_000
CHUNK_ROWS = 1000


@dataclass
class _Chunk:
    """Checked rows from a stretch of the file."""

    records: int
    rows: list[Row]
    rejections: list[Rejection]


def _checked(
    source: _Source,
    validator: _Validator,
    duplicates: dict[str, list[int]],
    share: tuple[int, int] = (0, 1),
) -> Iterator[_Chunk]:
    """The second pass: records checked, in chunks of ``CHUNK_ROWS``. With ``share``
    ``(k, n)`` only every n-th chunk, starting from the k-th, is checked and the
    others are skipped, so that n processes can divide the work."""
    mine, of = share
    chunk = _Chunk(0, [], [])
    for position, (line, record) in enumerate(source.records()):
        if (position // CHUNK_ROWS) % of != mine:
            continue
        number = validator.number_of(record)
        try:
            if number in duplicates:
                lines = ", ".join(str(n) for n in duplicates[number])
                raise RowError(
                    "membership_number",
                    f"{number} appears on lines {lines}; the file does not say which "
                    f"is right, so none of them is imported",
                )
            chunk.rows.append(validator.check(line, record))
        except RowError as error:
            chunk.rejections.append(
                Rejection(
                    line=line,
                    column=error.column,
                    reason=error.reason,
                    membership_number=number,
                )
            )
        chunk.records += 1
        if chunk.records >= CHUNK_ROWS:
            yield chunk
            chunk = _Chunk(0, [], [])
    if chunk.records:
        yield chunk


CHECKERS = 2


def _checked_in_children(
    source: _Source, validator: _Validator, duplicates: dict[str, list[int]]
) -> Iterator[_Chunk]:
    """``_checked``, divided between ``CHECKERS`` forked processes, so that checking
    (dates, phone numbers, postcodes: the costly part) runs beside the writing.
    Chunks arrive in any order, which does not matter: every row stands alone, and
    numbers that appear twice were found in the first pass. The queue is short, so
    memory stays flat; the children never touch the database connection they inherit.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from _checked(source, validator, duplicates)
        return
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.queues.Queue[tuple[str, Any]] = context.Queue(
        maxsize=2 * CHECKERS
    )

    def produce(share: tuple[int, int]) -> None:
        try:
            for chunk in _checked(source, validator, duplicates, share):
                queue.put(("chunk", chunk))
            queue.put(("done", None))
        except ImportFileError as error:
            queue.put(("file_error", str(error)))
        except Exception as error:  # noqa: BLE001 - reported to the parent, which raises
            queue.put(("error", f"{type(error).__name__}: {error}"))

    children = [
        context.Process(
            target=produce,
            args=((k, CHECKERS),),
            name=f"tolpuddle-import-check-{k}",
            daemon=True,
        )
        for k in range(CHECKERS)
    ]
    for child in children:
        child.start()
    running = len(children)
    try:
        while running:
            try:
                kind, payload = queue.get(timeout=5)
            except Empty:
                stopped = [c for c in children if not c.is_alive() and c.exitcode != 0]
                if stopped:
                    raise RuntimeError(
                        f"a process checking rows stopped (exit code {stopped[0].exitcode})"
                    ) from None
                continue
            if kind == "chunk":
                yield payload
            elif kind == "done":
                running -= 1
            elif kind == "file_error":
                raise ImportFileError(payload)
            else:
                raise RuntimeError(f"checking rows failed: {payload}")
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()


# A load of at least this many rows into a register holding fewer members than the
# file has rows (a first load, above all) drops the tables' secondary indexes and
# builds them again at the end: sorting a million keys once is several times
# faster than putting them into the indexes one by one.
DEFER_INDEXES_FROM_ROWS = 50_000
INDEXED_MODELS: tuple[type[models.Model], ...] = (
    Person,
    Membership,
    Employment,
    MembershipEvent,
)


def _index_names(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return set(
            connection.introspection.get_constraints(cursor, model._meta.db_table)
        )


def _statement_writer() -> BaseDatabaseSchemaEditor:
    """A schema editor used only to write index statements, never entered: on
    SQLite, leaving its context checks every foreign key in the database."""
    editor = connection.schema_editor()
    editor.deferred_sql = []
    return editor


def restore_missing_indexes() -> list[str]:
    """Build any of the register's secondary indexes that are missing (an import
    that was killed while they were set aside); returns their names."""
    built = []
    editor = _statement_writer()
    if connection.vendor == "sqlite":
        # Let SQLite's sorter use a helper thread per spare core while it builds
        # the indexes (a setting of this connection only).
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA threads={min(4, (os.cpu_count() or 1))}")
    for model in INDEXED_MODELS:
        present = _index_names(model)
        for index in model._meta.indexes:
            if index.name not in present:
                with transaction.atomic(), connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # Check deferred foreign keys now: PostgreSQL will not build
                        # an index on a table with checks still pending.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(str(index.create_sql(model, editor)))
                built.append(index.name)
    return built


@contextmanager
def _indexes_deferred(*, enabled: bool) -> Iterator[None]:
    """Set the secondary indexes aside while the rows go in; build them again after,
    whatever happens (and ``restore_missing_indexes`` at the next import if the
    process was killed). Unique constraints stay, so duplicates are still refused."""
    if not enabled:
        yield
        return
    editor = _statement_writer()
    for model in INDEXED_MODELS:
        present = _index_names(model)
        with transaction.atomic(), connection.cursor() as cursor:
            for index in model._meta.indexes:
                if index.name in present:
                    cursor.execute(str(index.remove_sql(model, editor)))
    try:
        yield
    finally:
        restore_missing_indexes()


def members_import(
    *,
    path: Path,
    actor: User | None = None,
    encoding: str = "utf-8",
    map_path: Path | None = None,
    dry_run: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    parallel: bool | None = None,
) -> ImportReport:
    """Import the register in ``path``; see the module's docstring and docs/import.md.

    Rows are checked in other processes while this one writes, for files of
    ``PARALLEL_FROM_ROWS`` rows or more (``parallel`` forces the choice).
    Raises ``ImportFileError`` if the file cannot be read at all, before writing anything.
    """
    source = _Source(Path(path), encoding, _load_mapping(map_path))
    validator = _Validator(source.columns, source.present)
    numbers = _Numbers()
    try:
        total = 0
        batch: list[tuple[str, int]] = []
        for line, record in source.records():
            total += 1
            batch.append((validator.number_of(record), line))
            if len(batch) >= 10000:
                numbers.add(batch)
                batch = []
        numbers.add(batch)
        duplicates = numbers.duplicates()
    finally:
        numbers.close()
    report = ImportReport(
        file=str(path), dry_run=dry_run, rows=total, ignored_columns=source.ignored
    )
    if on_start:
        on_start(total)
    refs = _References(report, dry_run)
    writer = _Writer(
        report=report,
        refs=refs,
        present=source.present,
        actor=actor,
        dry_run=dry_run,
        source=Path(path).name,
    )
    use_child = parallel if parallel is not None else total >= PARALLEL_FROM_ROWS
    checked = (_checked_in_children if use_child else _checked)(
        source, validator, duplicates
    )
    good: list[Row] = []
    done = 0
    restore_missing_indexes()
    defer = (
        not dry_run
        and total >= DEFER_INDEXES_FROM_ROWS
        and (Membership.objects.count() < total)
    )
    with _indexes_deferred(enabled=defer):
        for chunk in checked:
            good.extend(chunk.rows)
            report.rejected += len(chunk.rejections)
            report.rejections.extend(chunk.rejections)
            done += chunk.records
            if len(good) >= batch_size:
                writer.write(good)
                good = []
            if on_progress:
                on_progress(done)
        writer.write(good)
    if on_progress:
        on_progress(done)
    if not dry_run and writer.highest_number:
        membership_number_sequence_raise_to(at_least=writer.highest_number)
    if not dry_run and report.created + report.updated >= ANALYZE_FROM_ROWS:
        planner_statistics_refresh(
            for_models=(Person, Membership, Employment, MembershipEvent)
        )
    return report


ANALYZE_FROM_ROWS = 10_000
