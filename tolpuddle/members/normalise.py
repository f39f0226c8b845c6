"""Turning what people type (and what old systems export) into the register's forms.

Each function takes a string and returns the normalised value, or raises
``InvalidValueError`` with a message a person can act on. The import, the forms and the
services all use these, so a postcode means the same thing everywhere.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator


class InvalidValueError(ValueError):
    pass


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_WORDS_DATE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?[ -](\d{2}|\d{4})$"
)
# Database and spreadsheet exports often add a midnight time: 2014-06-01 00:00:00.
_MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def parse_date(value: str) -> datetime.date:
    """ISO (2014-06-01) or as the UK writes it (01/06/2014, 1/6/2014, 01.06.2014,
    1 June 2014, 01-Jun-2014); always day first. A midnight time after the date, as
    database exports add, is ignored; any other time is refused."""
    text = _MIDNIGHT.sub("", value.strip())
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        two_digit_year = False
    elif match := _UK_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        two_digit_year = len(match.group(3)) == 2
    elif (match := _WORDS_DATE.match(text)) and match.group(2).lower() in MONTHS:
        day, month, year = (
            int(match.group(1)),
            MONTHS[match.group(2).lower()],
            int(match.group(3)),
        )
        two_digit_year = len(match.group(3)) == 2
    else:
        raise InvalidValueError(
            f"“{value.strip()}” is not a date; write it as 01/06/2014 (day/month/year) or 2014-06-01."
        )
    if two_digit_year:
        raise InvalidValueError(
            f"“{value.strip()}” has a two-digit year; write the year in full, as in 01/06/2014."
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InvalidValueError(
            f"“{value.strip()}” is not a real date (day {day} of month {month})."
        ) from None


# The shape of a UK postcode (outward code, then inward code), after spaces are removed.
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ][0-9]{1,2}[0-9ABCDEFGHJKPSTUW]?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}[0-9ABEHJKMNPRSTUVWXY]?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Any case and spacing in, "B1 1AA" form out."""
    compact = "".join(value.split()).upper()
    if not _POSTCODE.match(compact):
        raise InvalidValueError(
            f"“{value.strip()}” is not a UK postcode (for example SE1 7TP)."
        )
    return f"{compact[:-3]} {compact[-3:]}"


def looks_like_postcode(value: str) -> bool:
    return bool(_POSTCODE.match("".join(value.split()).upper()))


_email_validator = EmailValidator()


def normalise_email(value: str) -> str:
    """Lower case throughout: members do not expect case to matter in an address."""
    text = value.strip().lower()
    try:
        _email_validator(text)
    except ValidationError:
        raise InvalidValueError(
            f"“{value.strip()}” is not a valid email address."
        ) from None
    return text


@lru_cache(maxsize=4096)
def normalise_phone(value: str) -> str:
    """UK forms (07700 900123, +44 7700 900123, (0121) 496 0000) to E.164."""
    text = value.strip()
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise InvalidValueError(f"“{text}” is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValueError(f"“{text}” is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """The national form for display: 07700 900123."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "GB")
    if number.country_code == 44:
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def parse_hours(value: str) -> Decimal:
    """Hours a week, decimal allowed (18.5, 22,5 is refused as ambiguous)."""
    text = value.strip()
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise InvalidValueError(
            f"“{text}” is not a number of hours (for example 37 or 18.5)."
        ) from None
    if not hours.is_finite() or hours <= 0 or hours > 168:
        raise InvalidValueError(
            f"{text} hours a week is not possible; give a number above 0 and up to 168."
        )
    if hours.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidValueError(
            f"“{text}” has too many decimal places; give hours to two places at most."
        )
    return hours


def parse_choice(value: str, choices: Mapping[str, object], what: str) -> str:
    """Match a coded value without regard to case or surrounding space."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key in choices:
        return key
    known = ", ".join(choices)
    raise InvalidValueError(f"“{value.strip()}” is not a {what}; use one of: {known}.")
