"""The back office's voting and result screens (``backoffice/ballot_results.py``):
the postal voting papers, the online vote, the scrutineer's count and what it
means, the result to the members (s.231) and to each employer (s.231A).

The ballots are those of ``disputes/tests/ballots.py``: a strike ballot under the
first stage of the Employment Rights Act 2025, opening on Monday 14 December 2026
and closing on Monday 11 January 2027, the clock left at noon on the day after.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tolpuddle.backoffice.tests.test_disputes import (  # noqa: F401 - a fixture
    errors,
    official,
    pdf_text,
    url,
)
from tolpuddle.disputes import documents, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotResult,
    BallotStatus,
    DisputeEvent,
    DisputeEventKind,
    ElectorateEntry,
    ResultNotice,
)
from tolpuddle.disputes.tests.ballots import (
    DAY,
    ERA_CLOSING,
    held_ballot,
    member_at,
    place,
)
from tolpuddle.disputes.tests.test_notices import CONTRACT_BREACH
from tolpuddle.members.models import AccessAction, PersonalDataAccess
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DECLARED = ERA_CLOSING + DAY  # Tuesday 12 January 2027: today, in these tests


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def an_official(request: pytest.FixtureRequest) -> Any:
    """An official who can open the back office, not HQ staff (``official``)."""
    return request.getfixturevalue("official")


@pytest.fixture
def leeds(time_machine: Any) -> dict[str, Any]:
    """Three members at Leeds (one with no home address) balloted for strike
    action; the ballot open, voting closed yesterday."""
    dispute, employer, (leeds,) = place()
    members = [
        member_at(
            leeds,
            first_name="Sam",
            last_name=name,
            address_line_1="1 Park Lane",
            town="Leeds",
            postcode="LS6 2AB",
        )
        for name in ("Oakes", "Ahmed")
    ]
    members.append(
        member_at(
            leeds,
            first_name="Alex",
            last_name="Nowhere",
            address_line_1="",
            postcode="",
        )
    )
    ballot = held_ballot(time_machine, dispute=dispute)
    return {"ballot": ballot, "employer": employer, "members": members}


def words(response: Any) -> str:
    """A page's text as a reader hears it: no tags, runs of white space as one."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def count(declared_on: datetime.date = DECLARED, **figures: Any) -> dict[str, str]:
    """The scrutineer's count as the form takes it, for one question."""
    values = {"entitled": 3, "yes": 2, "no": 0, "spoiled": 0, **figures}
    return {
        "declared_on": declared_on.strftime("%d/%m/%Y"),
        "entitled": str(values["entitled"]),
        "q1_yes": str(values["yes"]),
        "q1_no": str(values["no"]),
        "q1_spoiled": str(values["spoiled"]),
    }


def recorded(ballot: Ballot, **figures: Any) -> list[BallotResult]:
    values = {"entitled": 3, "yes": 2, "no": 0, "spoiled": 0, **figures}
    return services.ballot_result_record(
        ballot=ballot, declared_on=DECLARED, by=None, **values
    )


# --- Voting papers -------------------------------------------------------------------


def test_the_papers_are_numbered_and_each_batch_and_the_mail_merge_download(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)

    before = client.get(url("backoffice_ballot_voting", ballot))
    numbered = client.post(url("backoffice_ballot_papers_number", ballot))
    page = client.get(url("backoffice_ballot_voting", ballot))

    assert "Number the voting papers" in words(before)
    assert numbered.status_code == 302
    assert "3 voting papers numbered 1 to 3" in words(page)
    assert "1 member of the electorate has no home address" in words(page)
    assert "Alex Nowhere" in words(page)
    assert url("backoffice_ballot_papers_pdf", ballot, 1) in page.text
    assert "Number the voting papers" not in words(page)

    pdf = client.get(url("backoffice_ballot_papers_pdf", ballot, 1))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 3
    first = " ".join(reader.pages[0].extract_text().split())
    assert "No. 000001" in first
    assert "Sam Ahmed 1 Park Lane Leeds LS6 2AB" in first
    assert CONTRACT_BREACH in first
    assert "The General Secretary" in first
    assert "Civica Election Services" in first
    assert client.get(url("backoffice_ballot_papers_pdf", ballot, 2)).status_code == 404

    merge = client.get(url("backoffice_ballot_papers_csv", ballot))
    rows = list(csv.reader(io.StringIO(b"".join(merge.streaming_content).decode())))
    assert rows[0] == list(documents.CSV_COLUMNS)
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("000001", "Sam Ahmed"),
        ("000002", "Alex Nowhere"),
        ("000003", "Sam Oakes"),
    ]
    exported = PersonalDataAccess.objects.filter(
        user=hq_staff, action=AccessAction.EXPORTED
    ).order_by("id")
    assert [(e.detail["list"], e.detail["rows"]) for e in exported] == [
        ("ballot voting papers", 3),
        ("ballot voting papers mail merge", 3),
    ]
    log = client.get(url("backoffice_dispute_detail", ballot.dispute))
    assert "3 voting papers numbered 1 to 3" in words(log)


