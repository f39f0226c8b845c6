"""Forms for industrial action: calling a period, a picket line, literature, and a
member's "did you take part?"."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from tolpuddle.action.models import ActionKind
from tolpuddle.backoffice.forms import DescribedFields, UkDateField
from tolpuddle.members.models import Branch, Membership, Workplace

TIME_HELP = "24-hour clock, for example 12:00."


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=TIME_HELP,
        error_messages={
            "required": "Give the time.",
            "invalid": "Give the time as hours and minutes, for example 12:00.",
        },
    )


class _Places(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Workplace):
            return f"{obj.name} ({obj.employer.name})"
        return str(obj)


class ActionPeriodForm(DescribedFields):
    kind = forms.ChoiceField(
        label="Action",
        choices=ActionKind.choices,
        error_messages={"invalid_choice": "Choose strike or action short of a strike."},
    )
    starts_on = UkDateField(
        label="Starts on", error_messages={"required": "Give the day it starts."}
    )
    starts_time = _time_field("Starts at")
    ends_on = UkDateField(
        label="Ends on", error_messages={"required": "Give the day it ends."}
    )
    ends_time = _time_field("Ends at")
    description = forms.CharField(
        label="What members are asked to do (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    branches = _Places(
        label="Branches called out",
        queryset=Branch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose branches from the list."},
    )
    workplaces = _Places(
        label="Workplaces called out",
        queryset=Workplace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose workplaces from the list."},
    )

    def __init__(
        self,
        *args: Any,
        branches: QuerySet[Branch],
        workplaces: QuerySet[Workplace],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = branches  # type: ignore[attr-defined]
        self.fields["workplaces"].queryset = workplaces  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in ("starts", "ends"):
            day, time = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if isinstance(day, datetime.date) and isinstance(time, datetime.time):
                data[f"{prefix}_at"] = timezone.make_aware(
                    datetime.datetime.combine(day, time)
                )
        if not data.get("branches") and not data.get("workplaces") and not self.errors:
            self.add_error(None, "Call out at least one branch or workplace.")
        return data


class PicketLineForm(DescribedFields):
    workplace = forms.ModelChoiceField(
        label="Workplace",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="Not at a workplace (describe the place)",
        error_messages={"invalid_choice": "Choose a workplace from the list."},
    )
    place = forms.CharField(
        label="Place (optional at a workplace)",
        max_length=300,
        required=False,
        help_text="For example “Main gate, Lower Road”.",
    )
    supervisor = forms.CharField(
        label="Picket supervisor's membership number",
        max_length=20,
        error_messages={"required": "Give the picket supervisor's membership number."},
    )
    supervisor_contact = forms.CharField(
        label="Picket supervisor's phone",
        max_length=30,
        help_text="A mobile they will carry on the day.",
        error_messages={"required": "Give a phone number for the picket supervisor."},
    )

    def __init__(
        self, *args: Any, workplaces: QuerySet[Workplace], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces  # type: ignore[attr-defined]

    def clean_supervisor(self) -> Membership:
        number = str(self.cleaned_data.get("supervisor", "")).strip()
        membership = (
            Membership.objects.select_related("person")
            .filter(membership_number=number)
            .first()
        )
        if membership is None:
            raise forms.ValidationError(f"No member has the number “{number}”.")
        return membership


class LiteratureForm(DescribedFields):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give a title."}
    )
    text = forms.CharField(
        label="Text (optional if you attach a file)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    file = forms.FileField(label="File (optional)", required=False)
    branches = _Places(
        label="Send to",
        queryset=Branch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the branches to send it to.",
            "invalid_choice": "Choose branches from the list.",
        },
    )

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = branches  # type: ignore[attr-defined]


TOOK_PART, DID_NOT = "took_part", "did_not"


class ParticipationForm(forms.Form):
    took_part = forms.ChoiceField(
        label="Did you take part?",
        choices=[(TOOK_PART, "I took part"), (DID_NOT, "I did not take part")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you took part.",
            "invalid_choice": "Say whether you took part.",
        },
    )
