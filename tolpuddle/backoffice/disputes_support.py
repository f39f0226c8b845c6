"""Reads for the industrial-action screens (``backoffice/disputes.py``): who may see
and work on which dispute, the ballot's timetable as a calendar with its warnings,
and the dispute's log in words. Nothing here writes; the disputes app's selectors
and services remain the authority, and these only arrange what they give for the
page.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tolpuddle.ballot_law import calculations
from tolpuddle.ballot_law.rules import Regime
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, selectors
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotNotice,
    BallotStatus,
    Dispute,
    DisputeEvent,
    DisputeEventKind,
    DisputeStatus,
    ExclusionReason,
)
from tolpuddle.members import selectors as member_selectors
from tolpuddle.members.models import Employer

# --- Who may see and change which dispute ----------------------------------------------


def sees_all_disputes(*, user: User | AnonymousUser) -> bool:
    """HQ staff (who see the whole register), administrators and anyone granted
    ``disputes.view_all_disputes``."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("disputes.view_all_disputes")
        or member_selectors.register_scope_for(user=user).see_all
    )


def manages_disputes(*, user: User | AnonymousUser) -> bool:
    """Who records new disputes and works on any of them: HQ staff who may change
    the register, administrators, and anyone granted ``disputes.manage_disputes``."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("disputes.manage_disputes")
        or member_selectors.register_scope_for(user=user).change_all
    )


def disputes_for(*, user: User | AnonymousUser) -> QuerySet[Dispute]:
    """The disputes the back office shows ``user``: ``disputes_visible_to`` (every
    dispute for those with ``view_all_disputes`` and administrators, else those the
    user is a responsible official of), and every dispute for HQ staff, whose
    "Membership staff" group does not (yet) hold ``view_all_disputes``."""
    if sees_all_disputes(user=user):
        return Dispute.objects.all()
    return selectors.disputes_visible_to(user=user)


def ballots_for(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots of the disputes :func:`disputes_for` gives."""
    if sees_all_disputes(user=user):
        return Ballot.objects.all()
    return selectors.ballots_visible_to(user=user)


def sees_any_dispute(*, user: User | AnonymousUser) -> bool:
    """Whether to show the "Industrial action" menu item."""
    if sees_all_disputes(user=user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and selectors.disputes_visible_to(user=user).exists()
    )


def may_change(*, user: User | AnonymousUser, dispute: Dispute) -> bool:
    """Who may change a dispute and run its ballots: those who manage disputes, and
    the dispute's own responsible officials."""
    if manages_disputes(user=user):
        return True
    return (
        isinstance(user, User)
        and user.is_active
        and dispute.officials.filter(pk=user.pk).exists()
    )


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a back-office request."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin requires a sign-in
        raise Http404
    return user


def ballot_for_request(
    request: HttpRequest, pk: int, *, change: bool = False
) -> Ballot:
    """The ballot ``pk`` if the user may see it (and, with ``change``, run it); any
    other, like one that does not exist, is a 404. Every ballot screen (disputes.py,
    ballot_results.py, action_notices.py) fetches its ballot here."""
    user = request_user(request)
    ballot = get_object_or_404(
        ballots_for(user=user).select_related("dispute", "poll"), pk=pk
    )
    if change and not may_change(user=user, dispute=ballot.dispute):
        raise Http404
    return ballot


def uk_day(day: datetime.date) -> str:
    """1 December 2026."""
    return f"{day.day} {day:%B %Y}"


def official_choices(*, chosen: Iterable[int] = ()) -> QuerySet[User]:
    """The sign-ins that may be made responsible for a dispute: active ones that can
    open the back office through a group or their own permissions (HQ staff and
    officials), administrators, and those already chosen."""
    admin_access = Q(
        groups__permissions__codename="access_admin",
        groups__permissions__content_type__app_label="wagtailadmin",
    ) | Q(
        user_permissions__codename="access_admin",
        user_permissions__content_type__app_label="wagtailadmin",
    )
    ids = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | admin_access | Q(pk__in=list(chosen))
    )
    return User.objects.filter(pk__in=ids.values("pk")).order_by(
        "first_name", "last_name", "email"
    )


# --- The timetable ---------------------------------------------------------------------

# A deadline this close (or closer) is a warning; so is the mandate's end.
DEADLINE_WARNING_DAYS = 7
MANDATE_WARNING_DAYS = 28


