"""After the vote: the result, as the scrutineer counts it (a postal ballot) or as
the online poll counts it; the result to each employer (s.231A) and to every member
entitled to vote (s.231).

Whether a result gives a mandate is never worked out here: each question's figures
go to ``ballot_law.calculations.ballot_outcome`` (through ``disputes.law``), and
what it says is kept on the ``BallotResult``."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tolpuddle.core.email import email_render
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.core.progress import progress_update
from tolpuddle.disputes import documents, law, selectors
from tolpuddle.disputes.models import (
    ActionNotice,
    Ballot,
    BallotQuestion,
    BallotResult,
    BallotStatus,
    DisputeEventKind,
    ElectorateEntry,
    MandateExtension,
    ResultNotice,
    ResultSource,
)
from tolpuddle.disputes.services.common import (
    dispute_event_record,
    short_date,
    today,
)
from tolpuddle.disputes.services.polls import poll_question_key
from tolpuddle.members.models import Workplace
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.models import NO, YES, PollStatus

logger = logging.getLogger(__name__)

# Members emailed the result (s.231) in batches of this many: each batch is
# recorded as sent once its emails have gone.
EMAIL_BATCH = 1000
# A run sending the result holds the ballot this long after its last batch began.
EMAIL_LEASE = datetime.timedelta(minutes=15)
_SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True, kw_only=True)
class QuestionFigures:
    """The scrutineer's count of one question: Yes, No and spoiled papers."""

    yes: int
    no: int
    spoiled: int


@dataclass(frozen=True, kw_only=True)
class CountFigures:
    """One ballot's count (the whole ballot, or one workplace's ballot): how many
    were entitled to vote, and each question's figures by its position on the
    paper (1, 2)."""

    entitled: int
    questions: Mapping[int, QuestionFigures]


def _share(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _SIX_PLACES, rounding=ROUND_DOWN
    )


def _share_or_none(value: Fraction | None) -> Decimal | None:
    return None if value is None else _share(value)


def _counts_given(
    *,
    ballot: Ballot,
    questions_asked: list[BallotQuestion],
    entitled: int | None,
    yes: int | None,
    no: int | None,
    spoiled: int | None,
    questions: Mapping[int, QuestionFigures] | None,
    workplaces: Mapping[int, CountFigures] | None,
) -> dict[int | None, CountFigures]:
    single = [value for value in (yes, no, spoiled) if value is not None]
    if workplaces is not None:
        if entitled is not None or single or questions is not None:
            raise ApplicationError(
                "Give the figures of each workplace's ballot, or of the whole ballot, "
                "not both."
            )
        given: dict[int | None, CountFigures] = dict(workplaces.items())
        return given
    if entitled is None:
        raise ApplicationError("Give the number of members entitled to vote.")
    if questions is not None:
        if single:
            raise ApplicationError(
                "Give the figures for each question, or for the one question, not both."
            )
        return {None: CountFigures(entitled=entitled, questions=questions)}
    if len(questions_asked) != 1:
        raise ApplicationError(
            f"This ballot asks {len(questions_asked)} questions: give the Yes, No and "
            "spoiled figures for each."
        )
    if yes is None or no is None or spoiled is None:
        raise ApplicationError(
            "Give the numbers answering Yes and No and of spoiled papers (0 if none)."
        )
    position = questions_asked[0].position
    return {
        None: CountFigures(
            entitled=entitled,
            questions={position: QuestionFigures(yes=yes, no=no, spoiled=spoiled)},
        )
    }


def _check_groups(
    ballot: Ballot, counts: Mapping[int | None, CountFigures]
) -> dict[int | None, tuple[int, int]]:
    """The counts must be of the ballots held: one aggregated ballot, or a ballot
    at each workplace of the electorate (s.228). The electorate of each, from the
    freeze: with and without the members since marked as having left."""
    electorate = selectors.electorate_by_workplace(ballot=ballot)
    current = selectors.electorate_by_workplace(ballot=ballot, without_leavers=True)
    if not selectors.separate_workplace_ballots(ballot):
        if set(counts) != {None}:
            raise ApplicationError(
                "This ballot was held as one ballot: give its figures as a whole, not "
                "by workplace."
            )
        return {None: (sum(electorate.values()), sum(current.values()))}
    if None in counts:
        raise ApplicationError(
            "This ballot was held as separate workplace ballots (s.228): give each "
            "workplace's figures, by workplace."
        )
    if None in electorate:
        raise ApplicationError(
            f"{electorate[None]} members of the electorate have no workplace recorded: "
            "in separate workplace ballots (s.228) each member votes in the ballot at "
            "their workplace. Record their workplaces first."
        )
    expected, given = set(electorate), set(counts)
    places = Workplace.objects.in_bulk([pk for pk in expected | given if pk])
    missing = sorted(places[pk].name for pk in expected - given if pk in places)
    if missing:
        raise ApplicationError(
            "Give the figures of the ballot at every workplace: missing "
            f"{', '.join(missing)}."
        )
    extra = sorted(
        places[pk].name if pk in places else str(pk) for pk in given - expected if pk
    )
    if extra or None in given:
        raise ApplicationError(
            "Figures were given for workplaces with no one in the electorate: "
            f"{', '.join(extra) or 'the whole ballot'}."
        )
    return {pk: (n, current.get(pk, 0)) for pk, n in electorate.items()}


