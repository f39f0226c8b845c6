"""The member's turnout buttons in the portal, signed in: "I've voted", "Don't
contact me about this ballot" and "I need a replacement voting paper", on the
ballot's one page (``disputes:my_ballot``). The old addresses under /my/ballots/
send the member there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tolpuddle.disputes.models import BallotStatus
from tolpuddle.members.tests.factories import UserFactory
from tolpuddle.turnout.models import SaidVotedVia, TurnoutEvent, TurnoutReport
from tolpuddle.turnout.tests.factories import ballot_open, elector

pytestmark = pytest.mark.django_db

MY_BALLOTS = reverse("disputes:my_ballots")


def my_ballot(ballot):
    return reverse("disputes:my_ballot", args=[ballot.pk])


def old_ballot_url(ballot):
    return reverse("turnout:my_ballot", kwargs={"ballot_id": ballot.pk})


@pytest.fixture
def member():
    """(sign-in, their entry in an open ballot)."""
    user = UserFactory()
    return user, elector(ballot_open(title="Strike ballot 2026"), user=user)


def test_the_portal_lists_the_ballots_the_member_is_in_and_no_other(client, member):
    user, entry = member
    elector(
        ballot_open(title="Near miss ballot"),
        membership=entry.membership,
        included=False,
    )
    elector(
        ballot_open(title="Draft ballot", status=BallotStatus.DRAFT),
        membership=entry.membership,
    )
    elector(ballot_open(title="Someone else's ballot"))
    client.force_login(user)

    page = client.get(MY_BALLOTS).content.decode()

    assert "Strike ballot 2026" in page
    for other in ("Near miss ballot", "Draft ballot", "Someone else"):
        assert other not in page


def test_ive_voted_in_the_portal_records_who_said_so_and_nothing_else(client, member):
    user, entry = member
    client.force_login(user)

    response = client.post(my_ballot(entry.ballot), {"action": "voted"})

    assert response.status_code == 302
    report = TurnoutReport.objects.get()
    assert (report.said_voted_via, report.said_voted_by) == (SaidVotedVia.PORTAL, user)
    assert not report.do_not_contact
    assert "you told us you have voted" in client.get(MY_BALLOTS).content.decode()
    assert "You told us you have voted" in client.get(response.url).content.decode()


def test_saying_so_twice_is_recorded_once(client, member):
    user, entry = member
    client.force_login(user)

    client.post(my_ballot(entry.ballot), {"action": "voted"})
    client.post(my_ballot(entry.ballot), {"action": "voted"})

    assert TurnoutEvent.objects.filter(kind="said_voted").count() == 1


def test_a_second_replacement_request_within_a_day_is_refused_with_a_message(
    client, member
):
    user, entry = member
    client.force_login(user)
    client.post(my_ballot(entry.ballot), {"action": "replacement"})

    response = client.post(my_ballot(entry.ballot), {"action": "replacement"})

    assert response.status_code == 400
    assert "It is on its way" in response.content.decode()
    assert TurnoutReport.objects.get().replacement_requests == 1
    assert TurnoutEvent.objects.filter(kind="replacement_requested").count() == 1


def test_dont_contact_me_is_shown_back_to_the_member(client, member):
    user, entry = member
    client.force_login(user)

    client.post(my_ballot(entry.ballot), {"action": "do_not_contact"})

    page = client.get(my_ballot(entry.ballot)).content.decode()
    assert "You asked us not to contact you about this ballot" in page
    assert TurnoutReport.objects.get().do_not_contact


def test_an_unknown_button_is_refused_and_nothing_is_written(client, member):
    user, entry = member
    client.force_login(user)

    response = client.post(my_ballot(entry.ballot), {"action": ""})

    assert response.status_code == 400
    assert "Choose one of the buttons" in response.content.decode()
    assert not TurnoutReport.objects.exists()


def test_a_ballot_the_member_is_not_in_is_a_404(client, member):
    user, _entry = member
    stranger_ballot = elector(ballot_open()).ballot
    client.force_login(user)

    assert client.get(my_ballot(stranger_ballot)).status_code == 404
    assert (
        client.post(my_ballot(stranger_ballot), {"action": "voted"}).status_code == 404
    )
    assert not TurnoutReport.objects.exists()


def test_the_portal_needs_a_sign_in(client, member):
    _user, entry = member

    response = client.post(my_ballot(entry.ballot), {"action": "voted"})

    assert response.status_code == 302
    assert reverse("login") in response.url
    assert not TurnoutReport.objects.exists()


def test_the_old_addresses_lead_to_the_ballots_one_page(client, member):
    user, entry = member
    client.force_login(user)

    listing = client.get(reverse("turnout:my_ballots"))
    page = client.get(old_ballot_url(entry.ballot))

    assert (listing.status_code, listing.url) == (302, MY_BALLOTS)
    assert (page.status_code, page.url) == (302, my_ballot(entry.ballot))


def test_a_button_posted_to_the_old_address_is_posted_again_on_the_new_one(
    client, member
):
    user, entry = member
    client.force_login(user)

    response = client.post(old_ballot_url(entry.ballot), {"action": "voted"})
    assert (response.status_code, response.url) == (307, my_ballot(entry.ballot))
    followed = client.post(
        old_ballot_url(entry.ballot), {"action": "voted"}, follow=True
    )

    assert followed.status_code == 200
    assert TurnoutReport.objects.get().said_voted_via == SaidVotedVia.PORTAL
    assert TurnoutEvent.objects.filter(kind="said_voted").count() == 1


def test_the_old_address_of_another_members_ballot_is_a_404(client, member):
    user, _entry = member
    client.force_login(user)

    assert client.get(old_ballot_url(elector(ballot_open()).ballot)).status_code == 404