def long_date(day: datetime.date) -> str:
    """Monday 2 March 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _in(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


@dataclass(frozen=True)
class TimetableDate:
    """One date of the ballot's timetable."""

    key: str  # a class for the calendar: notice, sample, opening, closing, mandate...
    day: datetime.date
    label: str
    short: str  # what the calendar's day says
    cites: str = ""
    note: str = ""


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date | None  # None: a day of the week in another month
    dates: tuple[TimetableDate, ...] = ()
    voting: bool = False
    today: bool = False


@dataclass(frozen=True)
class CalendarMonth:
    first: datetime.date
    weeks: list[list[CalendarDay]]
    # A run of months with no date was left out before this one.
    after_gap: bool = False


@dataclass(frozen=True)
class BallotCalendar:
    regime: Regime
    dates: list[TimetableDate]
    months: list[CalendarMonth]
    warnings: list[str] = field(default_factory=list)
    statutory: bool = True


def _month_starts(days: Sequence[datetime.date]) -> list[datetime.date]:
    return sorted({day.replace(day=1) for day in days})


def _next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def calendar_months(
    *,
    dates: Sequence[TimetableDate],
    voting: tuple[datetime.date, datetime.date],
    today: datetime.date,
) -> list[CalendarMonth]:
    """Month grids (weeks from Monday) for every month holding a date, and every
    month between the first date and the closing day, so the run up to the ballot
    and its voting period read without a gap; the long wait to the mandate's end is
    left out."""
    opening, closing = voting
    firsts = set(_month_starts([d.day for d in dates]))
    run = min(firsts) if firsts else opening.replace(day=1)
    while run <= closing.replace(day=1):
        firsts.add(run)
        run = _next_month(run)
    by_day: dict[datetime.date, list[TimetableDate]] = {}
    for date in dates:
        by_day.setdefault(date.day, []).append(date)
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY)
    months = []
    previous: datetime.date | None = None
    for first in sorted(firsts):
        weeks = [
            [
                CalendarDay(
                    day=day,
                    dates=tuple(by_day.get(day, ())),
                    voting=opening <= day <= closing,
                    today=day == today,
                )
                if day.month == first.month
                else CalendarDay(day=None)
                for day in week
            ]
            for week in weeks_of.monthdatescalendar(first.year, first.month)
        ]
        months.append(
            CalendarMonth(
                first=first,
                weeks=weeks,
                after_gap=previous is not None and _next_month(previous) != first,
            )
        )
        previous = first
    return months


def _days_note(day: datetime.date, today: datetime.date, done: str = "") -> str:
    if done:
        return done
    if day < today:
        return "passed"
    return _in((day - today).days)