def _result_replaceable(ballot: Ballot) -> None:
    """A result may be recorded again (corrected) until it has been told to anyone
    or acted on."""
    given = ResultNotice.objects.filter(ballot=ballot, given_on__isnull=False).first()
    if given is not None:
        raise ApplicationError(
            f"The result was given to {given.employer.name} on "
            f"{short_date(given.given_on)}: it stands as recorded."  # type: ignore[arg-type]
        )
    if ballot.members_informing_from is not None:
        raise ApplicationError(
            "The result has been sent to the members: it stands as recorded."
        )
    if (
        ActionNotice.objects.filter(ballot=ballot).exists()
        or MandateExtension.objects.filter(ballot=ballot).exists()
    ):
        raise ApplicationError(
            "Notices of industrial action rest on this result: it stands as recorded."
        )


def _result_write(
    *,
    ballot: Ballot,
    counts: Mapping[int | None, CountFigures],
    questions_asked: list[BallotQuestion],
    declared_on: datetime.date,
    by: User | None,
    source: ResultSource,
    scrutineer_report: File[Any] | None,
) -> list[BallotResult]:
    if ballot.status == BallotStatus.DRAFT:
        raise ApplicationError("This ballot never opened: it has no result.")
    if declared_on < ballot.closing_on:
        raise ApplicationError(
            f"The result cannot be declared ({short_date(declared_on)}) before the "
            f"ballot closes ({short_date(ballot.closing_on)})."
        )
    if declared_on > today():
        raise ApplicationError(
            "Record the day the result was declared, not a day to come."
        )
    replaced = ballot.result_declared_on is not None
    if replaced:
        _result_replaceable(ballot)
    electorate = _check_groups(ballot, counts)
    asked = {q.position: q for q in questions_asked}
    days = law.commencements()
    regime = law.regime_for(opening_on=ballot.opening_on, days=days)
    expires = law.mandate_expires(closing_on=ballot.closing_on, regime=regime)
    extendable = law.mandate_expires(
        closing_on=ballot.closing_on, regime=regime, extended=True
    )
    places = Workplace.objects.in_bulk([pk for pk in counts if pk])
    rows: list[BallotResult] = []
    for workplace_id, count in sorted(counts.items(), key=lambda item: item[0] or 0):
        where = f"The ballot at {places[workplace_id].name}: " if workplace_id else ""
        if set(count.questions) != set(asked):
            raise ApplicationError(
                f"{where}give the figures for each question asked, and only those "
                f"(questions {', '.join(str(p) for p in sorted(asked))})."
            )
        warnings = []
        held, current = electorate[workplace_id]
        if count.entitled not in (held, current):
            without = (
                f", or {current:,} without those marked as having left"
                if current != held
                else ""
            )
            warnings.append(
                f"{where}the number entitled to vote ({count.entitled:,}) is not the "
                f"number in the electorate held here ({held:,}{without}); check it "
                "with the scrutineer."
            )
        for position, figures in sorted(count.questions.items()):
            question = asked[position]
            try:
                outcome = law.outcome(
                    opening_on=ballot.opening_on,
                    entitled=count.entitled,
                    yes=figures.yes,
                    no=figures.no,
                    spoiled=figures.spoiled,
                    important_public_service=ballot.important_public_service,
                    days=days,
                )
            except law.BallotLawError as error:
                raise law.BallotLawError(f"{where}“{question}”: {error}") from error
            statutory = ballot.is_statutory
            mandate = statutory and outcome.mandate
            reasons = (
                list(outcome.reasons)
                if statutory
                else [
                    "A consultative ballot gives no mandate for industrial action: only a "
                    "statutory ballot does (TULRCA s.226)."
                ]
            )
            rows.append(
                BallotResult(
                    ballot=ballot,
                    question=question,
                    workplace_id=workplace_id,
                    regime=regime.slug,
                    entitled=count.entitled,
                    votes_cast=outcome.votes_cast,
                    yes=figures.yes,
                    no=figures.no,
                    spoiled=figures.spoiled,
                    important_public_service=ballot.important_public_service,
                    turnout=_share(outcome.turnout),
                    turnout_threshold=_share_or_none(outcome.turnout_threshold)
                    if statutory
                    else None,
                    turnout_threshold_met=outcome.turnout_threshold_met
                    if statutory
                    else None,
                    support=_share(outcome.support),
                    support_threshold=_share_or_none(outcome.support_threshold)
                    if statutory
                    else None,
                    support_threshold_met=outcome.support_threshold_met
                    if statutory
                    else None,
                    majority_yes=outcome.majority_yes,
                    mandate=mandate,
                    reasons=reasons,
                    warnings=[*warnings, *outcome.warnings],
                    declared_on=declared_on,
                    mandate_expires_on=expires if mandate else None,
                    mandate_extendable_to=extendable if mandate else None,
                )
            )
    if replaced:
        ResultNotice.objects.filter(ballot=ballot).delete()
        BallotResult.objects.filter(ballot=ballot).delete()
    BallotResult.objects.bulk_create(rows)
    ballot.status = BallotStatus.CLOSED
    ballot.result_declared_on = declared_on
    ballot.result_source = source
    ballot.result_recorded_at = timezone.now()
    ballot.result_recorded_by = by
    fields = [
        "status",
        "result_declared_on",
        "result_source",
        "result_recorded_at",
        "result_recorded_by",
        "updated_at",
    ]
    notices = _result_notices_prepare(ballot, regime) if ballot.is_statutory else []
    if scrutineer_report is not None:
        ballot.scrutineer_report.save(
            scrutineer_report.name or f"ballot-{ballot.pk}-report",
            scrutineer_report,
            save=False,
        )
        fields.append("scrutineer_report")
    ballot.save(update_fields=fields)
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.RESULT_RECORDED,
        actor=by,
        data={
            "declared_on": declared_on.isoformat(),
            "source": source,
            "replaced": replaced,
            "regime": regime.slug,
            "results": [
                {
                    "question": row.question.position,
                    "workplace": row.workplace_id,
                    "entitled": row.entitled,
                    "yes": row.yes,
                    "no": row.no,
                    "spoiled": row.spoiled,
                    "mandate": row.mandate,
                }
                for row in rows
            ],
            "mandate_expires_on": expires.isoformat()
            if expires and any(row.mandate for row in rows)
            else None,
            "result_notices": [n.employer_id for n in notices],
        },
    )
    return list(selectors.ballot_results(ballot=ballot))


