"""Every write of industrial action. Each service is keyword-only and atomic, writes
an ``ActionEvent``, and refuses with an ``ApplicationError`` (a message for a
person) having written nothing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tolpuddle.action import law, selectors
from tolpuddle.action.models import (
    ActionEvent,
    ActionEventKind,
    ActionKind,
    ActionPeriod,
    ActionPeriodBranch,
    ActionPeriodWorkplace,
    Literature,
    LiteratureBranch,
    Participation,
    PicketLine,
)
from tolpuddle.core.email import email_send
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot, BallotKind, ElectorateEntry
from tolpuddle.members.models import (
    Branch,
    Employer,
    Membership,
    MembershipStatus,
    Workplace,
)
from tolpuddle.members.normalise import InvalidValueError, normalise_phone


def _uk(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _moment(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {_uk(local.date())}"


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day``, UK time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _event(
    *,
    ballot: Ballot,
    kind: ActionEventKind,
    actor: User | None,
    period: ActionPeriod | None = None,
    membership: Membership | None = None,
    data: dict[str, Any] | None = None,
) -> ActionEvent:
    return ActionEvent.objects.create(
        ballot=ballot,
        period=period,
        membership=membership,
        kind=kind,
        actor=actor,
        data=data or {},
    )


# --- Periods of action -----------------------------------------------------------------


def _check_mandate(
    *,
    ballot: Ballot,
    kind: ActionKind,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    employers: set[int],
) -> law.Mandate:
    """Refuse a period outside the mandate: before the result, after the mandate's
    last day (unless every employer concerned agreed to extend it that far), or for
    an action the result gave no mandate for."""
    mandate = law.ballot_mandate(ballot=ballot)
    if mandate.from_result and not mandate.has_result:
        raise ApplicationError(
            f"No result has been recorded for {ballot}: action can be called only on "
            "the result of the ballot (TULRCA s.233)."
        )
    if mandate.has_mandate is False:
        raise ApplicationError(
            f"{ballot} gives no mandate for industrial action: "
            + " ".join(mandate.reasons)
        )
    if mandate.actions is not None and kind.value not in mandate.actions:
        raise ApplicationError(
            f"The result of {ballot} gives no mandate for {kind.label.lower()}."
        )
    start_day = timezone.localtime(starts_at).date()
    if start_day < mandate.first_day:
        raise ApplicationError(
            f"Action cannot begin before the result: the first day action may take "
            f"place on {ballot}'s result is {_uk(mandate.first_day)} (the result "
            "must be declared and the employer told, s.231A, before action is "
            f"called, s.233); this period starts at {_moment(starts_at)}."
        )
    assert mandate.last_day is not None  # noqa: S101 - a mandate has a last day
    if not _within(mandate, starts_at=starts_at, ends_at=ends_at):
        extended = [
            law.ballot_mandate(ballot=ballot, employer=employer)
            for employer in Employer.objects.filter(pk__in=sorted(employers))
        ]
        if not (
            extended
            and all(
                m.extended and _within(m, starts_at=starts_at, ends_at=ends_at)
                for m in extended
            )
        ):
            what = (
                f"this period begins at {_moment(starts_at)}"
                if mandate.covers == "start_of_action"
                else f"this period ends at {_moment(ends_at)}"
            )
            raise ApplicationError(
                f"The mandate of {ballot} ends on {_uk(mandate.last_day)} (its last "
                f"day, {mandate.cites}): {what}, after it. A new ballot is needed for "
                "action after that day, unless the employer agrees to extend the "
                "mandate (where the rules allow)."
            )
    return mandate


def _within(
    mandate: law.Mandate, *, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> bool:
    if mandate.last_day is None:
        return False
    limit = _start_of(mandate.last_day + datetime.timedelta(days=1))
    if mandate.covers == "start_of_action":
        return starts_at < limit
    return ends_at <= limit


def _check_called_out(
    ballot: Ballot, *, branches: list[Branch], workplaces: list[Workplace]
) -> set[int]:
    """Refuse a branch or workplace with nobody balloted; the employers of those
    called out."""
    electors = ElectorateEntry.objects.filter(ballot=ballot, reason="")
    for workplace in workplaces:
        if not electors.filter(workplace=workplace).exists():
            raise ApplicationError(
                f"Nobody at {workplace} was balloted: only members balloted can be "
                "called out (TULRCA s.226, s.227)."
            )
    for branch in branches:
        if not electors.filter(membership__branch=branch).exists():
            raise ApplicationError(
                f"Nobody in {branch} was balloted: only members balloted can be "
                "called out (TULRCA s.226, s.227)."
            )
    return {w.employer_id for w in workplaces} | set(
        electors.filter(membership__branch__in=branches).values_list(
            "employer_id", flat=True
        )
    )


@transaction.atomic
def action_period_create(
    *,
    ballot: Ballot,
    kind: ActionKind,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    by: User | None,
    branches: Sequence[Branch] = (),
    workplaces: Sequence[Workplace] = (),
    description: str = "",
) -> ActionPeriod:
    """Call a period of action on ``ballot``'s mandate, calling out ``branches`` and
    ``workplaces``. Refused: a consultative ballot, an action the ballot did not ask
    about or whose result gave no mandate, a period ending before it starts, before
    the result or after the mandate's last day, nobody called out, a branch or
    workplace with nobody balloted, and (for separate workplace ballots, s.228) a
    workplace whose own ballot gave no mandate, or a branch."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ApplicationError("Give the start and end with their time zone.")
    if ballot.kind != BallotKind.STATUTORY:
        raise ApplicationError(
            f"{ballot} is a consultative ballot: it gives no mandate for industrial "
            "action."
        )
    asked = {
        ActionKind.STRIKE: ballot.asks_strike,
        ActionKind.ACTION_SHORT_OF_STRIKE: ballot.asks_action_short_of_strike,
    }[kind]
    if not asked:
        raise ApplicationError(f"{ballot} did not ask about {kind.label.lower()}.")
    if ends_at <= starts_at:
        raise ApplicationError(
            f"The period must end after it starts (it starts at {_moment(starts_at)})."
        )
    branches, workplaces = (
        list(dict.fromkeys(branches)),
        list(dict.fromkeys(workplaces)),
    )
    if not branches and not workplaces:
        raise ApplicationError("Call out at least one branch or workplace.")
    employers = _check_called_out(ballot, branches=branches, workplaces=workplaces)
    mandate = _check_mandate(
        ballot=ballot,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        employers=employers,
    )
    if mandate.workplaces is not None:
        if branches:
            raise ApplicationError(
                f"{ballot} was held as separate workplace ballots (s.228): call out "
                "the workplaces whose own ballot gave a mandate, not branches."
            )
        allowed = set(mandate.workplaces.get(kind.value, ()))
        for workplace in workplaces:
            if workplace.pk not in allowed:
                raise ApplicationError(
                    f"The ballot at {workplace} gave no mandate for "
                    f"{kind.label.lower()}: each workplace's own ballot decides "
                    "(s.226(3), s.228)."
                )
    period = ActionPeriod.objects.create(
        ballot=ballot,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        description=description.strip(),
        created_by=by,
    )
    ActionPeriodBranch.objects.bulk_create(
        ActionPeriodBranch(period=period, branch=branch) for branch in branches
    )
    ActionPeriodWorkplace.objects.bulk_create(
        ActionPeriodWorkplace(period=period, workplace=workplace)
        for workplace in workplaces
    )
    _event(
        ballot=ballot,
        period=period,
        kind=ActionEventKind.PERIOD_CALLED,
        actor=by,
        data={
            "kind": kind.value,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "branches": [b.pk for b in branches],
            "workplaces": [w.pk for w in workplaces],
            "mandate_last_day": mandate.last_day.isoformat()
            if mandate.last_day
            else None,
            "mandate_from_result": mandate.from_result,
        },
    )
    return period