def ballot_calendar(*, ballot: Ballot, today: datetime.date) -> BallotCalendar:
    """The ballot's dates under its regime (``ballot_deadlines`` for the s.226A
    notices, ``ballot_timetable`` for the mandate), as a list and as month grids,
    with warnings for deadlines close or missed and the timetable's own."""
    statutory = ballot.kind == BallotKind.STATUTORY
    deadlines = selectors.ballot_deadlines(ballot=ballot)
    timetable = calculations.ballot_timetable(
        opening=ballot.opening_on, closing=ballot.closing_on
    )
    notices = list(selectors.ballot_notices(ballot=ballot))
    notice_state = _notice_state(notices, deadlines)
    dates: list[TimetableDate] = []
    warnings: list[str] = []
    draft = ballot.status == BallotStatus.DRAFT
    if statutory:
        for key, day, label, short, cites, given_attr in (
            (
                "notice",
                deadlines.notice_by,
                "Last day for the notice of ballot to reach each employer",
                "Notice of ballot by",
                "TULRCA s.226A(1)(a): not later than the seventh day before the "
                "opening day",
                "given_on",
            ),
            (
                "sample",
                deadlines.sample_paper_by,
                "Last day for the sample voting paper to reach each employer",
                "Sample paper by",
                "TULRCA s.226A(1)(b): not later than the third day before the "
                "opening day",
                "sample_paper_given_on",
            ),
        ):
            outstanding, late = notice_state[given_attr]
            done = ""
            if not outstanding and not late and notices:
                done = "given to every employer in time"
            dates.append(
                TimetableDate(
                    key=key,
                    day=day,
                    label=label,
                    short=short,
                    cites=cites,
                    note=_days_note(day, today, done),
                )
            )
            if draft:
                warnings += _deadline_warnings(
                    what="notice of ballot"
                    if key == "notice"
                    else "sample voting paper",
                    day=day,
                    today=today,
                    outstanding=outstanding,
                    late=late,
                    opening_on=ballot.opening_on,
                )
    dates.append(
        TimetableDate(
            key="opening",
            day=ballot.opening_on,
            label="Opening day: voting papers go out",
            short="Ballot opens",
            cites="The opening day decides the rules that apply",
            note="opened" if ballot.opened_at else _days_note(ballot.opening_on, today),
        )
    )
    dates.append(
        TimetableDate(
            key="closing",
            day=ballot.closing_on,
            label="Closing day: the last day votes may be cast (the date of the ballot)",
            short="Ballot closes",
            cites="TULRCA s.246",
            note=_days_note(ballot.closing_on, today),
        )
    )
    if statutory:
        dates.append(
            TimetableDate(
                key="mandate",
                day=timetable.mandate_expires,
                label="Mandate's last day, if the result gives one",
                short="Mandate ends",
                cites=f"{timetable.regime.mandate.value} beginning with the closing "
                f"day ({timetable.regime.mandate.cites})",
                note=_days_note(timetable.mandate_expires, today),
            )
        )
        if timetable.mandate_expires_if_extended is not None:
            assert timetable.regime.mandate_if_extended.value is not None  # noqa: S101 - an extension has a period
            dates.append(
                TimetableDate(
                    key="extended",
                    day=timetable.mandate_expires_if_extended,
                    label="Mandate's last day if extended by agreement with the employer",
                    short="Mandate ends if extended",
                    cites=f"{timetable.regime.mandate_if_extended.value} "
                    f"({timetable.regime.mandate_if_extended.cites})",
                    note=_days_note(timetable.mandate_expires_if_extended, today),
                )
            )
        warnings += _mandate_warnings(timetable.mandate_expires, today)
        warnings += list(timetable.warnings)
    if draft:
        if ballot.closing_on < today:
            warnings.append(
                f"The closing day ({long_date(ballot.closing_on)}) has passed and the "
                "ballot never opened."
            )
        elif ballot.opening_on < today:
            warnings.append(
                f"The ballot was to open on {long_date(ballot.opening_on)} and is still "
                "being prepared."
            )
    dates.sort(key=lambda d: d.day)
    return BallotCalendar(
        regime=timetable.regime,
        dates=dates,
        months=calendar_months(
            dates=dates, voting=(ballot.opening_on, ballot.closing_on), today=today
        ),
        warnings=warnings,
        statutory=statutory,
    )


def _notice_state(
    notices: list[BallotNotice], deadlines: selectors.BallotDeadlines
) -> dict[str, tuple[list[str], list[str]]]:
    """For the notice and the sample paper: the employers still to be given one,
    and those given one after its deadline.

    The notices stand for the employers that need one: ``ballot_notices_prepare``
    makes one for each employer of someone in the electorate, freezing again drops
    them all, and a late joiner is added only at an employer given one. With none
    prepared, every employer is still to be given one (and nobody need read the
    whole electorate to say which)."""
    state: dict[str, tuple[list[str], list[str]]] = {}
    for attr, deadline in (
        ("given_on", deadlines.notice_by),
        ("sample_paper_given_on", deadlines.sample_paper_by),
    ):
        if not notices:
            state[attr] = (["every employer"], [])
            continue
        outstanding, late = [], []
        for notice in notices:
            given = getattr(notice, attr)
            if given is None:
                outstanding.append(notice.employer.name)
            elif given > deadline:
                late.append(notice.employer.name)
        state[attr] = (outstanding, late)
    return state


NAMES_LISTED = 5


def _employers(names: list[str]) -> str:
    """ "A, B and C"; beyond a few, "A, B, C, D, E and 195 other employers"."""
    if len(names) > NAMES_LISTED:
        rest = len(names) - NAMES_LISTED
        return f"{', '.join(names[:NAMES_LISTED])} and {rest} other employers"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _deadline_warnings(
    *,
    what: str,
    day: datetime.date,
    today: datetime.date,
    outstanding: list[str],
    late: list[str],
    opening_on: datetime.date,
) -> list[str]:
    warnings = []
    to = _employers(outstanding)
    if outstanding and day < today:
        warnings.append(
            f"The last day for the {what} was {long_date(day)} and it has not been "
            f"given to {to}: the ballot cannot open on {long_date(opening_on)}. Hold a "
            "new ballot with a later opening day."
        )
    elif outstanding and (day - today).days <= DEADLINE_WARNING_DAYS:
        warnings.append(
            f"The {what} must reach {to} by {long_date(day)} ({_in((day - today).days)})."
        )
    if late:
        warnings.append(
            f"The {what} reached {_employers(late)} after the last day for it "
            f"({long_date(day)}): the ballot cannot open."
        )
    return warnings


