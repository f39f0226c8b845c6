"""Industrial action on a ballot's mandate: the notice of industrial action to each
employer (s.234A) and the mandate's extension by agreement (s.234(1)(b)).

The periods are the law's, from ``ballot_law`` (through ``disputes.law``): the
notice the employer must receive before the first day of action
(``action_notice_period``, ``earliest_action``) and the mandate's last day
(``mandate_expires``). A notice that would be late, or that names a day outside the
mandate, is refused and nothing is written."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, law, selectors
from tolpuddle.disputes.documents.common import long_date
from tolpuddle.disputes.models import (
    ActionNotice,
    Ballot,
    DisputeEventKind,
    MandateExtension,
    QuestionKind,
    ResultNotice,
)
from tolpuddle.disputes.services.common import (
    dispute_event_record,
    short_date,
    today,
)
from tolpuddle.members.models import Employer

ACTIONS = (QuestionKind.STRIKE.value, QuestionKind.ACTION_SHORT_OF_STRIKE.value)


def _no_mandate(state: selectors.MandateState, employer: Employer) -> ApplicationError:
    reasons = " ".join(state.reasons)
    return ApplicationError(
        f"The ballot gives no mandate for industrial action by {employer.name}'s "
        f"employees: {reasons}",
        extra={"problems": list(state.reasons)},
    )


def _check_dates(
    *,
    continuous: bool,
    start_on: datetime.date | None,
    days: Sequence[datetime.date],
) -> list[datetime.date]:
    if continuous:
        if start_on is None:
            raise ApplicationError(
                "Continuous action needs the intended day it begins (s.234A(3)(b)(i))."
            )
        if days:
            raise ApplicationError(
                "Continuous action is given by the day it begins, not a list of days; "
                "for action on separate days, make it discontinuous."
            )
        return [start_on]
    if start_on is not None:
        raise ApplicationError(
            "Discontinuous action is given by its days (s.234A(3)(b)(ii)), not a day "
            "it begins."
        )
    if not days:
        raise ApplicationError(
            "Discontinuous action needs the intended days of action (s.234A(3)(b)(ii))."
        )
    return sorted(set(days))


def _check_mandate_covers(
    *,
    state: selectors.MandateState,
    first_day: datetime.date,
    last_day: datetime.date,
    continuous: bool,
) -> None:
    expires = state.expires_on
    assert expires is not None  # noqa: S101 - a mandate has a last day
    extended = " (as extended by agreement)" if state.extended else ""
    if state.covers == "start_of_action":
        if first_day > expires:
            raise ApplicationError(
                f"The action would begin on {long_date(first_day)}, after the last day "
                f"of the mandate{extended}, {long_date(expires)}: under these rules the "
                "action must be called and begin by then (s.234(1) as it then stood)."
            )
        return
    if last_day > expires:
        days = "begin" if continuous else "take place"
        raise ApplicationError(
            f"The action would {days} on {long_date(last_day)}, after the last day of "
            f"the mandate{extended}, {long_date(expires)}: no action may take place "
            "after it on this ballot (s.234(1)). A new ballot is needed."
        )


def _notice_period(
    *,
    ballot: Ballot,
    received: datetime.date,
    shorter_notice_agreed: bool,
) -> tuple[int, str]:
    period = law.action_notice_period(
        opening_on=ballot.opening_on, notice_received=received
    )
    if shorter_notice_agreed:
        if period.days_by_agreement is None:
            raise ApplicationError(
                f"Under {period.regime.name} the employer cannot agree to shorter "
                f"notice of industrial action: it must have {period.days} days "
                f"({period.cites})."
            )
        return period.days_by_agreement, period.cites
    return period.days, period.cites


def _check_in_time(
    *,
    ballot: Ballot,
    received: datetime.date,
    first_day: datetime.date,
    shorter_notice_agreed: bool,
    if_given: str,
) -> int:
    days, cites = _notice_period(
        ballot=ballot, received=received, shorter_notice_agreed=shorter_notice_agreed
    )
    earliest = law.earliest_action(notice_received=received, notice_days=days)
    if first_day < earliest:
        agreed = (
            " (the shorter notice agreed with the employer)"
            if shorter_notice_agreed
            else ""
        )
        raise ApplicationError(
            f"The notice would be late: {if_given} on {long_date(received)}, the "
            f"employer must have {days} days' notice{agreed} ({cites}), so the first "
            f"day of action could be {long_date(earliest)} at the earliest, not "
            f"{long_date(first_day)}."
        )
    return days


@transaction.atomic
def action_notice_prepare(
    *,
    ballot: Ballot,
    employer: Employer,
    continuous: bool,
    by: User | None,
    start_on: datetime.date | None = None,
    days: Sequence[datetime.date] = (),
    action: str | None = None,
    shorter_notice_agreed: bool = False,
) -> ActionNotice:
    """Prepare a notice of industrial action (s.234A) to ``employer``: continuous
    action beginning on ``start_on``, or discontinuous action on ``days``. ``action``
    is the question it rests on ("strike" or "action_short_of_strike"); it may be
    left out when only one gave a mandate. ``shorter_notice_agreed``: the employer
    agreed to the shorter notice the regime allows (s.234A(4)(b), where it does).

    The affected employees are counted from the frozen electorate, as for the
    notice of ballot, without those marked as having left, and (separate
    workplace ballots) only at the workplaces whose ballot supports the action.

    Refused, with nothing written: a ballot without a mandate for this employer's
    employees; a first day of action too soon for the notice to be in time even if
    given today; a day of action after the mandate's last day (or, under the rules
    before 2016, a start after it)."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not ballot.is_statutory:
        raise ApplicationError(
            "A consultative ballot gives no mandate for industrial action."
        )
    state = selectors.ballot_mandate(ballot=ballot, employer=employer)
    if not state.has_mandate:
        raise _no_mandate(state, employer)
    if action is None:
        if len(state.actions) > 1:
            raise ApplicationError(
                "The ballot supports strike action and action short of a strike: say "
                "which this notice is for (give a notice for each)."
            )
        action = state.actions[0]
    if action not in ACTIONS:
        raise ApplicationError(
            f"{action} is not industrial action a ballot asks about."
        )
    if action not in state.actions:
        raise ApplicationError(
            f"The ballot gives no mandate for {documents.ACTION_NAMES[action]} by "
            f"{employer.name}'s employees."
        )
    dates = _check_dates(continuous=continuous, start_on=start_on, days=days)
    first_day, last_day = dates[0], dates[-1]
    _check_mandate_covers(
        state=state, first_day=first_day, last_day=last_day, continuous=continuous
    )
    _check_in_time(
        ballot=ballot,
        received=today(),
        first_day=first_day,
        shorter_notice_agreed=shorter_notice_agreed,
        if_given="even if the employer received it today,",
    )
    workplaces = state.workplaces[action] if state.workplaces is not None else None
    assert state.expires_on is not None  # noqa: S101 - a mandate has a last day
    content = documents.action_notice_content(
        ballot=ballot,
        employer=employer,
        action=action,
        continuous=continuous,
        start_on=start_on,
        days=[] if continuous else dates,
        workplaces=workplaces,
        mandate_expires_on=state.expires_on,
    )
    if content["total"] == 0:
        raise ApplicationError(
            f"No one employed by {employer.name} is left to call out: everyone in the "
            "electorate there has been marked as having left."
        )
    problems = documents.action_notice_problems(
        content=content, regime=law.regime_for(opening_on=ballot.opening_on)
    )
    if problems:
        raise ApplicationError(" ".join(problems), extra={"problems": problems})
    notice = ActionNotice.objects.create(
        ballot=ballot,
        employer=employer,
        action=action,
        continuous=continuous,
        start_on=start_on,
        days=[] if continuous else [day.isoformat() for day in dates],
        first_day=first_day,
        last_day=last_day,
        shorter_notice_agreed=shorter_notice_agreed,
        content=content,
        text=documents.action_notice_text(content),
        prepared_by=by,
    )
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.ACTION_NOTICE_PREPARED,
        actor=by,
        data={
            "notice": notice.pk,
            "employer": employer.pk,
            "action": action,
            "continuous": continuous,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "days": notice.days,
            "total": content["total"],
        },
    )
    return notice


