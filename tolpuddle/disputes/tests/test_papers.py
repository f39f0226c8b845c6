"""Postal voting papers: numbered consecutively (s.229(1A)(c)), one for each
elector with their name and home address, printed in batches; and the scrutineer's
mail merge."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pypdf import PdfReader

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import documents, selectors, services
from tolpuddle.disputes.models import ElectorateEntry
from tolpuddle.disputes.tests.ballots import member_at
from tolpuddle.disputes.tests.conftest import TODAY
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.disputes.tests.test_notices import CONTRACT_BREACH, pdf_text
from tolpuddle.members.tests.factories import EmployerFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed() -> Any:
    """A statutory ballot of three at Probation Service's Leeds office and two at
    Cafcass, Bristol, its notices given."""
    probation = EmployerFactory(name="Probation Service")
    cafcass = EmployerFactory(name="Cafcass")
    leeds = WorkplaceFactory(employer=probation, name="Leeds")
    bristol = WorkplaceFactory(employer=cafcass, name="Bristol")
    for last_name in ("Oakes", "Ahmed", "Jones"):
        member_at(
            leeds,
            first_name="Sam",
            last_name=last_name,
            address_line_1=f"{len(last_name)} Park Lane",
            town="Leeds",
            postcode="LS6 2AB",
        )
    for last_name in ("Wyn", "Brown"):
        member_at(bristol, first_name="Alex", last_name=last_name, postcode="BS1 4DJ")
    dispute = DisputeFactory(employers=[probation, cafcass])
    ballot = statutory_ballot(dispute=dispute)
    services.ballot_electorate_freeze(ballot=ballot, on=TODAY, by=None)
    notices = services.ballot_notices_prepare(ballot=ballot, by=None)
    return ballot, notices, leeds


def test_papers_are_numbered_from_one_by_employer_then_name(noticed) -> None:
    ballot, notices, _ = noticed
    with pytest.raises(ApplicationError, match="give the notices first"):
        services.ballot_papers_number(ballot=ballot, by=None)
    for notice in notices:
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)

    assert services.ballot_papers_number(ballot=ballot, by=None) == 5

    numbered = list(
        ElectorateEntry.objects.filter(ballot=ballot)
        .order_by("paper_number")
        .values_list("paper_number", "employer__name", "membership__person__last_name")
    )
    assert numbered == [
        (1, "Cafcass", "Brown"),
        (2, "Cafcass", "Wyn"),
        (3, "Probation Service", "Ahmed"),
        (4, "Probation Service", "Jones"),
        (5, "Probation Service", "Oakes"),
    ]
    with pytest.raises(ApplicationError, match="were numbered"):
        services.ballot_papers_number(ballot=ballot, by=None)
    with pytest.raises(ApplicationError, match="cannot be frozen again"):
        services.ballot_electorate_freeze(ballot=ballot, on=TODAY, by=None)


def test_a_member_added_late_gets_the_next_number(noticed) -> None:
    ballot, notices, leeds = noticed
    for notice in notices:
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    services.ballot_papers_number(ballot=ballot, by=None)
    late = member_at(leeds, last_name="Aaron")

    entry = services.ballot_electorate_add(
        ballot=ballot,
        membership=late,
        employment=late.employments.get(),
        reason="Joined after the notice",
        by=None,
    )

    assert entry.paper_number == 6
    assert selectors.voting_paper_numbers(ballot=ballot) == (6, 1, 6)
    # Batches hold a number of papers, not a range of numbers: the late joiner's
    # paper 6 follows Probation Service's 3 to 5, after Cafcass's 1 and 2.
    batches = selectors.voting_paper_batches(ballot=ballot, size=3)
    assert [(b.employer_name, b.first, b.last, b.count) for b in batches] == [
        ("Cafcass", 1, 2, 2),
        ("Probation Service", 3, 5, 3),
        ("Probation Service", 6, 6, 1),
    ]


def test_the_papers_print_in_batches_one_page_an_elector_with_what_s229_requires(
    noticed,
) -> None:
    ballot, notices, _ = noticed
    for notice in notices:
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    services.ballot_papers_number(ballot=ballot, by=None)

    batches = selectors.voting_paper_batches(ballot=ballot, size=2)

    assert [(b.employer_name, b.first, b.last, b.count) for b in batches] == [
        ("Cafcass", 1, 2, 2),
        ("Probation Service", 3, 4, 2),
        ("Probation Service", 5, 5, 1),
    ]
    assert documents.voting_paper_problems(ballot=ballot) == []
    pdf = documents.voting_papers_pdf(ballot=ballot, batch=batches[1])
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first, second = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "No. 000003" in first
    assert "Sam Ahmed 5 Park Lane Leeds LS6 2AB" in first
    assert "No. 000004" in second
    assert "Sam Jones" in second
    for page in (first, second):
        assert CONTRACT_BREACH in page
        assert "Civica Election Services" in page  # the scrutineer
        assert "Freepost RTKA-XYZA" in page  # where to return it
        assert "Monday 11 January 2027" in page  # and by when
        assert "The General Secretary" in page  # authorised to call action
        assert "Are you prepared to take part in strike action? YES NO" in page
        assert "SAMPLE" not in page
    assert documents.batch_file_name(ballot=ballot, batch=batches[1]) == (
        f"papers-{ballot.pk}-probation-service-000003-000004.pdf"
    )


def test_the_scrutineer_s_mail_merge_has_a_row_for_each_paper(
    noticed, tmp_path
) -> None:
    ballot, notices, _ = noticed
    for notice in notices:
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    services.ballot_papers_number(ballot=ballot, by=None)
    out = io.StringIO(newline="")

    assert documents.voting_papers_csv(ballot=ballot, out=out) == 5

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(documents.CSV_COLUMNS)
    assert rows[3] == [
        "000003",
        "Sam Ahmed",
        "5 Park Lane",
        "",
        "Leeds",
        "LS6 2AB",
        "Probation Service",
        "Leeds",
    ]
    assert [row[0] for row in rows[1:]] == [
        "000001",
        "000002",
        "000003",
        "000004",
        "000005",
    ]


def test_the_command_writes_each_batch_and_the_mail_merge(noticed, tmp_path) -> None:
    from django.core.management import call_command

    ballot, notices, _ = noticed
    for notice in notices:
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    services.ballot_papers_number(ballot=ballot, by=None)
    out = io.StringIO()

    call_command(
        "voting_papers",
        str(ballot.pk),
        "--out",
        str(tmp_path),
        "--size",
        "3",
        stdout=out,
    )

    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        f"papers-{ballot.pk}-cafcass-000001-000002.pdf",
        f"papers-{ballot.pk}-mail-merge.csv",
        f"papers-{ballot.pk}-probation-service-000003-000005.pdf",
    ]
    text = pdf_text((tmp_path / names[2]).read_bytes())
    assert "No. 000005" in text
