"""Reads of the ballot law's settings (the only part of it held in the database)."""

from __future__ import annotations

from tolpuddle.ballot_law.calculations import Commencements
from tolpuddle.ballot_law.models import BallotLawSettings


def commencements_current() -> Commencements:
    """The days an administrator has filled in (Settings > Ballot law); one query."""
    setting = BallotLawSettings.base_queryset().first()
    if setting is None:
        return Commencements()
    return Commencements(
        stage_2_from=setting.stage_2_from,
        electronic_voting_from=setting.electronic_voting_from,
    )