# --- Picket lines ------------------------------------------------------------------------


@transaction.atomic
def picket_line_add(
    *,
    period: ActionPeriod,
    supervisor: Membership,
    supervisor_contact: str,
    by: User | None,
    workplace: Workplace | None = None,
    place: str = "",
) -> PicketLine:
    """A picket line for a period of action, at a workplace whose members are called
    out (picketing is at or near one's own place of work, s.220) or at a place
    described, with its picket supervisor: a member in good standing, and a phone
    number to reach them on (s.220A; the Code of Practice on Picketing)."""
    period = ActionPeriod.objects.select_for_update().get(pk=period.pk)
    place = " ".join(place.split())
    if workplace is None and not place:
        raise ApplicationError("Say where the picket line is: a workplace or a place.")
    if period.ends_at <= timezone.now():
        raise ApplicationError(
            f"This period of action ended at {_moment(period.ends_at)}."
        )
    if workplace is not None:
        called = (
            ElectorateEntry.objects.filter(
                ballot_id=period.ballot_id, reason="", workplace=workplace
            )
            .filter(
                membership__branch_id__in=period.called_branches.values("branch_id")
            )
            .exists()
            or period.called_workplaces.filter(workplace=workplace).exists()
        )
        if not called:
            raise ApplicationError(
                f"Nobody at {workplace} is called out by this period: a picket line "
                "is at or near the pickets' own place of work (TULRCA s.220)."
            )
    if supervisor.status != MembershipStatus.ACTIVE:
        raise ApplicationError(
            "The picket supervisor must be a member in good standing (TULRCA s.220A)."
        )
    try:
        contact = normalise_phone(supervisor_contact)
    except InvalidValueError as error:
        raise ApplicationError(
            f"The supervisor's phone: {error} The police and the pickets must be "
            "able to reach them."
        ) from None
    line = PicketLine.objects.create(
        period=period,
        workplace=workplace,
        place=place,
        supervisor=supervisor,
        supervisor_contact=contact,
        added_by=by,
    )
    _event(
        ballot=period.ballot,
        period=period,
        membership=supervisor,
        kind=ActionEventKind.PICKET_LINE_ADDED,
        actor=by,
        data={
            "picket_line": line.pk,
            "workplace": workplace.pk if workplace else None,
            "place": place,
        },
    )
    return line


