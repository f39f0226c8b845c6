from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tolpuddle.ballot_law.models import BallotLawSettings
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.members.tests.factories import MembershipFactory, UserFactory
from tolpuddle.voting import services
from tolpuddle.voting.codes import CodeHasher, code_normalise
from tolpuddle.voting.models import (
    Answer,
    Poll,
    PollEvent,
    PollEventKind,
    PollKind,
    PollStatus,
    Vote,
    Voter,
)
from tolpuddle.voting.tests.factories import (
    consultative_questions,
    poll_open,
    statutory_questions,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def nothing_written(poll: Poll) -> bool:
    return (
        not Vote.objects.filter(poll=poll).exists()
        and not Voter.objects.filter(poll=poll, has_voted=True).exists()
        and not Answer.objects.exists()
    )


# --- Creating ------------------------------------------------------------------------


def test_a_poll_is_created_as_a_draft_with_its_questions_and_choices_in_order() -> None:
    organiser = UserFactory()
    now = timezone.now()

    poll = services.poll_create(
        title="  Pay   consultation ",
        kind=PollKind.CONSULTATIVE,
        questions=consultative_questions(),
        opens_at=now,
        closes_at=now + HOUR,
        by=organiser,
    )

    assert (poll.title, poll.status, poll.created_by) == (
        "Pay consultation",
        PollStatus.DRAFT,
        organiser,
    )
    assert [
        (q.key, [c.text for c in q.choices.all()]) for q in poll.questions.all()
    ] == [
        ("offer", ["Accept", "Reject"]),
        ("priority", ["Pay", "Workload", "Pensions"]),
    ]
    event = poll.events.get()
    assert (event.kind, event.actor) == (PollEventKind.CREATED, organiser)


def test_a_statutory_ballot_asks_strike_and_action_short_of_strike_separately_yes_or_no() -> (
    None
):
    now = timezone.now()
    poll = services.poll_create(
        title="Strike ballot",
        kind=PollKind.STATUTORY,
        questions=statutory_questions(),
        opens_at=now,
        closes_at=now + HOUR,
        by=None,
    )

    assert [[c.text for c in q.choices.all()] for q in poll.questions.all()] == [
        ["Yes", "No"],
        ["Yes", "No"],
    ]


@pytest.mark.parametrize(
    ("kind", "questions", "message"),
    [
        (PollKind.CONSULTATIVE, [], "at least one question"),
        (
            PollKind.STATUTORY,
            [services.QuestionSpec(text="Strike?", choices=["Yes", "No", "Maybe"])],
            "answered Yes or No only",
        ),
        (
            PollKind.CONSULTATIVE,
            [services.QuestionSpec(text="Pick", choices=["A"])],
            "at least two choices",
        ),
        (
            PollKind.CONSULTATIVE,
            [services.QuestionSpec(text="Pick", choices=["A", "A"])],
            "same choice twice",
        ),
        (
            PollKind.CONSULTATIVE,
            [
                services.QuestionSpec(text="One", key="k"),
                services.QuestionSpec(text="Two", key="k"),
            ],
            "key “k”",
        ),
    ],
)
def test_questions_that_cannot_be_answered_properly_are_refused(
    kind, questions, message
) -> None:
    now = timezone.now()
    with pytest.raises(ApplicationError, match=message):
        services.poll_create(
            title="Ballot",
            kind=kind,
            questions=questions,
            opens_at=now,
            closes_at=now + HOUR,
            by=None,
        )
    assert not Poll.objects.exists()


def test_a_poll_cannot_close_before_it_opens_or_in_the_past() -> None:
    now = timezone.now()
    for opens_at, closes_at, message in [
        (now, now - HOUR, "before it opens"),
        (now - 2 * HOUR, now - HOUR, "already passed"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            services.poll_create(
                title="Ballot",
                kind=PollKind.CONSULTATIVE,
                questions=consultative_questions(),
                opens_at=opens_at,
                closes_at=closes_at,
                by=None,
            )
    assert not Poll.objects.exists()


# --- Voters and codes ----------------------------------------------------------------


def test_voters_get_codes_that_are_stored_only_as_keyed_hashes() -> None:
    ready = poll_open(voters=3, open_it=False)

    voters = list(Voter.objects.filter(poll=ready.poll))
    assert len(voters) == len(ready.codes) == 3
    hasher = CodeHasher()
    for voter in voters:
        code = ready.codes[voter.membership_id]
        assert voter.code_hash == hasher.hash(code_normalise(code))
        assert code_normalise(code) not in voter.code_hash
        assert not voter.has_voted
    assert len({v.code_hash for v in voters}) == 3
    event = ready.poll.events.get(kind=PollEventKind.VOTERS_ADDED)
    assert event.data == {"added": 3, "already": 0}


def test_a_member_added_twice_keeps_their_first_code() -> None:
    ready = poll_open(voters=2, open_it=False)
    before = set(Voter.objects.values_list("code_hash", flat=True))

    again = services.poll_voters_add(
        poll=ready.poll, memberships=[*ready.members, ready.members[0]], by=None
    )

    assert (again.added, again.already, again.codes) == (0, 3, [])
    assert set(Voter.objects.values_list("code_hash", flat=True)) == before


def test_codes_stream_to_the_caller_in_batches_from_a_queryset(monkeypatch) -> None:
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    members = MembershipFactory.create_batch(5)
    ready = poll_open(voters=0, members=[], open_it=False)
    batches: list[list[services.IssuedCode]] = []

    added = services.poll_voters_add(
        poll=ready.poll,
        memberships=MembershipFactory._meta.model.objects.filter(
            pk__in=[m.pk for m in members]
        ),
        by=None,
        codes_to=lambda batch: batches.append(list(batch)),
    )

    assert (added.added, added.codes) == (5, [])
    assert [len(b) for b in batches] == [2, 2, 1]
    assert {c.membership_id for b in batches for c in b} == {m.pk for m in members}


def test_a_closed_poll_takes_no_more_voters() -> None:
    ready = poll_open(voters=1)
    with time_machine.travel(ready.poll.closes_at + HOUR):
        services.poll_close(poll=ready.poll, by=None)

    with pytest.raises(ApplicationError, match="no more voters"):
        services.poll_voters_add(
            poll=ready.poll, memberships=[MembershipFactory()], by=None
        )
    assert Voter.objects.filter(poll=ready.poll).count() == 1


# --- Opening -------------------------------------------------------------------------


def test_a_poll_with_no_voters_cannot_open() -> None:
    ready = poll_open(voters=0, members=[], open_it=False)
    with pytest.raises(ApplicationError, match="add the voters first"):
        services.poll_open(poll=ready.poll, by=None)
    ready.poll.refresh_from_db()
    assert ready.poll.status == PollStatus.DRAFT


def test_a_statutory_ballot_opens_online_only_once_electronic_voting_is_permitted() -> (
    None
):
    ready = poll_open(voters=1, questions=statutory_questions(), open_it=False)
    Poll.objects.filter(pk=ready.poll.pk).update(kind=PollKind.STATUTORY)

    with pytest.raises(ApplicationError, match="must be held by post"):
        services.poll_open(poll=ready.poll, by=None)

    BallotLawSettings.objects.create(
        electronic_voting_from=timezone.localdate() - datetime.timedelta(days=30)
    )
    opened = services.poll_open(poll=ready.poll, by=None)
    assert opened.status == PollStatus.OPEN
    assert opened.events.filter(kind=PollEventKind.OPENED).count() == 1


# --- Voting --------------------------------------------------------------------------


def test_a_vote_by_code_is_recorded_with_a_receipt_and_marks_the_voter() -> None:
    ready = poll_open(voters=2)
    member = ready.members[0]

    receipt = services.vote_cast(
        poll=ready.poll,
        code=ready.code_of(member).lower().replace("-", " "),  # as people type it
        answers=ready.answers(offer="Accept", priority="Pay"),
    )

    vote = Vote.objects.get()
    assert receipt == "-".join(vote.receipt[i : i + 4] for i in range(0, 16, 4))
    assert sorted(
        (a.question.key, a.choice.text)
        for a in vote.answers.select_related("question", "choice")
    ) == [("offer", "Accept"), ("priority", "Pay")]
    assert Voter.objects.get(membership=member).has_voted
    assert not Voter.objects.get(membership=ready.members[1]).has_voted


def test_a_signed_in_member_votes_without_a_code() -> None:
    ready = poll_open(voters=1)

    services.vote_cast(
        poll=ready.poll,
        membership=ready.members[0],
        answers=ready.answers(offer="Reject", priority="Workload"),
    )

    assert Vote.objects.count() == 1
    assert Voter.objects.get().has_voted


def test_a_second_vote_is_refused_and_the_first_stands() -> None:
    ready = poll_open(voters=1)
    member = ready.members[0]
    services.vote_cast(
        poll=ready.poll,
        code=ready.code_of(member),
        answers=ready.answers(offer="Accept", priority="Pay"),
    )

    for second in (
        {"code": ready.code_of(member)},
        {"membership": member},  # the portal, after the code
    ):
        with pytest.raises(ApplicationError, match="already voted") as refused:
            services.vote_cast(
                poll=ready.poll,
                answers=ready.answers(offer="Reject", priority="Pensions"),
                **second,
            )
        assert refused.value.extra["reason"] == "already_voted"

    assert Vote.objects.count() == 1
    assert Answer.objects.filter(choice__text="Reject").count() == 0


def test_a_vote_after_closing_time_is_refused() -> None:
    ready = poll_open(voters=1)

    with (
        time_machine.travel(ready.poll.closes_at),  # the closing moment itself
        pytest.raises(ApplicationError, match="closed at") as refused,
    ):
        services.vote_cast(
            poll=ready.poll,
            code=ready.code_of(ready.members[0]),
            answers=ready.answers(offer="Accept", priority="Pay"),
        )

    assert refused.value.extra["reason"] == "closed"
    assert nothing_written(ready.poll)


def test_a_vote_a_second_before_closing_time_counts() -> None:
    ready = poll_open(voters=1)

    with time_machine.travel(ready.poll.closes_at - datetime.timedelta(seconds=1)):
        services.vote_cast(
            poll=ready.poll,
            code=ready.code_of(ready.members[0]),
            answers=ready.answers(offer="Accept", priority="Pay"),
        )

    assert Vote.objects.count() == 1


def test_a_vote_before_opening_time_is_refused_with_the_opening_time() -> None:
    opens_at = timezone.now() + datetime.timedelta(days=1)
    ready = poll_open(voters=1, opens_at=opens_at)

    with pytest.raises(ApplicationError, match="opens at"):
        services.vote_cast(
            poll=ready.poll,
            membership=ready.members[0],
            answers=ready.answers(offer="Accept", priority="Pay"),
        )
    assert nothing_written(ready.poll)


def test_a_draft_poll_takes_no_votes() -> None:
    ready = poll_open(voters=1, open_it=False)
    with pytest.raises(ApplicationError, match="has not opened"):
        services.vote_cast(
            poll=ready.poll,
            membership=ready.members[0],
            answers=ready.answers(offer="Accept", priority="Pay"),
        )
    assert nothing_written(ready.poll)


def test_a_code_from_another_poll_is_refused_naming_that_poll() -> None:
    this = poll_open(voters=1, title="Pay consultation")
    other = poll_open(voters=1, title="Workload survey")

    with pytest.raises(
        ApplicationError, match="another ballot, “Workload survey”"
    ) as refused:
        services.vote_cast(
            poll=this.poll,
            code=other.code_of(other.members[0]),
            answers=this.answers(offer="Accept", priority="Pay"),
        )

    assert refused.value.extra == {"reason": "other_poll", "field": "code"}
    assert nothing_written(this.poll) and nothing_written(other.poll)


@pytest.mark.parametrize(
    ("code", "reason"),
    [("ABCD-EFGH-JKMN-PQRS", "unknown_code"), ("12345", "bad_code"), ("", "bad_code")],
)
def test_an_unknown_or_malformed_code_is_refused(code, reason) -> None:
    ready = poll_open(voters=1)

    with pytest.raises(ApplicationError) as refused:
        services.vote_cast(
            poll=ready.poll,
            code=code,
            answers=ready.answers(offer="Accept", priority="Pay"),
        )

    assert refused.value.extra["reason"] == reason
    assert nothing_written(ready.poll)


def test_a_member_outside_the_electorate_cannot_vote_from_the_portal() -> None:
    ready = poll_open(voters=1)
    with pytest.raises(ApplicationError, match="not one of the members"):
        services.vote_cast(
            poll=ready.poll,
            membership=MembershipFactory(),
            answers=ready.answers(offer="Accept", priority="Pay"),
        )
    assert nothing_written(ready.poll)


def test_a_missing_answer_or_a_choice_from_another_question_is_refused() -> None:
    ready = poll_open(voters=1)
    offer = ready.question("offer")
    priority = ready.question("priority")
    wrong = {
        offer.pk: priority.choices.first().pk,
        priority.pk: priority.choices.first().pk,
    }

    for answers, message in [
        (
            {offer.pk: offer.choices.first().pk},
            "Choose an answer to “Which should come first?”",
        ),
        (wrong, "not one of the answers to “Do you accept the pay offer?”"),
        ({**ready.answers(offer="Accept", priority="Pay"), 999999: 1}, "not to this"),
    ]:
        with pytest.raises(ApplicationError, match=re.escape(message)):
            services.vote_cast(
                poll=ready.poll, code=ready.code_of(ready.members[0]), answers=answers
            )

    assert nothing_written(ready.poll)


def test_a_vote_needs_either_a_code_or_a_membership() -> None:
    ready = poll_open(voters=1)
    with pytest.raises(ValueError, match="code or a membership"):
        services.vote_cast(poll=ready.poll, answers={})


# --- Sending codes -------------------------------------------------------------------


def test_codes_are_emailed_fresh_by_the_task_and_replace_the_earlier_ones(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    ready = poll_open(
        voters=2, closes_at=datetime.datetime(2099, 3, 12, 17, 0, tzinfo=datetime.UTC)
    )
    first, second = ready.members
    services.vote_cast(
        poll=ready.poll,
        membership=second,
        answers=ready.answers(offer="Accept", priority="Pay"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.poll_codes_send(poll=ready.poll, by=None)

    assert [m.to for m in mailoutbox] == [[first.person.email]]  # not who has voted
    body = mailoutbox[0].body
    assert "Voting closes at 5pm on Thursday 12 March 2099 (UK time)" in body
    assert f"/vote/{ready.poll.pk}/" in body
    assert f"/my/votes/{ready.poll.pk}/" in body
    emailed = next(
        line.strip() for line in body.splitlines() if code_normalise(line.strip())
    )
    assert emailed != ready.code_of(first)
    event = ready.poll.events.get(kind=PollEventKind.CODES_SENT)
    assert event.data == {"sent": 1, "without_email": 0}

    with pytest.raises(ApplicationError, match="do not recognise"):
        services.vote_cast(
            poll=ready.poll,
            code=ready.code_of(first),
            answers=ready.answers(offer="Accept", priority="Pay"),
        )
    services.vote_cast(
        poll=ready.poll,
        code=emailed,
        answers=ready.answers(offer="Reject", priority="Pay"),
    )
    assert Vote.objects.count() == 2


def test_no_codes_are_sent_for_a_closed_poll() -> None:
    ready = poll_open(voters=1)
    with (
        time_machine.travel(ready.poll.closes_at + HOUR),
        pytest.raises(ApplicationError, match="no codes to send"),
    ):
        services.poll_codes_send(poll=ready.poll, by=None)


# --- Closing and counting ------------------------------------------------------------


def test_a_poll_cannot_be_closed_before_its_closing_time() -> None:
    ready = poll_open(voters=1)
    with pytest.raises(ApplicationError, match="closed only after then"):
        services.poll_close(poll=ready.poll, by=None)
    ready.poll.refresh_from_db()
    assert ready.poll.status == PollStatus.OPEN


def vote_all(ready, choices: list[tuple[str, str]]) -> None:
    for member, (offer, priority) in zip(ready.members, choices, strict=False):
        services.vote_cast(
            poll=ready.poll,
            membership=member,
            answers=ready.answers(offer=offer, priority=priority),
        )


def test_the_count_gives_each_choice_its_votes_and_the_turnout() -> None:
    ready = poll_open(voters=5)
    vote_all(
        ready,
        [
            ("Accept", "Pay"),
            ("Reject", "Pay"),
            ("Reject", "Workload"),
            ("Reject", "Pay"),
        ],
    )
    counter = UserFactory()

    with time_machine.travel(ready.poll.closes_at + HOUR):
        services.poll_close(poll=ready.poll, by=counter)
        result = services.poll_count(poll=ready.poll, by=counter)

    assert (result.entitled, result.voted, result.votes_cast) == (5, 4, 4)
    offer = result.question("offer")
    assert (offer.votes_for("Accept"), offer.votes_for("Reject")) == (1, 3)
    priority = result.question("priority")
    assert [(c.text, c.votes) for c in priority.choices] == [
        ("Pay", 3),
        ("Workload", 1),
        ("Pensions", 0),
    ]
    ready.poll.refresh_from_db()
    assert ready.poll.status == PollStatus.COUNTED
    counted = ready.poll.events.get(kind=PollEventKind.COUNTED)
    assert counted.data == result.as_dict()
    assert counted.actor == counter


def test_an_open_poll_cannot_be_counted() -> None:
    ready = poll_open(voters=1)
    with pytest.raises(ApplicationError, match="before counting"):
        services.poll_count(poll=ready.poll, by=None)


def test_a_count_that_does_not_balance_is_refused_and_not_recorded() -> None:
    ready = poll_open(voters=2)
    vote_all(ready, [("Accept", "Pay"), ("Reject", "Pay")])
    # Tampering: a member marked as having voted without a voting paper.
    Voter.objects.filter(poll=ready.poll).update(has_voted=True)
    Voter.objects.create(
        poll=ready.poll, membership=MembershipFactory(), code_hash="x", has_voted=True
    )

    with time_machine.travel(ready.poll.closes_at + HOUR):
        services.poll_close(poll=ready.poll, by=None)
        with pytest.raises(ApplicationError, match="does not balance"):
            services.poll_count(poll=ready.poll, by=None)

    ready.poll.refresh_from_db()
    assert ready.poll.status == PollStatus.CLOSED
    assert not ready.poll.events.filter(kind=PollEventKind.COUNTED).exists()


def test_on_sqlite_votes_are_stored_in_random_order_not_the_order_cast() -> None:
    """A table without an integer key is kept in rowid order; the votes get random
    rowids, so that order is not the order of voting, even while voting is open."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's rowid; PostgreSQL is tested in test_secrecy")
    ready = poll_open(voters=12)
    cast = [
        services.vote_cast(
            poll=ready.poll,
            membership=member,
            answers=ready.answers(offer="Accept", priority="Pay"),
        ).replace("-", "")
        for member in ready.members
    ]

    with connection.cursor() as cursor:
        cursor.execute("SELECT receipt, rowid FROM voting_vote ORDER BY rowid")
        stored = cursor.fetchall()
        cursor.execute("SELECT rowid FROM voting_answer")
        answer_rowids = [row[0] for row in cursor.fetchall()]

    assert sorted(receipt for receipt, _ in stored) == sorted(cast)
    assert [receipt for receipt, _ in stored] != cast  # 1 in 479 million by chance
    assert all(rowid > 2**32 for _, rowid in stored)  # not 1, 2, 3...
    assert len(answer_rowids) == 24 and min(answer_rowids) > 2**32
    # The votes read back through the ORM as any others.
    assert Vote.objects.get(receipt=cast[0]).answers.count() == 2


def test_the_log_records_what_was_done_to_the_poll_and_nothing_of_the_votes() -> None:
    ready = poll_open(voters=2)
    vote_all(ready, [("Accept", "Pay"), ("Reject", "Workload")])
    with time_machine.travel(ready.poll.closes_at + HOUR):
        services.poll_close(poll=ready.poll, by=None)
        services.poll_count(poll=ready.poll, by=None)

    kinds = list(
        PollEvent.objects.filter(poll=ready.poll).values_list("kind", flat=True)
    )
    assert kinds == ["created", "voters_added", "opened", "closed", "counted"]
    member_ids = {str(m.pk) for m in ready.members}
    logged = str(list(PollEvent.objects.values_list("data", flat=True)))
    assert not any(f"'membership': {pk}" in logged for pk in member_ids)
