"""Template filters for showing register values as people write them."""

from __future__ import annotations

from django import template

from tolpuddle.members.normalise import format_phone

register = template.Library()


@register.filter(name="phone")
def phone(value: str) -> str:
    """+441614960844 -> 0161 496 0844; numbers abroad in international form."""
    return format_phone(value) if value else ""
