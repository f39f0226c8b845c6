"""Every write to a poll: create, add voters, send codes, open, vote, close, count.

A body that holds a ballot (a disputes ``Ballot``, later an election or a motion)
keeps a one-to-one link to its ``Poll`` and calls these. Each service is atomic and
records a ``PollEvent``; none records who voted or how (docs/voting.md).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from tolpuddle.core.bulk import bulk_insert
from tolpuddle.core.email import email_render
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.members.models import Membership
from tolpuddle.voting.codes import (
    CodeHasher,
    code_format,
    code_normalise,
    random_code,
    random_codes,
)
from tolpuddle.voting.formats import uk_datetime
from tolpuddle.voting.models import (
    NO,
    YES,
    Answer,
    Choice,
    Poll,
    PollEvent,
    PollEventKind,
    PollKind,
    PollStatus,
    Question,
    Vote,
    Voter,
)
from tolpuddle.voting.selectors import poll_not_accepting_because

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# What poll_voters_add writes of a voter (``core.bulk.bulk_insert``: no model
# objects, one adapter a column).
VOTER_COLUMNS = ("poll_id", "membership_id", "code_hash", "has_voted")
YES_NO = (YES, NO)


# --- What the services take and give ------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class QuestionSpec:
    """A question to ask, with its choices in the order shown. A statutory ballot's
    questions are answered Yes or No, the default."""

    text: str
    choices: Sequence[str] = YES_NO
    key: str = ""


@dataclass(frozen=True)
class IssuedCode:
    """A voting code to send to a member, formatted for people. Held only in memory:
    the database keeps its hash."""

    membership_id: int
    code: str


@dataclass(frozen=True, kw_only=True)
class VotersAdded:
    added: int
    already: int  # already voters in the poll (or given twice): left as they were
    codes: list[IssuedCode] = field(default_factory=list)  # empty when streamed


@dataclass(frozen=True, kw_only=True)
class CodesSent:
    sent: int
    without_email: int


@dataclass(frozen=True, kw_only=True)
class ChoiceCount:
    choice_id: int
    text: str
    votes: int


@dataclass(frozen=True, kw_only=True)
class QuestionCount:
    question_id: int
    key: str
    text: str
    choices: tuple[ChoiceCount, ...]

    def votes_for(self, text: str) -> int:
        for choice in self.choices:
            if choice.text == text:
                return choice.votes
        raise KeyError(text)

    @property
    def answered(self) -> int:
        return sum(choice.votes for choice in self.choices)


@dataclass(frozen=True, kw_only=True)
class PollResult:
    """The count: per question and choice, and the turnout. ``voted`` (members
    marked as having voted) and ``votes_cast`` (voting papers) are counted apart,
    from different tables, and must agree."""

    poll_id: int
    entitled: int
    voted: int
    votes_cast: int
    questions: tuple[QuestionCount, ...]

    def question(self, key: str) -> QuestionCount:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entitled": self.entitled,
            "voted": self.voted,
            "votes_cast": self.votes_cast,
            "questions": [
                {
                    "question": q.question_id,
                    "key": q.key,
                    "text": q.text,
                    "choices": [
                        {"choice": c.choice_id, "text": c.text, "votes": c.votes}
                        for c in q.choices
                    ],
                }
                for q in self.questions
            ],
        }


# --- Helpers ------------------------------------------------------------------------


def poll_event_record(
    *,
    poll: Poll,
    kind: PollEventKind,
    actor: User | None,
    data: dict[str, Any] | None = None,
) -> PollEvent:
    return PollEvent.objects.create(poll=poll, kind=kind, actor=actor, data=data or {})


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


def _locked_shared(poll: Poll) -> Poll:
    """The poll, read under a shared lock on PostgreSQL: votes do not wait for each
    other, but closing (which locks it for update) waits for the votes in flight, and
    a vote that waited for the close sees it closed. On SQLite every writing
    transaction holds the database's write lock (``transaction_mode=IMMEDIATE``)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Poll._meta.db_table)
        return Poll.objects.raw(
            f"SELECT * FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608 - the model's table
            [poll.pk],
        )[0]
    return Poll.objects.get(pk=poll.pk)


