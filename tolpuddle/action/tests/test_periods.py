"""Calling a period of action: only within the ballot's mandate, after the result,
for those balloted. Every refusal writes nothing."""

from __future__ import annotations

import datetime

import pytest

from tolpuddle.action import law
from tolpuddle.action.models import ActionEvent, ActionKind, ActionPeriod
from tolpuddle.action.tests.factories import (
    CLOSING,
    MANDATE_LAST_DAY,
    at,
    ballot_closed,
    elector,
    period_called,
)
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes.models import BallotKind
from tolpuddle.members.tests.factories import BranchFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def ballot():
    """A closed strike ballot with electors at two workplaces, in one branch."""
    ballot = ballot_closed()
    employer = ballot.employers.get()
    ballot.north = WorkplaceFactory(employer=employer, name="North")
    ballot.south = WorkplaceFactory(employer=employer, name="South")
    ballot.branch = BranchFactory(name="Probation Branch")
    elector(ballot, workplace=ballot.north, branch=ballot.branch)
    elector(ballot, workplace=ballot.south)
    return ballot


def nothing_written():
    return not ActionPeriod.objects.exists() and not ActionEvent.objects.exists()


def test_a_strike_from_noon_to_noon_within_the_mandate_is_called(ballot):
    period = period_called(
        ballot,
        starts_at=at(datetime.date(2027, 2, 8)),
        ends_at=at(datetime.date(2027, 2, 9)),
        workplaces=[ballot.north],
        branches=[ballot.branch],
        description="All out",
    )

    assert list(period.workplaces.all()) == [ballot.north]
    assert list(period.branches.all()) == [ballot.branch]
    event = ActionEvent.objects.get()
    assert event.data["mandate_last_day"] == "2028-01-10"
    assert event.data["mandate_from_result"] is False


def test_the_mandate_is_reckoned_from_the_closing_day_under_its_regime(ballot):
    mandate = law.ballot_mandate(ballot=ballot)

    assert (mandate.first_day, mandate.last_day) == (
        CLOSING + ONE_DAY,
        MANDATE_LAST_DAY,
    )
    assert mandate.has_mandate is None  # not known without a recorded result


def test_action_running_past_the_mandates_last_day_is_refused(ballot):
    with pytest.raises(ApplicationError, match="ends on Monday 10 January 2028"):
        period_called(
            ballot,
            starts_at=at(MANDATE_LAST_DAY),
            ends_at=at(MANDATE_LAST_DAY + ONE_DAY),
            workplaces=[ballot.north],
        )

    assert nothing_written()


def test_action_ending_at_midnight_after_the_last_day_is_within_it(ballot):
    period = period_called(
        ballot,
        starts_at=at(MANDATE_LAST_DAY, 0),
        ends_at=at(MANDATE_LAST_DAY + ONE_DAY, 0),
        workplaces=[ballot.north],
    )

    assert period.pk


@pytest.mark.parametrize("day", [CLOSING, CLOSING - ONE_DAY * 3])
def test_action_before_the_result_is_refused(ballot, day):
    with pytest.raises(ApplicationError, match="Action cannot begin before the result"):
        period_called(ballot, starts_at=at(day), workplaces=[ballot.north])

    assert nothing_written()


def test_before_2016_the_action_had_only_to_begin_within_the_mandate():
    ballot = ballot_closed(
        opening_on=datetime.date(2016, 6, 1), closing_on=datetime.date(2016, 6, 20)
    )
    place = WorkplaceFactory(employer=ballot.employers.get())
    elector(ballot, workplace=place)
    last_day = datetime.date(2016, 7, 17)  # four weeks beginning with 20 June

    begun_in_time = period_called(
        ballot,
        starts_at=at(last_day, 23),
        ends_at=at(last_day + ONE_DAY * 2),
        workplaces=[place],
    )
    with pytest.raises(
        ApplicationError, match="this period begins at 00:00 on Monday 18 July 2016"
    ):
        period_called(ballot, starts_at=at(last_day + ONE_DAY, 0), workplaces=[place])

    assert begun_in_time.pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": at(datetime.date(2027, 2, 8), 11)}, "must end after it starts"),
        (
            {"workplaces": [], "branches": []},
            "Call out at least one branch or workplace",
        ),
        ({"workplaces": "elsewhere"}, "Nobody at .* was balloted"),
        ({"branches": "elsewhere", "workplaces": []}, "Nobody in .* was balloted"),
        ({"kind": ActionKind.ACTION_SHORT_OF_STRIKE}, "did not ask about action short"),
        ({"starts_at": datetime.datetime(2027, 2, 8, 12)}, "time zone"),  # noqa: DTZ001 - the point
    ],
    ids=[
        "ends first",
        "nobody",
        "workplace not balloted",
        "branch not balloted",
        "not asked",
        "naive",
    ],
)
def test_a_period_that_cannot_be_is_refused(ballot, change, message):
    values = {
        "starts_at": at(datetime.date(2027, 2, 8)),
        "ends_at": at(datetime.date(2027, 2, 9)),
        "workplaces": [ballot.north],
        **change,
    }
    if values["workplaces"] == "elsewhere":
        values["workplaces"] = [WorkplaceFactory()]
    if values.get("branches") == "elsewhere":
        values["branches"] = [BranchFactory()]

    with pytest.raises(ApplicationError, match=message):
        period_called(ballot, **values)

    assert nothing_written()


