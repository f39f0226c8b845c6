"""What every disputes service shares: today, dates in messages, the dispute's log."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import (
    Ballot,
    BallotNotice,
    Dispute,
    DisputeEvent,
    DisputeEventKind,
)


def today() -> datetime.date:
    """Today in Europe/London (the project's time zone)."""
    return timezone.localdate()


def short_date(day: datetime.date) -> str:
    """A day as messages to staff write it: 07/12/2026."""
    return f"{day:%d/%m/%Y}"


def clean_text(value: str, message: str) -> str:
    """``value`` without surrounding space; refused with ``message`` when empty."""
    value = value.strip()
    if not value:
        raise ApplicationError(message)
    return value


def dispute_event_record(
    *,
    dispute: Dispute,
    kind: DisputeEventKind,
    actor: User | None,
    ballot: Ballot | None = None,
    data: dict[str, Any] | None = None,
) -> DisputeEvent:
    """Append one entry to a dispute's log."""
    return DisputeEvent.objects.create(
        dispute=dispute, ballot=ballot, kind=kind, actor=actor, data=data or {}
    )


def first_notice_given(ballot: Ballot) -> BallotNotice | None:
    """The first notice of ballot given, if any: from then on the electorate the
    notices counted stands."""
    return (
        BallotNotice.objects.filter(ballot=ballot, given_on__isnull=False)
        .select_related("employer")
        .order_by("given_on", "id")
        .first()
    )
