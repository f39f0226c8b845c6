"""Forms for the back office. They clean what staff type with the register's own
rules (``normalise``, and the portal's forms where the fields are the same); the
services do the writing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from tolpuddle.members.forms import MyDetailsForm
from tolpuddle.members.models import Employer, Workplace
from tolpuddle.members.normalise import InvalidValueError, parse_date

DATE_HELP = "For example 25/11/2026 (day/month/year)."


class DescribedFields(forms.Form):
    """Point each input at its help text and at its error message, by the ids the
    back office's field template gives them, so screen readers announce both."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = []
            if name in self.errors:
                ids.append(f"{auto_id}_error")
            if field.help_text:
                ids.append(f"{auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = (
                    f"{self[name].auto_id}_helptext"
                )


class UkDateField(forms.Field):
    """A date as people in the UK type it (25/11/2026, 25 November 2026, 2026-11-25)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "maxlength": "30"}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        return value

    def to_python(self, value: Any) -> datetime.date | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except InvalidValueError as error:
            raise forms.ValidationError(str(error)) from None


class MemberDetailsForm(DescribedFields, MyDetailsForm):
    """The member's contact details, as the portal's form cleans them, with the
    reason the change is made (for the history)."""

    reason = forms.CharField(
        label="Reason for the change (optional)",
        max_length=500,
        required=False,
        help_text="For example: “Member phoned in” or “Returned post”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, input_type in (("email", "email"), ("phone", "tel")):
            widget = self.fields[name].widget
            assert isinstance(widget, forms.TextInput)  # noqa: S101 - CharFields
            widget.input_type = input_type
        for field in self.fields.values():
            # Someone else's details: the browser should not offer the user's own.
            field.widget.attrs["autocomplete"] = "off"


def current_employers() -> Any:
    today = timezone.localdate()
    return Employer.objects.filter(
        Q(existed_until__isnull=True) | Q(existed_until__gte=today)
    ).order_by("name")


class EmployerChoiceForm(DescribedFields):
    """The first step of starting a job: which employer (its workplaces come next)."""

    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        empty_label="Choose the employer",
        error_messages={
            "required": "Choose the employer.",
            "invalid_choice": "Choose an employer from the list.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = current_employers()


class JobStartForm(DescribedFields):
    """A new job at ``employer``: only that employer's workplaces are offered."""

    workplace = forms.ModelChoiceField(
        label="Workplace (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="No workplace, or not known",
        error_messages={"invalid_choice": "Choose a workplace of this employer."},
    )
    job_category = forms.CharField(
        label="Job title or grade (optional)", max_length=100, required=False
    )
    hours = forms.DecimalField(
        label="Hours a week (optional)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(168),
        error_messages={
            "invalid": "Enter the hours a week as a number, for example 37.5.",
            "min_value": "Hours a week must be above 0.",
            "max_value": "Hours a week cannot be more than 168.",
            "max_decimal_places": "Give the hours to at most two decimal places.",
            "max_digits": "Enter the hours a week as a number, for example 37.5.",
        },
    )
    pay_band = forms.CharField(
        label="Pay band (optional)", max_length=30, required=False
    )
    started_on = UkDateField(
        label="First day",
        error_messages={"required": "Enter the first day of the job."},
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employer = employer
        field = self.fields["workplace"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Workplace.objects.filter(employer=employer).order_by("name")


class JobEndForm(DescribedFields):
    ended_on = UkDateField(
        label="Last day of the job",
        error_messages={"required": "Enter the last day of the job."},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=500,
        required=False,
        help_text="For example: “Left the employer” or “Retired”.",
    )


class ResignationForm(DescribedFields):
    """Record a member's resignation (confirming their request, if they made one).
    The status changes at once, so the day cannot be in the future."""

    leaving_on = UkDateField(
        label="The day they leave",
        error_messages={"required": "Enter the day the member leaves."},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_leaving_on(self) -> datetime.date:
        leaving_on: datetime.date = self.cleaned_data["leaving_on"]
        today = timezone.localdate()
        if leaving_on > today:
            raise forms.ValidationError(
                f"They remain a member until {leaving_on.day} {leaving_on:%B %Y}: "
                "record the resignation on or after that day."
            )
        return leaving_on
