"""Counting periods as the Act does: "beginning with" a day includes that day."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolpuddle.ballot_law.periods import Period, last_day_of_months_beginning_with

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        # The research file's worked example.
        (D(2025, 6, 30), 6, D(2025, 12, 29)),
        # Month ends: the day before the same-numbered day...
        (D(2025, 3, 1), 6, D(2025, 8, 31)),
        (D(2025, 1, 31), 6, D(2025, 7, 30)),
        # ...or, where that month has no such day, its last day.
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2023, 8, 30), 6, D(2024, 2, 29)),  # 30 February does not exist
        (D(2023, 8, 29), 6, D(2024, 2, 28)),  # 29 February 2024 does
        (D(2025, 8, 29), 6, D(2026, 2, 28)),  # 29 February 2026 does not
        (D(2025, 5, 31), 9, D(2026, 2, 28)),
        # Twelve months, across leap days.
        (D(2027, 3, 1), 12, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 3, 4), 12, D(2027, 3, 3)),
        # Across the year end.
        (D(2025, 12, 15), 6, D(2026, 6, 14)),
    ],
)
def test_months_beginning_with_a_day_end_the_day_before_its_namesake(
    start, months, last_day
) -> None:
    assert last_day_of_months_beginning_with(start, months) == last_day
    assert (
        Period(count=months, unit="months").last_day(beginning_with=start) == last_day
    )


def test_four_weeks_beginning_with_a_wednesday_end_on_the_tuesday_27_days_later() -> (
    None
):
    wednesday = D(2025, 7, 2)

    last = Period(count=4, unit="weeks").last_day(beginning_with=wednesday)

    assert last == D(2025, 7, 29)
    assert (last.strftime("%A"), (last - wednesday).days) == ("Tuesday", 27)


def test_a_period_of_days_includes_its_first_day() -> None:
    assert Period(count=1, unit="days").last_day(beginning_with=D(2025, 1, 1)) == D(
        2025, 1, 1
    )


def test_a_period_is_at_least_one_unit_long() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Period(count=0, unit="months")


def test_periods_read_as_people_say_them() -> None:
    assert str(Period(count=6, unit="months")) == "6 months"
    assert str(Period(count=1, unit="weeks")) == "1 week"


days = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))


@given(start=days, months=st.integers(min_value=1, max_value=24))
def test_a_month_period_ends_just_before_the_same_day_months_later(
    start, months
) -> None:
    last = last_day_of_months_beginning_with(start, months)
    day_after = last + datetime.timedelta(days=1)
    months_on = (day_after.year - start.year) * 12 + day_after.month - start.month

    if start.day <= 28:
        assert (day_after.day, months_on) == (start.day, months)
    else:  # the namesake may not exist: then the period runs to the month's end
        assert (day_after.day, months_on) in {(start.day, months), (1, months + 1)}
    assert 28 * months - 1 <= (last - start).days <= 31 * months
