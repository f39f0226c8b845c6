"""The dates and rule sets the disputes app asks of the law: which regime a ballot
falls under, and the s.226A deadlines. The one seam to the statutory rules; the
rest of the app asks here, never by date itself.

Local rules, until ``tolpuddle.ballot_law`` (the dated statutory rule sets) is
used here instead: the regime is chosen by the ballot's opening day, and the
notice deadlines count back from it.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from tolpuddle.disputes.statements import (
    S229_4_BEFORE_2026,
    S229_4_FROM_2026,
    Statement,
)


class Regime(enum.StrEnum):
    BEFORE_2016 = "before_2016"
    TRADE_UNION_ACT_2016 = "trade_union_act_2016"
    EMPLOYMENT_RIGHTS_ACT_2025 = "employment_rights_act_2025"


REGIME_NAMES = {
    Regime.BEFORE_2016: "before the Trade Union Act 2016",
    Regime.TRADE_UNION_ACT_2016: "Trade Union Act 2016",
    Regime.EMPLOYMENT_RIGHTS_ACT_2025: "Employment Rights Act 2025",
}

# The first opening day each regime applies to.
TRADE_UNION_ACT_2016_FROM = datetime.date(2017, 3, 1)
EMPLOYMENT_RIGHTS_ACT_2025_FROM = datetime.date(2026, 2, 18)

# s.226A(1)(a): the notice is to be received "not later than the seventh day before
# the opening day"; s.226A(1)(b): the sample voting paper "not later than the third
# day before the opening day".
NOTICE_DAYS_BEFORE_OPENING = 7
SAMPLE_PAPER_DAYS_BEFORE_OPENING = 3


def regime_for(*, opening_on: datetime.date) -> Regime:
    """The rule set a ballot opening on ``opening_on`` is held under."""
    if opening_on >= EMPLOYMENT_RIGHTS_ACT_2025_FROM:
        return Regime.EMPLOYMENT_RIGHTS_ACT_2025
    if opening_on >= TRADE_UNION_ACT_2016_FROM:
        return Regime.TRADE_UNION_ACT_2016
    return Regime.BEFORE_2016


@dataclass(frozen=True)
class NoticeDeadlines:
    """The last days on which an employer may receive the notice of ballot and the
    sample voting paper (s.226A(1)), for a ballot opening on ``opening_on``."""

    opening_on: datetime.date
    notice_by: datetime.date
    sample_paper_by: datetime.date


def notice_deadlines(*, opening_on: datetime.date) -> NoticeDeadlines:
    return NoticeDeadlines(
        opening_on=opening_on,
        notice_by=opening_on - datetime.timedelta(days=NOTICE_DAYS_BEFORE_OPENING),
        sample_paper_by=opening_on
        - datetime.timedelta(days=SAMPLE_PAPER_DAYS_BEFORE_OPENING),
    )


def voting_paper_statements(*, regime: Regime) -> tuple[Statement, ...]:
    """The statements every voting paper of the regime carries (s.229(4))."""
    if regime == Regime.EMPLOYMENT_RIGHTS_ACT_2025:
        return (S229_4_FROM_2026,)
    return (S229_4_BEFORE_2026,)


def voting_paper_has_2016_content(*, regime: Regime) -> bool:
    """Whether the paper carries the Trade Union Act 2016's additions: the summary of
    the matters in issue, the types of action short of a strike and the period of
    the action (s.229(2B)-(2D)), which the 2025 Act repeals."""
    return regime == Regime.TRADE_UNION_ACT_2016


# s.226C: no scrutineer (s.226B) nor scrutineer's name on the paper (s.229(1A)(a))
# for a ballot in which 50 or fewer are entitled to vote.
SCRUTINEER_NEEDED_ABOVE = 50
