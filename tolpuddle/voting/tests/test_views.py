from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tolpuddle.members.tests.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tolpuddle.voting import services
from tolpuddle.voting.models import Vote, Voter
from tolpuddle.voting.tests.factories import poll_open

pytestmark = pytest.mark.django_db


def signed_in_member(client):
    user = UserFactory()
    membership = MembershipFactory(person=PersonFactory(user=user))
    client.force_login(user)
    return membership


def form_data(ready, code: str | None = None, **chosen: str) -> dict[str, str]:
    data = {f"question-{q}": str(c) for q, c in ready.answers(**chosen).items()}
    if code is not None:
        data["code"] = code
    return data


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- The portal ----------------------------------------------------------------------


def test_the_portal_lists_the_members_open_polls_and_not_others(client) -> None:
    member = signed_in_member(client)
    mine = poll_open(members=[member], title="Pay consultation")
    poll_open(voters=1, title="Someone else's ballot")
    poll_open(members=[member], title="Not yet ready", open_it=False)

    response = client.get(reverse("voting:my_polls"))

    assert response.status_code == 200
    page = text(response)
    assert "Pay consultation" in page
    assert reverse("voting:my_vote", args=[mine.poll.pk]) in page
    assert "Someone else" not in page
    assert "Not yet ready" not in page  # a draft


def test_the_portal_needs_a_sign_in(client) -> None:
    response = client.get(reverse("voting:my_polls"))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_a_member_votes_from_the_portal_without_a_code_and_sees_a_receipt(
    client,
) -> None:
    member = signed_in_member(client)
    ready = poll_open(members=[member])
    url = reverse("voting:my_vote", args=[ready.poll.pk])

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("<fieldset") == 2
    assert "<legend>Do you accept the pay offer?</legend>" in body
    assert 'name="code"' not in body

    response = client.post(url, form_data(ready, offer="Accept", priority="Pay"))

    assert response.status_code == 200
    assert "Your vote has been cast" in text(response)
    receipt = Vote.objects.get().receipt
    assert f"{receipt[:4]}-{receipt[4:8]}" in text(response)
    assert "no-store" in response["Cache-Control"]
    assert Voter.objects.get().has_voted
    # Afterwards the page says so and offers no form.
    again = client.get(url)
    assert "You have voted in this ballot" in text(again)
    assert '<form method="post" novalidate>' not in again.content.decode()


