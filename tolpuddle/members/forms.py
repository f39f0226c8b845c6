"""Forms for the member portal. They clean what people type with the register's own
rules (``normalise``); the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms

from tolpuddle.members.normalise import (
    InvalidValueError,
    normalise_email,
    normalise_phone,
    normalise_postcode,
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
