"""Forms for the member portal. They clean what people type with the register's own
rules (``normalise``); the services do the writing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from tolpuddle.members.models import Employer, PaymentMethod, Workplace
from tolpuddle.members.normalise import (
    InvalidValueError,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    parse_date,
    parse_hours,
)


def narrow_workplaces_as_employer_changes(form: forms.Form) -> None:
    """With JavaScript, choosing an employer narrows the workplace list to its
    workplaces (htmx asks ``workplace_options``); without, the full list stays."""
    form.fields["employer"].widget.attrs.update(
        {
            "hx-get": reverse("workplace_options"),
            "hx-target": f"#{form['workplace'].id_for_label}",
            "hx-swap": "innerHTML",
        }
    )


def offer_current_employers(form: forms.Form) -> None:
    """The employer and workplace lists: employers that still exist, and theirs."""
    current = Employer.objects.filter(existed_until__isnull=True).order_by("name")
    employer_field = form.fields["employer"]
    workplace_field = form.fields["workplace"]
    assert isinstance(employer_field, forms.ModelChoiceField)  # noqa: S101 - declared
    assert isinstance(workplace_field, forms.ModelChoiceField)  # noqa: S101 - declared
    employer_field.queryset = current
    workplace_field.queryset = (
        Workplace.objects.filter(employer__in=current)
        .select_related("employer")
        .order_by("employer__name", "name")
    )
    narrow_workplaces_as_employer_changes(form)


def refuse_workplace_of_another_employer(
    form: forms.Form, data: dict[str, Any]
) -> None:
    employer: Employer | None = data.get("employer")
    workplace: Workplace | None = data.get("workplace")
    if (
        employer is not None
        and workplace is not None
        and workplace.employer_id != employer.pk
    ):
        form.add_error(
            "workplace", f"{workplace.name} is not a workplace of {employer.name}."
        )


class MyDetailsForm(forms.Form):
    email = forms.CharField(label="Email address", max_length=254, required=False)
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    address_line_1 = forms.CharField(
        label="Address line 1", max_length=200, required=False
    )
    address_line_2 = forms.CharField(
        label="Address line 2", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    def _normalised(self, name: str, normalise: Any) -> str:
        value = str(self.cleaned_data.get(name, "")).strip()
        if not value:
            return ""
        try:
            return str(normalise(value))
        except InvalidValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_email(self) -> str:
        return self._normalised("email", normalise_email)

    def clean_phone(self) -> str:
        return self._normalised("phone", normalise_phone)

    def clean_postcode(self) -> str:
        return self._normalised("postcode", normalise_postcode)


class ResignForm(forms.Form):
    leaving_on = forms.DateField(
        label="The day you want to leave",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example 31/12/2026. Leave it empty to leave today.",
        error_messages={
            "invalid": "Enter a date as day/month/year, for example 31/12/2026."
        },
    )
    reason = forms.CharField(
        label="Why are you leaving? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class JoinForm(forms.Form):
    """Applying to join online. Staff approve or decline the application."""

    title = forms.CharField(label="Title (optional)", max_length=30, required=False)
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.CharField(label="Email address", max_length=254)
    phone = forms.CharField(
        label="Phone number (optional)", max_length=30, required=False
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=200)
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city", max_length=100)
    postcode = forms.CharField(label="Postcode", max_length=10)
    date_of_birth = forms.CharField(
        label="Date of birth (optional)",
        required=False,
        help_text="For example 27/03/1985.",
    )
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="Choose your employer",
    )
    employer_typed = forms.CharField(
        label="Or, if your employer is not in the list, its name",
        max_length=200,
        required=False,
    )
    workplace = forms.ModelChoiceField(
        label="Workplace (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="Choose your workplace",
    )
    workplace_typed = forms.CharField(
        label="Or, if your workplace is not in the list, its name and town",
        max_length=200,
        required=False,
    )
    job_category = forms.CharField(
        label="Job title or grade", max_length=100, required=False
    )
    pay_band = forms.CharField(
        label="Pay band (optional)",
        max_length=20,
        required=False,
        help_text="As on your payslip, for example Band 4. It sets your subscription.",
    )
    payment_method = forms.ChoiceField(
        label="How you will pay",
        choices=PaymentMethod.choices,
        initial=PaymentMethod.DIRECT_DEBIT,
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the union may hold my details, including that I am a member, "
            "to run my membership, as its privacy notice explains."
        ),
        error_messages={
            "required": "Tick the box to agree, or we cannot hold your membership."
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_current_employers(self)

    def _normalised(self, name: str, normalise: Any) -> Any:
        value = str(self.cleaned_data.get(name, "")).strip()
        if not value:
            return "" if name != "date_of_birth" else None
        try:
            return normalise(value)
        except InvalidValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_email(self) -> str:
        return str(self._normalised("email", normalise_email))

    def clean_phone(self) -> str:
        return str(self._normalised("phone", normalise_phone))

    def clean_postcode(self) -> str:
        return str(self._normalised("postcode", normalise_postcode))

    def clean_date_of_birth(self) -> datetime.date | None:
        born = self._normalised("date_of_birth", parse_date)
        if born is not None and not (
            datetime.date(1900, 1, 1) < born < timezone.localdate()
        ):
            raise forms.ValidationError("Enter your real date of birth.")
        return born  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employer: Employer | None = data.get("employer")
        workplace: Workplace | None = data.get("workplace")
        if employer is not None and data.get("employer_typed"):
            self.add_error(
                "employer_typed",
                "Choose your employer from the list or type its name, not both.",
            )
        if workplace is not None and data.get("workplace_typed"):
            self.add_error(
                "workplace_typed",
                "Choose your workplace from the list or type its name, not both.",
            )
        if workplace is not None and employer is None:
            data["employer"] = workplace.employer
        refuse_workplace_of_another_employer(self, data)
        return data


def uk_date_field(label: str, example: str) -> forms.DateField:
    """A date typed as people in the UK write it: 31/12/2026."""
    return forms.DateField(
        label=label,
        help_text=f"For example {example}.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": f"Enter a date as day/month/year, for example {example}.",
            "required": f"Enter the date, for example {example}.",
        },
    )


def _hours(form: forms.Form) -> Decimal | None:
    value = str(form.data.get(form.add_prefix("hours"), "")).strip()
    if not value:
        return None
    try:
        return parse_hours(value)
    except InvalidValueError as error:
        raise forms.ValidationError(str(error)) from None


class MyJobForm(forms.Form):
    """A new job, with an employer from the register."""

    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        empty_label="Choose your employer",
        error_messages={"required": "Choose your employer."},
    )
    workplace = forms.ModelChoiceField(
        label="Workplace (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="Choose your workplace",
    )
    job_category = forms.CharField(
        label="Job title or grade", max_length=100, required=False
    )
    hours = forms.CharField(label="Hours a week (optional)", required=False)
    pay_band = forms.CharField(
        label="Pay band (optional)", max_length=20, required=False
    )
    started_on = uk_date_field("The day you started", "01/09/2026")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_current_employers(self)

    def clean_hours(self) -> Decimal | None:
        return _hours(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refuse_workplace_of_another_employer(self, data)
        return data


class MyJobChangeForm(forms.Form):
    """A change to a job from a date: workplace, title, hours, pay band."""

    workplace = forms.ModelChoiceField(
        label="Workplace",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="No particular workplace",
    )
    job_category = forms.CharField(
        label="Job title or grade", max_length=100, required=False
    )
    hours = forms.CharField(label="Hours a week (optional)", required=False)
    pay_band = forms.CharField(
        label="Pay band (optional)", max_length=20, required=False
    )
    effective_on = uk_date_field("From which day", "01/09/2026")

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workplace_field = self.fields["workplace"]
        assert isinstance(workplace_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        workplace_field.queryset = Workplace.objects.filter(employer=employer).order_by(
            "name"
        )

    def clean_hours(self) -> Decimal | None:
        return _hours(self)


class MyJobEndForm(forms.Form):
    ended_on = uk_date_field("Your last day in this job", "31/08/2026")
    reason = forms.CharField(
        label="Why did it end? (optional)", max_length=500, required=False
    )