def _mandate_warnings(expires: datetime.date, today: datetime.date) -> list[str]:
    if expires < today:
        return [
            f"The mandate's last day ({long_date(expires)}) has passed: further action "
            "needs a new ballot."
        ]
    if (expires - today).days <= MANDATE_WARNING_DAYS:
        return [
            f"The mandate's last day is {long_date(expires)} "
            f"({_in((expires - today).days)})."
        ]
    return []


# --- The dispute's log, in words -------------------------------------------------------


def _day(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _names(ids: Iterable[Any], names: dict[int, str]) -> str:
    listed = [names.get(int(pk), f"#{pk}") for pk in ids]
    return ", ".join(listed) if listed else "none"


FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary of the matters in issue",
    "began_on": "Began on",
    "status": "Status",
    "employers": "Employers",
    "officials": "Responsible officials",
}
REASON_LABELS = dict(ExclusionReason.choices)
STATUS_LABELS = dict(DisputeStatus.choices)


@dataclass(frozen=True)
class LogEntry:
    event: DisputeEvent
    title: str
    details: list[str]


def _change(
    name: str, old: Any, new: Any, employers: dict[int, str], users: dict[int, str]
) -> str:
    label = FIELD_LABELS.get(name, name)
    if name == "employers":
        return f"{label}: from {_names(old, employers)} to {_names(new, employers)}"
    if name == "officials":
        return f"{label}: from {_names(old, users)} to {_names(new, users)}"
    if name == "began_on":
        return f"{label}: from {_day(old)} to {_day(new)}"
    if name == "status":
        return f"{label}: from {STATUS_LABELS.get(old, old)} to {STATUS_LABELS.get(new, new)}"
    if name == "summary":
        return f"{label}: changed (it was “{old}”)"
    return f"{label}: from “{old}” to “{new}”"


def _in_time(data: dict[str, Any]) -> str:
    if data.get("in_time") is False:
        return f", after the last day for it ({_day(data.get('deadline'))})"
    return ""


ACTION_KINDS = (
    DisputeEventKind.MANDATE_EXTENDED,
    DisputeEventKind.ACTION_NOTICE_PREPARED,
    DisputeEventKind.ACTION_NOTICE_GIVEN,
)


def _action_details(
    kind: str, data: dict[str, Any], employers: dict[int, str]
) -> list[str]:
    """The mandate's extension and the notices of industrial action (s.234A), as
    ``services.action`` records them."""
    employer = employers.get(int(data.get("employer") or 0), "the employer")
    if kind == DisputeEventKind.MANDATE_EXTENDED:
        return [
            f"Agreed by {employer} on {_day(data.get('agreed_on'))}: the mandate's "
            f"last day for its employees moves from {_day(data.get('from'))} to "
            f"{_day(data.get('to'))}"
        ]
    if kind == DisputeEventKind.ACTION_NOTICE_PREPARED:
        action = documents.ACTION_NAMES.get(str(data.get("action")), "action")
        if data.get("continuous"):
            when = f"continuous, beginning on {_day(data.get('first_day'))}"
        else:
            count = len(data.get("days") or [])
            when = f"on {count} day{'' if count == 1 else 's'}, " + (
                f"{_day(data.get('first_day'))}"
                if data.get("first_day") == data.get("last_day")
                else f"from {_day(data.get('first_day'))} to {_day(data.get('last_day'))}"
            )
        return [
            f"To {employer}: {action}, {when}",
            f"{int(data.get('total') or 0):,} affected employees",
        ]
    try:
        before = (
            datetime.date.fromisoformat(str(data.get("first_day")))
            - datetime.date.fromisoformat(str(data.get("given_on")))
        ).days
    except ValueError:
        before = None
    ahead = (
        f"{before} day{'' if before == 1 else 's'} before"
        if before is not None
        else "before"
    )
    return [
        f"To {employer} on {_day(data.get('given_on'))}, {ahead} the first day of "
        f"action, {_day(data.get('first_day'))}: {data.get('notice_days')} days' "
        "notice needed"
    ]


