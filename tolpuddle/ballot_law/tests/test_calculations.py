"""Regimes, timetables and outcomes, with the settings passed in (no database)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tolpuddle.ballot_law.calculations import (
    Commencements,
    action_notice_period,
    ballot_outcome,
    ballot_timetable,
    regime_for,
)
from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.core.exceptions import ApplicationError

D = datetime.date
NONE_SET = Commencements()
STAGE_2 = Commencements(stage_2_from=D(2026, 12, 1))


def timetable(**kwargs):
    kwargs.setdefault("commencements", NONE_SET)
    return ballot_timetable(**kwargs)


def outcome(**kwargs):
    kwargs.setdefault("commencements", NONE_SET)
    kwargs.setdefault("important_public_service", False)
    kwargs.setdefault("spoiled", 0)
    return ballot_outcome(**kwargs)


# --- Which regime -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "slug"),
    [
        (D(2013, 5, 1), "pre-2016"),
        (D(2017, 2, 28), "pre-2016"),
        (D(2017, 3, 1), "tua-2016"),
        (D(2026, 2, 17), "tua-2016"),
        (D(2026, 2, 18), "era-2025-stage-1"),
        (D(2040, 1, 1), "era-2025-stage-1"),  # stage 2 is not set, so never applies
    ],
)
def test_the_opening_day_chooses_the_regime(opening, slug) -> None:
    assert regime_for(opening=opening, commencements=NONE_SET).slug == slug


def test_stage_2_applies_from_the_day_an_administrator_sets() -> None:
    assert regime_for(opening=D(2026, 11, 30), commencements=STAGE_2).slug == (
        "era-2025-stage-1"
    )
    stage_2 = regime_for(opening=D(2026, 12, 1), commencements=STAGE_2)

    assert stage_2.slug == "era-2025-stage-2"
    assert stage_2.starts_on == D(2026, 12, 1)
    assert stage_2.turnout_threshold.value is None


def test_stage_2_cannot_be_set_to_begin_before_stage_1_is_over() -> None:
    with pytest.raises(BallotLawError, match="after the first"):
        Commencements(stage_2_from=D(2026, 2, 18))


def test_electronic_voting_is_permitted_only_for_ballots_opening_from_its_day() -> None:
    days = Commencements(electronic_voting_from=D(2026, 7, 1))

    assert not regime_for(
        opening=D(2026, 6, 30), commencements=days
    ).electronic_voting_permitted
    assert regime_for(
        opening=D(2026, 7, 1), commencements=days
    ).electronic_voting_permitted
    assert not regime_for(
        opening=D(2030, 1, 1), commencements=NONE_SET
    ).electronic_voting_permitted


# --- Timetables on either side of each change ------------------------------------------


def test_a_ballot_opening_on_1_march_2017_is_under_the_2016_act() -> None:
    t = timetable(opening=D(2017, 3, 1), closing=D(2017, 3, 15))

    assert t.regime.slug == "tua-2016"
    assert (t.ballot_notice_by, t.sample_paper_by) == (D(2017, 2, 22), D(2017, 2, 26))
    assert t.mandate_expires == D(2017, 9, 14)
    assert t.mandate_expires_if_extended == D(2017, 12, 14)
    assert (t.action_notice.days, t.action_notice.days_by_agreement) == (14, 7)


def test_a_ballot_opening_on_28_february_2017_keeps_the_old_mandate() -> None:
    t = timetable(
        opening=D(2017, 2, 28), closing=D(2017, 3, 14), notice_on=D(2017, 3, 20)
    )

    assert t.regime.slug == "pre-2016"
    assert (t.ballot_notice_by, t.sample_paper_by) == (D(2017, 2, 21), D(2017, 2, 25))
    # Four weeks beginning with Tuesday 14 March: the last day is Monday 10 April.
    assert t.mandate_expires == D(2017, 4, 10)
    assert t.mandate_expires_if_extended == D(2017, 5, 8)
    assert t.regime.mandate_covers.value == "start_of_action"
    # The 2016 Act's 14 days reach every notice received from 1 March 2017.
    assert (t.action_notice.days, t.action_notice.regime.slug) == (14, "tua-2016")
    assert t.earliest_action == D(2017, 4, 3)


def test_a_notice_received_before_march_2017_needs_seven_days() -> None:
    t = timetable(
        opening=D(2017, 2, 1), closing=D(2017, 2, 15), notice_on=D(2017, 2, 20)
    )

    assert (t.action_notice.days, t.action_notice.days_by_agreement) == (7, None)
    assert t.earliest_action == D(2017, 2, 27)
    assert t.earliest_action_by_agreement is None


def test_without_a_notice_day_the_longest_period_that_could_apply_is_shown() -> None:
    t = timetable(opening=D(2017, 2, 1), closing=D(2017, 2, 15))

    assert t.action_notice.days == 14
    assert t.earliest_action is None
    assert any(
        "depends on when the employer receives the notice" in w for w in t.warnings
    )


def test_a_ballot_opening_on_18_february_2026_is_under_the_2025_act() -> None:
    t = timetable(
        opening=D(2026, 2, 18), closing=D(2026, 3, 4), notice_on=D(2026, 3, 6)
    )

    assert t.regime.slug == "era-2025-stage-1"
    assert t.ballot_notice_by == D(2026, 2, 11)
    assert t.mandate_expires == D(2027, 3, 3)
    assert t.mandate_expires_if_extended is None
    assert (t.action_notice.days, t.action_notice.days_by_agreement) == (10, None)
    assert t.earliest_action == D(2026, 3, 16)


def test_a_ballot_opening_on_17_february_2026_keeps_six_months_and_14_days() -> None:
    t = timetable(
        opening=D(2026, 2, 17), closing=D(2026, 3, 3), notice_on=D(2026, 3, 5)
    )

    assert t.regime.slug == "tua-2016"
    assert t.ballot_notice_by == D(2026, 2, 10)
    assert t.mandate_expires == D(2026, 9, 2)
    assert t.mandate_expires_if_extended == D(2026, 12, 2)
    assert (t.action_notice.days, t.action_notice.regime.slug) == (14, "tua-2016")
    assert (t.earliest_action, t.earliest_action_by_agreement) == (
        D(2026, 3, 19),
        D(2026, 3, 12),
    )


def test_the_worked_example_mandate_ends_on_29_december_2025() -> None:
    t = timetable(opening=D(2025, 6, 2), closing=D(2025, 6, 30))

    assert t.mandate_expires == D(2025, 12, 29)


def test_a_ballot_may_open_and_close_on_the_same_day() -> None:
    t = timetable(opening=D(2025, 6, 2), closing=D(2025, 6, 2))

    assert t.mandate_expires == D(2025, 12, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"opening": D(2025, 6, 2), "closing": D(2025, 6, 1)}, "cannot close"),
        (
            {
                "opening": D(2025, 6, 2),
                "closing": D(2025, 6, 30),
                "result_on": D(2025, 6, 29),
            },
            "before the ballot closes",
        ),
        (
            {
                "opening": D(2025, 6, 2),
                "closing": D(2025, 6, 30),
                "result_on": D(2025, 7, 2),
                "notice_on": D(2025, 7, 1),
            },
            "before the result is declared",
        ),
        (
            {
                "opening": D(2025, 6, 2),
                "closing": D(2025, 6, 30),
                "notice_on": D(2025, 6, 29),
            },
            "before the ballot closes",
        ),
    ],
)
def test_impossible_timetables_are_refused(kwargs, message) -> None:
    with pytest.raises(BallotLawError, match=message):
        timetable(**kwargs)


def test_notice_may_be_received_on_the_day_the_result_is_declared() -> None:
    t = timetable(
        opening=D(2025, 6, 2),
        closing=D(2025, 6, 30),
        result_on=D(2025, 7, 1),
        notice_on=D(2025, 7, 1),
    )

    assert t.earliest_action == D(2025, 7, 15)
    assert t.warnings == ()


def test_late_notice_is_warned_of_and_too_late_notice_needs_a_new_ballot() -> None:
    late = timetable(
        opening=D(2025, 6, 2), closing=D(2025, 6, 30), notice_on=D(2025, 12, 20)
    )
    too_late = timetable(
        opening=D(2025, 6, 2), closing=D(2025, 6, 30), notice_on=D(2026, 3, 25)
    )

    assert late.earliest_action == D(2026, 1, 3)
    assert [w for w in late.warnings if "unless the employer agrees" in w]
    assert [w for w in too_late.warnings if "a new ballot is needed" in w]


def test_the_notice_rule_of_a_regime_decided_by_the_opening_day_ignores_the_notice_day() -> (
    None
):
    period = action_notice_period(
        opening=D(2026, 2, 10), notice_received=D(2026, 6, 1), commencements=NONE_SET
    )

    assert (period.days, period.regime.slug) == (14, "tua-2016")


# --- Outcomes -----------------------------------------------------------------------


def test_napos_2013_figures_gave_a_mandate_then_and_would_not_since_2017() -> None:
    figures = {"entitled": 1000, "yes": 391, "no": 69}  # 85% Yes on a 46% turnout

    in_2013 = outcome(opening=D(2013, 5, 1), **figures)
    in_2018 = outcome(opening=D(2018, 5, 1), **figures)
    in_2026 = outcome(opening=D(2026, 3, 1), **figures)

    assert (in_2013.regime.slug, in_2013.mandate, in_2013.reasons) == (
        "pre-2016",
        True,
        (),
    )
    assert in_2013.turnout_threshold is None and in_2013.turnout_threshold_met is None
    for later in (in_2018, in_2026):
        assert later.turnout == Fraction(46, 100)
        assert (later.turnout_threshold_met, later.majority_yes, later.mandate) == (
            False,
            True,
            False,
        )
        assert later.reasons == (
            "Turnout was 46% (460 of 1,000 entitled to vote); at least 50% of those "
            "entitled must vote (TULRCA s.226(2)(a)(iia)"
            + (
                ""
                if later is in_2018
                else " (its repeal by the 2025 Act is not yet in force)"
            )
            + ").",
        )


def test_the_same_figures_give_a_mandate_once_stage_2_is_in_force() -> None:
    result = outcome(
        opening=D(2027, 1, 4), entitled=1000, yes=391, no=69, commencements=STAGE_2
    )

    assert (result.regime.slug, result.turnout_threshold, result.mandate) == (
        "era-2025-stage-2",
        None,
        True,
    )


def test_exactly_half_turning_out_meets_at_least_50_percent() -> None:
    exactly = outcome(opening=D(2018, 1, 1), entitled=1000, yes=300, no=200)
    one_short = outcome(opening=D(2018, 1, 1), entitled=1000, yes=300, no=199)

    assert (exactly.turnout_threshold_met, exactly.mandate) == (True, True)
    assert (one_short.turnout_threshold_met, one_short.mandate) == (False, False)


def test_spoiled_papers_count_towards_turnout_but_not_as_yes_or_no() -> None:
    result = outcome(opening=D(2018, 1, 1), entitled=1000, yes=300, no=190, spoiled=10)

    assert result.votes_cast == 500
    assert result.turnout_threshold_met is True
    assert result.support == Fraction(300, 1000)
    assert result.warnings == (
        "Turnout reaches 50% only by counting the 10 spoiled papers. They are counted "
        "because those members voted (TULRCA s.226(2)(a)(iia)); an employer may argue "
        "that only valid votes count.",
    )


def test_no_warning_when_valid_votes_alone_reach_the_turnout() -> None:
    result = outcome(opening=D(2018, 1, 1), entitled=1000, yes=300, no=200, spoiled=10)

    assert (result.turnout_threshold_met, result.warnings) == (True, ())


def test_a_tie_is_not_a_majority() -> None:
    result = outcome(opening=D(2013, 1, 1), entitled=1000, yes=300, no=300)

    assert (result.majority_yes, result.mandate) == (False, False)
    assert result.reasons == (
        "The Yes answers (300) tied with the No answers (300); more of those voting "
        "must answer Yes than No (TULRCA s.226(2)(a)(iii) as it then stood (the majority "
        "voting in the ballot answered Yes)).",
    )


def test_more_no_than_yes_is_refused_with_its_reason() -> None:
    result = outcome(opening=D(2018, 1, 1), entitled=100, yes=20, no=40)

    assert not result.mandate
    assert "were fewer than the No answers (40)" in result.reasons[0]


def test_forty_percent_of_those_entitled_must_say_yes_in_important_public_services() -> (
    None
):
    at = outcome(
        opening=D(2018, 1, 1),
        entitled=1000,
        yes=400,
        no=100,
        important_public_service=True,
    )
    below = outcome(
        opening=D(2018, 1, 1),
        entitled=1000,
        yes=399,
        no=101,
        important_public_service=True,
    )

    assert (at.support_threshold, at.support_threshold_met, at.mandate) == (
        Fraction(2, 5),
        True,
        True,
    )
    assert (
        below.turnout_threshold_met,
        below.support_threshold_met,
        below.mandate,
    ) == (
        True,
        False,
        False,
    )
    assert below.reasons == (
        "Only 39.9% of those entitled to vote answered Yes (399 of 1,000); in "
        "important public services at least 40% of those entitled must (TULRCA "
        "s.226(2)(a)(iii), (2B), (2C)).",
    )


def test_the_40_percent_test_applies_only_to_important_public_services_and_only_in_2016_law() -> (
    None
):
    elsewhere = outcome(opening=D(2018, 1, 1), entitled=1000, yes=399, no=101)
    after_repeal = outcome(
        opening=D(2026, 2, 18),
        entitled=1000,
        yes=399,
        no=101,
        important_public_service=True,
    )
    before = outcome(
        opening=D(2017, 2, 28),
        entitled=1000,
        yes=399,
        no=101,
        important_public_service=True,
    )

    for result in (elsewhere, after_repeal, before):
        assert (
            result.support_threshold,
            result.support_threshold_met,
            result.mandate,
        ) == (
            None,
            None,
            True,
        )


def test_a_turnout_just_under_half_is_not_printed_as_half() -> None:
    result = outcome(opening=D(2018, 1, 1), entitled=10_000, yes=4_000, no=999)

    assert result.reasons[0].startswith("Turnout was 49.9% (4,999 of 10,000")


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"entitled": -1, "yes": 0, "no": 0}, "entitled to vote cannot be negative"),
        ({"entitled": 10, "yes": -1, "no": 0}, "answering Yes cannot be negative"),
        (
            {"entitled": 10, "yes": 0, "no": 0, "spoiled": -2},
            "spoiled papers cannot be negative",
        ),
        ({"entitled": 0, "yes": 0, "no": 0}, "No one was entitled to vote"),
        (
            {"entitled": 10, "yes": 6, "no": 4, "spoiled": 1},
            r"= 11\) than there were people",
        ),
        ({"entitled": 10, "yes": 2.5, "no": 0}, "whole number"),
    ],
)
def test_inconsistent_figures_are_refused(figures, message) -> None:
    with pytest.raises(BallotLawError, match=message) as refused:
        outcome(opening=D(2018, 1, 1), **figures)

    assert isinstance(refused.value, ApplicationError)


def test_everyone_voting_is_consistent() -> None:
    assert (
        outcome(opening=D(2018, 1, 1), entitled=10, yes=6, no=3, spoiled=1).turnout == 1
    )


# --- Properties ---------------------------------------------------------------------

SETTINGS = st.sampled_from([NONE_SET, STAGE_2])
closing_days = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@given(
    closing=closing_days,
    ballot_days=st.integers(min_value=0, max_value=60),
    commencements=SETTINGS,
)
def test_a_mandate_never_ends_before_the_ballot_closes(
    closing, ballot_days, commencements
) -> None:
    t = timetable(
        opening=closing - datetime.timedelta(days=ballot_days),
        closing=closing,
        commencements=commencements,
    )

    assert closing < t.mandate_expires
    assert t.mandate_expires_if_extended is None or (
        t.mandate_expires < t.mandate_expires_if_extended
    )
    assert t.ballot_notice_by < t.sample_paper_by < t.opening


@given(
    closing=closing_days,
    ballot_days=st.integers(min_value=0, max_value=60),
    notice_after=st.integers(min_value=0, max_value=400),
    commencements=SETTINGS,
)
def test_the_earliest_action_is_the_notice_period_after_the_notice(
    closing, ballot_days, notice_after, commencements
) -> None:
    notice_on = closing + datetime.timedelta(days=notice_after)
    t = timetable(
        opening=closing - datetime.timedelta(days=ballot_days),
        closing=closing,
        notice_on=notice_on,
        commencements=commencements,
    )

    assert (t.earliest_action - notice_on).days == t.action_notice.days
    assert t.action_notice.days in {7, 10, 14}


@given(
    entitled=st.integers(min_value=1, max_value=5000),
    data=st.data(),
    opening=st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31)),
    important=st.booleans(),
)
def test_one_more_yes_vote_never_takes_a_mandate_away(
    entitled, data, opening, important
) -> None:
    yes = data.draw(st.integers(min_value=0, max_value=entitled - 1))
    no = data.draw(st.integers(min_value=0, max_value=entitled - 1 - yes))
    spoiled = data.draw(st.integers(min_value=0, max_value=entitled - 1 - yes - no))
    assume(yes + no + spoiled < entitled)
    common = {
        "opening": opening,
        "entitled": entitled,
        "no": no,
        "spoiled": spoiled,
        "important_public_service": important,
    }

    before = outcome(yes=yes, **common)
    after = outcome(yes=yes + 1, **common)

    assert after.mandate or not before.mandate
    assert before.mandate == (
        before.majority_yes
        and before.turnout_threshold_met is not False
        and before.support_threshold_met is not False
    )
