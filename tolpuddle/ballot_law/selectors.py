"""Reads of the ballot law's settings (the only part of it held in the database)."""

from __future__ import annotations

from django.db import DatabaseError

from tolpuddle.ballot_law.calculations import Commencements
from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.ballot_law.models import BallotLawSettings


def commencements_current() -> Commencements:
    """The days an administrator has filled in (Settings > Ballot law); one query."""
    try:
        setting = BallotLawSettings.base_queryset().first()
    except DatabaseError as error:  # a database not yet migrated to this version
        raise BallotLawError(
            "The database has no ballot-law settings yet: run `tolpuddle migrate` "
            f"first ({error})."
        ) from None
    if setting is None:
        return Commencements()
    return Commencements(
        stage_2_from=setting.stage_2_from,
        electronic_voting_from=setting.electronic_voting_from,
    )