def _result_notices_prepare(ballot: Ballot, regime: law.Regime) -> list[ResultNotice]:
    """The result to each employer of someone entitled to vote (s.231A), with the
    same figures as go to the members; checked against the regime's statements."""
    members = documents.result_content(ballot=ballot)
    problems = documents.result_problems(content=members, regime=regime)
    if problems:
        raise ApplicationError(" ".join(problems), extra={"problems": problems})
    notices = []
    for employer in selectors.employers_with_electors(ballot=ballot):
        content = documents.result_content(ballot=ballot, employer=employer)
        notices.append(
            ResultNotice.objects.create(
                ballot=ballot,
                employer=employer,
                content=content,
                text=documents.result_text(content),
            )
        )
    return notices


@transaction.atomic
def ballot_result_record(
    *,
    ballot: Ballot,
    declared_on: datetime.date,
    by: User | None,
    entitled: int | None = None,
    yes: int | None = None,
    no: int | None = None,
    spoiled: int | None = None,
    questions: Mapping[int, QuestionFigures] | None = None,
    workplaces: Mapping[int, CountFigures] | None = None,
    scrutineer_report: File[Any] | None = None,
) -> list[BallotResult]:
    """Record the result the independent scrutineer returned, declared on
    ``declared_on`` (on or after the closing day); the ballot closes.

    The figures come one of three ways: ``entitled``, ``yes``, ``no`` and
    ``spoiled`` for a ballot asking one question; ``entitled`` and ``questions``
    (each question's figures by its position) for one asking two; or, for separate
    workplace ballots (s.228), ``workplaces``: each workplace's count by its id, for
    every workplace of the electorate, each deciding on its own.

    Each question's figures are judged by ``ballot_law`` under the regime of the
    opening day; figures that cannot be right (more papers than voters, none
    entitled) are refused (``BallotLawError``) and nothing is written. The result to
    each employer (s.231A) is prepared with it. It may be recorded again, to
    correct it, until it has been given to an employer or sent to the members."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    asked = list(ballot.questions.order_by("position"))
    counts = _counts_given(
        ballot=ballot,
        questions_asked=asked,
        entitled=entitled,
        yes=yes,
        no=no,
        spoiled=spoiled,
        questions=questions,
        workplaces=workplaces,
    )
    return _result_write(
        ballot=ballot,
        counts=counts,
        questions_asked=asked,
        declared_on=declared_on,
        by=by,
        source=ResultSource.SCRUTINEER,
        scrutineer_report=scrutineer_report,
    )


@transaction.atomic
def ballot_result_from_poll(
    *,
    ballot: Ballot,
    declared_on: datetime.date,
    by: User | None,
    scrutineer_report: File[Any] | None = None,
) -> list[BallotResult]:
    """Record the result of the ballot's online vote: the poll is closed (once its
    closing time has passed) and counted (``voting.services.poll_count``, which
    refuses a count that does not balance), and its figures are judged as the
    scrutineer's would be. An online voting paper cannot be spoiled: each answers
    every question Yes or No."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.poll is None:
        raise ApplicationError(
            "This ballot has no online vote: record the scrutineer's count instead."
        )
    poll = ballot.poll
    if poll.status == PollStatus.DRAFT:
        raise ApplicationError("The online vote never opened: it has no result.")
    if poll.status == PollStatus.OPEN:
        voting_services.poll_close(poll=poll, by=by)
    counted = voting_services.poll_count(poll=poll, by=by)
    asked = list(ballot.questions.order_by("position"))
    figures = {}
    for question in asked:
        tally = counted.question(poll_question_key(question))
        figures[question.position] = QuestionFigures(
            yes=tally.votes_for(YES), no=tally.votes_for(NO), spoiled=0
        )
    return _result_write(
        ballot=ballot,
        counts={None: CountFigures(entitled=counted.entitled, questions=figures)},
        questions_asked=asked,
        declared_on=declared_on,
        by=by,
        source=ResultSource.ONLINE,
        scrutineer_report=scrutineer_report,
    )