# --- Literature ---------------------------------------------------------------------------


@transaction.atomic
def literature_send(
    *,
    period: ActionPeriod,
    title: str,
    branches: Sequence[Branch],
    by: User | None,
    text: str = "",
    file: UploadedFile[bytes] | None = None,
) -> Literature:
    """Send a leaflet, letter or briefing for a period of action to branches: its
    officers are emailed the text and a link to the file (in the back office) once
    this commits, and when it was sent is kept."""
    title, text = title.strip(), text.strip()
    branches = list(dict.fromkeys(branches))
    if not title:
        raise ApplicationError("Give the literature a title.")
    if not text and file is None:
        raise ApplicationError("Give the text, attach a file, or both.")
    if not branches:
        raise ApplicationError("Choose the branches to send it to.")
    literature = Literature(
        period=period,
        title=title,
        text=text,
        sent_at=timezone.now(),
        sent_by=by,
    )
    if file is not None:
        literature.file.save(file.name or "literature", file, save=False)
    literature.save()
    LiteratureBranch.objects.bulk_create(
        LiteratureBranch(literature=literature, branch=branch) for branch in branches
    )
    officers = selectors.branch_officer_emails(branch_ids=[b.pk for b in branches])
    _event(
        ballot=period.ballot,
        period=period,
        kind=ActionEventKind.LITERATURE_SENT,
        actor=by,
        data={
            "literature": literature.pk,
            "branches": [b.pk for b in branches],
            "officers_emailed": len({email for _b, email in officers}),
        },
    )
    site: str = settings.TOLPUDDLE_SITE_URL
    file_url = (
        site.rstrip("/") + reverse("action_literature_file", args=[literature.pk])
        if literature.file
        else ""
    )
    for email in sorted({email for _branch, email in officers}):
        email_send(
            to=email,
            template="action/email/literature",
            context={"literature": literature, "period": period, "file_url": file_url},
        )
    return literature


# --- Participation -------------------------------------------------------------------------


@transaction.atomic
def participation_report(
    *,
    membership: Membership,
    period: ActionPeriod,
    took_part: bool,
    by: User | None = None,
) -> Participation:
    """A member tells the union whether they took part in a period of action: once
    per period, and they may correct it (the log keeps what it was). Refused for a
    member the period does not call out, or before the action has begun."""
    period = ActionPeriod.objects.select_related("ballot").get(pk=period.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    called = selectors.period_calls_out(period=period, membership=membership)
    if not called.called:
        raise ApplicationError(
            "This period of action does not call you out: it is for other workplaces "
            "or branches."
        )
    now = timezone.now()
    if now < period.starts_at:
        raise ApplicationError(
            f"The action begins at {_moment(period.starts_at)}: tell us whether you "
            "took part once it has begun."
        )
    existing = Participation.objects.filter(
        period=period, membership=membership
    ).first()
    if existing is not None:
        if existing.took_part == took_part:
            return existing
        previous = existing.took_part
        existing.took_part = took_part
        existing.reported_at = now
        existing.reported_by = by
        existing.save(
            update_fields=["took_part", "reported_at", "reported_by", "updated_at"]
        )
        _event(
            ballot=period.ballot,
            period=period,
            membership=membership,
            kind=ActionEventKind.PARTICIPATION_CORRECTED,
            actor=by,
            data={"from": previous, "to": took_part},
        )
        return existing
    participation = Participation.objects.create(
        period=period,
        membership=membership,
        took_part=took_part,
        reported_at=now,
        reported_by=by,
        branch_id=called.branch_id,
        workplace_id=called.workplace_id,
    )
    _event(
        ballot=period.ballot,
        period=period,
        membership=membership,
        kind=ActionEventKind.PARTICIPATION_REPORTED,
        actor=by,
        data={"took_part": took_part},
    )
    return participation
