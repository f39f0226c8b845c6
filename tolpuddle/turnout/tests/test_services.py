"""The rules of the turnout services: each refusal writes nothing."""

from __future__ import annotations

import datetime

import pytest

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes.models import BallotStatus
from tolpuddle.members.tests.factories import (
    MembershipFactory,
    UserFactory,
    WorkplaceFactory,
)
from tolpuddle.turnout import services
from tolpuddle.turnout.models import (
    CallOutcome,
    ExcludeReason,
    RepStatus,
    SaidVotedVia,
    ScrutineerTurnout,
    TurnoutCall,
    TurnoutEvent,
    TurnoutReport,
)
from tolpuddle.turnout.tests.factories import OPENING, TODAY, ballot_open, elector

pytestmark = pytest.mark.django_db


def nothing_written():
    return not (
        TurnoutReport.objects.exists()
        or TurnoutCall.objects.exists()
        or ScrutineerTurnout.objects.exists()
        or TurnoutEvent.objects.exists()
    )


@pytest.mark.parametrize(
    ("status", "opening", "closing", "message"),
    [
        (BallotStatus.CLOSED, OPENING, TODAY, "closed on"),
        (BallotStatus.OPEN, OPENING, TODAY - datetime.timedelta(days=1), "closed on"),
        (
            BallotStatus.DRAFT,
            TODAY + datetime.timedelta(days=1),
            TODAY + datetime.timedelta(days=20),
            "not open for voting yet",
        ),
    ],
    ids=["closed", "past its closing day", "not yet open"],
)
def test_nothing_is_recorded_outside_the_voting_period(
    status, opening, closing, message
):
    entry = elector(ballot_open(status=status, opening_on=opening, closing_on=closing))

    with pytest.raises(ApplicationError, match=message):
        services.turnout_voted_record(
            ballot=entry.ballot,
            membership=entry.membership,
            via=SaidVotedVia.PORTAL,
            by=None,
        )

    assert nothing_written()


def test_someone_not_in_the_electorate_cannot_be_recorded():
    ballot = ballot_open()
    near_miss = elector(ballot, included=False)

    for membership in (near_miss.membership, MembershipFactory()):
        with pytest.raises(ApplicationError, match="not in the electorate"):
            services.turnout_do_not_contact_set(
                ballot=ballot, membership=membership, by=None
            )

    assert nothing_written()


def test_a_rep_marking_someone_as_voted_counts_as_them_saying_so():
    entry = elector(ballot_open(), workplace=WorkplaceFactory())
    rep = UserFactory()

    report = services.turnout_rep_mark(
        ballot=entry.ballot, membership=entry.membership, status=RepStatus.VOTED, by=rep
    )

    assert report.said_voted
    assert (report.said_voted_via, report.said_voted_by) == (SaidVotedVia.REP, rep)
    assert report.workplace == entry.workplace
    assert TurnoutEvent.objects.get().data == {"from": "", "to": "voted", "reason": ""}


def test_a_member_who_said_so_first_keeps_their_own_record():
    entry = elector(ballot_open())
    services.turnout_voted_record(
        ballot=entry.ballot, membership=entry.membership, via=SaidVotedVia.LINK, by=None
    )

    report = services.turnout_rep_mark(
        ballot=entry.ballot,
        membership=entry.membership,
        status=RepStatus.VOTED,
        by=UserFactory(),
    )

    assert report.said_voted_via == SaidVotedVia.LINK


@pytest.mark.parametrize(
    ("status", "reason", "note", "message"),
    [
        (RepStatus.EXCLUDE, None, "", "Say why"),
        (RepStatus.EXCLUDE, ExcludeReason.OTHER, "  ", "Say in the note"),
        (RepStatus.UNREACHABLE, ExcludeReason.LEFT_EMPLOYER, "", "only when excluding"),
    ],
)
def test_an_exclusion_needs_a_reason_and_only_an_exclusion_has_one(
    status, reason, note, message
):
    entry = elector(ballot_open())

    with pytest.raises(ApplicationError, match=message):
        services.turnout_rep_mark(
            ballot=entry.ballot,
            membership=entry.membership,
            status=status,
            reason=reason,
            note=note,
            by=UserFactory(),
        )

    assert nothing_written()


