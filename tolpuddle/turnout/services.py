"""Every write of getting the vote out. Each service is keyword-only and atomic, writes
a ``TurnoutEvent``, and refuses with an ``ApplicationError`` (a message for a person)
having written nothing.

None of them takes, or could store, how anyone voted: only that they did.
Who may call them for whom is decided by the views, which fetch the elector through
``selectors.electors_visible_to`` (a rep) or from the member's own sign-in or
signed link (a member).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot, BallotStatus, ElectorateEntry
from tolpuddle.members.models import Membership, Workplace
from tolpuddle.turnout import selectors
from tolpuddle.turnout.models import (
    CallOutcome,
    ExcludeReason,
    RepStatus,
    SaidVotedVia,
    ScrutineerTurnout,
    TurnoutCall,
    TurnoutEvent,
    TurnoutEventKind,
    TurnoutReport,
)

# A second reminder to the same ballot within this long is refused: a double click,
# or two organisers at once, would otherwise email everyone twice.
REMINDER_GAP = datetime.timedelta(hours=12)
# A second request for a replacement paper within this long is the same request.
REPLACEMENT_GAP = datetime.timedelta(days=1)


def _uk(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _time(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {_uk(local.date())}"


def _event(
    *,
    ballot: Ballot,
    kind: TurnoutEventKind,
    actor: User | None,
    membership: Membership | None = None,
    data: dict[str, Any] | None = None,
) -> TurnoutEvent:
    return TurnoutEvent.objects.create(
        ballot=ballot,
        membership=membership,
        kind=kind,
        actor=actor,
        data=data or {},
    )


def _accepting(ballot: Ballot, *, lock: bool = False) -> Ballot:
    """The ballot, read afresh (and locked, with ``lock``), if it is open for voting
    today. A member's or rep's change locks only the elector's own report, so that
    thousands answering a reminder at once do not queue on the ballot's row."""
    ballots = Ballot.objects.select_for_update() if lock else Ballot.objects.all()
    ballot = ballots.get(pk=ballot.pk)
    if not selectors.ballot_accepting_votes(ballot):
        if ballot.status == BallotStatus.DRAFT or timezone.localdate() < (
            ballot.opening_on
        ):
            raise ApplicationError(f"{ballot} is not open for voting yet.")
        raise ApplicationError(
            f"{ballot} closed on {_uk(ballot.closing_on)}: it is too late to change "
            "anything about who has voted."
        )
    return ballot


def _entry(ballot: Ballot, membership: Membership) -> ElectorateEntry:
    entry = ElectorateEntry.objects.filter(
        ballot=ballot, membership=membership, reason="", left_on__isnull=True
    ).first()
    if entry is None:
        raise ApplicationError(
            f"Membership {membership.membership_number or membership.pk} is not in "
            f"the electorate of {ballot}."
        )
    return entry


def _report(ballot: Ballot, membership: Membership) -> TurnoutReport:
    """The elector's report, made if need be, locked for the change."""
    entry = _entry(ballot, membership)
    report, _created = TurnoutReport.objects.get_or_create(
        ballot=ballot,
        membership=membership,
        defaults={"workplace_id": entry.workplace_id},
    )
    return TurnoutReport.objects.select_for_update().get(pk=report.pk)


# --- What a member tells us -----------------------------------------------------------


@transaction.atomic
def turnout_voted_record(
    *,
    ballot: Ballot,
    membership: Membership,
    via: SaidVotedVia,
    by: User | None,
) -> TurnoutReport:
    """The member says they have voted (signed in: ``via`` portal and ``by`` their
    sign-in; from the emailed link: ``via`` link and ``by`` None). Saying so again
    changes nothing. Nothing is asked or kept about how they voted."""
    if via == SaidVotedVia.REP:
        raise ApplicationError("A rep records a vote with turnout_rep_mark.")
    ballot = _accepting(ballot)
    report = _report(ballot, membership)
    if report.said_voted:
        return report
    report.said_voted_at = timezone.now()
    report.said_voted_via = via
    report.said_voted_by = by
    report.save(
        update_fields=["said_voted_at", "said_voted_via", "said_voted_by", "updated_at"]
    )
    _event(
        ballot=ballot,
        membership=membership,
        kind=TurnoutEventKind.SAID_VOTED,
        actor=by,
        data={"via": via.value},
    )
    return report


@transaction.atomic
def turnout_do_not_contact_set(
    *, ballot: Ballot, membership: Membership, by: User | None
) -> TurnoutReport:
    """The member asks not to be contacted about this ballot: no reminders, no
    calls. Asking again changes nothing."""
    ballot = _accepting(ballot)
    report = _report(ballot, membership)
    if report.do_not_contact:
        return report
    report.do_not_contact = True
    report.do_not_contact_at = timezone.now()
    report.save(update_fields=["do_not_contact", "do_not_contact_at", "updated_at"])
    _event(
        ballot=ballot,
        membership=membership,
        kind=TurnoutEventKind.DO_NOT_CONTACT,
        actor=by,
    )
    return report