def test_numbering_again_is_refused_in_the_services_words(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    services.ballot_papers_number(ballot=ballot, by=None)
    client = sign_in(hq_staff)

    response = client.post(url("backoffice_ballot_papers_number", ballot))

    assert response.status_code == 400
    assert "The voting papers cannot be numbered" in words(response)
    assert "The voting papers were numbered on" in words(response)
    assert (
        DisputeEvent.objects.filter(kind=DisputeEventKind.PAPERS_NUMBERED).count() == 1
    )


def test_papers_not_yet_numbered_have_nothing_to_download(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    ballot = leeds["ballot"]

    assert client.get(url("backoffice_ballot_papers_pdf", ballot, 1)).status_code == 404
    assert client.get(url("backoffice_ballot_papers_csv", ballot)).status_code == 404


# --- The online vote ------------------------------------------------------------------


def test_a_statutory_ballot_is_postal_until_the_law_allows_voting_online(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_ballot_voting", ballot))
    response = client.post(url("backoffice_ballot_poll_create", ballot))

    assert "Set up the online vote" not in words(page)
    assert "held by post until the order permitting electronic voting" in words(page)
    assert response.status_code == 400
    assert "must be held by post" in words(response)
    assert Ballot.objects.get(pk=ballot.pk).poll_id is None


def test_a_consultative_ballot_is_voted_online_and_links_to_its_vote(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    member_at(leeds)
    ballot = services.ballot_create(
        dispute=dispute,
        title="Consultation on the offer",
        kind=BallotKind.CONSULTATIVE,
        opening_on=datetime.date(2026, 12, 14),
        closing_on=datetime.date(2026, 12, 21),
        employers=[employer],
        questions=["Do you accept the offer?"],
        by=None,
    )
    services.ballot_electorate_freeze(
        ballot=ballot, on=datetime.date(2026, 12, 1), by=None
    )
    client = sign_in(hq_staff)

    created = client.post(url("backoffice_ballot_poll_create", ballot))
    page = client.get(url("backoffice_ballot_voting", ballot))

    assert created.status_code == 302
    ballot.refresh_from_db()
    assert ballot.poll is not None
    assert url("voting:vote_with_code", ballot.poll) in page.text
    assert "2 members may vote" in words(page)
    assert "Voting papers by post" not in words(page)
    log = client.get(url("backoffice_dispute_detail", dispute))
    assert (
        "Online vote for 2 members, open from 14 December 2026 to the end of 21 "
        "December 2026" in words(log)
    )


def test_the_voting_codes_are_emailed_from_the_voting_page_and_the_page_says_so(
    sign_in: Any,
    hq_staff: Any,
    time_machine: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tolpuddle.core.tests.worker import run_queued_tasks

    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
    dispute, employer, (leeds,) = place()
    members = [member_at(leeds) for _ in range(2)]
    ballot = services.ballot_create(
        dispute=dispute,
        title="Consultation on the offer",
        kind=BallotKind.CONSULTATIVE,
        opening_on=datetime.date(2026, 12, 14),
        closing_on=datetime.date(2026, 12, 21),
        employers=[employer],
        questions=["Do you accept the offer?"],
        by=None,
    )
    services.ballot_electorate_freeze(
        ballot=ballot, on=datetime.date(2026, 12, 1), by=None
    )
    client = sign_in(hq_staff)
    refused = client.post(url("backoffice_ballot_poll_codes_send", ballot))
    client.post(url("backoffice_ballot_poll_create", ballot))
    before = client.get(url("backoffice_ballot_voting", ballot))

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("backoffice_ballot_poll_codes_send", ballot))
    run_queued_tasks()
    after = client.get(url("backoffice_ballot_voting", ballot))
    ballot.refresh_from_db()

    assert refused.status_code == 400
    assert "Set up the online vote first" in words(refused)
    assert "No voting codes have been emailed yet." in words(before)
    assert "Email a voting code to every member who has not voted" in words(before)
    assert sent.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        m.person.email for m in members
    )
    assert f"/vote/{ballot.poll.pk}/" in mailoutbox[0].body
    assert "Voting codes were last emailed on" in words(after)
    assert "2 sent" in words(after)


def test_an_online_vote_s_result_is_counted_and_recorded(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    from tolpuddle.voting import services as voting

    dispute, employer, (leeds,) = place()
    members = [member_at(leeds) for _ in range(3)]
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
    ballot = services.ballot_create(
        dispute=dispute,
        title="Consultation on the offer",
        kind=BallotKind.CONSULTATIVE,
        opening_on=datetime.date(2026, 12, 14),
        closing_on=datetime.date(2026, 12, 21),
        employers=[employer],
        questions=["Do you accept the offer?"],
        by=None,
    )
    services.ballot_electorate_freeze(
        ballot=ballot, on=datetime.date(2026, 12, 1), by=None
    )
    poll = services.ballot_poll_create(ballot=ballot, by=None)
    time_machine.move_to(datetime.datetime(2026, 12, 14, 12, tzinfo=datetime.UTC))
    services.ballot_open(ballot=ballot, by=None)
    question = poll.questions.get()
    yes, _no = question.choices.order_by("position")
    for membership in members[:2]:
        voting.vote_cast(
            poll=poll, answers={question.pk: yes.pk}, membership=membership
        )
    time_machine.move_to(datetime.datetime(2026, 12, 22, 12, tzinfo=datetime.UTC))
    client = sign_in(hq_staff)

    form = client.get(url("backoffice_ballot_result", ballot))
    response = client.post(
        url("backoffice_ballot_result_from_poll", ballot),
        {"poll-declared_on": "22/12/2026"},
    )
    page = client.get(url("backoffice_ballot_voting", ballot))

    assert "Count the online vote and record its result" in words(form)
    assert response.status_code == 302
    result = BallotResult.objects.get(ballot=ballot)
    assert (result.entitled, result.yes, result.no, result.spoiled) == (3, 2, 0, 0)
    assert "from the count of the online vote" in words(page)
    assert "Consultative: no mandate" in words(page)
    assert "Tell the employers" not in words(page)  # no s.231A for consultative


# --- The result -----------------------------------------------------------------------


def test_the_scrutineer_s_count_is_recorded_with_its_thresholds_and_mandate(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)
    report = SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4 the scrutineer's report", "application/pdf"
    )

    form = client.get(url("backoffice_ballot_result", ballot))
    response = client.post(
        url("backoffice_ballot_result", ballot),
        {**count(), "scrutineer_report": report},
    )
    page = client.get(url("backoffice_ballot_voting", ballot))

    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    assert response.status_code == 302
    (result,) = BallotResult.objects.filter(ballot=ballot)
    assert (result.entitled, result.yes, result.votes_cast, result.mandate) == (
        3,
        2,
        2,
        True,
    )
    assert "Declared on 12 January 2027" in words(page)
    assert "66.6%" in words(page)  # turnout
    assert "At least 50% of those entitled must vote: met" in words(page)
    assert "A mandate for industrial action" in words(page)
    assert "Monday 10 January 2028" in words(page)  # 12 months beginning 11 January
    assert "Tell the members (s.231)" in words(page)
    downloaded = client.get(url("backoffice_ballot_scrutineer_report", ballot))
    assert b"".join(downloaded.streaming_content) == b"%PDF-1.4 the scrutineer's report"
    log = client.get(url("backoffice_dispute_detail", ballot.dispute))
    assert (
        "Question 1: Yes 2, No 0, spoiled 0, of 3 entitled to vote: a mandate"
        in words(log)
    )
    assert "Mandate until 10 January 2028" in words(log)
    assert "Result prepared for Probation Service" in words(log)


def test_the_count_s_fields_are_labelled_as_the_page_reads_them(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).get(url("backoffice_ballot_result", leeds["ballot"]))

    form = response.context["form"]
    names = ("entitled", "q1_yes", "q1_no", "q1_spoiled")
    assert [form[name].label for name in names] == [
        "Entitled to vote",
        "Question 1, answering Yes",
        "Question 1, answering No",
        "Question 1, of spoiled or invalid papers",
    ]
    assert 'for="id_entitled"' in response.text  # each label is the field's


def test_a_turnout_below_half_gives_no_mandate_and_says_why(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)

    client.post(
        url("backoffice_ballot_result", ballot),
        count(entitled=1000, yes=391, no=69),
    )
    page = client.get(url("backoffice_ballot_voting", ballot))

    assert "46%" in words(page)
    assert "At least 50% of those entitled must vote: not met" in words(page)
    assert "gives no mandate" in words(page)
    assert "Turnout was 46% (460 of 1,000 entitled to vote)" in words(page)
    # The number entitled differs from the electorate held here: a warning.
    assert "check it with the scrutineer" in words(page)


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        (
            {"entitled": 3, "yes": 3, "no": 1},
            "q1_yes",
            "add up to 4, more than the 3 entitled to vote",
        ),
        ({"no": -1}, "q1_no", "The number cannot be negative."),
        ({"entitled": 0}, "entitled", "At least one member must be entitled to vote."),
        ({"spoiled": ""}, "q1_spoiled", "(0 if none)"),
        ({"yes": "many"}, "q1_yes", "Enter a whole number"),
        (
            {"declared_on": "10/01/2027"},
            "declared_on",
            "cannot be declared before the ballot closes (11 January 2027)",
        ),
        ({"declared_on": "13/01/2027"}, "declared_on", "not a day to come"),
    ],
)
def test_a_count_that_cannot_be_right_is_refused_and_nothing_is_written(  # noqa: PLR0917 - parametrised
    sign_in: Any,
    hq_staff: Any,
    leeds: dict[str, Any],
    figures: dict[str, Any],
    field: str,
    message: str,
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)
    data = count()
    for name, value in figures.items():
        key = name if name in ("entitled", "declared_on") else f"q1_{name}"
        data[key] = str(value)

    response = client.post(url("backoffice_ballot_result", ballot), data)

    assert response.status_code == 400
    assert any(message in e for e in errors(response)[field])
    assert "There is a problem" in words(response)
    assert not BallotResult.objects.exists()
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN
    assert not DisputeEvent.objects.filter(kind=DisputeEventKind.RESULT_RECORDED)


def test_a_result_may_be_corrected_until_given_then_stands(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)
    client.post(url("backoffice_ballot_result", ballot), count(yes=1, no=2))

    corrected = client.post(url("backoffice_ballot_result", ballot), count())
    notice = ResultNotice.objects.get(ballot=ballot)
    services.result_notice_record_given(notice=notice, given_on=DECLARED, by=None)
    refused = client.post(url("backoffice_ballot_result", ballot), count(yes=0, no=3))

    assert corrected.status_code == 302
    assert refused.status_code == 400
    assert "it stands as recorded" in words(refused)
    assert list(BallotResult.objects.values_list("yes", "no")) == [(2, 0)]
    assert (
        DisputeEvent.objects.filter(kind=DisputeEventKind.RESULT_RECORDED).count() == 2
    )


def test_separate_workplace_ballots_are_counted_workplace_by_workplace(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    dispute, _employer, (leeds, york) = place(workplaces=("Leeds", "York"))
    for _ in range(3):
        member_at(leeds)
    member_at(york)
    ballot = held_ballot(time_machine, dispute=dispute, workplace_ballots="separate")
    client = sign_in(hq_staff)

    form = client.get(url("backoffice_ballot_result", ballot))
    response = client.post(
        url("backoffice_ballot_result", ballot),
        {
            "declared_on": DECLARED.strftime("%d/%m/%Y"),
            **{
                f"w{place.pk}_{name}": value
                for place, figures in (
                    (leeds, ("3", "2", "0", "0")),
                    (york, ("1", "0", "1", "0")),
                )
                for name, value in zip(
                    ("entitled", "q1_yes", "q1_no", "q1_spoiled"), figures, strict=True
                )
            },
        },
    )

    assert "The ballot at Leeds" in words(form)
    assert "The ballot at York" in words(form)
    assert response.status_code == 302
    by_place = {
        r.workplace.name: r.mandate
        for r in BallotResult.objects.select_related("workplace")
    }
    assert by_place == {"Leeds": True, "York": False}
    page = client.get(url("backoffice_ballot_voting", ballot))
    assert "at the workplaces whose own ballot supports it" in words(page)


# --- Telling the members (s.231) ----------------------------------------------------------


def test_the_result_is_sent_to_every_member_and_the_page_shows_how_far_it_has_gone(
    sign_in: Any,
    hq_staff: Any,
    leeds: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ballot = leeds["ballot"]
    client = sign_in(hq_staff)

    too_soon = client.post(url("backoffice_ballot_result_inform", ballot))
    recorded(ballot)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sent = client.post(url("backoffice_ballot_result_inform", ballot))
    sending = client.get(url("backoffice_ballot_voting", ballot))
    for callback in queued:
        callback()  # the task runs
    done = client.get(url("backoffice_ballot_voting", ballot))

    assert too_soon.status_code == 400
    assert "Record the result first." in words(too_soon)
    assert sent.status_code == 302
    assert len(queued) == 1
    assert "sent to 0 of 3 so far" in words(sending)
    assert "Carry on sending" in words(sending)
    assert len(mail.outbox) == 3
    assert (
        ElectorateEntry.objects.filter(
            ballot=ballot, result_informed_at__isnull=False
        ).count()
        == 3
    )
    assert "to 3 of 3 members" in words(done)
    log = client.get(url("backoffice_dispute_detail", ballot.dispute))
    assert "Sending to every member entitled to vote began" in words(log)
    assert "Emailed to 3 members in all (3 in this run)" in words(log)
    again = client.post(url("backoffice_ballot_result_inform", ballot))
    assert again.status_code == 400
    assert "was sent to every member" in words(again)


# --- Telling the employers (s.231A) ------------------------------------------------------


def test_each_employer_s_result_downloads_and_the_day_given_is_recorded(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    recorded(ballot)
    notice = ResultNotice.objects.get(ballot=ballot)
    client = sign_in(hq_staff)
    field = f"result-{notice.pk}-given_on"
    given = url("backoffice_ballot_result_notice_given", ballot, notice)

    page = client.get(url("backoffice_ballot_result_notices", ballot))
    pdf = client.get(url("backoffice_ballot_result_notice_pdf", ballot, notice))
    text = client.get(url("backoffice_ballot_result_notice_text", ballot, notice))
    before = client.post(given, {field: "11/01/2027"})
    to_come = client.post(given, {field: "13/01/2027"})
    nothing_yet = ResultNotice.objects.get(pk=notice.pk).given_on
    recorded_ = client.post(given, {field: "12/01/2027"})
    twice = client.post(given, {field: "12/01/2027"})

    assert "Probation Service" in words(page)
    assert "Record the result as given" in words(page)
    assert pdf.content.startswith(b"%PDF")
    printed = pdf_text(pdf.content)
    assert "section 231A" in printed
    assert "Number of individuals entitled to vote: 3" in printed
    assert "Number answering Yes: 2" in printed
    assert (
        "At least 50% of those entitled to vote did so: Yes (turnout 66.6%)" in printed
    )
    assert text.content.decode() == notice.text
    assert before.status_code == 400
    assert "The result was declared on 12/01/2027" in words(before)
    assert to_come.status_code == 400
    assert "not a day to come" in words(to_come)
    assert nothing_yet is None
    assert recorded_.status_code == 302
    assert ResultNotice.objects.get(pk=notice.pk).given_on == DECLARED
    assert twice.status_code == 400
    assert "was recorded as given to Probation Service" in words(twice)
    assert (
        DisputeEvent.objects.filter(kind=DisputeEventKind.RESULT_NOTICE_GIVEN).count()
        == 1
    )
    log = client.get(url("backoffice_dispute_detail", ballot.dispute))
    assert "To Probation Service on 12 January 2027, the day it was declared" in words(
        log
    )


def test_a_result_notice_of_another_ballot_is_a_404(
    sign_in: Any, hq_staff: Any, leeds: dict[str, Any], time_machine: Any
) -> None:
    ballot = leeds["ballot"]
    recorded(ballot)
    notice = ResultNotice.objects.get(ballot=ballot)
    other_dispute, _, (york,) = place(employer_name="Cafcass", workplaces=("York",))
    member_at(york)
    other = held_ballot(time_machine, dispute=other_dispute)
    client = sign_in(hq_staff)

    for name in (
        "backoffice_ballot_result_notice_pdf",
        "backoffice_ballot_result_notice_text",
    ):
        assert client.get(url(name, other, notice)).status_code == 404
    response = client.post(
        url("backoffice_ballot_result_notice_given", other, notice),
        {f"result-{notice.pk}-given_on": "12/01/2027"},
    )
    assert response.status_code == 404


# --- Who may see what ---------------------------------------------------------------------


def _every_route(ballot: Ballot, notice: ResultNotice) -> list[tuple[str, str]]:
    return [
        ("get", url("backoffice_ballot_voting", ballot)),
        ("get", url("backoffice_ballot_result", ballot)),
        ("get", url("backoffice_ballot_result_notices", ballot)),
        ("get", url("backoffice_ballot_result_notice_pdf", ballot, notice)),
        ("get", url("backoffice_ballot_result_notice_text", ballot, notice)),
        ("get", url("backoffice_ballot_papers_csv", ballot)),
        ("get", url("backoffice_ballot_papers_pdf", ballot, 1)),
        ("get", url("backoffice_ballot_scrutineer_report", ballot)),
        ("post", url("backoffice_ballot_papers_number", ballot)),
        ("post", url("backoffice_ballot_poll_create", ballot)),
        ("post", url("backoffice_ballot_result", ballot)),
        ("post", url("backoffice_ballot_result_from_poll", ballot)),
        ("post", url("backoffice_ballot_result_inform", ballot)),
        ("post", url("backoffice_ballot_result_notice_given", ballot, notice)),
    ]


def test_those_outside_the_ballot_get_a_404_and_nothing_is_written(
    sign_in: Any,
    branch_secretary: Any,
    an_official: Any,
    leeds: dict[str, Any],
) -> None:
    ballot = leeds["ballot"]
    recorded(ballot)
    notice = ResultNotice.objects.get(ballot=ballot)
    events = DisputeEvent.objects.count()

    for user in (branch_secretary, an_official):
        client = sign_in(user)
        for method, route in _every_route(ballot, notice):
            response = getattr(client, method)(route, count())
            assert response.status_code == 404, (user, route)

    assert DisputeEvent.objects.count() == events
    assert Ballot.objects.get(pk=ballot.pk).papers_numbered_at is None
    assert ResultNotice.objects.get(pk=notice.pk).given_on is None


def test_the_dispute_s_official_runs_its_vote_and_result(
    sign_in: Any, an_official: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    ballot.dispute.officials.add(an_official)
    client = sign_in(an_official)

    assert client.get(url("backoffice_ballot_voting", ballot)).status_code == 200
    response = client.post(url("backoffice_ballot_result", ballot), count())
    assert response.status_code == 302


def test_those_who_may_see_but_not_run_disputes_see_the_result_and_change_nothing(
    sign_in: Any, leeds: dict[str, Any]
) -> None:
    ballot = leeds["ballot"]
    recorded(ballot)
    viewer = UserFactory(is_staff=True)
    group = Group.objects.create(name="Dispute watchers")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        Permission.objects.get(
            content_type__app_label="disputes", codename="view_all_disputes"
        ),
    )
    viewer.groups.add(group)
    client = sign_in(viewer)
    notice = ResultNotice.objects.get(ballot=ballot)

    page = client.get(url("backoffice_ballot_voting", ballot))

    assert page.status_code == 200
    assert "A mandate for industrial action" in words(page)
    assert "Send the result" not in words(page)
    assert "Correct the result" not in words(page)
    assert client.get(url("backoffice_ballot_result", ballot)).status_code == 404
    for method, route in _every_route(ballot, notice):
        if method == "post":
            assert client.post(route, count()).status_code == 404, route
    assert ResultNotice.objects.get(pk=notice.pk).given_on is None
