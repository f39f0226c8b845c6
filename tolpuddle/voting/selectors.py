"""Reads of polls: which a member may vote in, the receipts, the result."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from tolpuddle.members.models import Membership
from tolpuddle.voting.codes import code_format, code_normalise
from tolpuddle.voting.formats import uk_datetime
from tolpuddle.voting.models import Poll, PollEventKind, PollStatus, Vote, Voter


def polls_for_member(*, membership: Membership) -> QuerySet[Poll]:
    """The polls ``membership`` is entitled to vote in, drafts excepted, newest first;
    each annotated with ``has_voted`` (whether this member has). The one place that
    decides which polls a member sees: a poll they are not in is a 404."""
    own = Voter.objects.filter(poll=OuterRef("pk"), membership=membership)
    return (
        Poll.objects.published()
        .filter(Exists(own))
        .annotate(has_voted=Subquery(own.values("has_voted")[:1]))
    )


def poll_not_accepting_because(
    *, poll: Poll, now: datetime.datetime | None = None
) -> tuple[str, str] | None:
    """Why ``poll`` takes no votes at ``now`` (a reason code and a sentence for the
    voter: "not_open" or "closed"), or None while it does."""
    now = now or timezone.now()
    if poll.status == PollStatus.DRAFT:
        return "not_open", f"Voting in “{poll}” has not opened yet."
    if poll.status != PollStatus.OPEN or now >= poll.closes_at:
        return (
            "closed",
            f"Voting in “{poll}” closed at {uk_datetime(poll.closes_at)}. No more "
            "votes can be accepted.",
        )
    if now < poll.opens_at:
        return "not_open", f"Voting in “{poll}” opens at {uk_datetime(poll.opens_at)}."
    return None


def voter_for(*, poll: Poll, membership: Membership) -> Voter | None:
    return Voter.objects.filter(poll=poll, membership=membership).first()


def poll_receipts(*, poll: Poll) -> QuerySet[Vote, str]:
    """The receipts of every vote counted, in order, once voting has closed (none
    before): a voter finds theirs to see that their vote is in the count. Receipts
    only, not the answers: a list of answers by receipt would let a voter prove to
    someone else how they voted."""
    if not poll.receipts_published:
        return Vote.objects.none().values_list("receipt", flat=True)
    return (
        Vote.objects.filter(poll=poll)
        .order_by("receipt")
        .values_list("receipt", flat=True)
    )


def poll_receipt_counted(*, poll: Poll, receipt: str) -> bool | None:
    """Whether ``receipt`` (as typed) is among the poll's votes; None before the
    receipts are published."""
    if not poll.receipts_published:
        return None
    normalised = code_normalise(receipt)
    return (
        normalised is not None
        and Vote.objects.filter(poll=poll, receipt=normalised).exists()
    )


def receipt_display(receipt: str) -> str:
    return code_format(receipt)


def poll_result(*, poll: Poll) -> dict[str, Any] | None:
    """The last count recorded (``services.PollResult.as_dict()``), or None."""
    event = poll.events.filter(kind=PollEventKind.COUNTED).order_by("-id").first()
    return event.data if event else None