@transaction.atomic
def replacement_paper_request(
    *, ballot: Ballot, membership: Membership, by: User | None
) -> TurnoutReport:
    """The member asks for a replacement voting paper (lost, spoilt, never came).
    The scrutineer issues it; staff see the requests to pass on. A second request
    within a day is refused as the same request."""
    ballot = _accepting(ballot)
    report = _report(ballot, membership)
    now = timezone.now()
    last = report.replacement_requested_at
    if last is not None and now - last < REPLACEMENT_GAP:
        raise ApplicationError(
            f"You asked for a replacement voting paper at {_time(last)}. It is on its "
            "way: please allow a few days for it to arrive."
        )
    report.replacement_requested_at = now
    report.replacement_requests += 1
    report.save(
        update_fields=[
            "replacement_requested_at",
            "replacement_requests",
            "updated_at",
        ]
    )
    _event(
        ballot=ballot,
        membership=membership,
        kind=TurnoutEventKind.REPLACEMENT_REQUESTED,
        actor=by,
        data={"request": report.replacement_requests},
    )
    return report


# --- What a rep records ----------------------------------------------------------------


@transaction.atomic
def turnout_rep_mark(
    *,
    ballot: Ballot,
    membership: Membership,
    status: RepStatus,
    by: User,
    reason: ExcludeReason | None = None,
    note: str = "",
) -> TurnoutReport:
    """A rep marks an elector: voted (the member told them; it counts as the member
    saying so), cannot be reached, or to be excluded from the electorate (with a
    reason; staff decide, and record a leaver in the disputes app)."""
    note = note.strip()
    if status == RepStatus.EXCLUDE and reason is None:
        raise ApplicationError(
            "Say why they should be excluded (left the employer, on long-term "
            "leave...)."
        )
    if status != RepStatus.EXCLUDE and reason is not None:
        raise ApplicationError("A reason is given only when excluding someone.")
    if reason == ExcludeReason.OTHER and not note:
        raise ApplicationError("Say in the note why they should be excluded.")
    ballot = _accepting(ballot)
    report = _report(ballot, membership)
    previous = report.rep_status
    now = timezone.now()
    report.rep_status = status
    report.rep_exclude_reason = reason or ""
    report.rep_note = note
    report.rep_status_at = now
    report.rep_status_by = by
    fields = [
        "rep_status",
        "rep_exclude_reason",
        "rep_note",
        "rep_status_at",
        "rep_status_by",
        "updated_at",
    ]
    if status == RepStatus.VOTED and not report.said_voted:
        report.said_voted_at = now
        report.said_voted_via = SaidVotedVia.REP
        report.said_voted_by = by
        fields += ["said_voted_at", "said_voted_via", "said_voted_by"]
    report.save(update_fields=fields)
    _event(
        ballot=ballot,
        membership=membership,
        kind=TurnoutEventKind.REP_MARKED,
        actor=by,
        data={
            "from": previous,
            "to": status.value,
            "reason": reason.value if reason else "",
        },
    )
    return report


@transaction.atomic
def turnout_call_add(
    *,
    ballot: Ballot,
    membership: Membership,
    outcome: CallOutcome,
    by: User,
    note: str = "",
) -> TurnoutCall:
    """A rep notes an attempt to reach an elector. Refused for a member who asked
    not to be contacted about this ballot."""
    ballot = _accepting(ballot)
    report = _report(ballot, membership)
    if report.do_not_contact:
        raise ApplicationError(
            "This member asked not to be contacted about this ballot: do not call "
            "them about it."
        )
    call = TurnoutCall.objects.create(
        ballot=ballot,
        membership=membership,
        outcome=outcome,
        note=note.strip(),
        by=by,
    )
    _event(
        ballot=ballot,
        membership=membership,
        kind=TurnoutEventKind.CALL_NOTED,
        actor=by,
        data={"call": call.pk, "outcome": outcome.value},
    )
    return call


# --- What staff do ---------------------------------------------------------------------


