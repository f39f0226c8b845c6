"""Forms for getting the vote out: the member's three buttons, a rep's marks and
call notes, the scrutineer's figures. None has a field for how anyone voted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tolpuddle.backoffice.forms import DescribedFields, UkDateField
from tolpuddle.members.models import Workplace
from tolpuddle.turnout.models import CallOutcome, ExcludeReason, RepStatus

VOTED, DO_NOT_CONTACT, REPLACEMENT = "voted", "do_not_contact", "replacement"


class MemberTurnoutForm(forms.Form):
    """Which button the member pressed: "I've voted", "Don't contact me about this
    ballot" or "I need a replacement voting paper"."""

    action = forms.ChoiceField(
        choices=[
            (VOTED, "I've voted"),
            (DO_NOT_CONTACT, "Don't contact me about this ballot"),
            (REPLACEMENT, "I need a replacement voting paper"),
        ],
        error_messages={
            "required": "Choose one of the buttons.",
            "invalid_choice": "Choose one of the buttons.",
        },
    )


class RepMarkForm(DescribedFields):
    status = forms.ChoiceField(
        label="Mark as",
        choices=RepStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what to mark them as.",
            "invalid_choice": "Choose what to mark them as from the list.",
        },
    )
    reason = forms.ChoiceField(
        label="Why exclude them (only when excluding)",
        choices=[("", "Not excluding"), *ExcludeReason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Never write how anyone voted or will vote.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, reason = data.get("status"), data.get("reason")
        if status == RepStatus.EXCLUDE and not reason:
            self.add_error("reason", "Say why they should be excluded.")
        if status and status != RepStatus.EXCLUDE and reason:
            self.add_error("reason", "Give a reason only when excluding someone.")
        return data


class CallNoteForm(DescribedFields):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CallOutcome.choices,
        error_messages={
            "required": "Choose how the call went.",
            "invalid_choice": "Choose how the call went from the list.",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example “Call back after 6pm”. Never write how anyone voted "
        "or will vote.",
    )


class ScrutineerFigureForm(DescribedFields):
    day = UkDateField(
        label="Papers returned by the end of",
        error_messages={"required": "Give the day the figure is for."},
    )
    workplace = forms.ModelChoiceField(
        label="Workplace (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="The whole ballot",
        error_messages={"invalid_choice": "Choose a workplace from the list."},
    )
    returned = forms.IntegerField(
        label="Papers returned",
        min_value=0,
        error_messages={
            "required": "Give the number of papers returned.",
            "invalid": "Give the number of papers returned as a whole number.",
            "min_value": "The number of papers returned cannot be below 0.",
        },
    )

    def __init__(
        self, *args: Any, workplaces: QuerySet[Workplace], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["workplace"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = workplaces
