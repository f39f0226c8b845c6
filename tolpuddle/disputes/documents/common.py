"""Small pieces of wording every document of the disputes app shares."""

from __future__ import annotations

import datetime
import re

from tolpuddle.core import pdf
from tolpuddle.disputes import law


def long_date(day: datetime.date) -> str:
    """Monday 14 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def listed(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def sentence(statement: law.Statement) -> str:
    """A statement of the law as the end of a sentence, with its citation."""
    text = statement.text.rstrip(".")
    return f"{text[0].lower()}{text[1:]} ({statement.cites})"


def pdf_from_html(html: str) -> bytes:
    """A PDF of ``html`` (WeasyPrint, with the fonts kept between documents)."""
    return pdf.pdf_from_html(html)


def file_slug(name: str) -> str:
    """A name as part of a file name: "NHS Trust (North)" -> "nhs-trust-north"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "employer"


def shared_sentence(shared: int) -> str:
    """The explanation's word on members counted by more than one employer (their
    qualifying jobs at two of the employers balloted), or nothing."""
    if not shared:
        return ""
    members, are = ("member", "is") if shared == 1 else ("members", "are")
    return (
        f" {shared} {members} counted here {are} also employed by another of the "
        "employers in the ballot, in a job that qualifies there too, and counted "
        "among that employer's employees as well; each is one member entitled to "
        "vote, with one vote."
    )
