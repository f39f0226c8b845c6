"""Who took part: what a member tells us, once per period, and the counts by branch
and workplace."""

from __future__ import annotations

import datetime

import pytest

from tolpuddle.action import selectors, services
from tolpuddle.action.models import ActionEvent, Participation
from tolpuddle.action.tests.factories import (
    TODAY,
    at,
    ballot_closed,
    elector,
    period_called,
)
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.members.models import MembershipStatus
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def strike():
    """A strike a week ago calling out North (a workplace) and the East branch;
    South is balloted but not called out."""
    ballot = ballot_closed()
    employer = ballot.employers.get()
    north = WorkplaceFactory(employer=employer, name="North")
    south = WorkplaceFactory(employer=employer, name="South")
    east, west = BranchFactory(name="East"), BranchFactory(name="West")
    people = {
        "north east": elector(ballot, workplace=north, branch=east),
        "north west": elector(ballot, workplace=north, branch=west),
        "south east": elector(ballot, workplace=south, branch=east),
        "south west": elector(ballot, workplace=south, branch=west),
    }
    period = period_called(ballot, workplaces=[north], branches=[east])
    return period, people, {"north": north, "south": south, "east": east, "west": west}


def report(entry_or_membership, period, took_part=True):
    membership = getattr(entry_or_membership, "membership", entry_or_membership)
    return services.participation_report(
        membership=membership, period=period, took_part=took_part
    )


def test_a_member_called_out_tells_us_once_and_may_correct_it(strike):
    period, people, places = strike

    first = report(people["north west"], period, took_part=False)
    corrected = report(people["north west"], period, took_part=True)
    report(people["north west"], period, took_part=True)  # the same again

    assert first.pk == corrected.pk
    assert Participation.objects.get().took_part is True
    assert (corrected.branch, corrected.workplace) == (places["west"], places["north"])
    assert [e.kind for e in ActionEvent.objects.filter(membership__isnull=False)] == [
        "participation_reported",
        "participation_corrected",
    ]
    assert ActionEvent.objects.last().data == {"from": False, "to": True}


def test_members_not_called_out_cannot_report(strike):
    period, people, _places = strike
    other_branch = MembershipFactory(branch=BranchFactory())
    EmploymentFactory(membership=other_branch, workplace=WorkplaceFactory())

    for membership in (people["south west"].membership, other_branch):
        with pytest.raises(ApplicationError, match="does not call you out"):
            report(membership, period)

    assert not Participation.objects.exists()


def test_a_branch_call_out_reaches_only_those_balloted_or_working_for_the_employer(
    strike,
):
    period, _people, places = strike
    elsewhere = MembershipFactory(branch=places["east"])
    EmploymentFactory(
        membership=elsewhere, workplace=WorkplaceFactory(employer=EmployerFactory())
    )
    joined_since = MembershipFactory(branch=places["east"])
    EmploymentFactory(membership=joined_since, workplace=places["south"])

    with pytest.raises(ApplicationError, match="does not call you out"):
        report(elsewhere, period)
    joined = report(joined_since, period)

    assert (joined.branch, joined.workplace) == (places["east"], places["south"])


def test_a_member_no_longer_in_good_standing_cannot_report(strike):
    period, people, _places = strike
    membership = people["north east"].membership
    type(membership).objects.filter(pk=membership.pk).update(
        status=MembershipStatus.LAPSED
    )

    with pytest.raises(ApplicationError, match="does not call you out"):
        report(membership, period)

    assert not Participation.objects.exists()


def test_nobody_reports_before_the_action_begins(strike):
    _period, people, places = strike
    ballot = people["north east"].ballot
    tomorrow = period_called(
        ballot,
        starts_at=at(TODAY + datetime.timedelta(days=1)),
        workplaces=[places["north"]],
    )

    with pytest.raises(
        ApplicationError, match="tell us whether you took part once it has begun"
    ):
        report(people["north east"], tomorrow)

    assert not Participation.objects.exists()


def test_participation_is_counted_by_branch_and_by_workplace(strike):
    period, people, _places = strike
    report(people["north east"], period, took_part=True)
    report(people["north west"], period, took_part=False)
    report(people["south east"], period, took_part=True)

    counts = selectors.participation_counts(period=period)

    assert (counts.took_part, counts.did_not, counts.reported) == (2, 1, 3)
    by_branch = {
        row.label: (row.took_part, row.did_not, row.balloted_called_out)
        for row in counts.by_branch
    }
    by_workplace = {
        row.label.split(" (")[0]: (row.took_part, row.did_not, row.balloted_called_out)
        for row in counts.by_workplace
    }
    assert by_branch == {"East": (2, 0, 2), "West": (0, 1, 1)}
    assert by_workplace == {"North": (1, 1, 2), "South": (1, 0, 1)}


def test_the_counts_take_a_fixed_number_of_queries(
    strike, django_assert_max_num_queries
):
    period, people, _places = strike
    for entry in people.values():
        if entry.workplace.name == "North" or entry.membership.branch.name == "East":
            report(entry, period)

    with django_assert_max_num_queries(7):
        selectors.participation_counts(period=period)


def test_the_member_sees_the_periods_that_call_them_out_and_no_other(strike):
    period, people, places = strike
    ballot = period.ballot
    south_only = period_called(ballot, workplaces=[places["south"]])

    assert selectors.periods_for_member(membership=people["north west"].membership) == [
        period
    ]
    assert selectors.periods_for_member(membership=people["south east"].membership) == [
        period,
        south_only,
    ]
