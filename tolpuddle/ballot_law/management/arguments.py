"""Parsing the ballot commands' options: one clear line for anything malformed."""

from __future__ import annotations

import datetime
import re

from django.core.management.base import CommandError

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str | None, *, option: str) -> datetime.date | None:
    """``YYYY-MM-DD`` to a date (None stays None); anything else is a CommandError."""
    if value is None:
        return None
    if not _ISO_DAY.match(value):
        raise CommandError(
            f"{option} must be a date written YYYY-MM-DD (got {value!r})."
        )
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} is not a real date (got {value!r}).") from None


def parse_count(value: str, *, option: str) -> int:
    """A whole number of people or papers; negatives are left to the law's own check,
    which says what the number means."""
    if not re.fullmatch(r"-?\d+", value.strip()):
        raise CommandError(f"{option} must be a whole number (got {value!r}).")
    return int(value)


def uk_day(day: datetime.date) -> str:
    """A day as people in the UK write it: Tuesday 29 December 2025."""
    return f"{day:%A} {day.day} {day:%B %Y}"