def _aware(moment: datetime.datetime, what: str) -> None:
    if timezone.is_naive(moment):
        raise ApplicationError(f"The time {what} needs a time zone.")


def _batches(values: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def _membership_ids(
    memberships: QuerySet[Membership] | Iterable[Membership | int],
) -> tuple[Iterator[int], bool]:
    """The memberships' ids, streamed, and whether they come without repeats (a
    queryset, read in id order with repeats skipped as they come)."""
    if isinstance(memberships, QuerySet):
        ordered = (
            memberships.order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=BATCH_SIZE)
        )

        def unique() -> Iterator[int]:
            last = None
            for pk in ordered:
                if pk != last:
                    yield pk
                last = pk

        return unique(), True
    return (m if isinstance(m, int) else m.pk for m in memberships), False


# --- Creating and preparing ---------------------------------------------------------


def _questions_clean(
    kind: PollKind, questions: Sequence[QuestionSpec]
) -> list[QuestionSpec]:
    if not questions:
        raise ApplicationError("A poll asks at least one question.")
    cleaned: list[QuestionSpec] = []
    keys: set[str] = set()
    for number, spec in enumerate(questions, start=1):
        text = " ".join(spec.text.split())
        if not text:
            raise ApplicationError(f"Question {number} has no text.")
        choices = [" ".join(c.split()) for c in spec.choices]
        if len(choices) < 2 or not all(choices):
            raise ApplicationError(f"“{text}” needs at least two choices, each named.")
        if len(set(choices)) != len(choices):
            raise ApplicationError(f"“{text}” offers the same choice twice.")
        if kind == PollKind.STATUTORY and tuple(choices) != YES_NO:
            raise ApplicationError(
                "A statutory industrial-action ballot's questions are answered Yes or "
                f"No only (TULRCA s.229(2)): “{text}” offers {', '.join(choices)}."
            )
        key = spec.key.strip()
        if key and key in keys:
            raise ApplicationError(f"Two questions have the key “{key}”.")
        keys.add(key)
        cleaned.append(QuestionSpec(text=text, choices=choices, key=key))
    return cleaned


@transaction.atomic
def poll_create(
    *,
    title: str,
    kind: PollKind,
    questions: Sequence[QuestionSpec],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    by: User | None,
    description: str = "",
) -> Poll:
    """A draft poll asking ``questions``, open for votes from ``opens_at`` until
    ``closes_at``. Add the voters, then open it."""
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Give the poll a title.")
    _aware(opens_at, "voting opens")
    _aware(closes_at, "voting closes")
    if closes_at <= opens_at:
        raise ApplicationError(
            f"Voting cannot close ({uk_datetime(closes_at)}) before it opens "
            f"({uk_datetime(opens_at)})."
        )
    if closes_at <= timezone.now():
        raise ApplicationError(
            f"The closing time ({uk_datetime(closes_at)}) has already passed."
        )
    specs = _questions_clean(kind, questions)
    poll = Poll.objects.create(
        title=title,
        kind=kind,
        description=description.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=by,
    )
    for position, spec in enumerate(specs, start=1):
        question = Question.objects.create(
            poll=poll, position=position, key=spec.key, text=spec.text
        )
        Choice.objects.bulk_create(
            [
                Choice(question=question, position=n, text=text)
                for n, text in enumerate(spec.choices, start=1)
            ]
        )
    poll_event_record(
        poll=poll,
        kind=PollEventKind.CREATED,
        actor=by,
        data={
            "title": title,
            "kind": kind,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "questions": [
                {"key": s.key, "text": s.text, "choices": list(s.choices)}
                for s in specs
            ],
        },
    )
    return poll


CodesSink = Callable[[Sequence[IssuedCode]], None]


