"""The count equals the votes cast, whatever they are (a hypothesis property)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolpuddle.members.tests.factories import MembershipFactory
from tolpuddle.voting import services
from tolpuddle.voting.tests.factories import poll_open

pytestmark = pytest.mark.django_db

MAX_VOTERS = 12
PRIORITIES = ["Pay", "Workload", "Pensions"]


@pytest.fixture
def members():
    return MembershipFactory.create_batch(MAX_VOTERS)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    papers=st.lists(
        st.tuples(st.sampled_from(["Accept", "Reject"]), st.sampled_from(PRIORITIES)),
        max_size=MAX_VOTERS,
    ),
    abstainers=st.integers(min_value=0, max_value=3),
)
def test_the_count_of_each_choice_equals_the_votes_cast_for_it(
    members, papers, abstainers
) -> None:
    electorate = members[: min(MAX_VOTERS, len(papers) + abstainers)] or members[:1]
    with transaction.atomic():
        ready = poll_open(members=electorate)
        for member, (offer, priority) in zip(electorate, papers, strict=False):
            services.vote_cast(
                poll=ready.poll,
                code=ready.code_of(member),
                answers=ready.answers(offer=offer, priority=priority),
            )
        with time_machine.travel(ready.poll.closes_at + datetime.timedelta(hours=1)):
            services.poll_close(poll=ready.poll, by=None)
            result = services.poll_count(poll=ready.poll, by=None)

        cast = papers[: len(electorate)]
        assert (result.entitled, result.voted, result.votes_cast) == (
            len(electorate),
            len(cast),
            len(cast),
        )
        offers = Counter(offer for offer, _ in cast)
        priorities = Counter(priority for _, priority in cast)
        assert {c.text: c.votes for c in result.question("offer").choices} == {
            "Accept": offers["Accept"],
            "Reject": offers["Reject"],
        }
        assert {c.text: c.votes for c in result.question("priority").choices} == {
            p: priorities[p] for p in PRIORITIES
        }
        transaction.set_rollback(True)  # each example starts from the same members
