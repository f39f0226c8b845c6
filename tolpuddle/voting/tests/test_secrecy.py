"""Nothing stored links a vote to the member who cast it (docs/voting.md)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.db import connection, models

from tolpuddle.voting import services
from tolpuddle.voting.models import Answer, Poll, PollEvent, Vote, Voter
from tolpuddle.voting.tests.factories import poll_open

pytestmark = pytest.mark.django_db

TIME_FIELDS = (models.DateTimeField, models.DateField, models.TimeField)
TIMING = {"title", "opens_at", "closes_at"}  # differ between the two polls compared


def relations(model: type[models.Model]) -> dict[str, type[models.Model]]:
    return {
        f.name: f.related_model
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model is not None
    }


def test_the_vote_tables_relate_only_to_the_poll_its_questions_and_choices() -> None:
    voting = apps.get_app_config("voting")
    allowed = {
        voting.get_model("Vote"): {voting.get_model("Poll")},
        voting.get_model("Answer"): {
            voting.get_model("Vote"),
            voting.get_model("Question"),
            voting.get_model("Choice"),
        },
    }
    for model, targets in allowed.items():
        assert set(relations(model).values()) <= targets, model


def test_no_model_anywhere_points_at_a_vote_but_its_answers() -> None:
    """Checked across every installed app, so a link added later (a vote's voter,
    a log entry naming a vote) fails here."""
    pointing = [
        (model._meta.label, name)
        for model in apps.get_models()
        for name, target in relations(model).items()
        if target in (Vote, Answer)
    ]
    assert pointing == [("voting.Answer", "vote")]


def test_no_voting_model_relates_to_both_voters_and_votes() -> None:
    for model in apps.get_app_config("voting").get_models():
        targets = set(relations(model).values())
        assert not (
            {Voter, apps.get_model("members", "Membership")} & targets
            and {
                Vote,
                Answer,
            }
            & targets
        ), model


def test_votes_voters_and_answers_have_no_time_and_no_sequence() -> None:
    for model in (Vote, Answer, Voter):
        times = [
            f.name for f in model._meta.concrete_fields if isinstance(f, TIME_FIELDS)
        ]
        assert times == [], model
    assert isinstance(Vote._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.CompositePrimaryKey)
    assert not any(
        isinstance(f, models.AutoField | models.BigAutoField)
        for model in (Vote, Answer)
        for f in model._meta.concrete_fields
    )


def test_the_vote_tables_hold_these_columns_and_no_others() -> None:
    """As the database has them, not only as the models say."""
    with connection.cursor() as cursor:
        columns = {
            table: {
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
            }
            for table in ("voting_vote", "voting_answer", "voting_voter")
        }
    assert columns == {
        "voting_vote": {"id", "poll_id", "receipt"},
        "voting_answer": {"vote_id", "question_id", "choice_id"},
        "voting_voter": {"id", "poll_id", "membership_id", "code_hash", "has_voted"},
    }


def stored(poll: Poll) -> dict[str, Counter[tuple[object, ...]]]:
    """Everything the voting tables hold about ``poll``, less the values that are
    random (keys, receipts, code hashes) and with its questions and choices by
    position, so that two polls can be compared."""
    answers = Answer.objects.filter(vote__poll=poll).select_related(
        "question", "choice"
    )
    return {
        "voters": Counter(
            Voter.objects.filter(poll=poll).values_list("membership_id", "has_voted")
        ),
        "votes": Counter(("vote",) for _ in Vote.objects.filter(poll=poll)),
        "answers": Counter((a.question.position, a.choice.position) for a in answers),
        "papers": Counter(
            tuple(
                sorted(
                    (a.question.position, a.choice.position)
                    for a in answers
                    if a.vote_id == vote.pk
                )
            )
            for vote in Vote.objects.filter(poll=poll)
        ),
        "log": Counter(
            (e.kind, repr({k: v for k, v in e.data.items() if k not in TIMING}))
            for e in PollEvent.objects.filter(poll=poll)
        ),
    }


def test_two_members_swapping_their_votes_leaves_the_database_the_same() -> None:
    """Ellen casts one voting paper and Ravi another in one poll; in a second poll
    the same two cast each other's papers, in the same order. If anything stored
    linked a voter to a vote the two polls would differ; they do not, so the data
    cannot say who cast which."""
    first = poll_open(voters=2, title="First")
    ellen, ravi = first.members
    second = poll_open(members=[ellen, ravi], title="Second")
    paper_a = {"offer": "Accept", "priority": "Pay"}
    paper_b = {"offer": "Reject", "priority": "Workload"}
    for ready, ellens, ravis in ((first, paper_a, paper_b), (second, paper_b, paper_a)):
        services.vote_cast(
            poll=ready.poll, code=ready.code_of(ellen), answers=ready.answers(**ellens)
        )
        services.vote_cast(
            poll=ready.poll, membership=ravi, answers=ready.answers(**ravis)
        )
    later = max(first.poll.closes_at, second.poll.closes_at) + datetime.timedelta(
        hours=1
    )
    with time_machine.travel(later):
        for ready in (first, second):
            services.poll_close(poll=ready.poll, by=None)

    assert stored(first.poll) == stored(second.poll)
    # The test can tell the two papers apart: it is the voters it cannot match.
    assert stored(first.poll)["papers"] == Counter(
        {((1, 1), (2, 1)): 1, ((1, 2), (2, 2)): 1}
    )


def test_on_postgresql_closing_removes_the_transaction_a_vote_shares_with_its_voter() -> (
    None
):
    """PostgreSQL stamps each row with the id of the transaction that wrote it
    (``xmin``): a vote and its voter's mark share one until the poll closes and
    rewrites them."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    ready = poll_open(voters=3)
    for member in ready.members:
        services.vote_cast(
            poll=ready.poll,
            membership=member,
            answers=ready.answers(offer="Accept", priority="Pay"),
        )

    def xmin_joins() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM voting_voter r JOIN voting_vote v"
                " ON r.xmin::text = v.xmin::text WHERE r.poll_id = %s AND v.poll_id = %s",
                [ready.poll.pk, ready.poll.pk],
            )
            return int(cursor.fetchone()[0])

    assert xmin_joins() == 3  # the link the rewrite exists to remove

    with time_machine.travel(ready.poll.closes_at + datetime.timedelta(hours=1)):
        services.poll_close(poll=ready.poll, by=None)

    assert xmin_joins() == 9  # every voter "joins" every vote: no information left
