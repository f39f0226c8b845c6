"""Every disputes test stands at noon, London time, on ``TODAY`` (services default
their dates to today, and a freeze cannot be dated after it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime.date(2026, 11, 24)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")
    )


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(noon(TODAY), tick=False):
        yield
