"""A closed ballot, its electors, and the people who call action. Ballots and
electors come from the turnout app's factories (through the models)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission

from tolpuddle.action import services
from tolpuddle.action.models import ActionKind, ActionPeriod
from tolpuddle.disputes.models import Ballot, BallotStatus
from tolpuddle.members.tests.factories import UserFactory
from tolpuddle.turnout.tests.factories import ballot_open, elector

__all__ = ["ballot_closed", "elector"]

LONDON = ZoneInfo("Europe/London")
CLOSING = datetime.date(2027, 1, 11)
TODAY = datetime.date(2027, 2, 1)
# ERA 2025 (first stage): twelve months beginning with Monday 11 January 2027.
MANDATE_LAST_DAY = datetime.date(2028, 1, 10)


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def ballot_closed(**options: Any) -> Ballot:
    options.setdefault("opening_on", datetime.date(2026, 12, 14))
    options.setdefault("closing_on", CLOSING)
    return ballot_open(status=BallotStatus.CLOSED, **options)


def organiser() -> Any:
    """HQ disputes staff who may call action."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_all_disputes"),
        Permission.objects.get(codename="manage_action"),
    )
    return user


def period_called(
    ballot: Ballot,
    *,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    **options: Any,
) -> ActionPeriod:
    """A strike from noon to noon the next day, a week ago, by default."""
    starts_at = starts_at or at(TODAY - datetime.timedelta(days=7))
    return services.action_period_create(
        ballot=ballot,
        kind=options.pop("kind", ActionKind.STRIKE),
        starts_at=starts_at,
        ends_at=ends_at or starts_at + datetime.timedelta(days=1),
        by=None,
        **options,
    )
