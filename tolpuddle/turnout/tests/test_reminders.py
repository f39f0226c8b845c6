"""The reminder to vote: to the electors who have not said they voted and have not
asked not to be contacted, and to nobody else."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes.models import ElectorateEntry
from tolpuddle.members.models import MembershipStatus
from tolpuddle.members.tests.factories import UserFactory, WorkplaceFactory
from tolpuddle.turnout import links, services
from tolpuddle.turnout.models import (
    ExcludeReason,
    RepStatus,
    SaidVotedVia,
    TurnoutEvent,
    TurnoutEventKind,
)
from tolpuddle.turnout.tests.factories import (
    TODAY,
    ballot_open,
    elector,
    noon,
    rep_of,
    turnout_organiser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def electorate():
    """A ballot whose electors are in every state a reminder must tell apart."""
    ballot = ballot_open()
    place = WorkplaceFactory(employer=ballot.employers.get())
    people = {
        name: elector(ballot, workplace=place, email=f"{name}@example.org")
        for name in (
            "silent", "voted", "told-rep", "do-not-contact", "unreachable",
            "to-exclude", "leaver", "died",
        )
    }  # fmt: skip
    people["no-email"] = elector(ballot, workplace=place, email="")
    people["near-miss"] = elector(ballot, included=False, email="near-miss@example.org")
    elector(ballot_open(), email="other-ballot@example.org")
    rep = UserFactory()
    member = {name: (ballot, entry.membership) for name, entry in people.items()}
    services.turnout_voted_record(
        ballot=ballot, membership=member["voted"][1], via=SaidVotedVia.LINK, by=None
    )
    services.turnout_rep_mark(
        ballot=ballot, membership=member["told-rep"][1], status=RepStatus.VOTED, by=rep
    )
    services.turnout_do_not_contact_set(
        ballot=ballot, membership=member["do-not-contact"][1], by=None
    )
    services.turnout_rep_mark(
        ballot=ballot,
        membership=member["unreachable"][1],
        status=RepStatus.UNREACHABLE,
        by=rep,
    )
    services.turnout_rep_mark(
        ballot=ballot,
        membership=member["to-exclude"][1],
        status=RepStatus.EXCLUDE,
        reason=ExcludeReason.LONG_TERM_LEAVE,
        by=rep,
    )
    ElectorateEntry.objects.filter(pk=people["leaver"].pk).update(
        left_on=TODAY, left_reason="Retired"
    )
    people["died"].membership.__class__.objects.filter(
        pk=people["died"].membership_id
    ).update(status=MembershipStatus.DECEASED)
    return ballot, people


# Not said they voted, not asked to be left alone: a rep's "cannot be reached" or
# "to exclude" is the rep's note, not the member's wish, so they are still reminded
# (staff exclude someone by recording them as a leaver, which stops reminders).
EXPECTED = {"silent@example.org", "unreachable@example.org", "to-exclude@example.org"}


def test_the_reminder_goes_to_exactly_those_who_have_not_said_they_voted(
    electorate, django_capture_on_commit_callbacks
):
    ballot, _people = electorate

    with django_capture_on_commit_callbacks(execute=True):
        event = services.turnout_reminder_send(ballot=ballot, by=turnout_organiser())

    assert {address for message in mail.outbox for address in message.to} == EXPECTED
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert event.data == {"recipients": 3}
    sent = TurnoutEvent.objects.get(kind=TurnoutEventKind.REMINDER_SENT)
    assert sent.data == {"requested": event.pk, "sent": 3}


def test_each_reminder_carries_that_members_own_working_link(
    electorate, client, django_capture_on_commit_callbacks
):
    ballot, people = electorate
    with django_capture_on_commit_callbacks(execute=True):
        services.turnout_reminder_send(ballot=ballot, by=turnout_organiser())
    [message] = [m for m in mail.outbox if m.to == ["silent@example.org"]]

    [url] = re.findall(r"http://\S+/link/\S+/", message.body)
    path = url.removeprefix("http://127.0.0.1:8000")
    token = path.rstrip("/").rsplit("/", 1)[1]

    target = links.voted_link_read(token=token, ballot_id=ballot.pk)
    assert target.membership_id == people["silent"].membership_id
    assert "never ask how you voted" in message.body
    assert path.startswith(f"/my/ballots/{ballot.pk}/link/")
    assert f"/my/disputes/{ballot.pk}/" in message.body  # the ballot's page, signed in
    assert client.post(path, {"action": "voted"}).status_code == 302


def test_someone_who_says_they_voted_before_the_emails_go_is_left_out(
    electorate, django_capture_on_commit_callbacks
):
    ballot, people = electorate
    with django_capture_on_commit_callbacks() as callbacks:
        services.turnout_reminder_send(ballot=ballot, by=turnout_organiser())
    services.turnout_voted_record(
        ballot=ballot,
        membership=people["silent"].membership,
        via=SaidVotedVia.LINK,
        by=None,
    )

    for callback in callbacks:
        callback()

    assert {m.to[0] for m in mail.outbox} == EXPECTED - {"silent@example.org"}


def test_a_second_reminder_the_same_day_is_refused(
    electorate, django_capture_on_commit_callbacks
):
    ballot, _people = electorate
    organiser = turnout_organiser()
    with django_capture_on_commit_callbacks(execute=True):
        services.turnout_reminder_send(ballot=ballot, by=organiser)

    with pytest.raises(ApplicationError, match="A reminder was sent at 12:00"):
        services.turnout_reminder_send(ballot=ballot, by=organiser)

    assert len(mail.outbox) == 3
    tomorrow = time_machine.travel(noon(TODAY + datetime.timedelta(days=1)), tick=False)
    with tomorrow, django_capture_on_commit_callbacks(execute=True):
        services.turnout_reminder_send(ballot=ballot, by=organiser)
    assert len(mail.outbox) == 6


def test_with_nobody_left_to_remind_nothing_is_sent():
    ballot = ballot_open()
    entry = elector(ballot)
    services.turnout_voted_record(
        ballot=ballot, membership=entry.membership, via=SaidVotedVia.LINK, by=None
    )

    with pytest.raises(ApplicationError, match="Nobody to remind"):
        services.turnout_reminder_send(ballot=ballot, by=turnout_organiser())

    assert not TurnoutEvent.objects.filter(kind="reminder_requested").exists()


def test_the_reminder_page_counts_and_sends(
    electorate, sign_in, django_capture_on_commit_callbacks
):
    ballot, _people = electorate
    client = sign_in(turnout_organiser())
    url = reverse("turnout_reminders", args=[ballot.pk])

    page = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert "It would go to <strong>3</strong> members now" in page
    assert "1 more who have not said they voted have no email address" in page
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    again = client.post(url)
    assert again.status_code == 400
    assert "A reminder was sent at" in again.content.decode()


def test_a_rep_cannot_send_reminders(electorate, sign_in):
    ballot, people = electorate
    client = sign_in(rep_of(people["silent"].workplace))

    assert client.get(reverse("turnout_reminders", args=[ballot.pk])).status_code == 404
    assert (
        client.post(reverse("turnout_reminders", args=[ballot.pk])).status_code == 404
    )
    assert not mail.outbox