@transaction.atomic
def poll_voters_add(
    *,
    poll: Poll,
    memberships: QuerySet[Membership] | Iterable[Membership | int],
    by: User | None,
    codes_to: CodesSink | None = None,
) -> VotersAdded:
    """Make ``memberships`` voters in ``poll``, each with a new one-time code.

    The codes are stored only as hashes. They are handed to ``codes_to`` a batch of
    5,000 at a time, as each batch is written (for a printer or a mailing house:
    the write is only final when the transaction commits), or, without
    ``codes_to``, returned in the result: fine for thousands, not for a million.
    Memory stays flat: the memberships are streamed (a queryset is read in chunks)
    and written in batches with ``core.bulk.bulk_insert`` (no model objects; the
    codes made and hashed a batch at a time). A member already a voter keeps
    their code. A poll that has closed takes no more voters.

    ``poll_codes_send`` emails every voter a fresh code (which replaces this one),
    so a poll sent by email need not keep these."""
    poll = _locked(poll)
    if poll.status not in (PollStatus.DRAFT, PollStatus.OPEN):
        raise ApplicationError(
            f"“{poll}” is {poll.get_status_display().lower()}: no more voters."
        )
    hasher = CodeHasher()
    added = already = 0
    collected: list[IssuedCode] = []
    ids_in, unique = _membership_ids(memberships)
    # Who is a voter already need only be looked up if anyone might be: the poll
    # had voters before, or the ids may repeat (from batch to batch).
    look_up = not unique or Voter.objects.filter(poll=poll).exists()
    for ids in _batches(ids_in, BATCH_SIZE):
        existing = (
            set(
                Voter.objects.filter(poll=poll, membership_id__in=ids).values_list(
                    "membership_id", flat=True
                )
            )
            if look_up
            else set()
        )
        fresh = [pk for pk in dict.fromkeys(ids) if pk not in existing]
        already += len(ids) - len(fresh)
        codes = random_codes(len(fresh))
        poll_id = poll.pk
        rows = [
            (poll_id, pk, code_hash, False)
            for pk, code_hash in zip(fresh, hasher.hash_many(codes), strict=True)
        ]
        # In the order of their hashes: the unique index on code_hash then fills
        # from left to right (twice as fast on SQLite as in the members' order).
        rows.sort(key=itemgetter(2))
        bulk_insert(Voter, VOTER_COLUMNS, rows)
        added += len(fresh)
        issued = [
            IssuedCode(membership_id=pk, code=code_format(code))
            for pk, code in zip(fresh, codes, strict=True)
        ]
        if codes_to is not None:
            codes_to(issued)
        else:
            collected.extend(issued)
    poll_event_record(
        poll=poll,
        kind=PollEventKind.VOTERS_ADDED,
        actor=by,
        data={"added": added, "already": already},
    )
    return VotersAdded(added=added, already=already, codes=collected)


def _poll_still_to_close(poll: Poll, action: str) -> None:
    if poll.status not in (PollStatus.DRAFT, PollStatus.OPEN):
        raise ApplicationError(
            f"“{poll}” is {poll.get_status_display().lower()}: {action}."
        )
    if poll.closes_at <= timezone.now():
        raise ApplicationError(
            f"Voting in “{poll}” closed at {uk_datetime(poll.closes_at)}: {action}."
        )


@transaction.atomic
def poll_codes_send(*, poll: Poll, by: User | None) -> None:
    """Email every voter who has not yet voted a fresh voting code, in the
    background (``tasks.poll_codes_send_task``, after this commits). The codes are
    made by the worker as it sends, so that none is ever written down (not even in
    the task queue); the email replaces any code the member had before. The task
    records a "codes sent" event when it is done."""
    poll = _locked(poll)
    _poll_still_to_close(poll, "no codes to send")
    if not Voter.objects.filter(poll=poll).exists():
        raise ApplicationError(f"“{poll}” has no voters yet: add them first.")
    from tolpuddle.voting.tasks import poll_codes_send_task

    poll_id, actor_id = poll.pk, by.pk if by else None
    transaction.on_commit(
        lambda: poll_codes_send_task.enqueue(poll_id=poll_id, actor_id=actor_id)
    )


