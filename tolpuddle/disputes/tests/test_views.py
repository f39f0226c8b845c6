"""The member portal's ballots: a member sees the ballots they are in the
electorate of, with the result and the days of action that apply to them, and a
404 for any other."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tolpuddle.action import services as action_services
from tolpuddle.action.models import ActionKind
from tolpuddle.action.tests.factories import at
from tolpuddle.disputes import services
from tolpuddle.disputes.models import ElectorateEntry, ResultNotice
from tolpuddle.disputes.tests.ballots import held_ballot, member_at, place
from tolpuddle.disputes.tests.conftest import noon
from tolpuddle.disputes.tests.factories import statutory_ballot
from tolpuddle.members.tests.factories import UserFactory
from tolpuddle.turnout.models import SaidVotedVia, TurnoutReport
from tolpuddle.turnout.tests.factories import ballot_open, elector
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.tests.factories import poll_open

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


# --- The ballot's one page: how to vote, the turnout buttons, the days of action ----

OPEN_FROM = datetime.date(2026, 11, 20)  # the tests stand on Tuesday 24 November 2026
OPEN_TO = datetime.date(2026, 12, 10)


@pytest.fixture
def postal(client) -> Any:
    """A postal strike ballot open for voting, and a member of its electorate signed
    in, with a home address."""
    user = UserFactory()
    entry = elector(
        ballot_open(opening_on=OPEN_FROM, closing_on=OPEN_TO, title="Strike ballot"),
        user=user,
    )
    person = entry.membership.person
    person.address_line_1, person.town, person.postcode = (
        "1 Mill Lane",
        "Leeds",
        "LS1 4AB",
    )
    person.save()
    client.force_login(user)
    return entry


def page_of(client: Any, ballot: Any) -> Any:
    return client.get(reverse("disputes:my_ballot", args=[ballot.pk]))


def test_a_postal_ballot_says_the_paper_comes_home_and_offers_the_three_buttons(
    client, postal
) -> None:
    response = page_of(client, postal.ballot)

    html = response.content.decode()
    assert response.status_code == 200
    assert "voted by post" in html
    assert "1 Mill Lane" in html
    assert "LS1 4AB" in html
    assert "Thursday 10 December 2026" in html
    for button in ('value="voted"', 'value="replacement"', 'value="do_not_contact"'):
        assert button in html
    assert reverse("voting:my_vote", args=[1]) not in html
    listing = client.get(reverse("disputes:my_ballots")).content.decode()
    assert "Open for voting until Thursday 10 December 2026" in listing


def test_ive_voted_on_the_ballots_page_is_recorded_and_shown_back(
    client, postal
) -> None:
    url = reverse("disputes:my_ballot", args=[postal.ballot.pk])

    response = client.post(url, {"action": "voted"})

    assert (response.status_code, response.url) == (302, url)
    report = TurnoutReport.objects.get()
    assert (report.membership, report.said_voted_via) == (
        postal.membership,
        SaidVotedVia.PORTAL,
    )
    html = client.get(url).content.decode()
    assert "Thank you for voting, and for telling us" in html
    assert "You told us you have voted" in html
    assert 'value="voted"' not in html


def test_a_refused_button_is_shown_on_the_page_with_nothing_written(
    client, postal
) -> None:
    url = reverse("disputes:my_ballot", args=[postal.ballot.pk])
    client.post(url, {"action": "replacement"})

    response = client.post(url, {"action": "replacement"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "It is on its way" in response.content.decode()
    assert TurnoutReport.objects.get().replacement_requests == 1


def test_an_online_ballot_links_to_its_vote_then_says_the_member_has_voted(
    client, postal
) -> None:
    ballot = postal.ballot
    ready = poll_open(members=[postal.membership], title=ballot.title)
    ballot.poll = ready.poll
    ballot.save(update_fields=["poll"])
    vote_url = reverse("voting:my_vote", args=[ready.poll.pk])

    before = page_of(client, ballot).content.decode()
    voting_services.vote_cast(
        poll=ready.poll,
        answers=ready.answers(offer="Accept", priority="Pay"),
        membership=postal.membership,
    )
    after = page_of(client, ballot).content.decode()

    assert f'href="{vote_url}"' in before
    assert 'value="replacement"' not in before  # no paper to replace
    assert f'href="{vote_url}"' not in after
    assert "You have voted online" in after
    assert reverse("voting:poll_receipts", args=[ready.poll.pk]) in after
    listing = client.get(reverse("disputes:my_ballots")).content.decode()
    assert "you have voted online" in listing
    polls = client.get(reverse("voting:my_polls")).content.decode()
    assert reverse("disputes:my_ballot", args=[ballot.pk]) in polls


def test_another_members_ballot_is_a_404_and_its_buttons_write_nothing(
    client, postal
) -> None:
    stranger = elector(ballot_open(opening_on=OPEN_FROM, closing_on=OPEN_TO))
    url = reverse("disputes:my_ballot", args=[stranger.ballot.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "voted"}).status_code == 404
    assert not TurnoutReport.objects.exists()


def test_a_near_miss_is_not_shown_the_ballot(client, postal) -> None:
    near = elector(
        ballot_open(opening_on=OPEN_FROM, closing_on=OPEN_TO, title="Near miss"),
        membership=postal.membership,
        included=False,
    )

    assert page_of(client, near.ballot).status_code == 404
    assert "Near miss" not in client.get(reverse("disputes:my_ballots")).text


def test_the_days_of_action_that_call_the_member_out_link_to_did_you_take_part(
    client, called_out, time_machine
) -> None:
    ballot, voter, _ = called_out
    leeds = ElectorateEntry.objects.get(ballot=ballot, membership=voter).workplace
    period = action_services.action_period_create(
        ballot=ballot,
        kind=ActionKind.STRIKE,
        starts_at=at(datetime.date(2027, 2, 1), 0),
        ends_at=at(datetime.date(2027, 2, 2), 0),
        workplaces=[leeds],
        description="Stay away from work.",
        by=None,
    )
    time_machine.move_to(noon(datetime.date(2027, 2, 3)))
    signed_in(client, voter)

    html = page_of(client, ballot).content.decode()
    action_page = client.get(reverse("action:my_action")).content.decode()

    assert "Stay away from work." in html
    assert f"{reverse('action:my_action')}#period-{period.pk}" in html
    assert "Did you take part? Tell us" in html
    assert 'value="voted"' not in html  # voting has closed: no buttons
    assert reverse("disputes:my_ballot", args=[ballot.pk]) in action_page
