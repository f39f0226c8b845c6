"""Generated messy files: whatever the spelling of a valid value, it imports the same;
whatever the junk, every row is accounted for and nothing crashes."""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolpuddle.members.importer import COLUMNS, members_import
from tolpuddle.members.models import Membership

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

OUTWARD = ["B1", "SW1A", "M60", "CF10", "BT7", "LS2", "EH1", "W1D"]
INWARD = ["1AA", "2BD", "9ZZ", "4QA", "0XW"]
PHONES = {
    "0121 496 0123": "+441214960123",
    "+44 121 496 0123": "+441214960123",
    "(0121) 4960123": "+441214960123",
    "020 7946 0999": "+442079460999",
    "+442079460999": "+442079460999",
    "028 9649 6001": "+442896496001",
}


@st.composite
def spelled_postcode(draw: st.DrawFn) -> tuple[str, str]:
    outward, inward = draw(st.sampled_from(OUTWARD)), draw(st.sampled_from(INWARD))
    compact = outward + inward
    cased = "".join(ch.lower() if draw(st.booleans()) else ch for ch in compact)
    gap = draw(st.sampled_from(["", " ", "  "]))
    spelled = cased[: len(outward)] + gap + cased[len(outward) :]
    pad = draw(st.sampled_from(["", " "]))
    return pad + spelled + pad, f"{outward} {inward}"


@st.composite
def spelled_date(draw: st.DrawFn, start: int, end: int) -> tuple[str, datetime.date]:
    day = draw(st.dates(datetime.date(start, 1, 1), datetime.date(end, 12, 31)))
    form = draw(st.sampled_from(["iso", "uk", "uk_short", "dots"]))
    if form == "iso":
        return day.isoformat(), day
    if form == "uk":
        return day.strftime("%d/%m/%Y"), day
    if form == "dots":
        return day.strftime("%d.%m.%Y"), day
    return f"{day.day}/{day.month}/{day.year}", day


def spelled_code(draw: st.DrawFn, code: str) -> str:
    words = code.replace("_", draw(st.sampled_from(["_", " ", "-"])))
    return draw(st.sampled_from([words, words.upper(), words.title(), f" {words} "]))


@st.composite
def member(draw: st.DrawFn, number: int) -> tuple[dict[str, str], dict[str, object]]:
    postcode, postcode_expected = draw(spelled_postcode())
    joined, joined_expected = draw(spelled_date(2000, 2024))
    born, born_expected = draw(spelled_date(1950, 1980))
    phone = draw(st.sampled_from(sorted(PHONES)))
    category = draw(
        st.sampled_from(["full", "student", "retired", "associate", "honorary"])
    )
    status = draw(st.sampled_from(["active", "applicant", "lapsed", "resigned"]))
    method = draw(
        st.sampled_from(["direct_debit", "payroll", "card", "cheque", "none"])
    )
    first = draw(
        st.sampled_from(["Siân", "Zoë", "Ngozi", "Seán", "Anne-Marie", "D'Arcy"])
    )
    last = draw(
        st.sampled_from(["O'Brien", "Smith-Jones", "Ó Súilleabháin", "van der Berg"])
    )
    hours = draw(st.sampled_from(["37", "18.5", "22.50", "7.25"]))
    email_local = draw(st.sampled_from(["ann", "Ann.Other", "a+union"]))
    raw = {
        "membership_number": f"  {number} ",
        "first_name": first,
        "last_name": f" {last}",
        "email": f"{email_local}{number}@Example.org",
        "phone": phone,
        "postcode": postcode,
        "date_of_birth": born,
        "category": spelled_code(draw, category),
        "status": spelled_code(draw, status),
        "joined_on": joined,
        "employer": "National Probation Service",
        "workplace": "Leeds",
        "hours": hours,
        "employment_start": joined,
        "payment_method": spelled_code(draw, method),
        "address_line_1": draw(
            st.sampled_from(["1 High St", '2 "The Cottage", Lane', "Flat 3\nBlock B"])
        ),
    }
    expected = {
        "postcode": postcode_expected,
        "joined_on": joined_expected,
        "date_of_birth": born_expected,
        "phone": PHONES[phone],
        "category": category,
        "status": status,
        "payment_method": method,
        "email": f"{email_local.lower()}{number}@example.org",
        "last_name": last,
        "address_line_1": raw["address_line_1"],
    }
    return raw, expected


def render(
    rows: list[dict[str, str]], *, newline: str, bom: bool, order: list[str]
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(order)
    for values in rows:
        writer.writerow([values.get(name, "") for name in order])
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


@HYPOTHESIS
@given(
    data=st.data(),
    count=st.integers(min_value=1, max_value=8),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    shuffle=st.randoms(use_true_random=False),
)
def test_valid_values_in_any_spelling_import_as_their_normal_form(
    data, count, newline, bom, shuffle
):
    members = [data.draw(member(1000 + i)) for i in range(count)]
    order = list(COLUMNS)
    shuffle.shuffle(order)  # columns may come in any order
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messy.csv"
        path.write_bytes(
            render([raw for raw, _ in members], newline=newline, bom=bom, order=order)
        )
        with transaction.atomic():
            report = members_import(path=path)
            assert report.rejections == []
            assert report.created == count
            for index, (_raw, expected) in enumerate(members):
                membership = Membership.objects.select_related("person").get(
                    membership_number=str(1000 + index)
                )
                person = membership.person
                assert person.postcode == expected["postcode"]
                assert person.phone == expected["phone"]
                assert person.email == expected["email"]
                assert person.last_name == expected["last_name"]
                assert person.date_of_birth == expected["date_of_birth"]
                assert person.address_line_1 == expected["address_line_1"]
                assert membership.category == expected["category"]
                assert membership.status == expected["status"]
                assert membership.payment_method == expected["payment_method"]
                assert membership.joined_on == expected["joined_on"]
            again = members_import(path=path)
            assert (again.created, again.updated, again.unchanged) == (0, 0, count)
            transaction.set_rollback(True)


junk_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)


@HYPOTHESIS
@given(
    rows=st.lists(
        st.lists(junk_text, min_size=0, max_size=len(COLUMNS) + 2), max_size=12
    )
)
def test_junk_rows_are_each_imported_or_rejected_and_nothing_crashes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        with transaction.atomic():
            report = members_import(path=path)
            assert (
                report.created + report.updated + report.unchanged + report.rejected
                == report.rows
            )
            assert Membership.objects.count() == report.created
            for rejection in report.rejections:
                assert rejection.reason
                assert rejection.line >= 2
            transaction.set_rollback(True)
