"""The member portal's ballots: a member sees the ballots they are in the
electorate of, with the result and the days of action that apply to them, and a
404 for any other."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tolpuddle.disputes import services
from tolpuddle.disputes.models import ResultNotice
from tolpuddle.disputes.tests.ballots import held_ballot, member_at, place
from tolpuddle.disputes.tests.conftest import noon
from tolpuddle.disputes.tests.factories import statutory_ballot
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DECLARED = datetime.date(2027, 1, 12)


def signed_in(client: Any, membership: Any) -> None:
    user = UserFactory()
    membership.person.user = user
    membership.person.save(update_fields=["user"])
    client.force_login(user)


@pytest.fixture
def called_out(time_machine) -> Any:
    """A strike ballot at Leeds with a mandate and a notice of action given; a
    member at York in the same dispute who was not balloted."""
    dispute, employer, (leeds, york) = place(workplaces=("Leeds", "York"))
    voter = member_at(leeds)
    member_at(leeds)
    stranger = member_at(york, job_category="Administrator")
    ballot = held_ballot(
        time_machine, dispute=dispute, job_categories=["Probation officer"]
    )
    services.ballot_result_record(
        ballot=ballot, declared_on=DECLARED, by=None, entitled=2, yes=2, no=0, spoiled=0
    )
    services.result_notice_record_given(
        notice=ResultNotice.objects.get(ballot=ballot), given_on=DECLARED, by=None
    )
    time_machine.move_to(noon(DECLARED))
    notice = services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=False,
        days=[datetime.date(2027, 2, 1), datetime.date(2027, 2, 2)],
        by=None,
    )
    services.action_notice_record_given(notice=notice, given_on=DECLARED, by=None)
    return ballot, voter, stranger


def test_a_member_sees_their_ballot_its_result_and_their_days_of_action(
    client, called_out
) -> None:
    ballot, voter, _ = called_out
    signed_in(client, voter)

    listing = client.get(reverse("disputes:my_ballots"))
    page = client.get(reverse("disputes:my_ballot", args=[ballot.pk]))

    assert listing.status_code == 200
    assert ballot.title in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    assert ballot.dispute.summary.replace("'", "&#x27;") in html
    assert "Monday 14 December 2026" in html
    assert "Number of individuals entitled to vote: 2" in html
    assert "At least 50% of those entitled to vote did so: Yes" in html
    assert "Result: the ballot supports strike action." in html
    assert "until Monday 10 January 2028" in html
    assert "Monday 1 February 2027" in html
    assert "Tuesday 2 February 2027" in html


def test_a_member_not_in_the_electorate_gets_a_404(client, called_out) -> None:
    ballot, _, stranger = called_out
    signed_in(client, stranger)

    page = client.get(reverse("disputes:my_ballot", args=[ballot.pk]))
    missing = client.get(reverse("disputes:my_ballot", args=[ballot.pk + 1000]))

    assert page.status_code == 404
    assert missing.status_code == 404
    listing = client.get(reverse("disputes:my_ballots"))
    assert ballot.title not in listing.content.decode()


def test_a_ballot_not_yet_open_is_not_shown(client) -> None:
    dispute, _, (leeds,) = place()
    voter = member_at(leeds)
    ballot = statutory_ballot(dispute=dispute)
    services.ballot_electorate_freeze(
        ballot=ballot, on=datetime.date(2026, 11, 24), by=None
    )
    signed_in(client, voter)

    assert (
        client.get(reverse("disputes:my_ballot", args=[ballot.pk])).status_code == 404
    )


def test_signing_in_is_required(client, called_out) -> None:
    ballot, *_ = called_out

    response = client.get(reverse("disputes:my_ballot", args=[ballot.pk]))

    assert response.status_code == 302
