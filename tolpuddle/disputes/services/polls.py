"""How the members vote: online, in a ``voting.Poll`` linked to the ballot, or by
post, on voting papers numbered for each elector (s.229(1A)(c), s.230)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, law, selectors
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotQuestion,
    BallotStatus,
    DisputeEventKind,
    ElectorateEntry,
    QuestionKind,
)
from tolpuddle.disputes.services.common import (
    dispute_event_record,
    first_notice_given,
    short_date,
)
from tolpuddle.members.models import Membership
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.models import Poll, PollKind

LONDON = ZoneInfo("Europe/London")


def poll_question_key(question: BallotQuestion) -> str:
    """The key a ballot's question has in its poll: "strike",
    "action_short_of_strike", or "question-<position>" for a consultative one."""
    if question.kind == QuestionKind.FREE:
        return f"question-{question.position}"
    return str(question.kind)


def _description(ballot: Ballot) -> str:
    """What the online voting paper says above the questions: for a statutory
    ballot the same as the postal paper (s.229)."""
    if not ballot.is_statutory:
        return ballot.dispute.summary
    paper = documents.voting_paper(ballot=ballot)
    parts = []
    if paper.summary:
        parts.append(f"The matters in issue: {paper.summary}")
    if paper.action_short_of_strike_types:
        parts.append(
            f"The types of action short of a strike: {paper.action_short_of_strike_types}"
        )
    if paper.expected_action_period:
        parts.append(
            f"When the action is expected to take place: {paper.expected_action_period}"
        )
    parts += [statement.wording for statement in paper.wording]
    if paper.authorised_to_call_action:
        parts.append(
            "Authorised to call industrial action in the event of a vote in favour: "
            f"{paper.authorised_to_call_action}"
        )
    if paper.scrutineer_name:
        parts.append(f"Independent scrutineer: {paper.scrutineer_name}")
    return "\n\n".join(parts)


def _electorate_stands(ballot: Ballot, action: str) -> None:
    """Voters and papers are made from an electorate that will not be frozen
    again: one a notice of ballot has counted, or of a ballot already open (a
    consultative ballot needs no notice, so its freeze must simply exist)."""
    if ballot.status == BallotStatus.CLOSED:
        raise ApplicationError(f"This ballot has closed: cannot {action}.")
    if ballot.electorate_version == 0:
        raise ApplicationError(f"Freeze the electorate first: cannot {action}.")
    if (
        ballot.is_statutory
        and ballot.status == BallotStatus.DRAFT
        and first_notice_given(ballot) is None
    ):
        raise ApplicationError(
            "No notice of ballot has been given yet, so the electorate may still be "
            f"frozen again: give the notices first (cannot {action})."
        )


def discard_codes(_codes: Sequence[voting_services.IssuedCode]) -> None:
    """The codes made when voters are added are not kept: ``poll_codes_send``
    emails each voter a fresh one."""


@transaction.atomic
def ballot_poll_create(*, ballot: Ballot, by: User | None) -> Poll:
    """Set up the ballot's online vote: a poll asking its questions (Yes or No),
    open from the start of the opening day to the end of the closing day, whose
    voters are the members of the frozen electorate (not those marked as having
    left). Opening the ballot opens the poll; send the voting codes with
    ``voting.services.poll_codes_send``.

    A statutory ballot is held online only once the order permitting electronic
    voting applies to ballots opening on its opening day: until then it is postal
    (s.230(2)). Separate workplace ballots (s.228) need a count for each workplace,
    which one poll cannot give without linking votes to voters, so they are
    postal."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.poll_id is not None:
        raise ApplicationError("This ballot already has an online vote.")
    _electorate_stands(ballot, "set up the online vote")
    if ballot.is_statutory:
        regime = law.regime_for(opening_on=ballot.opening_on)
        if not regime.electronic_voting_permitted:
            raise ApplicationError(
                "A statutory industrial action ballot must be held by post: voting "
                "papers sent to members' home addresses, returned by post (TULRCA "
                "s.230(2)). Electronic voting is allowed only once the order "
                "permitting it is in force for ballots opening on "
                f"{short_date(ballot.opening_on)}; an administrator sets the day it "
                "applies from in Settings > Ballot law."
            )
        if selectors.separate_workplace_ballots(ballot):
            raise ApplicationError(
                "This ballot is held as separate workplace ballots (s.228): each "
                "workplace's result must be counted on its own, which one online "
                "vote cannot do without linking votes to voters. Hold it by post."
            )
    voters = Membership.objects.filter(
        pk__in=ElectorateEntry.objects.filter(
            ballot=ballot, reason="", left_on__isnull=True
        ).values("membership_id")
    )
    opens_at = datetime.datetime.combine(ballot.opening_on, datetime.time(0), LONDON)
    closes_at = datetime.datetime.combine(
        ballot.closing_on + datetime.timedelta(days=1), datetime.time(0), LONDON
    )
    if closes_at <= timezone.now():
        raise ApplicationError(
            f"Voting closed at the end of {short_date(ballot.closing_on)}: too late to "
            "set up an online vote."
        )
    questions = list(ballot.questions.order_by("position"))
    poll = voting_services.poll_create(
        title=ballot.title,
        kind=PollKind.STATUTORY
        if ballot.kind == BallotKind.STATUTORY
        else PollKind.CONSULTATIVE,
        questions=[
            voting_services.QuestionSpec(text=q.text, key=poll_question_key(q))
            for q in questions
        ],
        opens_at=opens_at,
        closes_at=closes_at,
        by=by,
        description=_description(ballot),
    )
    added = voting_services.poll_voters_add(
        poll=poll, memberships=voters, by=by, codes_to=discard_codes
    )
    if added.added == 0:
        raise ApplicationError(
            "No one is in the electorate: there is nobody to vote online."
        )
    ballot.poll = poll
    ballot.save(update_fields=["poll", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.POLL_CREATED,
        actor=by,
        data={
            "poll": poll.pk,
            "voters": added.added,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
    )
    return poll


def _number_papers(ballot: Ballot) -> int:
    """Number the electorate's papers 1, 2, 3... employer by employer (by name),
    then by the member's name (members marked as having left get none), in three statements whatever the size: the numbers
    are worked out by ``ROW_NUMBER()`` into a temporary table, then written with
    one ``UPDATE``."""
    numbered = (
        ElectorateEntry.objects.filter(ballot=ballot, reason="", left_on__isnull=True)
        .annotate(
            x_number=Window(
                RowNumber(),
                order_by=[
                    F("employer__name").asc(),
                    F("employer_id").asc(),
                    F("membership__person__last_name").asc(),
                    F("membership__person__first_name").asc(),
                    F("id").asc(),
                ],
            )
        )
        .order_by()
        .values_list("id", "x_number")
    )
    sql, params = numbered.query.sql_with_params()
    quote = connection.ops.quote_name
    temp = quote("disputes_paper_numbers")
    table = quote(ElectorateEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} "
            "(entry_id integer PRIMARY KEY, number integer NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {temp} (entry_id, number) {sql}", params)
        cursor.execute(
            f"UPDATE {table} SET paper_number = "  # noqa: S608 - names from the model; values are parameters
            f"(SELECT number FROM {temp} WHERE entry_id = {table}.id) "
            f"WHERE ballot_id = %s AND reason = '' AND left_on IS NULL",
            [ballot.pk],
        )
        written = int(cursor.rowcount)
        cursor.execute(f"DROP TABLE {temp}")
    return written


@transaction.atomic
def ballot_papers_number(*, ballot: Ballot, by: User | None) -> int:
    """Give every member of the electorate a voting paper number, one of a series
    of consecutive whole numbers from 1 (s.229(1A)(c), (d)); the number of papers.
    Numbered once: a member added later gets the next number."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.papers_numbered_at is not None:
        raise ApplicationError(
            "The voting papers were numbered on "
            f"{short_date(timezone.localdate(ballot.papers_numbered_at))}; members "
            "added since get the next numbers."
        )
    _electorate_stands(ballot, "number the voting papers")
    written = _number_papers(ballot)
    if written == 0:
        raise ApplicationError("No one is in the electorate: no papers to number.")
    ballot.papers_numbered_at = timezone.now()
    ballot.save(update_fields=["papers_numbered_at", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.PAPERS_NUMBERED,
        actor=by,
        data={"papers": written, "first": 1, "last": written},
    )
    return written


def next_paper_number(ballot: Ballot) -> int:
    """The number for a paper produced after the others (a late joiner's)."""
    _count, _first, last = selectors.voting_paper_numbers(ballot=ballot)
    return last + 1
