"""What this app asks of the law about a ballot: the mandate its result gives, and
the days action may take place on. The one seam to the disputes app's results and
to ``ballot_law``: the rest of the app asks here.

Where the disputes app records results (``disputes.selectors.ballot_mandate``), the
mandate is what the result says: whether it gives one, for which action, at which
workplaces (separate workplace ballots, s.228), from the day the result was
declared to its last day (as extended by an employer's agreement, s.234(1)(b)).

Without it (a tree where results are not yet recorded) the last day is computed
from the ballot's closing day and regime (``calculations.mandate_expires``: the
period "beginning with the date of the ballot", s.234(1), s.246), the first day is
the day after the closing day (no result can be declared before the ballot closes),
and whether the result gives a mandate is not known (``has_mandate`` None).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from tolpuddle.ballot_law import calculations
from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.disputes.models import Ballot
from tolpuddle.members.models import Employer

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Mandate:
    """``first_day`` is the first day action may take place (the day after the
    result); ``last_day`` the mandate's last (None: no mandate). ``covers`` is the
    regime's ``mandate_covers``: "all_action" (every moment of action must be within
    it) or "start_of_action" (before 2016: the action must begin within it)."""

    from_result: bool
    has_result: bool
    has_mandate: bool | None
    first_day: datetime.date
    last_day: datetime.date | None
    covers: str
    cites: str
    actions: tuple[str, ...] | None = None  # None: not known
    workplaces: dict[str, tuple[int, ...]] | None = None  # separate ballots only
    extended: bool = False
    reasons: tuple[str, ...] = ()


def _result_selector() -> Any:
    """``disputes.selectors.ballot_mandate`` where the disputes app has it."""
    return getattr(dispute_selectors, "ballot_mandate", None)


def ballot_mandate(*, ballot: Ballot, employer: Employer | None = None) -> Mandate:
    """The mandate ``ballot`` gives (to ``employer``'s employees, with any extension
    it agreed)."""
    regime = calculations.regime_for(opening=ballot.opening_on)
    cites = regime.mandate.cites
    selector = _result_selector()
    if selector is not None:
        state = selector(ballot=ballot, employer=employer)
        declared: datetime.date | None = state.declared_on
        return Mandate(
            from_result=True,
            has_result=bool(state.has_result),
            has_mandate=bool(state.has_mandate),
            first_day=(declared or ballot.closing_on) + ONE_DAY,
            last_day=state.expires_on,
            covers=str(state.covers),
            cites=cites,
            actions=tuple(state.actions),
            workplaces=state.workplaces,
            extended=bool(state.extended),
            reasons=tuple(state.reasons),
        )
    return Mandate(
        from_result=False,
        has_result=False,
        has_mandate=None,
        first_day=ballot.closing_on + ONE_DAY,
        last_day=calculations.mandate_expires(closing=ballot.closing_on, regime=regime),
        covers=regime.mandate_covers.value,
        cites=cites,
    )