def _code_email(poll: Poll, first_name: str, code: str) -> tuple[str, str]:
    site = settings.TOLPUDDLE_SITE_URL.rstrip("/")
    return email_render(
        template="voting/email/code",
        context={
            "poll": poll,
            "first_name": first_name,
            "code": code,
            "opens_at": uk_datetime(poll.opens_at),
            "closes_at": uk_datetime(poll.closes_at),
            "not_yet_open": poll.opens_at > timezone.now(),
            "vote_url": site + reverse("voting:vote_with_code", args=[poll.pk]),
            "portal_url": site + reverse("voting:my_vote", args=[poll.pk]),
        },
    )


def poll_codes_email(*, poll: Poll, by: User | None = None) -> CodesSent:
    """What ``poll_codes_send``'s task runs: for each batch of 5,000 voters who have
    not voted, make fresh codes, store their hashes (committed), then send the
    emails over one connection. A batch is atomic; the whole is not: if sending
    fails half-way, run it again (everyone not yet voted is sent a new code, and the
    newest code is the one that works)."""
    hasher = CodeHasher()
    mail = get_connection()
    table = connection.ops.quote_name(Voter._meta.db_table)
    last = 0
    sent = without_email = 0
    while True:
        batch = list(
            Voter.objects.filter(poll=poll, has_voted=False, pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk", "membership__person__email", "membership__person__first_name"
            )[:BATCH_SIZE]
        )
        if not batch:
            break
        last = batch[-1][0]
        addressed = {pk: (email, name) for pk, email, name in batch if email}
        without_email += len(batch) - len(addressed)
        codes = {pk: random_code() for pk in addressed}
        with transaction.atomic():
            # Only those who have still not voted; the lock keeps a vote from
            # landing between this read and the new codes.
            still = list(
                Voter.objects.select_for_update()
                .filter(pk__in=list(codes), has_voted=False)
                .values_list("pk", flat=True)
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET code_hash = %s WHERE id = %s",  # noqa: S608 - the model's table
                    [(hasher.hash(codes[pk]), pk) for pk in still],
                )
        messages = []
        for pk in still:
            email, name = addressed[pk]
            subject, body = _code_email(poll, name, code_format(codes[pk]))
            messages.append(
                EmailMultiAlternatives(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[email],
                    connection=mail,
                )
            )
        mail.send_messages(messages)
        sent += len(messages)
    with transaction.atomic():
        poll_event_record(
            poll=poll,
            kind=PollEventKind.CODES_SENT,
            actor=by,
            data={"sent": sent, "without_email": without_email},
        )
    return CodesSent(sent=sent, without_email=without_email)


@transaction.atomic
def poll_open(*, poll: Poll, by: User | None) -> Poll:
    """Open ``poll`` for voting (votes are taken from its opening time). A
    statutory industrial-action ballot may be held online only once the law allows
    it for ballots opening that day (s.230; Settings > Ballot law)."""
    poll = _locked(poll)
    if poll.status != PollStatus.DRAFT:
        raise ApplicationError(
            f"“{poll}” is already {poll.get_status_display().lower()}."
        )
    if poll.closes_at <= timezone.now():
        raise ApplicationError(
            f"The closing time ({uk_datetime(poll.closes_at)}) has passed: too late "
            "to open."
        )
    voters = Voter.objects.filter(poll=poll).count()
    if voters == 0:
        raise ApplicationError(f"No one can vote in “{poll}”: add the voters first.")
    if poll.kind == PollKind.STATUTORY:
        from tolpuddle.ballot_law.calculations import regime_for

        opening = timezone.localdate(poll.opens_at)
        if not regime_for(opening=opening).electronic_voting_permitted:
            raise ApplicationError(
                "A statutory industrial-action ballot opening on "
                f"{opening:%d/%m/%Y} must be held by post: electronic voting is not "
                "permitted for it (TULRCA s.230; the day it is permitted from is set "
                "in Settings > Ballot law)."
            )
    poll.status = PollStatus.OPEN
    poll.save(update_fields=["status", "updated_at"])
    poll_event_record(
        poll=poll, kind=PollEventKind.OPENED, actor=by, data={"voters": voters}
    )
    return poll


