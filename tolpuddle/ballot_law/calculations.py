"""What the ballot law says about a ballot: its regime, timetable and outcome.

Pure functions over ``rules.REGIMES``: they read the database only for the two days an
administrator fills in (``selectors.commencements_current``), and not at all when the
caller passes ``commencements``. Disputes, ballots, notices and the back office call
these; the ``ballot_timetable`` and ``ballot_outcome`` commands print them.

Which date decides: the ballot's *opening day* (the first day a voting paper is sent to
anyone entitled to vote; TUA 2016 s.3(3), s.6(2)) chooses the regime for the thresholds,
the mandate, the voting paper and the notices. The *notice period* for industrial
action follows each regime's ``action_notice_decided_by`` rule (see docs/ballot-law.md).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, replace
from fractions import Fraction

from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.ballot_law.periods import days_after, days_before
from tolpuddle.ballot_law.rules import (
    ERA_2025_STAGE_1_FROM,
    REGIMES,
    Regime,
    Rule,
)


@dataclass(frozen=True, kw_only=True)
class Commencements:
    """The days of the law not known in advance, as an administrator has set them.

    Empty means "not yet": stage 2 of the 2025 Act never applies, and ballots are
    postal only.
    """

    stage_2_from: datetime.date | None = None
    electronic_voting_from: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.stage_2_from is not None and self.stage_2_from <= ERA_2025_STAGE_1_FROM:
            raise BallotLawError(
                "The second stage of the Employment Rights Act 2025 must begin after "
                "the first (18 February 2026)."
            )


@dataclass(frozen=True, kw_only=True)
class ActionNoticePeriod:
    """How much notice of industrial action the employer must receive (s.234A(4))."""

    regime: Regime  # the regime whose notice rule applies
    days: int
    days_by_agreement: int | None
    cites: str


@dataclass(frozen=True, kw_only=True)
class BallotTimetable:
    regime: Regime
    opening: datetime.date
    closing: datetime.date
    result_on: datetime.date | None
    notice_on: datetime.date | None
    ballot_notice_by: datetime.date
    sample_paper_by: datetime.date
    mandate_expires: datetime.date
    mandate_expires_if_extended: datetime.date | None
    action_notice: ActionNoticePeriod
    earliest_action: datetime.date | None
    earliest_action_by_agreement: datetime.date | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class BallotOutcome:
    regime: Regime
    entitled: int
    yes: int
    no: int
    spoiled: int
    important_public_service: bool
    votes_cast: int
    turnout: Fraction
    turnout_threshold: Fraction | None
    turnout_threshold_met: bool | None
    support: Fraction  # those answering Yes, as a share of those entitled to vote
    support_threshold: Fraction | None
    support_threshold_met: bool | None
    majority_yes: bool
    mandate: bool
    reasons: tuple[str, ...]  # one sentence for each test failed
    warnings: tuple[str, ...] = ()  # a test passed on a reading that may be disputed


def _commencements(commencements: Commencements | None) -> Commencements:
    if commencements is not None:
        return commencements
    from tolpuddle.ballot_law import selectors

    return selectors.commencements_current()


def _starts_on(regime: Regime, days: Commencements) -> datetime.date | None:
    if regime.starts_on_setting:
        value: datetime.date | None = getattr(days, regime.starts_on_setting)
        return value
    return regime.starts_on


def _resolved(regime: Regime, days: Commencements) -> Regime:
    if not regime.starts_on_setting:
        return regime
    starts_on = _starts_on(regime, days)
    return replace(
        regime,
        commencement=Rule(
            value=starts_on,
            cites=regime.commencement.cites,
            note=(
                "Set by an administrator (Settings > Ballot law)."
                if starts_on
                else regime.commencement.note
            ),
            uncertain=regime.commencement.uncertain,
        ),
    )


def regime_for(
    *, opening: datetime.date, commencements: Commencements | None = None
) -> Regime:
    """The rule set for a ballot whose opening day is ``opening``: the last regime in
    ``REGIMES`` that has begun by then. A regime whose start is a setting not yet filled
    in never applies. ``electronic_voting_permitted`` is filled in from the settings."""
    days = _commencements(commencements)
    chosen = REGIMES[0]
    for regime in REGIMES[1:]:
        starts_on = _starts_on(regime, days)
        if starts_on is not None and opening >= starts_on:
            chosen = regime
    electronic = (
        days.electronic_voting_from is not None
        and opening >= days.electronic_voting_from
    )
    return replace(_resolved(chosen, days), electronic_voting_permitted=electronic)


def action_notice_period(
    *,
    opening: datetime.date,
    notice_received: datetime.date,
    commencements: Commencements | None = None,
) -> ActionNoticePeriod:
    """The notice of industrial action the employer must receive (TULRCA s.234A(4)(b)),
    for a ballot opening on ``opening`` and a notice received on ``notice_received``.

    The latest regime whose notice rule reaches this notice applies: a rule "decided by
    the ballot's opening" reaches ballots opening on or after the regime's start, one
    "decided by the notice's receipt" reaches notices received on or after it.
    """
    days = _commencements(commencements)
    for regime in reversed(REGIMES):
        starts_on = _starts_on(regime, days)
        if regime is not REGIMES[0] and starts_on is None:
            continue
        deciding_day = (
            opening
            if regime.action_notice_decided_by.value == "ballot_opening"
            else notice_received
        )
        if starts_on is None or deciding_day >= starts_on:
            resolved = _resolved(regime, days)
            return ActionNoticePeriod(
                regime=resolved,
                days=resolved.action_notice_days.value,
                days_by_agreement=resolved.action_notice_days_by_agreement.value,
                cites=resolved.action_notice_days.cites,
            )
    raise AssertionError("REGIMES[0] has no start, so it always applies")


def ballot_notice_by(*, opening: datetime.date, regime: Regime) -> datetime.date:
    """The last day the employer may receive notice of the ballot: "not later than the
    seventh day before the opening day" (TULRCA s.226A(1)(a))."""
    return days_before(opening, regime.ballot_notice_days.value)


