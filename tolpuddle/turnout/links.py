"""The "I've voted" link in a reminder email: usable without signing in.

The token is ``django.core.signing`` over the ballot and the membership, with a salt
of its own (a token made for anything else does not open it) and a time stamp, so it
runs out ``LINK_DAYS`` after it was sent. It carries no name or address, and it
opens only the page of its own ballot: the same token under another ballot's address
is refused as not valid.

What the link lets someone do is small on purpose: say that this member has voted,
ask not to be contacted about this ballot, or ask for a replacement paper. It shows
nothing about the member.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "tolpuddle.turnout.voted-link"
# Long enough for a ballot's whole voting period after the first reminder; the page
# refuses anyway once the ballot has closed.
DEFAULT_LINK_DAYS = 31


def link_max_age() -> datetime.timedelta:
    days: int = getattr(settings, "TOLPUDDLE_TURNOUT_LINK_DAYS", DEFAULT_LINK_DAYS)
    return datetime.timedelta(days=days)


class LinkInvalidError(Exception):
    """Not a link we made for this ballot (altered, cut short, another ballot's)."""


class LinkExpiredError(Exception):
    """A link we made, but too long ago."""


@dataclass(frozen=True)
class LinkTarget:
    ballot_id: int
    membership_id: int


def voted_link_token(*, ballot_id: int, membership_id: int) -> str:
    return signing.dumps({"b": ballot_id, "m": membership_id}, salt=SALT)


def voted_link_path(*, ballot_id: int, membership_id: int) -> str:
    token = voted_link_token(ballot_id=ballot_id, membership_id=membership_id)
    return reverse(
        "turnout:voted_link", kwargs={"ballot_id": ballot_id, "token": token}
    )


def voted_link_url(*, ballot_id: int, membership_id: int) -> str:
    site: str = settings.TOLPUDDLE_SITE_URL
    return site.rstrip("/") + voted_link_path(
        ballot_id=ballot_id, membership_id=membership_id
    )


def voted_link_read(*, token: str, ballot_id: int) -> LinkTarget:
    """The member and ballot a token was made for, if it is ours, for this ballot,
    and not too old; else ``LinkInvalidError`` or ``LinkExpiredError``."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except signing.BadSignature:
        raise LinkInvalidError from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("b"), int)
        or not isinstance(payload.get("m"), int)
        or payload["b"] != ballot_id
    ):
        raise LinkInvalidError
    return LinkTarget(ballot_id=payload["b"], membership_id=payload["m"])
