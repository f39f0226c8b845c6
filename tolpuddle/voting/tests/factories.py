"""Polls made through the services, as the app makes them. A test sets only what it
is about."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tolpuddle.members.models import Membership
from tolpuddle.members.tests.factories import MembershipFactory
from tolpuddle.voting import services
from tolpuddle.voting.models import Poll, PollKind, Question

STRIKE = "Are you prepared to take part in strike action?"
ACTION_SHORT = "Are you prepared to take part in industrial action short of a strike?"


def statutory_questions() -> list[services.QuestionSpec]:
    return [
        services.QuestionSpec(text=STRIKE, key="strike"),
        services.QuestionSpec(text=ACTION_SHORT, key="action_short_of_strike"),
    ]


def consultative_questions() -> list[services.QuestionSpec]:
    return [
        services.QuestionSpec(
            text="Do you accept the pay offer?",
            choices=["Accept", "Reject"],
            key="offer",
        ),
        services.QuestionSpec(
            text="Which should come first?",
            choices=["Pay", "Workload", "Pensions"],
            key="priority",
        ),
    ]


@dataclass
class OpenPoll:
    poll: Poll
    members: list[Membership]
    codes: dict[int, str]  # membership id -> code

    def code_of(self, membership: Membership) -> str:
        return self.codes[membership.pk]

    def question(self, key: str) -> Question:
        return self.poll.questions.get(key=key)

    def answers(self, **chosen: str) -> dict[int, int]:
        """``answers(offer="Accept", priority="Pay")`` as the ids vote_cast takes."""
        result = {}
        for key, text in chosen.items():
            question = self.question(key)
            result[question.pk] = question.choices.get(text=text).pk
        return result


def poll_open(
    *,
    voters: int = 3,
    members: Sequence[Membership] | None = None,
    questions: Sequence[services.QuestionSpec] | None = None,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    title: str = "Pay consultation 2026",
    open_it: bool = True,
    **fields: Any,
) -> OpenPoll:
    """A consultative poll (two questions) open now for a week, with ``voters`` new
    members (or ``members``) in it."""
    now = timezone.now()
    poll = services.poll_create(
        title=title,
        kind=PollKind.CONSULTATIVE,
        questions=questions or consultative_questions(),
        opens_at=opens_at or now - datetime.timedelta(hours=1),
        closes_at=closes_at or now + datetime.timedelta(days=7),
        by=None,
        **fields,
    )
    people = (
        list(members) if members is not None else MembershipFactory.create_batch(voters)
    )
    added = services.poll_voters_add(poll=poll, memberships=people, by=None)
    if open_it:
        poll = services.poll_open(poll=poll, by=None)
    return OpenPoll(
        poll=poll,
        members=people,
        codes={issued.membership_id: issued.code for issued in added.codes},
    )