@transaction.atomic
def action_notice_record_given(
    *, notice: ActionNotice, given_on: datetime.date, by: User | None
) -> ActionNotice:
    """Record the day the employer received the notice of industrial action.

    Refused, with nothing written, if it would be late (the employer must receive
    it the regime's notice period before the first day of action: s.234A(4)(b), as
    ``ballot_law`` gives it for this ballot and this day), if it is given before
    the result was declared, or before the employer was given the result (s.231A:
    action has a ballot's support only if that was done, s.226(2)(a)(ii))."""
    notice = (
        ActionNotice.objects.select_for_update()
        .select_related("ballot", "employer")
        .get(pk=notice.pk)
    )
    ballot = notice.ballot
    if notice.given_on is not None:
        raise ApplicationError(
            f"This notice was recorded as given on {short_date(notice.given_on)}."
        )
    if given_on > today():
        raise ApplicationError("Record the day it was given, not a day to come.")
    assert ballot.result_declared_on is not None  # noqa: S101 - a notice follows a result
    if given_on < ballot.result_declared_on:
        raise ApplicationError(
            f"The result was declared on {short_date(ballot.result_declared_on)}: "
            "notice of action cannot have been given before it (s.233)."
        )
    told = ResultNotice.objects.filter(
        ballot=ballot, employer=notice.employer, given_on__lte=given_on
    ).exists()
    if not told:
        raise ApplicationError(
            f"Record first that {notice.employer.name} was given the result of the "
            f"ballot (s.231A), on or before {short_date(given_on)}: industrial action "
            "has the support of a ballot only if it was (s.226(2)(a)(ii))."
        )
    state = selectors.ballot_mandate(ballot=ballot, employer=notice.employer)
    if not state.has_mandate or notice.action not in state.actions:
        raise _no_mandate(state, notice.employer)
    _check_mandate_covers(
        state=state,
        first_day=notice.first_day,
        last_day=notice.last_day,
        continuous=notice.continuous,
    )
    notice_days = _check_in_time(
        ballot=ballot,
        received=given_on,
        first_day=notice.first_day,
        shorter_notice_agreed=notice.shorter_notice_agreed,
        if_given="given",
    )
    notice.given_on = given_on
    notice.given_by = by
    notice.notice_days = notice_days
    notice.save(update_fields=["given_on", "given_by", "notice_days", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.ACTION_NOTICE_GIVEN,
        actor=by,
        data={
            "notice": notice.pk,
            "employer": notice.employer_id,
            "given_on": given_on.isoformat(),
            "notice_days": notice_days,
            "first_day": notice.first_day.isoformat(),
        },
    )
    return notice


@transaction.atomic
def mandate_extension_record(
    *,
    ballot: Ballot,
    employer: Employer,
    agreed_on: datetime.date,
    by: User | None,
    note: str = "",
) -> MandateExtension:
    """Record that ``employer`` agreed to the longer mandate the regime allows
    (s.234(1)(b): 9 months rather than 6 under the Trade Union Act 2016), for the
    action of its employees. Agreed while the mandate lasts, not on a day to come."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    state = selectors.ballot_mandate(ballot=ballot, employer=employer, on=agreed_on)
    if not state.has_mandate:
        raise _no_mandate(state, employer)
    if state.extended:
        raise ApplicationError(f"The mandate was already extended for {employer.name}.")
    if state.extendable_to is None:
        regime = law.regime_for(opening_on=ballot.opening_on)
        raise ApplicationError(
            f"Under {regime.name} a mandate cannot be extended by agreement "
            f"({regime.mandate_if_extended.cites})."
        )
    if agreed_on > today():
        raise ApplicationError("Record the day it was agreed, not a day to come.")
    assert state.declared_on is not None  # noqa: S101 - a mandate follows a result
    assert state.expires_on is not None  # noqa: S101 - a mandate has a last day
    if agreed_on < state.declared_on:
        raise ApplicationError("An extension is agreed after the result is declared.")
    if agreed_on > state.expires_on:
        raise ApplicationError(
            f"The mandate ended on {long_date(state.expires_on)}: it cannot be "
            "extended after it has ended."
        )
    extension = MandateExtension.objects.create(
        ballot=ballot,
        employer=employer,
        agreed_on=agreed_on,
        expires_on=state.extendable_to,
        note=note.strip(),
        recorded_by=by,
    )
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.MANDATE_EXTENDED,
        actor=by,
        data={
            "employer": employer.pk,
            "agreed_on": agreed_on.isoformat(),
            "from": state.expires_on.isoformat(),
            "to": state.extendable_to.isoformat(),
        },
    )
    return extension