# --- Voting -------------------------------------------------------------------------


def _refuse(message: str, reason: str, field: str | None = None) -> ApplicationError:
    return ApplicationError(message, extra={"reason": reason, "field": field})


def _check_accepting(poll: Poll, now: datetime.datetime) -> None:
    reason = poll_not_accepting_because(poll=poll, now=now)
    if reason is not None:
        raise _refuse(reason[1], reason[0])


def _voter_by_code(poll: Poll, typed: str) -> Voter:
    code = code_normalise(typed)
    if code is None:
        raise _refuse(
            "That is not a voting code. A code has 16 letters and numbers, like "
            "ABCD-EFGH-JKMN-PQRS: copy it from your email.",
            "bad_code",
            "code",
        )
    voter = (
        Voter.objects.select_related("poll")
        .filter(code_hash__in=CodeHasher().candidates(code))
        .first()
    )
    if voter is None:
        raise _refuse(
            "We do not recognise that code. Check it against your email; if you were "
            "sent more than one, use the latest.",
            "unknown_code",
            "code",
        )
    if voter.poll_id != poll.pk:
        raise _refuse(
            f"That code is for another ballot, “{voter.poll}”, not “{poll}”. Use the "
            "code from the email about this ballot.",
            "other_poll",
            "code",
        )
    return voter


def _already_voted(poll: Poll) -> ApplicationError:
    return _refuse(
        f"You have already voted in “{poll}”. Each member votes once, and a vote "
        "cannot be changed.",
        "already_voted",
    )


def _answers_clean(poll: Poll, answers: Mapping[int, int]) -> list[tuple[int, int]]:
    questions = list(poll.questions.prefetch_related("choices"))
    asked = {q.pk for q in questions}
    unasked = [pk for pk in answers if pk not in asked]
    if unasked:
        raise _refuse("Those answers are not to this ballot's questions.", "answers")
    chosen: list[tuple[int, int]] = []
    problems: dict[str, str] = {}
    for question in questions:
        choice = answers.get(question.pk)
        offered = {c.pk for c in question.choices.all()}
        if choice is None:
            problems[f"question-{question.pk}"] = f"Choose an answer to “{question}”."
        elif choice not in offered:
            problems[f"question-{question.pk}"] = (
                f"That is not one of the answers to “{question}”."
            )
        else:
            chosen.append((question.pk, choice))
    if problems:
        error = _refuse(" ".join(problems.values()), "answers")
        error.extra["fields"] = problems
        raise error
    return chosen


@transaction.atomic
def vote_cast(
    *,
    poll: Poll,
    answers: Mapping[int, int],
    code: str | None = None,
    membership: Membership | None = None,
) -> str:
    """Cast a vote in ``poll``: ``answers`` maps each question's id to the chosen
    choice's id. The voter is the holder of ``code``, or ``membership`` (a member
    signed in to the portal, who needs no code). Returns the receipt, formatted, to
    show the voter once.

    Marking the voter as having voted and writing the vote happen in this one
    transaction, and the mark is a conditional ``UPDATE ... WHERE has_voted = false``
    whose row count decides: of two submissions at once (the same code twice, or the
    code and the portal), one updates the row and the other finds it already voted,
    waiting for the first on PostgreSQL's row lock, or on SQLite's write lock."""
    if (code is None) == (membership is None):
        raise ValueError("vote_cast needs a code or a membership, not both")
    poll = _locked_shared(poll)
    _check_accepting(poll, timezone.now())
    if code is not None:
        voter = _voter_by_code(poll, code)
    else:
        found = Voter.objects.filter(poll=poll, membership=membership).first()
        if found is None:
            raise _refuse(
                f"You are not one of the members entitled to vote in “{poll}”.",
                "not_a_voter",
            )
        voter = found
    if voter.has_voted:
        raise _already_voted(poll)
    chosen = _answers_clean(poll, answers)
    mark = Voter.objects.filter(pk=voter.pk, has_voted=False)
    if code is not None:  # a code replaced meanwhile (codes re-sent) no longer works
        mark = mark.filter(code_hash=voter.code_hash)
    if mark.update(has_voted=True) != 1:
        if Voter.objects.filter(pk=voter.pk, has_voted=False).exists():
            raise _refuse(  # a new code was sent between the look-up and now
                "That code has been replaced by a newer one: use the code in the "
                "latest email.",
                "unknown_code",
                "code",
            )
        raise _already_voted(poll)
    vote = _vote_insert(poll, chosen)
    return code_format(vote.receipt)