RESULT_KINDS = (
    DisputeEventKind.POLL_CREATED,
    DisputeEventKind.PAPERS_NUMBERED,
    DisputeEventKind.RESULT_RECORDED,
    DisputeEventKind.RESULT_NOTICE_GIVEN,
    DisputeEventKind.RESULT_SENDING,
    DisputeEventKind.RESULT_SENT,
)


def _moment_day(value: Any, *, end: bool = False) -> str:
    """The London day of a moment written as ISO 8601; with ``end``, the day that a
    moment at midnight ends (a poll closing at 00:00 closes at the end of the day
    before)."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if end:
        local -= datetime.timedelta(microseconds=1)
    return f"{local.day} {local:%B %Y}"


def _result_details(  # noqa: PLR0911 - one return per kind of event
    kind: str, data: dict[str, Any], employers: dict[int, str]
) -> list[str]:
    """The vote, the result and its telling (s.231, s.231A), as
    ``services.polls`` and ``services.results`` record them."""
    if kind == DisputeEventKind.POLL_CREATED:
        return [
            f"Online vote for {int(data.get('voters') or 0):,} members, open from "
            f"{_moment_day(data.get('opens_at'))} to the end of "
            f"{_moment_day(data.get('closes_at'), end=True)}"
        ]
    if kind == DisputeEventKind.PAPERS_NUMBERED:
        return [
            f"{int(data.get('papers') or 0):,} voting papers numbered "
            f"{data.get('first')} to {data.get('last')}"
        ]
    if kind == DisputeEventKind.RESULT_RECORDED:
        return _result_recorded(data, employers)
    if kind == DisputeEventKind.RESULT_NOTICE_GIVEN:
        after = int(data.get("days_after_declaration") or 0)
        when = (
            "the day it was declared"
            if after == 0
            else f"{after} day{'' if after == 1 else 's'} after it was declared"
        )
        employer = employers.get(int(data.get("employer") or 0), "the employer")
        return [f"To {employer} on {_day(data.get('given_on'))}, {when}"]
    if kind == DisputeEventKind.RESULT_SENDING:
        if data.get("resumed"):
            return ["Sending carried on with the members not yet sent it"]
        return ["Sending to every member entitled to vote began"]
    if kind == DisputeEventKind.RESULT_SENT:
        without = int(data.get("without_email") or 0)
        lines = [
            f"Emailed to {int(data.get('sent_in_all') or 0):,} members in all "
            f"({int(data.get('sent') or 0):,} in this run)"
        ]
        if without:
            lines.append(
                f"{without:,} member{'' if without == 1 else 's'} with no email "
                "address, to be told another way"
            )
        return lines
    return []


def _result_recorded(data: dict[str, Any], employers: dict[int, str]) -> list[str]:
    source = (
        "the count of the online vote"
        if data.get("source") == "online"
        else "the scrutineer's count"
    )
    lines = [
        f"Declared on {_day(data.get('declared_on'))}, from {source}"
        + (", replacing the result recorded before" if data.get("replaced") else "")
    ]
    results = [r for r in data.get("results") or [] if isinstance(r, dict)]
    by_workplace = [r for r in results if r.get("workplace")]
    if by_workplace:
        passed = sum(1 for r in by_workplace if r.get("mandate"))
        lines.append(
            f"Separate workplace ballots: {passed} of {len(by_workplace)} counts "
            "gave a mandate"
        )
    else:
        lines += [
            f"Question {r.get('question')}: Yes {int(r.get('yes') or 0):,}, No "
            f"{int(r.get('no') or 0):,}, spoiled {int(r.get('spoiled') or 0):,}, of "
            f"{int(r.get('entitled') or 0):,} entitled to vote: "
            + ("a mandate" if r.get("mandate") else "no mandate")
            for r in results
        ]
    if data.get("mandate_expires_on"):
        lines.append(f"Mandate until {_day(data['mandate_expires_on'])}")
    notices = data.get("result_notices") or []
    if notices:
        lines.append(
            "Result prepared for "
            + _employers([employers.get(int(pk), f"#{pk}") for pk in notices])
        )
    return lines


def _details(  # noqa: PLR0911 - one return per kind of event
    event: DisputeEvent, employers: dict[int, str], users: dict[int, str]
) -> list[str]:
    data = event.data or {}
    kind = event.kind
    if kind == DisputeEventKind.DISPUTE_CREATED:
        return [
            f"“{data.get('title', '')}”, begun on {_day(data.get('began_on'))}, with "
            f"{_names(data.get('employers', []), employers)}",
            f"Responsible officials: {_names(data.get('officials', []), users)}",
        ]
    if kind == DisputeEventKind.DISPUTE_UPDATED:
        return [
            _change(name, values[0], values[1], employers, users)
            for name, values in (data.get("changed") or {}).items()
            if isinstance(values, list) and len(values) == 2
        ]
    if kind == DisputeEventKind.BALLOT_CREATED:
        kind_label = dict(BallotKind.choices).get(data.get("kind", ""), "")
        return [
            f"“{data.get('title', '')}”: {kind_label.lower() or 'a ballot'}, open from "
            f"{_day(data.get('opening_on'))} to {_day(data.get('closing_on'))}, of "
            f"{_names(data.get('employers', []), employers)}",
            *(f"Question: {q}" for q in data.get("questions", [])),
        ]
    if kind == DisputeEventKind.ELECTORATE_FROZEN:
        excluded = data.get("excluded") or {}
        lines = [
            f"As at {_day(data.get('on'))} (freeze {data.get('version')}): "
            f"{data.get('included', 0):,} in the electorate, "
            f"{sum(excluded.values()):,} considered and excluded"
        ]
        if data.get("notices_dropped"):
            lines.append(
                f"{data['notices_dropped']} notice(s) prepared from the earlier "
                "freeze were dropped"
            )
        return lines
    if kind == DisputeEventKind.NOTICES_PREPARED:
        notices = data.get("notices") or {}
        return [
            f"To {employers.get(int(pk), f'#{pk}')}: {total:,} employees"
            for pk, total in notices.items()
        ]
    if kind in (DisputeEventKind.NOTICE_GIVEN, DisputeEventKind.SAMPLE_PAPER_GIVEN):
        return [
            f"To {employers.get(int(data.get('employer', 0)), 'the employer')} on "
            f"{_day(data.get('given_on'))}{_in_time(data)}"
        ]
    if kind == DisputeEventKind.BALLOT_OPENED:
        return [
            f"On {_day(data.get('on'))}, with {data.get('electorate', 0):,} entitled "
            "to vote"
        ]
    if kind == DisputeEventKind.ELECTOR_ADDED:
        earlier = data.get("previously_excluded_for")
        return [
            f"On {_day(data.get('on'))}: {data.get('reason', '')}"
            + (
                f" (excluded at the freeze: {REASON_LABELS.get(earlier, earlier).lower()})"
                if earlier
                else ""
            )
        ]
    if kind == DisputeEventKind.ELECTOR_LEFT:
        return [f"Left on {_day(data.get('left_on'))}: {data.get('reason', '')}"]
    if kind in RESULT_KINDS:
        return _result_details(kind, data, employers)
    if kind in ACTION_KINDS:
        return _action_details(kind, data, employers)
    return []


def dispute_log(events: Sequence[DisputeEvent]) -> list[LogEntry]:
    """The dispute's log entries in words, naming employers and officials (never a
    member: late joiners and leavers are listed on the ballot's electorate page,
    whose every look is logged). Two queries whatever the number of entries."""
    employer_ids: set[int] = set()
    user_ids: set[int] = set()
    for event in events:
        data = event.data or {}
        employer_ids.update(int(pk) for pk in data.get("employers", []))
        employer_ids.update(int(pk) for pk in (data.get("notices") or {}))
        employer_ids.update(int(pk) for pk in data.get("result_notices") or [])
        if data.get("employer"):
            employer_ids.add(int(data["employer"]))
        user_ids.update(int(pk) for pk in data.get("officials", []))
        for name, values in (data.get("changed") or {}).items():
            if name in ("employers", "officials") and isinstance(values, list):
                target = employer_ids if name == "employers" else user_ids
                for side in values:
                    target.update(int(pk) for pk in side)
    employers = dict(
        Employer.objects.filter(pk__in=employer_ids).values_list("pk", "name")
    )
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    return [
        LogEntry(
            event=event,
            title=event.get_kind_display()
            + (f": {event.ballot.title}" if event.ballot_id and event.ballot else ""),
            details=_details(event, employers, users),
        )
        for event in events
    ]