def test_a_poll_the_member_is_not_in_is_a_404(client) -> None:
    signed_in_member(client)
    stranger = poll_open(voters=1)

    assert (
        client.get(reverse("voting:my_vote", args=[stranger.poll.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("voting:my_vote", args=[stranger.poll.pk]),
        form_data(stranger, offer="Accept", priority="Pay"),
    )
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_a_missing_answer_is_shown_in_an_error_summary_and_the_choice_kept(
    client,
) -> None:
    member = signed_in_member(client)
    ready = poll_open(members=[member])
    data = form_data(ready, offer="Reject", priority="Pay")
    del data[f"question-{ready.question('priority').pk}"]

    response = client.post(reverse("voting:my_vote", args=[ready.poll.pk]), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert "Choose an answer to “Which should come first?”" in body
    assert f'href="#id_question-{ready.question("priority").pk}_0"' in body
    reject = ready.question("offer").choices.get(text="Reject").pk
    assert (
        f'value="{reject}" id="id_question-{ready.question("offer").pk}_1" checked'
        in body
    )
    assert not Vote.objects.exists()


def test_a_second_vote_from_the_portal_is_refused(client) -> None:
    member = signed_in_member(client)
    ready = poll_open(members=[member])
    url = reverse("voting:my_vote", args=[ready.poll.pk])
    client.post(url, form_data(ready, offer="Accept", priority="Pay"))

    response = client.post(url, form_data(ready, offer="Reject", priority="Pay"))

    assert response.status_code == 400
    assert "You have already voted" in text(response)
    assert Vote.objects.count() == 1


def test_a_vote_after_closing_is_refused_from_the_portal(client) -> None:
    member = signed_in_member(client)
    # Closing within the sign-in's eight hours.
    ready = poll_open(
        members=[member], closes_at=timezone.now() + datetime.timedelta(hours=1)
    )
    url = reverse("voting:my_vote", args=[ready.poll.pk])

    with time_machine.travel(ready.poll.closes_at + datetime.timedelta(minutes=1)):
        response = client.post(url, form_data(ready, offer="Accept", priority="Pay"))
        page = client.get(url)

    assert response.status_code == 400
    assert "No more votes can be accepted" in text(response)
    assert "Voting closed at" in text(page)
    assert not Vote.objects.exists()


# --- Voting with a code --------------------------------------------------------------


def test_anyone_with_a_code_votes_on_the_public_page(client) -> None:
    ready = poll_open(voters=1)
    url = reverse("voting:vote_with_code", args=[ready.poll.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    response = client.post(
        url,
        form_data(
            ready, code=ready.code_of(ready.members[0]), offer="Accept", priority="Pay"
        ),
    )

    assert response.status_code == 200
    assert "Your vote has been cast" in text(response)
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the voting code from your email"),
        ("not a code", "That is not a voting code"),
        ("ABCD-EFGH-JKMN-PQRS", "We do not recognise that code"),
    ],
)
def test_a_bad_code_is_refused_beside_the_code_field(client, code, message) -> None:
    ready = poll_open(voters=1)

    response = client.post(
        reverse("voting:vote_with_code", args=[ready.poll.pk]),
        form_data(ready, code=code, offer="Accept", priority="Pay"),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'href="#id_code"' in body
    assert 'aria-invalid="true"' in body
    assert not Vote.objects.exists()


def test_a_code_from_another_poll_is_refused_on_the_public_page(client) -> None:
    this = poll_open(voters=1, title="Pay consultation")
    other = poll_open(voters=1, title="Workload survey")

    response = client.post(
        reverse("voting:vote_with_code", args=[this.poll.pk]),
        form_data(
            this, code=other.code_of(other.members[0]), offer="Accept", priority="Pay"
        ),
    )

    assert response.status_code == 400
    assert "That code is for another ballot, “Workload survey”" in text(response)
    assert not Vote.objects.exists()


def test_a_second_vote_with_the_same_code_is_refused(client) -> None:
    ready = poll_open(voters=1)
    url = reverse("voting:vote_with_code", args=[ready.poll.pk])
    data = form_data(
        ready, code=ready.code_of(ready.members[0]), offer="Accept", priority="Pay"
    )
    client.post(url, data)

    response = client.post(url, data)

    assert response.status_code == 400
    assert "You have already voted" in text(response)
    assert Vote.objects.count() == 1


def test_wrong_codes_are_rate_limited_but_right_ones_are_not(client, settings) -> None:
    settings.TOLPUDDLE_VOTING_CODE_RATE_LIMIT = "3/h/ip"
    ready = poll_open(voters=5)
    url = reverse("voting:vote_with_code", args=[ready.poll.pk])
    for member in ready.members[:4]:  # successes do not count against the limit
        assert (
            client.post(
                url,
                form_data(
                    ready, code=ready.code_of(member), offer="Accept", priority="Pay"
                ),
            ).status_code
            == 200
        )
    for _ in range(3):
        wrong = client.post(
            url,
            form_data(
                ready, code="ABCD-EFGH-JKMN-PQRS", offer="Accept", priority="Pay"
            ),
        )
        assert wrong.status_code == 400

    limited = client.post(
        url,
        form_data(
            ready, code=ready.code_of(ready.members[4]), offer="Accept", priority="Pay"
        ),
    )

    assert limited.status_code == 429
    assert "Too many wrong codes have been tried from here" in text(limited)
    assert Vote.objects.count() == 4


def test_a_draft_poll_has_no_public_page(client) -> None:
    ready = poll_open(voters=1, open_it=False)
    assert (
        client.get(reverse("voting:vote_with_code", args=[ready.poll.pk])).status_code
        == 404
    )


def test_before_opening_the_page_says_when_voting_opens(client) -> None:
    ready = poll_open(voters=1, opens_at=timezone.now() + datetime.timedelta(days=2))
    response = client.get(reverse("voting:vote_with_code", args=[ready.poll.pk]))
    assert response.status_code == 200
    assert "Voting opens at" in text(response)
    assert 'name="code"' not in response.content.decode()


# --- Receipts ------------------------------------------------------------------------


def test_receipts_are_published_after_closing_and_a_voter_finds_theirs(client) -> None:
    ready = poll_open(voters=2)
    receipt = services.vote_cast(
        poll=ready.poll,
        membership=ready.members[0],
        answers=ready.answers(offer="Accept", priority="Pay"),
    )
    url = reverse("voting:poll_receipts", args=[ready.poll.pk])

    before = client.get(url)
    assert before.status_code == 200
    assert "published here when voting closes" in text(before)
    assert receipt not in text(before)

    with time_machine.travel(ready.poll.closes_at + datetime.timedelta(hours=1)):
        services.poll_close(poll=ready.poll, by=None)
    after = client.get(url)
    assert receipt in text(after)
    assert "All receipts (1)" in text(after)

    found = client.post(url, {"receipt": receipt.lower()})
    assert "Your receipt is in the count" in text(found)
    missing = client.post(url, {"receipt": "ABCD-EFGH-JKMN-PQRS"})
    assert "That receipt is not in the count" in text(missing)