def sample_paper_by(*, opening: datetime.date, regime: Regime) -> datetime.date:
    """The last day the employer may receive a sample voting paper: "not later than the
    third day before the opening day" (TULRCA s.226A(1)(b))."""
    return days_before(opening, regime.sample_paper_days.value)


def mandate_expires(
    *, closing: datetime.date, regime: Regime, extended: bool = False
) -> datetime.date | None:
    """The last day of the mandate: a period "beginning with the date of the ballot"
    (TULRCA s.234(1)), the date of the ballot being the last day on which votes may be
    cast (s.246), so the closing day itself is its first day. With ``extended``, the
    longest period the union and the employer may agree, or None where the regime
    allows no extension."""
    period = regime.mandate_if_extended.value if extended else regime.mandate.value
    if period is None:
        return None
    return period.last_day(beginning_with=closing)


def earliest_action(
    *, notice_received: datetime.date, notice_days: int
) -> datetime.date:
    """The first day on which action may take place when the employer receives the
    notice on ``notice_received``: the notice must be received "not later than the
    [notice_days]th day before" that day (TULRCA s.234A(4)(b)), so the first day is
    ``notice_received`` plus ``notice_days`` days."""
    return days_after(notice_received, notice_days)


def _uk(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def ballot_timetable(
    *,
    opening: datetime.date,
    closing: datetime.date,
    result_on: datetime.date | None = None,
    notice_on: datetime.date | None = None,
    commencements: Commencements | None = None,
) -> BallotTimetable:
    """The statutory deadlines of a ballot opening on ``opening`` and closing on
    ``closing`` (its last day of voting), with the earliest day of action when the
    employer receives notice of action on ``notice_on``.

    Refuses a ballot closing before it opens, a result declared before it closes, and a
    notice of action received before the result is declared (or, with no result day,
    before the ballot closes): the union cannot call action on a result it does not
    have, and the employer must have been told the result (s.231A) first.
    """
    if closing < opening:
        raise BallotLawError(
            f"The ballot cannot close ({_uk(closing)}) before it opens ({_uk(opening)})."
        )
    if result_on is not None and result_on < closing:
        raise BallotLawError(
            f"The result cannot be declared ({_uk(result_on)}) before the ballot "
            f"closes ({_uk(closing)})."
        )
    if notice_on is not None:
        known_from, what = (
            (result_on, "the result is declared")
            if result_on is not None
            else (closing, "the ballot closes")
        )
        if notice_on < known_from:
            raise BallotLawError(
                f"Notice of action received on {_uk(notice_on)} would come before {what} "
                f"({_uk(known_from)}): action may be called only on the result, and the "
                "employer must be told the result first (TULRCA s.231A, s.233)."
            )
    days = _commencements(commencements)
    regime = regime_for(opening=opening, commencements=days)
    expires = mandate_expires(closing=closing, regime=regime)
    assert expires is not None  # noqa: S101 - every regime has a mandate
    expires_if_extended = mandate_expires(closing=closing, regime=regime, extended=True)
    last_notice_day = expires_if_extended or expires

    warnings: list[str] = []
    if notice_on is not None:
        notice = action_notice_period(
            opening=opening, notice_received=notice_on, commencements=days
        )
    else:
        notice = _longest_notice(
            opening=opening,
            received_from=result_on or closing,
            received_until=last_notice_day,
            days=days,
            warnings=warnings,
        )

    first_day: datetime.date | None = None
    first_day_by_agreement: datetime.date | None = None
    if notice_on is not None:
        first_day = earliest_action(notice_received=notice_on, notice_days=notice.days)
        if notice.days_by_agreement is not None:
            first_day_by_agreement = earliest_action(
                notice_received=notice_on, notice_days=notice.days_by_agreement
            )
        if (first_day_by_agreement or first_day) > last_notice_day:
            warnings.append(
                f"With notice received on {_uk(notice_on)}, the first day action may "
                f"take place ({_uk(first_day)}) is after the mandate's last day "
                f"({_uk(expires)}"
                + (
                    f", or {_uk(expires_if_extended)} if extended by agreement"
                    if expires_if_extended
                    else ""
                )
                + "): a new ballot is needed."
            )
        elif first_day > expires:
            warnings.append(
                f"The first day action may take place ({_uk(first_day)}) is after the "
                f"mandate's last day ({_uk(expires)}) unless the employer agrees to "
                "extend it or to shorter notice."
            )
    if result_on is not None and result_on > expires:
        warnings.append(
            f"The result ({_uk(result_on)}) is declared after the mandate's last day "
            f"({_uk(expires)})."
        )
    if regime.mandate_covers.value == "start_of_action":
        warnings.append(
            f"Under this regime the mandate's last day ({_uk(expires)}) is the last day "
            "on which the action may be called and begin; action begun by then may "
            "continue (" + regime.mandate_covers.cites + ")."
        )
    return BallotTimetable(
        regime=regime,
        opening=opening,
        closing=closing,
        result_on=result_on,
        notice_on=notice_on,
        ballot_notice_by=ballot_notice_by(opening=opening, regime=regime),
        sample_paper_by=sample_paper_by(opening=opening, regime=regime),
        mandate_expires=expires,
        mandate_expires_if_extended=expires_if_extended,
        action_notice=notice,
        earliest_action=first_day,
        earliest_action_by_agreement=first_day_by_agreement,
        warnings=tuple(warnings),
    )


def _longest_notice(
    *,
    opening: datetime.date,
    received_from: datetime.date,
    received_until: datetime.date,
    days: Commencements,
    warnings: list[str],
) -> ActionNoticePeriod:
    """With no notice day given: the longest notice that could apply to a notice
    received between ``received_from`` and ``received_until`` (a regime deciding by the
    notice's receipt may begin in between)."""
    candidates = [received_from] + [
        starts_on
        for regime in REGIMES
        if (starts_on := _starts_on(regime, days)) is not None
        and received_from < starts_on <= received_until
    ]
    periods = [
        (
            day,
            action_notice_period(
                opening=opening, notice_received=day, commencements=days
            ),
        )
        for day in candidates
    ]
    longest = max(periods, key=lambda pair: pair[1].days)[1]
    if len({period.days for _day, period in periods}) > 1:
        warnings.append(
            "The notice period depends on when the employer receives the notice: "
            + "; ".join(
                f"from {_uk(day)}, {period.days} days ({period.cites})"
                for day, period in periods
            )
            + f". The longest, {longest.days} days, is shown; give the notice day for "
            "the exact period."
        )
    return longest


def format_percent(share: Fraction) -> str:
    """A share as a percentage rounded *down* to one decimal place, so that a share
    just under a threshold never prints as the threshold itself."""
    tenths = math.floor(share * 1000)
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole}.{tenth}%"


