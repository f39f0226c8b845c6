"""What the disputes app asks of the statutory rules, answered by
``tolpuddle.ballot_law``: which regime a ballot falls under, the s.226A deadlines,
the wording and content the regime requires of the voting paper and of the
notices, whether a result gives a mandate and until when, and the notice of
industrial action. The one seam to the rule sets: the rest of the app asks here,
never by date itself, and never computes a threshold or a period of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tolpuddle.ballot_law import calculations
from tolpuddle.ballot_law.calculations import (
    ActionNoticePeriod,
    BallotOutcome,
    Commencements,
    format_percent,
)
from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.ballot_law.rules import REGIMES, REGIMES_BY_SLUG, Regime, Statement

__all__ = [
    "REGIMES",
    "REGIMES_BY_SLUG",
    "SCRUTINEER_NEEDED_ABOVE",
    "ActionNoticePeriod",
    "BallotLawError",
    "BallotOutcome",
    "Commencements",
    "NoticeDeadlines",
    "Regime",
    "Statement",
    "action_notice_period",
    "commencements",
    "earliest_action",
    "format_percent",
    "mandate_expires",
    "notice_deadlines",
    "outcome",
    "regime_for",
    "voting_paper_wording",
]

# s.226C: no scrutineer (s.226B) nor scrutineer's name on the paper (s.229(1A)(a))
# for a ballot in which 50 or fewer are entitled to vote.
SCRUTINEER_NEEDED_ABOVE = 50


def commencements() -> Commencements:
    """The days of the law an administrator has set (Settings > Ballot law), read
    once: pass them on to the functions below inside a loop."""
    from tolpuddle.ballot_law import selectors

    return selectors.commencements_current()


def regime_for(
    *, opening_on: datetime.date, days: Commencements | None = None
) -> Regime:
    """The rule set a ballot opening on ``opening_on`` is held under (the opening day
    decides; the administrator's commencement settings are read once)."""
    return calculations.regime_for(opening=opening_on, commencements=days)


def outcome(
    *,
    opening_on: datetime.date,
    entitled: int,
    yes: int,
    no: int,
    spoiled: int,
    important_public_service: bool,
    days: Commencements | None = None,
) -> BallotOutcome:
    """Whether one question's figures give a mandate (``calculations.ballot_outcome``:
    turnout, the 40% where it applies, Yes > No). Impossible figures raise
    ``BallotLawError``."""
    return calculations.ballot_outcome(
        opening=opening_on,
        entitled=entitled,
        yes=yes,
        no=no,
        spoiled=spoiled,
        important_public_service=important_public_service,
        commencements=days,
    )


def mandate_expires(
    *, closing_on: datetime.date, regime: Regime, extended: bool = False
) -> datetime.date | None:
    """The mandate's last day (s.234(1)), beginning with the closing day; with
    ``extended``, the furthest an agreement with the employer may take it (None
    where the regime allows none)."""
    return calculations.mandate_expires(
        closing=closing_on, regime=regime, extended=extended
    )


def action_notice_period(
    *,
    opening_on: datetime.date,
    notice_received: datetime.date,
    days: Commencements | None = None,
) -> ActionNoticePeriod:
    """The notice of industrial action the employer must receive (s.234A(4)(b))."""
    return calculations.action_notice_period(
        opening=opening_on, notice_received=notice_received, commencements=days
    )


def earliest_action(
    *, notice_received: datetime.date, notice_days: int
) -> datetime.date:
    """The first day of action a notice received on ``notice_received`` allows."""
    return calculations.earliest_action(
        notice_received=notice_received, notice_days=notice_days
    )


@dataclass(frozen=True)
class NoticeDeadlines:
    """The last days on which an employer may receive the notice of ballot and the
    sample voting paper (s.226A(1)), for a ballot opening on ``opening_on``."""

    regime: Regime
    opening_on: datetime.date
    notice_by: datetime.date
    sample_paper_by: datetime.date


def notice_deadlines(*, opening_on: datetime.date) -> NoticeDeadlines:
    """s.226A(1)(a): the notice received "not later than the seventh day before the
    opening day"; s.226A(1)(b): the sample voting paper not later than the third."""
    regime = regime_for(opening_on=opening_on)
    return NoticeDeadlines(
        regime=regime,
        opening_on=opening_on,
        notice_by=calculations.ballot_notice_by(opening=opening_on, regime=regime),
        sample_paper_by=calculations.sample_paper_by(opening=opening_on, regime=regime),
    )


def voting_paper_wording(*, regime: Regime) -> tuple[Statement, ...]:
    """The statements the regime prescribes word for word (s.229(4)), each to be
    printed whole: a statement whose words are part of another's (the dismissal
    protection, the second sentence of the s.229(4) statement) is printed within it."""
    worded = [s for s in regime.voting_paper if s.wording]
    return tuple(
        s
        for s in worded
        if not any(s.wording in other.wording for other in worded if other is not s)
    )