@transaction.atomic
def turnout_reminder_send(*, ballot: Ballot, by: User) -> TurnoutEvent:
    """Email a reminder to vote to the electors who have not said they voted and have
    not asked not to be contacted (``selectors.reminder_recipients``), and to nobody
    else. The emails go from a task once this commits; it reads the recipients
    again when it runs, so anyone who says they voted in between is left out.
    Refused within ``REMINDER_GAP`` of the last reminder."""
    from tolpuddle.turnout import tasks

    ballot = _accepting(ballot, lock=True)  # one reminder at a time
    last = (
        TurnoutEvent.objects.filter(
            ballot=ballot, kind=TurnoutEventKind.REMINDER_REQUESTED
        )
        .order_by("-created_at", "-id")
        .first()
    )
    now = timezone.now()
    if last is not None and now - last.created_at < REMINDER_GAP:
        raise ApplicationError(
            f"A reminder was sent at {_time(last.created_at)}. Wait until "
            f"{_time(last.created_at + REMINDER_GAP)} before sending another, so that "
            "nobody is emailed twice in a day."
        )
    count = selectors.reminder_recipients(ballot=ballot).count()
    if count == 0:
        raise ApplicationError(
            "Nobody to remind: every elector with an email address has said they "
            "voted or asked not to be contacted about this ballot."
        )
    event = _event(
        ballot=ballot,
        kind=TurnoutEventKind.REMINDER_REQUESTED,
        actor=by,
        data={"recipients": count},
    )
    transaction.on_commit(
        lambda: tasks.turnout_reminder_task.enqueue(
            ballot_id=ballot.pk, requested_event_id=event.pk
        )
    )
    return event


@transaction.atomic
def turnout_reminder_sent_record(
    *, ballot: Ballot, requested_event_id: int, sent: int
) -> TurnoutEvent:
    """The reminder task has sent ``sent`` emails (written by the task)."""
    return _event(
        ballot=ballot,
        kind=TurnoutEventKind.REMINDER_SENT,
        actor=None,
        data={"requested": requested_event_id, "sent": sent},
    )


@transaction.atomic
def scrutineer_turnout_record(
    *,
    ballot: Ballot,
    day: datetime.date,
    returned: int,
    by: User | None,
    workplace: Workplace | None = None,
) -> ScrutineerTurnout:
    """The scrutineer's count of papers returned by the end of ``day``, for the whole
    ballot or one workplace. Recording a day again replaces its figure (the log
    keeps the old one). Refused: a day outside the voting period or still to come,
    a count below zero or above the electorate, a workplace with nobody balloted,
    and a count lower than an earlier day's or higher than a later day's (papers
    returned only add up)."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status == BallotStatus.DRAFT:
        raise ApplicationError(f"{ballot} has not opened: no papers are out yet.")
    if day < ballot.opening_on or day > ballot.closing_on:
        raise ApplicationError(
            f"Voting is from {_uk(ballot.opening_on)} to {_uk(ballot.closing_on)}: "
            f"{_uk(day)} is outside it."
        )
    if day > timezone.localdate():
        raise ApplicationError(
            f"{_uk(day)} is still to come: record a figure once it is counted."
        )
    if returned < 0:
        raise ApplicationError("The number of papers returned must be 0 or more.")
    entries = ElectorateEntry.objects.filter(ballot=ballot, reason="")
    where = "the ballot"
    if workplace is not None:
        entries = entries.filter(workplace=workplace)
        where = str(workplace)
    electorate = entries.count()
    if workplace is not None and electorate == 0:
        raise ApplicationError(f"Nobody at {workplace} is in this ballot's electorate.")
    if returned > electorate:
        raise ApplicationError(
            f"{returned:,} papers returned is more than the {electorate:,} entitled "
            f"to vote in {where}."
        )
    figures = ScrutineerTurnout.objects.filter(ballot=ballot, workplace=workplace)
    earlier = (
        figures.filter(day__lt=day, returned__gt=returned).order_by("-day").first()
    )
    if earlier is not None:
        raise ApplicationError(
            f"By {_uk(earlier.day)} {earlier.returned:,} papers had been returned: a "
            f"later count cannot be lower. Correct that day's figure first."
        )
    later = figures.filter(day__gt=day, returned__lt=returned).order_by("day").first()
    if later is not None:
        raise ApplicationError(
            f"By {_uk(later.day)} only {later.returned:,} papers had been returned: an "
            f"earlier count cannot be higher. Correct that day's figure first."
        )
    figure = figures.filter(day=day).first()
    previous = None if figure is None else figure.returned
    if figure is None:
        figure = ScrutineerTurnout.objects.create(
            ballot=ballot,
            day=day,
            workplace=workplace,
            returned=returned,
            recorded_by=by,
        )
    else:
        figure.returned = returned
        figure.recorded_by = by
        figure.save(update_fields=["returned", "recorded_by", "updated_at"])
    _event(
        ballot=ballot,
        kind=TurnoutEventKind.SCRUTINEER_RECORDED,
        actor=by,
        data={
            "day": day.isoformat(),
            "workplace": workplace.pk if workplace else None,
            "from": previous,
            "to": returned,
        },
    )
    return figure
