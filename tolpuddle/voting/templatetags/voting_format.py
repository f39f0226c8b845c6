from __future__ import annotations

import datetime

from django import template

from tolpuddle.voting import formats
from tolpuddle.voting.codes import code_format

register = template.Library()


@register.filter
def uk_datetime(value: datetime.datetime | None) -> str:
    """ "5pm on Thursday 12 March 2026"."""
    return formats.uk_datetime(value) if value else ""


@register.filter
def code_groups(value: str) -> str:
    """A code or receipt in groups of four: ``ABCD-EFGH-JKMN-PQRS``."""
    return code_format(value)
