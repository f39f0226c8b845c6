"""What the disputes app asks of the statutory rules, answered by
``tolpuddle.ballot_law``: which regime a ballot falls under, the s.226A deadlines,
and the wording and content the regime requires of the voting paper and of the
notice of ballot. The one seam to the rule sets: the rest of the app asks here,
never by date itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tolpuddle.ballot_law import calculations
from tolpuddle.ballot_law.rules import REGIMES, Regime, Statement

__all__ = [
    "REGIMES",
    "SCRUTINEER_NEEDED_ABOVE",
    "NoticeDeadlines",
    "Regime",
    "Statement",
    "notice_deadlines",
    "regime_for",
    "voting_paper_wording",
]

# s.226C: no scrutineer (s.226B) nor scrutineer's name on the paper (s.229(1A)(a))
# for a ballot in which 50 or fewer are entitled to vote.
SCRUTINEER_NEEDED_ABOVE = 50


def regime_for(*, opening_on: datetime.date) -> Regime:
    """The rule set a ballot opening on ``opening_on`` is held under (the opening day
    decides; the administrator's commencement settings are read once)."""
    return calculations.regime_for(opening=opening_on)


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
