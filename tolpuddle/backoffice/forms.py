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
from tolpuddle.members.models import (
    Branch,
    Employer,
    Employment,
    MembershipCategory,
    PaymentMethod,
    Role,
    RoleScope,
    Workplace,
)
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


class JobChangeForm(JobStartForm):
    """A change to a current job from a date: the workplace (one of the same
    employer's), the job title or grade, hours and pay band. The employer stays:
    a job with another employer is a new job."""

    started_on = None  # type: ignore[assignment]  # not asked: the job has begun
    effective_on = UkDateField(
        label="From which day",
        error_messages={"required": "Enter the day the change takes effect."},
    )
    reason = forms.CharField(
        label="Reason for the change (optional)",
        max_length=500,
        required=False,
        help_text="For example: “Promoted” or “Moved to part-time hours”.",
    )

    def __init__(self, *args: Any, employment: Employment, **kwargs: Any) -> None:
        super().__init__(*args, employer=employment.employer, **kwargs)
        self.employment = employment
        self.fields["workplace"].label = "Workplace"

    def clean_effective_on(self) -> datetime.date:
        effective_on: datetime.date = self.cleaned_data["effective_on"]
        job = self.employment
        if effective_on < job.started_on:
            raise forms.ValidationError(
                "The change cannot be dated before the job started "
                f"({job.started_on.day} {job.started_on:%B %Y})."
            )
        if job.ended_on is not None and effective_on > job.ended_on:
            raise forms.ValidationError(
                f"The job ends on {job.ended_on.day} {job.ended_on:%B %Y}: date the "
                "change on or before then, or start a new job."
            )
        return effective_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and all(
            data.get(name) == getattr(self.employment, name)
            for name in ("workplace", "job_category", "hours", "pay_band")
        ):
            raise forms.ValidationError(
                "Nothing has changed: change the workplace, job, hours or pay band, "
                "or cancel."
            )
        return data


class PositionStartForm(DescribedFields):
    """A member takes up a role. Only the roles, branches and workplaces the user may
    assign are offered; a branch role is held in a branch, a workplace role at a
    workplace."""

    role = forms.ModelChoiceField(
        label="Role",
        queryset=Role.objects.none(),
        empty_label="Choose the role",
        error_messages={
            "required": "Choose the role.",
            "invalid_choice": "Choose a role from the list.",
        },
    )
    branch = forms.ModelChoiceField(
        label="Branch (for a branch role)",
        queryset=Branch.objects.none(),
        required=False,
        empty_label="Not a branch role",
        error_messages={"invalid_choice": "Choose a branch from the list."},
    )
    workplace = forms.ModelChoiceField(
        label="Workplace (for a workplace role)",
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="Not a workplace role",
        help_text="The workplaces of the member's current jobs.",
        error_messages={"invalid_choice": "Choose a workplace from the list."},
    )
    started_on = UkDateField(
        label="First day of the term",
        error_messages={"required": "Enter the first day of the term."},
    )
    ended_on = UkDateField(
        label="Last day of the term (optional)",
        required=False,
        help_text="Leave it empty if the term has no fixed end. " + DATE_HELP,
    )

    def __init__(
        self,
        *args: Any,
        roles: Any,
        branches: Any,
        workplaces: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("role", roles),
            ("branch", branches),
            ("workplace", workplaces),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role: Role | None = data.get("role")
        if role is None:
            return data
        branch, workplace = data.get("branch"), data.get("workplace")
        if role.scope == RoleScope.BRANCH:
            if branch is None and "branch" not in self.errors:
                self.add_error("branch", "Choose the branch this role is held in.")
            if workplace is not None:
                self.add_error("workplace", "A branch role is not held at a workplace.")
        elif role.scope == RoleScope.WORKPLACE:
            if workplace is None and "workplace" not in self.errors:
                self.add_error(
                    "workplace",
                    "Choose the workplace this role is held at. If it is not listed, "
                    "record the member's job there first.",
                )
            if branch is not None:
                self.add_error("branch", "A workplace role is not held in a branch.")
        else:
            for name in ("branch", "workplace"):
                if data.get(name) is not None:
                    self.add_error(
                        name, f"{role} is a national role: leave this empty."
                    )
        started_on, ended_on = data.get("started_on"), data.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", "The term cannot end before it starts.")
        return data


class PositionEndForm(DescribedFields):
    ended_on = UkDateField(
        label="Last day in the position",
        error_messages={"required": "Enter the last day in the position."},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=500,
        required=False,
        help_text="For example: “Stood down at the AGM”.",
    )


class MembershipTermsForm(DescribedFields):
    """What HQ staff alone change: the membership's category, branch and payment
    method, and the member's names and date of birth."""

    title = forms.CharField(label="Title (optional)", max_length=30, required=False)
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the first name."},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the last name."},
    )
    date_of_birth = UkDateField(label="Date of birth (optional)", required=False)
    category = forms.ChoiceField(
        label="Category",
        choices=MembershipCategory.choices,
        error_messages={"invalid_choice": "Choose a category from the list."},
    )
    branch = forms.ModelChoiceField(
        label="Branch",
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label="No branch",
        error_messages={"invalid_choice": "Choose a branch from the list."},
    )
    payment_method = forms.ChoiceField(
        label="Payment method",
        choices=PaymentMethod.choices,
        error_messages={"invalid_choice": "Choose a payment method from the list."},
    )
    reason = forms.CharField(
        label="Reason for the change (optional)",
        max_length=500,
        required=False,
        help_text="For example: “Retired on 31 March” or “Moved to the South branch”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"

    def clean_date_of_birth(self) -> datetime.date | None:
        born: datetime.date | None = self.cleaned_data["date_of_birth"]
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        return born
