"""Times as people in the UK read them (GOV.UK style): "5pm on Thursday 12 March 2026"."""

from __future__ import annotations

import datetime

from django.utils import timezone


def uk_time(moment: datetime.datetime) -> str:
    """``17:00`` as "5pm", ``17:30`` as "5:30pm", noon as "midday", 00:00 as
    "midnight", in UK time (Europe/London, with summer time)."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def uk_datetime(moment: datetime.datetime) -> str:
    """ "5pm on Thursday 12 March 2026"; a time of 00:00 is "midnight at the end of"
    the day before, which nobody misreads."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (0, 0):
        before = local.date() - datetime.timedelta(days=1)
        return f"midnight at the end of {_day(before)}"
    return f"{uk_time(local)} on {_day(local.date())}"


def _day(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