@transaction.atomic
def result_notice_record_given(
    *, notice: ResultNotice, given_on: datetime.date, by: User | None
) -> ResultNotice:
    """Record the day the employer was given the result (s.231A): on or after the
    day it was declared, and not a day to come. Notice of industrial action to
    that employer may be given from then on."""
    notice = (
        ResultNotice.objects.select_for_update()
        .select_related("ballot", "employer")
        .get(pk=notice.pk)
    )
    ballot = notice.ballot
    if notice.given_on is not None:
        raise ApplicationError(
            f"The result was recorded as given to {notice.employer.name} on "
            f"{short_date(notice.given_on)}."
        )
    if given_on > today():
        raise ApplicationError("Record the day it was given, not a day to come.")
    assert ballot.result_declared_on is not None  # noqa: S101 - notices follow a result
    if given_on < ballot.result_declared_on:
        raise ApplicationError(
            f"The result was declared on {short_date(ballot.result_declared_on)}: it "
            "cannot have been given before."
        )
    notice.given_on = given_on
    notice.given_by = by
    notice.save(update_fields=["given_on", "given_by", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.RESULT_NOTICE_GIVEN,
        actor=by,
        data={
            "employer": notice.employer_id,
            "given_on": given_on.isoformat(),
            "days_after_declaration": (given_on - ballot.result_declared_on).days,
        },
    )
    return notice


@transaction.atomic
def ballot_result_inform_members(*, ballot: Ballot, by: User | None) -> None:
    """Email the result (s.231) to every member entitled to vote, in the background
    (``tasks.ballot_result_email_task``, after this commits). Run it again after a
    failure: it resumes, and no member is sent it twice. Members without an email
    address are counted, to be written to."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.result_declared_on is None:
        raise ApplicationError("Record the result first.")
    if ballot.members_informed_at is not None:
        raise ApplicationError(
            "The result was sent to every member with an email address on "
            f"{short_date(timezone.localdate(ballot.members_informed_at))}."
        )
    resumed = ballot.members_informing_from is not None
    if not resumed:
        ballot.members_informing_from = timezone.now()
        ballot.save(update_fields=["members_informing_from", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.RESULT_SENDING,
        actor=by,
        data={"resumed": resumed},
    )
    from tolpuddle.disputes.tasks import ballot_result_email_task

    ballot_id, actor_id = ballot.pk, by.pk if by else None
    transaction.on_commit(
        lambda: ballot_result_email_task.enqueue(ballot_id=ballot_id, actor_id=actor_id)
    )


@dataclass(frozen=True, kw_only=True)
class ResultEmailed:
    sent: int  # by this run
    without_email: int  # members still to be told some other way (by post)
    already_running: bool = False


def _lease_take(ballot: Ballot) -> bool:
    """Whether this run may send: one run at a time for a ballot (a second task,
    queued by a double click, finds the lease held and stops). A run that died
    loses its lease after ``EMAIL_LEASE``, so a later run can resume."""
    now = timezone.now()
    return (
        Ballot.objects.filter(pk=ballot.pk)
        .filter(
            Q(members_informing_lease__isnull=True)
            | Q(members_informing_lease__lt=now - EMAIL_LEASE)
        )
        .update(members_informing_lease=now)
        == 1
    )


def _lease_set(ballot: Ballot, value: datetime.datetime | None) -> None:
    Ballot.objects.filter(pk=ballot.pk).update(members_informing_lease=value)


def ballot_result_email(
    *, ballot: Ballot, by: User | None = None, task_id: str | None = None
) -> ResultEmailed:
    """What ``ballot_result_inform_members``'s task runs: the members of the
    electorate not yet sent the result, a batch of ``EMAIL_BATCH`` at a time in the
    order of the electorate, each sent their email over one connection; those sent
    are marked (``ElectorateEntry.result_informed_at``) as the batch ends, even if
    sending failed part of the way through it. So a run that fails is resumed by
    running it again, and only a crash between sending an email and marking it
    could send one twice. One run at a time sends for a ballot (``_lease_take``)."""
    if not _lease_take(ballot):
        logger.info("The result of ballot %s is already being sent", ballot.pk)
        return ResultEmailed(sent=0, without_email=0, already_running=True)
    try:
        return _result_email(ballot=ballot, by=by, task_id=task_id)
    finally:
        _lease_set(ballot, None)


def _result_email(
    *, ballot: Ballot, by: User | None, task_id: str | None
) -> ResultEmailed:
    content = documents.result_content(ballot=ballot)
    text = documents.result_text(content)
    site = settings.TOLPUDDLE_SITE_URL.rstrip("/")
    portal = site + reverse("disputes:my_ballot", args=[ballot.pk])
    total = selectors.electorate_size(ballot=ballot)
    mail = get_connection()
    last = 0
    sent = 0
    while True:
        batch = list(
            ElectorateEntry.objects.filter(
                ballot=ballot, reason="", result_informed_at__isnull=True, pk__gt=last
            )
            .order_by("pk")
            .values_list(
                "pk", "membership__person__email", "membership__person__first_name"
            )[:EMAIL_BATCH]
        )
        if not batch:
            break
        last = batch[-1][0]
        _lease_set(ballot, timezone.now())
        done: list[int] = []
        try:
            mail.open()
            for pk, email, first_name in batch:
                if not email:
                    continue
                subject, body = email_render(
                    template="disputes/email/result",
                    context={
                        "ballot": ballot,
                        "first_name": first_name,
                        "result": text,
                        "portal_url": portal,
                    },
                )
                EmailMultiAlternatives(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[email],
                    connection=mail,
                ).send()
                done.append(pk)
        finally:
            mail.close()
            if done:
                ElectorateEntry.objects.filter(pk__in=done).update(
                    result_informed_at=timezone.now()
                )
            sent += len(done)
            if task_id is not None:
                progress_update(
                    task_id=task_id, done=sent, total=total, stage="sending"
                )
    without_email = ElectorateEntry.objects.filter(
        ballot=ballot, reason="", result_informed_at__isnull=True
    ).count()
    with transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(members_informed_at=timezone.now())
        dispute_event_record(
            dispute=ballot.dispute,
            ballot=ballot,
            kind=DisputeEventKind.RESULT_SENT,
            actor=by,
            data={
                "sent": sent,
                "sent_in_all": total - without_email,
                "without_email": without_email,
            },
        )
    if task_id is not None:
        progress_update(task_id=task_id, done=sent, total=total, stage="sent")
    return ResultEmailed(sent=sent, without_email=without_email)
