"""Submissions of the same code at the same moment make one vote, on a real database
connection per thread (SQLite in a file, as the project's conftest sets it up, or
PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.voting import services
from tolpuddle.voting.models import Answer, Vote, Voter
from tolpuddle.voting.tests.factories import poll_open

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def at_once(attempts: list[Callable[[], str]]) -> tuple[list[str], list[BaseException]]:
    """Run each attempt in its own thread, released together; receipts and errors."""
    start = threading.Barrier(len(attempts), timeout=30)
    receipts: list[str] = []
    errors: list[BaseException] = []

    def run(attempt: Callable[[], str]) -> None:
        try:
            start.wait()
            receipts.append(attempt())
        except BaseException as error:  # noqa: BLE001 - reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return receipts, errors


def test_the_same_code_submitted_many_times_at_once_makes_one_vote() -> None:
    ready = poll_open(voters=2)
    member = ready.members[0]
    answers = ready.answers(offer="Accept", priority="Pay")

    receipts, errors = at_once(
        [
            lambda: services.vote_cast(
                poll=ready.poll, code=ready.code_of(member), answers=answers
            )
        ]
        * THREADS
    )

    assert len(receipts) == 1
    assert len(errors) == THREADS - 1
    assert all(
        isinstance(e, ApplicationError) and e.extra["reason"] == "already_voted"
        for e in errors
    ), errors
    assert Vote.objects.count() == 1
    assert Answer.objects.count() == 2
    assert list(
        Voter.objects.filter(has_voted=True).values_list("membership", flat=True)
    ) == [member.pk]


def test_the_code_and_the_portal_at_once_make_one_vote() -> None:
    ready = poll_open(voters=1)
    member = ready.members[0]
    answers = ready.answers(offer="Reject", priority="Pensions")

    receipts, errors = at_once(
        [
            lambda: services.vote_cast(
                poll=ready.poll, code=ready.code_of(member), answers=answers
            ),
            lambda: services.vote_cast(
                poll=ready.poll, membership=member, answers=answers
            ),
        ]
        * (THREADS // 2)
    )

    assert (len(receipts), len(errors)) == (1, THREADS - 1)
    assert Vote.objects.count() == 1


def test_different_members_voting_at_once_all_count() -> None:
    ready = poll_open(voters=THREADS)
    answers = ready.answers(offer="Accept", priority="Pay")

    receipts, errors = at_once(
        [
            (
                lambda m=m: services.vote_cast(
                    poll=ready.poll, membership=m, answers=answers
                )
            )
            for m in ready.members
        ]
    )

    assert errors == []
    assert len(set(receipts)) == THREADS
    assert Vote.objects.count() == THREADS
    assert Voter.objects.filter(has_voted=True).count() == THREADS
