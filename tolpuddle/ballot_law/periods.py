"""Periods of time as the Act counts them: pure date arithmetic, no Django.

TULRCA speaks of "a period of six months beginning with the date of the ballot"
(s.234(1)) and of a notice received "not later than the 14th day before" a day
(s.234A(4)(b)). A period *beginning with* a day includes that day; "the Nth day
before" a day is that day less N days.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Literal

Unit = Literal["days", "weeks", "months"]


@dataclass(frozen=True, kw_only=True)
class Period:
    """A length of time in whole days, weeks or calendar months."""

    count: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("A period is at least one day, week or month long.")

    def __str__(self) -> str:
        name = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {name}"

    def last_day(self, *, beginning_with: datetime.date) -> datetime.date:
        """The last day of this period when it begins with (includes) ``beginning_with``."""
        if self.unit == "days":
            return beginning_with + datetime.timedelta(days=self.count - 1)
        if self.unit == "weeks":
            return beginning_with + datetime.timedelta(days=7 * self.count - 1)
        return last_day_of_months_beginning_with(beginning_with, self.count)


def last_day_of_months_beginning_with(
    start: datetime.date, months: int
) -> datetime.date:
    """The last day of "a period of ``months`` months beginning with" ``start``.

    The period includes ``start``, so it ends on the day before the day with the same
    number ``months`` months later (the corresponding-date rule of Dodds v Walker
    [1981] 1 WLR 1441, HL, for a period that includes its first day). If that month
    has no day with that number, the period ends on the last day of that month:

    - 30 June 2025 + 6 months ends on 29 December 2025;
    - 1 March + 6 months ends on 31 August;
    - 31 August 2025 + 6 months ends on 28 February 2026 (29 February in a leap year).
    """
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if start.day > days_in_month:
        return datetime.date(year, month, days_in_month)
    return datetime.date(year, month, start.day) - datetime.timedelta(days=1)


def days_before(day: datetime.date, days: int) -> datetime.date:
    """ "The ``days``-th day before ``day``": e.g. the 7th day before a Wednesday is
    the Wednesday a week earlier (s.226A(1)(a))."""
    return day - datetime.timedelta(days=days)


def days_after(day: datetime.date, days: int) -> datetime.date:
    """The day ``days`` days after ``day``."""
    return day + datetime.timedelta(days=days)
