"""The signed "I've voted" link in a reminder email, used without signing in."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from tolpuddle.disputes.models import BallotStatus
from tolpuddle.turnout import links
from tolpuddle.turnout.models import SaidVotedVia, TurnoutEvent, TurnoutReport
from tolpuddle.turnout.tests.factories import TODAY, ballot_open, elector, noon

pytestmark = pytest.mark.django_db


def link(entry, *, ballot_id=None):
    return links.voted_link_path(
        ballot_id=ballot_id or entry.ballot_id, membership_id=entry.membership_id
    )


def test_opening_the_link_shows_the_buttons_and_records_nothing(client):
    entry = elector(ballot_open())

    response = client.get(link(entry))

    assert response.status_code == 200
    page = response.content.decode()
    assert "I&#x27;ve voted" in page or "I've voted" in page
    assert "never ask how you voted" in page
    assert 'type="radio"' not in page
    assert entry.membership.person.last_name not in page  # shows nobody's details
    assert not TurnoutReport.objects.exists()
    assert not TurnoutEvent.objects.exists()


def test_the_link_records_that_the_member_voted_without_a_sign_in(client):
    entry = elector(ballot_open())
    url = link(entry)

    response = client.post(url, {"action": "voted"})

    assert response.status_code == 302
    assert response.url == url
    report = TurnoutReport.objects.get()
    assert (report.membership, report.said_voted_via, report.said_voted_by) == (
        entry.membership,
        SaidVotedVia.LINK,
        None,
    )
    assert "Thank you for voting" in client.get(url).content.decode()


def test_an_expired_link_says_so_and_records_nothing(client):
    entry = elector(ballot_open(closing_on=TODAY + datetime.timedelta(days=60)))
    url = link(entry)

    with time_machine.travel(noon(TODAY + datetime.timedelta(days=32)), tick=False):
        shown = client.get(url)
        posted = client.post(url, {"action": "voted"})

    assert shown.status_code == posted.status_code == 410
    assert "This link has expired" in posted.content.decode()
    assert not TurnoutReport.objects.exists()


def test_a_link_still_in_date_works(client):
    entry = elector(ballot_open(closing_on=TODAY + datetime.timedelta(days=60)))
    url = link(entry)

    with time_machine.travel(noon(TODAY + datetime.timedelta(days=30)), tick=False):
        response = client.post(url, {"action": "voted"})

    assert response.status_code == 302
    assert TurnoutReport.objects.get().said_voted


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[: len(token) // 2],
        lambda token: signing.dumps(signing.loads(token, salt=links.SALT)),  # no salt
        lambda token: signing.dumps(
            {**signing.loads(token, salt=links.SALT), "m": 1}, salt="other"
        ),
    ],
    ids=["altered", "cut short", "signed without the salt", "another salt"],
)
def test_a_tampered_link_is_refused_and_records_nothing(client, tamper):
    entry = elector(ballot_open())
    token = links.voted_link_token(
        ballot_id=entry.ballot_id, membership_id=entry.membership_id
    )
    url = reverse(
        "turnout:voted_link",
        kwargs={"ballot_id": entry.ballot_id, "token": tamper(token)},
    )

    response = client.post(url, {"action": "voted"})

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not TurnoutReport.objects.exists()


def test_a_link_for_another_ballot_is_refused_in_both(client):
    first, second = ballot_open(), ballot_open()
    entry = elector(first)
    elector(second, membership=entry.membership)
    token = links.voted_link_token(
        ballot_id=first.pk, membership_id=entry.membership_id
    )
    url = reverse("turnout:voted_link", kwargs={"ballot_id": second.pk, "token": token})

    response = client.post(url, {"action": "voted"})

    assert response.status_code == 404
    assert not TurnoutReport.objects.exists()


def test_a_link_for_someone_not_in_the_electorate_is_refused(client):
    near_miss = elector(ballot_open(), included=False)

    response = client.post(link(near_miss), {"action": "voted"})

    assert response.status_code == 404
    assert not TurnoutReport.objects.exists()


def test_a_link_to_a_closed_ballot_says_it_is_closed(client):
    entry = elector(ballot_open(status=BallotStatus.CLOSED))

    response = client.post(link(entry), {"action": "voted"})

    assert response.status_code == 410
    assert "not open for voting" in response.content.decode()
    assert not TurnoutReport.objects.exists()


def test_the_link_lets_the_member_ask_not_to_be_contacted_and_for_a_new_paper(client):
    entry = elector(ballot_open())
    url = link(entry)

    client.post(url, {"action": "do_not_contact"})
    client.post(url, {"action": "replacement"})

    report = TurnoutReport.objects.get()
    assert report.do_not_contact
    assert report.replacement_requests == 1
    assert not report.said_voted


def test_a_button_that_does_not_exist_is_refused_with_a_message(client):
    entry = elector(ballot_open())

    response = client.post(link(entry), {"action": "voted-yes"})

    assert response.status_code == 400
    assert "Choose one of the buttons" in response.content.decode()
    assert not TurnoutReport.objects.exists()