# --- Closing and counting -----------------------------------------------------------


def _votes_rewrite(poll: Poll) -> None:
    """PostgreSQL: write the poll's votes and answers again, in the order of their
    random keys, and touch every voter row of the poll, so that nothing in how the
    database stores them keeps the order or the transaction they were cast in: the
    physical order of the rows, and ``xmin`` (the id of the transaction that wrote a
    row, which a vote and its voter's mark share until now). Every row then carries
    the closing transaction's id. See docs/voting.md.

    SQLite needs none of this: it keeps no transaction ids, and ``_vote_insert``
    gives each vote a random ``rowid``, so its order was never the order of voting."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    names = {
        "votes": quote(Vote._meta.db_table),
        "answers": quote(Answer._meta.db_table),
        "voters": quote(Voter._meta.db_table),
    }
    params: dict[str, int | list[int]] = {
        "poll": poll.pk,
        "questions": list(poll.questions.values_list("pk", flat=True)),
    }
    templates = [
        "CREATE TEMP TABLE voting_rewrite_vote ON COMMIT DROP AS"
        " SELECT * FROM {votes} WHERE poll_id = %(poll)s",
        "CREATE TEMP TABLE voting_rewrite_answer ON COMMIT DROP AS"
        " SELECT * FROM {answers} WHERE question_id = ANY(%(questions)s)",
        "DELETE FROM {answers} WHERE question_id = ANY(%(questions)s)",
        "DELETE FROM {votes} WHERE poll_id = %(poll)s",
        "INSERT INTO {votes} SELECT * FROM voting_rewrite_vote ORDER BY id",
        "INSERT INTO {answers} SELECT * FROM voting_rewrite_answer"
        " ORDER BY vote_id, question_id",
        "UPDATE {voters} SET has_voted = has_voted WHERE poll_id = %(poll)s",
        # Now, not at commit: another poll may close in the same transaction.
        "DROP TABLE voting_rewrite_vote, voting_rewrite_answer",
    ]
    with connection.cursor() as cursor:
        for template in templates:
            cursor.execute(template.format(**names), params)


def _vote_insert(poll: Poll, chosen: list[tuple[int, int]]) -> Vote:
    """Write a vote and its answers. On SQLite, with random ``rowid``s: a table
    without an integer primary key is stored in ``rowid`` order, which SQLite would
    otherwise hand out in sequence, the order of voting."""
    vote = Vote(poll=poll, receipt=random_code())
    if connection.vendor != "sqlite":
        vote.save()
        Answer.objects.bulk_create(
            [Answer(vote=vote, question_id=q, choice_id=c) for q, c in chosen]
        )
        return vote
    quote = connection.ops.quote_name
    key = Vote._meta.pk.get_db_prep_value(vote.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Vote._meta.db_table)} (rowid, id, poll_id, receipt)"  # noqa: S608 - the model's table
            " VALUES (%s, %s, %s, %s)",
            [_random_rowid(), key, poll.pk, vote.receipt],
        )
        cursor.executemany(
            f"INSERT INTO {quote(Answer._meta.db_table)}"  # noqa: S608 - the model's table
            " (rowid, vote_id, question_id, choice_id) VALUES (%s, %s, %s, %s)",
            [(_random_rowid(), key, q, c) for q, c in chosen],
        )
    vote._state.adding = False
    return vote


def _random_rowid() -> int:
    return secrets.randbelow(2**63 - 2) + 1


def _after_close_tidy() -> None:
    """Best effort, after the close commits: PostgreSQL's VACUUM removes the old
    copies of the rows rewritten; SQLite's checkpoint empties the write-ahead log."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for model in (Vote, Answer, Voter):
                    cursor.execute(
                        f"VACUUM {connection.ops.quote_name(model._meta.db_table)}"
                    )
            else:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:  # logged: the close stands
        logger.warning(
            "Tidying the database after closing a poll failed", exc_info=True
        )