def test_a_consultative_ballot_gives_no_mandate():
    ballot = ballot_closed(kind=BallotKind.CONSULTATIVE, asks_strike=False)
    place = WorkplaceFactory(employer=ballot.employers.get())
    elector(ballot, workplace=place)

    with pytest.raises(ApplicationError, match="consultative ballot"):
        period_called(ballot, workplaces=[place])

    assert nothing_written()


# --- With the result the disputes app records ---------------------------------------


def test_without_a_recorded_result_no_action_can_be_called(ballot, given_result):
    given_result(has_result=False, has_mandate=False, actions=(), declared_on=None)

    with pytest.raises(ApplicationError, match="No result has been recorded"):
        period_called(ballot, workplaces=[ballot.north])

    assert nothing_written()


def test_a_result_without_a_mandate_refuses_action_and_says_why(ballot, given_result):
    given_result(
        has_mandate=False,
        actions=(),
        reasons=("Strike action: Turnout was 46% (460 of 1,000 entitled to vote).",),
    )

    with pytest.raises(ApplicationError, match=r"no mandate .* Turnout was 46%"):
        period_called(ballot, workplaces=[ballot.north])

    assert nothing_written()


def test_the_first_day_is_the_day_after_the_result_was_declared(ballot, given_result):
    declared = CLOSING + ONE_DAY * 3
    given_result(declared_on=declared, expires_on=MANDATE_LAST_DAY)

    with pytest.raises(ApplicationError, match="Friday 15 January 2027"):
        period_called(ballot, starts_at=at(declared, 18), workplaces=[ballot.north])
    period = period_called(
        ballot, starts_at=at(declared + ONE_DAY), workplaces=[ballot.north]
    )

    assert period.pk


def test_only_the_action_the_result_gives_a_mandate_for_can_be_called(given_result):
    ballot = ballot_closed(asks_action_short_of_strike=True)
    place = WorkplaceFactory(employer=ballot.employers.get())
    elector(ballot, workplace=place)
    given_result(actions=("action_short_of_strike",), expires_on=MANDATE_LAST_DAY)

    with pytest.raises(ApplicationError, match="no mandate for strike action"):
        period_called(ballot, workplaces=[place])
    period = period_called(
        ballot, kind=ActionKind.ACTION_SHORT_OF_STRIKE, workplaces=[place]
    )

    assert period.kind == ActionKind.ACTION_SHORT_OF_STRIKE


def test_in_separate_workplace_ballots_only_workplaces_with_their_own_mandate_go_out(
    ballot, given_result
):
    given_result(expires_on=MANDATE_LAST_DAY, workplaces={"strike": (ballot.north.pk,)})

    with pytest.raises(
        ApplicationError, match=r"The ballot at .*South.* gave no mandate"
    ):
        period_called(ballot, workplaces=[ballot.north, ballot.south])
    with pytest.raises(ApplicationError, match="not branches"):
        period_called(ballot, workplaces=[ballot.north], branches=[ballot.branch])
    period = period_called(ballot, workplaces=[ballot.north])

    assert list(period.workplaces.all()) == [ballot.north]


def test_an_employers_agreement_extends_the_mandate_for_its_employees(
    ballot, given_result
):
    employer = ballot.employers.get()
    extended_to = MANDATE_LAST_DAY + ONE_DAY * 90
    given_result(
        expires_on=MANDATE_LAST_DAY,
        per_employer={employer.pk: {"expires_on": extended_to, "extended": True}},
    )

    period = period_called(
        ballot, starts_at=at(extended_to - ONE_DAY), workplaces=[ballot.north]
    )
    with pytest.raises(ApplicationError, match="ends on Monday 10 January 2028"):
        period_called(ballot, starts_at=at(extended_to), workplaces=[ballot.north])

    assert period.pk


RESULT_SELECTOR = law._result_selector  # before the autouse fixture replaces it


@pytest.mark.skipif(
    RESULT_SELECTOR() is None, reason="the disputes app records no results here"
)
def test_with_the_disputes_apps_results_a_ballot_without_one_gives_no_action(
    ballot, monkeypatch
):
    monkeypatch.setattr(law, "_result_selector", RESULT_SELECTOR)

    mandate = law.ballot_mandate(ballot=ballot)
    with pytest.raises(ApplicationError, match="No result has been recorded"):
        period_called(ballot, workplaces=[ballot.north])

    assert (mandate.from_result, mandate.has_result) == (True, False)
    assert nothing_written()
