"""The import, through the command people run: `tolpuddle import_members FILE ...`."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tolpuddle.members import services
from tolpuddle.members.models import (
    Branch,
    Employer,
    Employment,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
    Workplace,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "membership_number,title,first_name,last_name,email,phone,address_line_1,"
    "address_line_2,town,postcode,date_of_birth,category,status,joined_on,branch,"
    "employer,workplace,job_category,hours,pay_band,employment_start,payment_method"
)
GOOD = (
    "N1001,Ms,Ellen,Wilkinson,Ellen.Wilkinson@Example.ORG,0121 496 0123,1 High Street,,"
    "Birmingham,b11aa,1970-05-01,Full,Active,01/06/2014,Birmingham,"
    "National Probation Service,Birmingham Central,Probation Officer,37,Band 4,"
    "2014-06-01,Direct Debit"
)


def write(
    tmp_path: Path,
    *lines: str,
    name: str = "register.csv",
    newline: str = "\n",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    path = tmp_path / name
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def run(path: Path, *args: str) -> tuple[dict, str]:
    """Run the command with a JSON report; return the report and what it printed."""
    report = path.with_suffix(".report.json")
    out = io.StringIO()
    call_command(
        "import_members",
        str(path),
        "--report",
        str(report),
        *args,
        stdout=out,
        stderr=io.StringIO(),
    )
    return json.loads(report.read_text()), out.getvalue()


def row(**changes: str) -> str:
    """GOOD with some columns replaced (by canonical name)."""
    names = HEADER.split(",")
    values = GOOD.split(",")
    for name, value in changes.items():
        values[names.index(name)] = value
    return ",".join(values)


def test_a_canonical_file_imports_members_with_normalised_details_and_history(tmp_path):
    report, printed = run(write(tmp_path, HEADER, GOOD))

    assert (
        report["created"],
        report["updated"],
        report["unchanged"],
        report["rejected"],
    ) == (1, 0, 0, 0)
    membership = Membership.objects.select_related("person", "branch").get(
        membership_number="N1001"
    )
    person = membership.person
    assert (person.first_name, person.last_name, person.title) == (
        "Ellen",
        "Wilkinson",
        "Ms",
    )
    assert person.email == "ellen.wilkinson@example.org"
    assert person.phone == "+441214960123"
    assert person.postcode == "B1 1AA"
    assert person.date_of_birth == datetime.date(1970, 5, 1)
    assert (membership.category, membership.status) == ("full", "active")
    assert membership.joined_on == datetime.date(2014, 6, 1)
    assert membership.payment_method == "direct_debit"
    assert membership.branch.name == "Birmingham"
    job = membership.employments.get()
    assert job.employer.name == "National Probation Service"
    assert job.workplace.name == "Birmingham Central"
    assert (job.job_category, job.hours, job.pay_band) == (
        "Probation Officer",
        Decimal("37"),
        "Band 4",
    )
    assert job.started_on == datetime.date(2014, 6, 1)
    event = membership.events.get()
    assert (event.kind, event.status_to, event.effective_on) == (
        "imported",
        "active",
        datetime.date(2014, 6, 1),
    )
    assert event.data == {"source": "register.csv", "line": 2}
    assert report["created_branches"] == ["Birmingham"]
    assert report["created_employers"] == ["National Probation Service"]
    assert report["created_workplaces"] == [
        {"name": "Birmingham Central", "employer": "National Probation Service"}
    ]
    assert "1 rows: 1 created" in printed


def test_the_report_has_the_documented_shape(tmp_path):
    report, _ = run(write(tmp_path, HEADER, GOOD, row(membership_number="", email="x")))

    for key in ("created", "updated", "unchanged", "rejected"):
        assert isinstance(report[key], int)
    assert set(report["rejections"][0]) == {
        "line",
        "column",
        "reason",
        "membership_number",
    }
    for key in ("created_branches", "created_employers", "created_workplaces"):
        assert isinstance(report[key], list)


def test_bom_crlf_and_quoted_fields_with_commas_and_newlines_are_read(tmp_path):
    quoted = row(
        address_line_1='"Flat 2, Ruskin House\nWalsall Road"', membership_number="N1002"
    )
    path = write(
        tmp_path,
        HEADER,
        quoted,
        row(membership_number="N1003", postcode="qq1 1aa"),
        row(membership_number="N1004"),
        newline="\r\n",
        bom=True,
    )

    report, _ = run(path)

    assert report["created"] == 2
    person = Person.objects.get(membership__membership_number="N1002")
    assert person.address_line_1 == "Flat 2, Ruskin House\nWalsall Road"
    # The quoted field spans lines 2 and 3, so the bad row is on line 4.
    assert report["rejections"][0]["line"] == 4
    assert report["rejections"][0]["membership_number"] == "N1003"


def test_dates_in_iso_and_uk_forms_are_both_understood(tmp_path):
    report, _ = run(
        write(
            tmp_path,
            HEADER,
            row(
                membership_number="A1",
                joined_on="2014-06-01",
                date_of_birth="01/05/1970",
            ),
            row(membership_number="A2", joined_on="1/6/2014", date_of_birth="1970-5-1"),
        )
    )

    assert report["created"] == 2
    for number in ("A1", "A2"):
        membership = Membership.objects.select_related("person").get(
            membership_number=number
        )
        assert membership.joined_on == datetime.date(2014, 6, 1)
        assert membership.person.date_of_birth == datetime.date(1970, 5, 1)


def test_postcodes_in_any_case_and_spacing_are_normalised(tmp_path):
    lines = [
        row(membership_number=f"P{i}", postcode=code)
        for i, code in enumerate(["sw1a1aa", " SW1A  1AA ", "Sw1A 1aA"])
    ]
    report, _ = run(write(tmp_path, HEADER, *lines))

    assert report["created"] == 3
    assert set(Person.objects.values_list("postcode", flat=True)) == {"SW1A 1AA"}


def test_running_the_same_file_again_changes_nothing(tmp_path):
    path = write(tmp_path, HEADER, GOOD, row(membership_number="N2", first_name="Tom"))
    run(path)
    events = MembershipEvent.objects.count()
    jobs = Employment.objects.count()

    report, _ = run(path)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert MembershipEvent.objects.count() == events
    assert Employment.objects.count() == jobs
    assert report["created_branches"] == report["created_employers"] == []


def test_a_changed_row_updates_the_member_and_records_what_changed(tmp_path):
    run(write(tmp_path, HEADER, GOOD))

    report, _ = run(
        write(
            tmp_path,
            HEADER,
            row(email="ellen@example.net", postcode="B2 4QA"),
            name="second.csv",
        )
    )

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 0)
    person = Person.objects.get(membership__membership_number="N1001")
    assert (person.email, person.postcode) == ("ellen@example.net", "B2 4QA")
    event = MembershipEvent.objects.filter(kind="import_updated").get()
    assert event.data["changed"]["email"] == [
        "ellen.wilkinson@example.org",
        "ellen@example.net",
    ]
    assert event.data["changed"]["postcode"] == ["B1 1AA", "B2 4QA"]


def test_a_new_job_in_the_file_ends_the_old_one_and_keeps_the_history(tmp_path):
    run(write(tmp_path, HEADER, GOOD))

    run(
        write(
            tmp_path,
            HEADER,
            row(
                employer="Cafcass",
                workplace="Coventry",
                job_category="Family Court Adviser",
                employment_start="2020-03-02",
            ),
            name="moved.csv",
        )
    )

    jobs = list(Employment.objects.order_by("started_on").select_related("employer"))
    assert [(j.employer.name, j.started_on, j.ended_on) for j in jobs] == [
        (
            "National Probation Service",
            datetime.date(2014, 6, 1),
            datetime.date(2020, 3, 1),
        ),
        ("Cafcass", datetime.date(2020, 3, 2), None),
    ]


def test_a_status_change_in_the_file_is_recorded_as_a_status_change(tmp_path):
    run(write(tmp_path, HEADER, GOOD))

    run(
        write(
            tmp_path,
            HEADER + ",left_on",
            row(status="resigned") + ",31/10/2025",
            name="left.csv",
        )
    )

    membership = Membership.objects.get(membership_number="N1001")
    assert membership.status == MembershipStatus.RESIGNED
    assert membership.left_on == datetime.date(2025, 10, 31)
    event = membership.events.filter(kind="import_updated").get()
    assert (event.status_from, event.status_to, event.effective_on) == (
        "active",
        "resigned",
        datetime.date(2025, 10, 31),
    )


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"membership_number": ""}, "membership_number", "missing"),
        ({"email": "ellen@"}, "email", "not a valid email"),
        ({"email": "ellen wilkinson@example.org"}, "email", "not a valid email"),
        ({"postcode": "B1"}, "postcode", "not a UK postcode"),
        ({"postcode": "12345"}, "postcode", "not a UK postcode"),
        ({"joined_on": "31/02/2014"}, "joined_on", "not a real date"),
        ({"joined_on": "2014-13-01"}, "joined_on", "not a real date"),
        ({"joined_on": "June 2014"}, "joined_on", "not a date"),
        ({"joined_on": "01/06/14"}, "joined_on", "two-digit year"),
        ({"joined_on": ""}, "joined_on", "missing"),
        ({"joined_on": "01/01/2099"}, "joined_on", "in the future"),
        ({"date_of_birth": "30/02/1970"}, "date_of_birth", "not a real date"),
        ({"category": "platinum"}, "category", "not a membership category"),
        ({"category": ""}, "category", "missing"),
        ({"status": "sleeping"}, "status", "not a membership status"),
        ({"payment_method": "bitcoin"}, "payment_method", "not a payment method"),
        ({"phone": "12"}, "phone", "phone number"),
        ({"hours": "lots"}, "hours", "not a number of hours"),
        ({"hours": "200"}, "hours", "not possible"),
        ({"last_name": ""}, "last_name", "missing"),
        ({"employer": ""}, "workplace", "needs its employer"),
        ({"first_name": "x" * 101}, "first_name", "longer than 100"),
    ],
)
def test_a_bad_row_is_rejected_whole_with_line_column_and_reason_and_good_rows_still_import(
    tmp_path, changes, column, words
):
    bad = row(**{"membership_number": "BAD1", **changes})
    report, _ = run(write(tmp_path, HEADER, GOOD, bad, row(membership_number="N9")))

    assert (report["created"], report["rejected"]) == (2, 1)
    rejection = report["rejections"][0]
    assert rejection["line"] == 3
    assert rejection["column"] == column
    assert words in rejection["reason"]
    assert (
        rejection["membership_number"]
        == changes.get("membership_number", "BAD1").upper()
    )
    assert not Membership.objects.filter(membership_number="BAD1").exists()
    assert Person.objects.count() == 2  # nothing partial from the bad row


def test_every_row_whose_number_appears_twice_is_rejected(tmp_path):
    report, _ = run(
        write(
            tmp_path,
            HEADER,
            GOOD,
            row(membership_number="N2"),
            row(first_name="Eleanor"),
        )
    )

    assert report["created"] == 1
    assert [r["line"] for r in report["rejections"]] == [2, 4]
    assert all("lines 2, 4" in r["reason"] for r in report["rejections"])
    assert not Membership.objects.filter(membership_number="N1001").exists()


def test_a_line_with_more_fields_than_the_header_is_rejected(tmp_path):
    report, _ = run(write(tmp_path, HEADER, GOOD + ",extra"))

    assert report["rejected"] == 1
    assert "fields" in report["rejections"][0]["reason"]


def test_a_cp1252_file_imports_with_encoding_named_and_is_refused_with_its_line_without(
    tmp_path,
):
    path = write(
        tmp_path,
        HEADER,
        row(membership_number="C1"),
        row(membership_number="C2", first_name="Siân", last_name="Ó Súilleabháin"),
        encoding="cp1252",
    )

    with pytest.raises(CommandError, match="Line 3 is not valid utf-8"):
        run(path)
    assert not Membership.objects.exists()

    report, _ = run(path, "--encoding", "cp1252")
    assert report["created"] == 2
    assert Person.objects.get(membership__membership_number="C2").first_name == "Siân"


def test_an_unknown_encoding_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="not an encoding"):
        run(write(tmp_path, HEADER, GOOD), "--encoding", "klingon")


def test_map_renames_another_systems_headers(tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "Member No": "membership_number",
                "Forename": "first_name",
                "Surname": "last_name",
                "Grade": "job_category",
            }
        )
    )
    header = (
        HEADER.replace("membership_number", "Member No")
        .replace("first_name", "Forename")
        .replace("last_name", "Surname")
        .replace("job_category", "Grade")
    )

    report, _ = run(write(tmp_path, header, GOOD), "--map", str(mapping))

    assert report["created"] == 1
    assert Employment.objects.get().job_category == "Probation Officer"


def test_a_bad_map_file_is_refused(tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Member No": "member_id"}')
    with pytest.raises(CommandError, match="not a column Tolpuddle imports"):
        run(write(tmp_path, HEADER, GOOD), "--map", str(mapping))
    mapping.write_text("not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        run(write(tmp_path, HEADER, GOOD), "--map", str(mapping))


def test_a_file_without_the_required_columns_is_refused_and_nothing_is_written(
    tmp_path,
):
    with pytest.raises(CommandError, match="no membership_number column"):
        run(
            write(
                tmp_path,
                "number,first_name,last_name,category,status",
                "1,A,B,full,active",
            )
        )
    assert not Membership.objects.exists()


def test_missing_and_empty_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run(tmp_path / "nowhere.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run(empty)


def test_an_unclosed_quote_is_reported_rather_than_swallowing_the_file(tmp_path):
    path = write(
        tmp_path, HEADER, row(address_line_1='"Flat 2'), row(membership_number="N2")
    )
    report, _ = run(path)
    # csv reads to the end looking for the closing quote: the one record it makes has
    # too many fields, so it is rejected rather than imported wrongly.
    assert report["created"] == 0
    assert report["rejected"] == 1


def test_a_semicolon_separated_file_is_read(tmp_path):
    report, _ = run(write(tmp_path, HEADER.replace(",", ";"), GOOD.replace(",", ";")))
    assert report["created"] == 1


def test_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path):
    report, printed = run(
        write(tmp_path, HEADER, GOOD, row(membership_number="N2", email="bad")),
        "--dry-run",
    )

    assert (report["created"], report["rejected"], report["dry_run"]) == (1, 1, True)
    assert report["created_employers"] == ["National Probation Service"]
    assert not Membership.objects.exists()
    assert not Employer.objects.exists()
    assert not Branch.objects.exists()
    assert "Dry run" in printed


def test_former_members_get_a_joining_and_a_leaving_entry_in_their_history(tmp_path):
    run(
        write(
            tmp_path,
            HEADER + ",left_on",
            row(
                status="lapsed",
                employer="",
                workplace="",
                job_category="",
                hours="",
                pay_band="",
                employment_start="",
            )
            + ",2019-03-31",
        )
    )

    membership = Membership.objects.get()
    events = list(
        membership.events.order_by("effective_on").values_list(
            "status_from", "status_to", "effective_on"
        )
    )
    assert events == [
        ("", "active", datetime.date(2014, 6, 1)),
        ("active", "lapsed", datetime.date(2019, 3, 31)),
    ]
    assert membership.left_on == datetime.date(2019, 3, 31)


def test_approvals_after_an_import_take_numbers_above_the_imported_ones(tmp_path):
    run(write(tmp_path, HEADER, row(membership_number="100500")))

    applicant = services.membership_apply(
        first_name="Ada", last_name="Nield", email="ada@example.org"
    )
    approved = services.membership_approve(membership=applicant, actor=None)

    assert approved.membership_number == "100501"


def test_unknown_workplaces_are_created_under_their_employer_once(tmp_path):
    run(
        write(
            tmp_path,
            HEADER,
            GOOD,
            row(membership_number="N2", workplace="BIRMINGHAM CENTRAL"),
        )
    )
    assert Workplace.objects.count() == 1
    assert Employment.objects.filter(workplace__name="Birmingham Central").count() == 2


@pytest.mark.slow
def test_the_real_command_exits_non_zero_only_when_it_cannot_read_the_file(tmp_path):
    """Through the installed `tolpuddle` command, as a membership officer runs it."""
    tolpuddle = Path(sys.executable).with_name("tolpuddle")
    bad_rows = write(tmp_path, HEADER, row(email="nope"))
    from django.conf import settings

    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "TOLPUDDLE_DATA_DIR": str(tmp_path),
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the command-line check runs against its own SQLite file")
    subprocess.run([str(tolpuddle), "migrate", "-v0"], env=env, check=True)

    done = subprocess.run(
        [str(tolpuddle), "import_members", str(bad_rows)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "1 rejected" in done.stdout
    assert "Importing" in done.stderr  # the progress bar

    missing = subprocess.run(
        [str(tolpuddle), "import_members", str(tmp_path / "none.csv")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode != 0
    assert "There is no file" in missing.stderr


def test_checking_rows_in_a_second_process_gives_the_same_result(tmp_path):
    """Large files are checked in a child process; the outcome must not depend on it."""
    from tolpuddle.members.importer import members_import

    lines = [
        row(membership_number=f"Q{i}", email=f"q{i}@example.org") for i in range(30)
    ]
    lines[7] = row(membership_number="Q7", postcode="nowhere")
    path = write(tmp_path, HEADER, *lines, row(membership_number="Q3"))

    report = members_import(path=path, parallel=True, batch_size=4)

    assert (report.created, report.rejected, report.rows) == (28, 3, 31)
    assert sorted(r.line for r in report.rejections) == [5, 9, 32]
    assert Membership.objects.count() == 28


@pytest.mark.parametrize(
    "written",
    [
        "01/06/2014",
        "1/6/2014",
        "01.06.2014",
        "2014-06-01",
        "2014-06-01 00:00:00",
        "01/06/2014 00:00",
        "2014-06-01T00:00:00Z",
        "1 June 2014",
        "1st June 2014",
        "01-Jun-2014",
        "1 jun 2014",
    ],
)
def test_dates_as_exports_and_people_write_them_are_read_day_first(tmp_path, written):
    report, _ = run(write(tmp_path, HEADER, row(joined_on=written)))

    assert report["rejections"] == []
    assert Membership.objects.get().joined_on == datetime.date(2014, 6, 1)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("2014-06-01 13:45", "not a date"),
        ("01-Jun-14", "two-digit year"),
        ("31 June 2014", "not a real date"),
        ("1 Juné 2014", "not a date"),
    ],
)
def test_dates_that_cannot_be_read_safely_are_refused(tmp_path, written, words):
    report, _ = run(write(tmp_path, HEADER, row(joined_on=written)))

    assert report["rejected"] == 1
    assert words in report["rejections"][0]["reason"]


def test_null_markers_from_exports_count_as_empty(tmp_path):
    report, _ = run(
        write(
            tmp_path, HEADER, row(email="NULL", phone="N/A", postcode="-", title="#N/A")
        )
    )

    assert report["rejections"] == []
    person = Person.objects.get()
    assert (person.email, person.phone, person.postcode, person.title) == (
        "",
        "",
        "",
        "",
    )


def test_a_surname_that_looks_like_a_marker_is_kept(tmp_path):
    run(
        write(
            tmp_path,
            HEADER,
            row(last_name="Na"),
            row(membership_number="N2", last_name="None"),
        )
    )
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Na", "None"]


def test_a_former_member_shown_active_again_is_recorded_as_readmitted(tmp_path):
    from tolpuddle.members import selectors

    run(write(tmp_path, HEADER + ",left_on", row(status="lapsed") + ",31/03/2019"))
    run(write(tmp_path, HEADER, row(status="active"), name="back.csv"))

    membership = Membership.objects.get()
    assert membership.readmitted
    assert membership.left_on is None
    in_good_standing = selectors.memberships_in_good_standing
    assert (
        in_good_standing(on=datetime.date(2016, 1, 1)).filter(pk=membership.pk).exists()
    )
    assert (
        not in_good_standing(on=datetime.date(2020, 1, 1))
        .filter(pk=membership.pk)
        .exists()
    )


def _register_indexes() -> set[str]:
    from django.db import connection

    from tolpuddle.members.importer import INDEXED_MODELS

    names: set[str] = set()
    with connection.cursor() as cursor:
        for model in INDEXED_MODELS:
            names |= set(
                connection.introspection.get_constraints(cursor, model._meta.db_table)
            )
    return names


def _expected_indexes() -> set[str]:
    from tolpuddle.members.importer import INDEXED_MODELS

    return {index.name for model in INDEXED_MODELS for index in model._meta.indexes}


def test_a_first_load_sets_the_indexes_aside_and_builds_them_again(
    tmp_path, monkeypatch
):
    from tolpuddle.members import importer

    monkeypatch.setattr(importer, "DEFER_INDEXES_FROM_ROWS", 3)
    seen_during: list[set[str]] = []
    original_write = importer._Writer.write

    def spying_write(self, rows):
        seen_during.append(_register_indexes())
        original_write(self, rows)

    monkeypatch.setattr(importer._Writer, "write", spying_write)
    lines = [
        row(membership_number=f"D{i}", email=f"d{i}@example.org") for i in range(5)
    ]

    report, _ = run(write(tmp_path, HEADER, *lines))

    assert report["created"] == 5
    assert not (_expected_indexes() & seen_during[0])  # aside while writing
    assert _expected_indexes() <= _register_indexes()  # and back afterwards
    assert len(selectors_search("wilkinson")) == 5


def selectors_search(query: str) -> list[Membership]:
    from tolpuddle.members import selectors

    return list(selectors.memberships_search(query=query))


def test_the_indexes_come_back_when_a_load_fails_half_way(tmp_path, monkeypatch):
    from tolpuddle.members import importer

    monkeypatch.setattr(importer, "DEFER_INDEXES_FROM_ROWS", 3)

    def failing_write(self, rows):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(importer._Writer, "write", failing_write)
    lines = [
        row(membership_number=f"F{i}", email=f"f{i}@example.org") for i in range(5)
    ]

    with pytest.raises(RuntimeError, match="disk is full"):
        run(write(tmp_path, HEADER, *lines))

    assert _expected_indexes() <= _register_indexes()


def test_an_index_lost_by_a_killed_load_is_built_at_the_next_import(tmp_path):
    from django.db import connection

    from tolpuddle.members.importer import restore_missing_indexes

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX person_email")
    assert "person_email" not in _register_indexes()

    run(write(tmp_path, HEADER, GOOD))

    assert "person_email" in _register_indexes()
    assert restore_missing_indexes() == []


def test_hundreds_of_rows_are_written_whole_and_each_to_its_own_member(tmp_path):
    """Rows go to SQLite a hundred to a statement: every one must land, in its place."""
    count = 250
    lines = [
        row(
            membership_number=f"H{i:03d}",
            email=f"h{i}@example.org",
            last_name=f"Name{i:03d}",
        )
        for i in range(count)
    ]

    report, _ = run(write(tmp_path, HEADER, *lines))

    assert report["created"] == count
    assert Membership.objects.count() == Person.objects.count() == count
    assert Employment.objects.count() == MembershipEvent.objects.count() == count
    for i in (0, 99, 100, 199, 200, 249):
        membership = Membership.objects.select_related("person").get(
            membership_number=f"H{i:03d}"
        )
        assert (membership.person.last_name, membership.person.email) == (
            f"Name{i:03d}",
            f"h{i}@example.org",
        )
        assert membership.events.get().data["line"] == i + 2
        assert (
            membership.employments.get().employer.name == "National Probation Service"
        )