@transaction.atomic
def poll_close(*, poll: Poll, by: User | None) -> Poll:
    """Close ``poll`` once its closing time has passed, and publish the receipts.
    On PostgreSQL the votes are written again in random order (``_votes_rewrite``):
    for a million votes, run it from the worker (``tasks.poll_close_task``)."""
    poll = _locked(poll)
    if poll.status != PollStatus.OPEN:
        raise ApplicationError(
            f"“{poll}” is {poll.get_status_display().lower()}, not open: it cannot "
            "be closed."
        )
    if timezone.now() < poll.closes_at:
        raise ApplicationError(
            f"Voting in “{poll}” runs until {uk_datetime(poll.closes_at)}: it can be "
            "closed only after then."
        )
    _votes_rewrite(poll)
    poll.status = PollStatus.CLOSED
    poll.save(update_fields=["status", "updated_at"])
    poll_event_record(
        poll=poll,
        kind=PollEventKind.CLOSED,
        actor=by,
        data={"votes_cast": Vote.objects.filter(poll=poll).count()},
    )
    transaction.on_commit(_after_close_tidy)
    return poll


def _tally(poll: Poll) -> PollResult:
    questions = list(poll.questions.prefetch_related("choices"))
    counts: dict[int, int] = dict(
        Answer.objects.filter(question_id__in=[q.pk for q in questions])
        .values("choice_id")
        .annotate(votes=Count("*"))
        .order_by()
        .values_list("choice_id", "votes")
    )
    voters = Voter.objects.filter(poll=poll)
    return PollResult(
        poll_id=poll.pk,
        entitled=voters.count(),
        voted=voters.filter(has_voted=True).count(),
        votes_cast=Vote.objects.filter(poll=poll).count(),
        questions=tuple(
            QuestionCount(
                question_id=q.pk,
                key=q.key,
                text=q.text,
                choices=tuple(
                    ChoiceCount(choice_id=c.pk, text=c.text, votes=counts.get(c.pk, 0))
                    for c in q.choices.all()
                ),
            )
            for q in questions
        ),
    )


@transaction.atomic
def poll_count(*, poll: Poll, by: User | None) -> PollResult:
    """Count a closed poll: for each question, the votes for each choice (one
    ``GROUP BY`` in the database), and the turnout. Refused, and nothing recorded,
    if the figures do not balance: as many voting papers as members marked as having
    voted, and every paper answering every question. Counting again gives the same
    result and records it again."""
    poll = _locked(poll)
    if poll.status not in (PollStatus.CLOSED, PollStatus.COUNTED):
        raise ApplicationError(f"Close “{poll}” before counting it.")
    result = _tally(poll)
    problems = []
    if result.voted != result.votes_cast:
        problems.append(
            f"{result.voted} members are marked as having voted but there are "
            f"{result.votes_cast} voting papers."
        )
    problems += [
        f"“{q.text}” has {q.answered} answers from {result.votes_cast} voting papers."
        for q in result.questions
        if q.answered != result.votes_cast
    ]
    if problems:
        raise ApplicationError(
            "The count does not balance, so it is not recorded: "
            + " ".join(problems)
            + " Tell the scrutineer.",
            extra={"problems": problems},
        )
    poll.status = PollStatus.COUNTED
    poll.save(update_fields=["status", "updated_at"])
    poll_event_record(
        poll=poll, kind=PollEventKind.COUNTED, actor=by, data=result.as_dict()
    )
    return result