def test_a_member_who_asked_not_to_be_contacted_cannot_be_noted_as_called():
    entry = elector(ballot_open())
    services.turnout_do_not_contact_set(
        ballot=entry.ballot, membership=entry.membership, by=None
    )

    with pytest.raises(ApplicationError, match="asked not to be contacted"):
        services.turnout_call_add(
            ballot=entry.ballot,
            membership=entry.membership,
            outcome=CallOutcome.SPOKE,
            by=UserFactory(),
        )

    assert not TurnoutCall.objects.exists()
    assert TurnoutEvent.objects.count() == 1  # only the request not to be contacted


def test_calls_are_kept_as_noted():
    entry = elector(ballot_open())
    rep = UserFactory()

    call = services.turnout_call_add(
        ballot=entry.ballot,
        membership=entry.membership,
        outcome=CallOutcome.NO_ANSWER,
        note="  Try after 6pm ",
        by=rep,
    )

    assert (call.note, call.by) == ("Try after 6pm", rep)
    assert TurnoutEvent.objects.get().data == {"call": call.pk, "outcome": "no_answer"}


# --- The scrutineer's figures ---------------------------------------------------------


@pytest.fixture
def ballot_of_three():
    ballot = ballot_open()
    place = WorkplaceFactory(employer=ballot.employers.get())
    for _ in range(3):
        elector(ballot, workplace=place)
    return ballot, place


@pytest.mark.parametrize(
    ("day", "returned", "message"),
    [
        (OPENING - datetime.timedelta(days=1), 1, "outside it"),
        (TODAY + datetime.timedelta(days=1), 1, "still to come"),
        (TODAY, 4, "more than the 3 entitled"),
        (TODAY, -1, "0 or more"),
    ],
)
def test_impossible_scrutineer_figures_are_refused(
    ballot_of_three, day, returned, message
):
    ballot, _place = ballot_of_three

    with pytest.raises(ApplicationError, match=message):
        services.scrutineer_turnout_record(
            ballot=ballot, day=day, returned=returned, by=None
        )

    assert nothing_written()


def test_papers_returned_only_add_up_day_by_day(ballot_of_three):
    ballot, _place = ballot_of_three
    services.scrutineer_turnout_record(
        ballot=ballot, day=TODAY - datetime.timedelta(days=2), returned=2, by=None
    )

    with pytest.raises(ApplicationError, match="cannot be lower"):
        services.scrutineer_turnout_record(
            ballot=ballot, day=TODAY, returned=1, by=None
        )
    with pytest.raises(ApplicationError, match="cannot be higher"):
        services.scrutineer_turnout_record(
            ballot=ballot, day=TODAY - datetime.timedelta(days=3), returned=3, by=None
        )

    assert ScrutineerTurnout.objects.count() == 1


def test_a_days_figure_recorded_again_replaces_it_and_the_log_keeps_the_old(
    ballot_of_three,
):
    ballot, place = ballot_of_three
    services.scrutineer_turnout_record(
        ballot=ballot, day=TODAY, returned=1, by=None, workplace=place
    )

    services.scrutineer_turnout_record(
        ballot=ballot, day=TODAY, returned=2, by=None, workplace=place
    )

    assert ScrutineerTurnout.objects.get().returned == 2
    assert [e.data["from"] for e in TurnoutEvent.objects.order_by("id")] == [None, 1]


def test_a_workplace_with_nobody_balloted_gets_no_figure(ballot_of_three):
    ballot, _place = ballot_of_three

    with pytest.raises(ApplicationError, match="Nobody at"):
        services.scrutineer_turnout_record(
            ballot=ballot, day=TODAY, returned=0, by=None, workplace=WorkplaceFactory()
        )

    assert nothing_written()
