"""The days of the ballot law that are not yet known, filled in by an administrator.

Everything else about the law is data in ``rules.py``; these two days depend on
regulations not yet made (or not yet known to be in force), so they are a setting in
the back office (Settings > Ballot law) rather than a value in the code.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from tolpuddle.ballot_law.rules import ERA_2025_STAGE_1_FROM
from tolpuddle.core.models import TimeStampedModel

ERA_2025_ROYAL_ASSENT = datetime.date(2025, 12, 18)


@register_setting(icon="date")
class BallotLawSettings(TimeStampedModel, BaseGenericSetting):  # type: ignore[misc]
    stage_2_from = models.DateField(
        _("second stage of the Employment Rights Act 2025 in force from"),
        null=True,
        blank=True,
        help_text=_(
            "The day from which the 50% turnout threshold is repealed, as appointed by "
            "regulations: it applies to ballots opening on or after this day. Leave "
            "empty until the regulations are made; until then the threshold applies."
        ),
    )
    electronic_voting_from = models.DateField(
        _("electronic voting permitted from"),
        null=True,
        blank=True,
        help_text=_(
            "The day the Permissible Means of Voting order allows statutory "
            "industrial-action ballots to be held electronically, for ballots opening "
            "on or after it. Leave empty while ballots must be postal."
        ),
    )

    panels = [
        HelpPanel(
            content=_(
                "<p>Two days the law depends on that are not yet known. Check the "
                "commencement regulations on legislation.gov.uk before filling them "
                "in: every ballot timetable and result is worked out from them. See "
                "docs/ballot-law.md.</p>"
            )
        ),
        FieldPanel("stage_2_from"),
        FieldPanel("electronic_voting_from"),
    ]

    class Meta:
        verbose_name = _("ballot law")
        verbose_name_plural = _("ballot law")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self) -> None:
        errors = {}
        if self.stage_2_from is not None and self.stage_2_from <= ERA_2025_STAGE_1_FROM:
            errors["stage_2_from"] = _(
                "The second stage must come after the first, which began on "
                "18 February 2026."
            )
        if (
            self.electronic_voting_from is not None
            and self.electronic_voting_from < ERA_2025_ROYAL_ASSENT
        ):
            errors["electronic_voting_from"] = _(
                "Electronic voting in statutory ballots was not permitted before the "
                "Employment Rights Act 2025 (Royal Assent 18 December 2025)."
            )
        if errors:
            raise ValidationError(errors)