def _check_figures(*, entitled: int, yes: int, no: int, spoiled: int) -> None:
    for label, value in (
        ("entitled to vote", entitled),
        ("answering Yes", yes),
        ("answering No", no),
        ("of spoiled papers", spoiled),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BallotLawError(f"The number {label} must be a whole number.")
        if value < 0:
            raise BallotLawError(
                f"The number {label} cannot be negative (it was {value:,})."
            )
    if entitled == 0:
        raise BallotLawError(
            "No one was entitled to vote: a ballot needs at least one person entitled "
            "to vote."
        )
    if yes + no + spoiled > entitled:
        raise BallotLawError(
            f"More papers were returned (Yes {yes:,} + No {no:,} + spoiled {spoiled:,} "
            f"= {yes + no + spoiled:,}) than there were people entitled to vote "
            f"({entitled:,})."
        )


def ballot_outcome(
    *,
    opening: datetime.date,
    entitled: int,
    yes: int,
    no: int,
    spoiled: int,
    important_public_service: bool,
    commencements: Commencements | None = None,
) -> BallotOutcome:
    """Whether a ballot (one question) gives a mandate, under the regime of its opening
    day. Call it once for each question (strike, action short of a strike).

    - Votes cast are Yes + No + spoiled: the turnout test counts those entitled who
      voted ("at least 50% of those who were entitled to vote in the ballot did so",
      s.226(2)(a)(iia)), and a member who returns a spoiled paper has voted.
    - The majority test is Yes > No (s.226(2)(a)(iii), (2A)): a tie is not a majority.
    - The 40% test (s.226(2B), (2C)), where the regime has it and the majority of those
      entitled are normally engaged in important public services
      (``important_public_service``): at least 40% of those entitled answered Yes.
    - Thresholds are compared exactly (fractions): 500 of 1,000 is "at least 50%".
    """
    _check_figures(entitled=entitled, yes=yes, no=no, spoiled=spoiled)
    regime = regime_for(opening=opening, commencements=commencements)
    votes_cast = yes + no + spoiled
    turnout = Fraction(votes_cast, entitled)
    support = Fraction(yes, entitled)
    reasons: list[str] = []

    turnout_threshold = regime.turnout_threshold.value
    turnout_met: bool | None = None
    warnings: list[str] = []
    if turnout_threshold is not None:
        turnout_met = turnout >= turnout_threshold
        if turnout_met and Fraction(yes + no, entitled) < turnout_threshold:
            warnings.append(
                f"Turnout reaches {format_percent(turnout_threshold)} only by counting "
                f"the {spoiled:,} spoiled papers. They are counted because those members "
                f"voted ({regime.turnout_threshold.cites}); an employer may argue that "
                "only valid votes count."
            )
        if not turnout_met:
            reasons.append(
                f"Turnout was {format_percent(turnout)} ({votes_cast:,} of {entitled:,} "
                f"entitled to vote); at least {format_percent(turnout_threshold)} of those "
                f"entitled must vote ({regime.turnout_threshold.cites})."
            )

    support_threshold = (
        regime.support_threshold.value if important_public_service else None
    )
    support_met: bool | None = None
    if support_threshold is not None:
        support_met = support >= support_threshold
        if not support_met:
            reasons.append(
                f"Only {format_percent(support)} of those entitled to vote answered Yes "
                f"({yes:,} of {entitled:,}); in important public services at least "
                f"{format_percent(support_threshold)} of those entitled must "
                f"({regime.support_threshold.cites})."
            )

    majority_yes = yes > no
    if not majority_yes:
        comparison = "tied with" if yes == no else "were fewer than"
        reasons.append(
            f"The Yes answers ({yes:,}) {comparison} the No answers ({no:,}); more of "
            f"those voting must answer Yes than No ({regime.majority.cites})."
        )

    return BallotOutcome(
        regime=regime,
        entitled=entitled,
        yes=yes,
        no=no,
        spoiled=spoiled,
        important_public_service=important_public_service,
        votes_cast=votes_cast,
        turnout=turnout,
        turnout_threshold=turnout_threshold,
        turnout_threshold_met=turnout_met,
        support=support,
        support_threshold=support_threshold,
        support_threshold_met=support_met,
        majority_yes=majority_yes,
        mandate=majority_yes and turnout_met is not False and support_met is not False,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )
