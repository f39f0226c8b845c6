"""Back office: industrial action. Disputes, the ballots held over them, the frozen
electorate, the s.226A notices to employers and opening the ballot, at
``/admin/disputes/``.

Who: HQ staff, administrators and a dispute's responsible officials
(``disputes_support.disputes_for``, which asks ``disputes_visible_to``); anyone
else gets a 404 for every page and no menu item. Changing a dispute and running its
ballots is for those who manage disputes (HQ staff who may change the register) and
the dispute's own officials. Every read goes through the disputes selectors and
every write through one disputes service; a service's refusal is shown in its own
words, and nothing is written.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.backoffice import disputes_support as support
from tolpuddle.backoffice.disputes_support import ballot_for_request as _ballot
from tolpuddle.backoffice.disputes_support import request_user as _user
from tolpuddle.backoffice.disputes_support import uk_day as _uk
from tolpuddle.backoffice.forms import DescribedFields, UkDateField, current_employers
from tolpuddle.ballot_law import calculations
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, selectors, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotNotice,
    BallotStatus,
    Dispute,
    DisputeStatus,
    ElectorateEntry,
    ExclusionReason,
    WorkplaceBallots,
)
from tolpuddle.members import services as member_services
from tolpuddle.members.models import (
    AccessAction,
    Employer,
    Employment,
    Membership,
    Workplace,
)

TEMPLATES = "backoffice/disputes"
DISPUTES_PER_PAGE = 50
EVENTS_PER_PAGE = 50
ENTRIES_PER_PAGE = 50
CHANGES_SHOWN = 100
NOTICES_PER_PAGE = 20
# Up to this many choices are tick boxes; more are one list to choose several from.
TICK_BOXES_UP_TO = 30
CATEGORY_HINTS = 30
CATEGORY_HINTS_SECONDS = 600


# --- Who may see what -----------------------------------------------------------------


def _dispute(request: HttpRequest, pk: int, *, change: bool = False) -> Dispute:
    """A dispute the user may see (and, with ``change``, change); any other, like one
    that does not exist, is a 404."""
    user = _user(request)
    dispute = get_object_or_404(support.disputes_for(user=user), pk=pk)
    if change and not support.may_change(user=user, dispute=dispute):
        raise Http404
    return dispute


def _notice(request: HttpRequest, ballot: Ballot, notice_pk: int) -> BallotNotice:
    return get_object_or_404(selectors.ballot_notices(ballot=ballot), pk=notice_pk)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


class ListSelectMultiple(forms.SelectMultiple):
    """A list to choose several from, its options written in one loop: Django's own
    widget renders a template for each option, which takes seconds for the
    thousands of workplaces of a large constituency."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), SELECTED if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{} multiple>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


SELECTED = mark_safe(" selected")


def _many(count: int) -> forms.Widget:
    """Tick boxes for a few choices; for many, one list (works without JavaScript)."""
    if count <= TICK_BOXES_UP_TO:
        return forms.CheckboxSelectMultiple()
    return ListSelectMultiple(attrs={"size": "12"})


MANY_HELP = " Hold Ctrl (Cmd on a Mac) to choose more than one."


def _set_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Offer ``queryset`` in the field ``name``: tick boxes for a few, a list for
    many. The widget is chosen first, since setting the queryset gives the widget
    its choices."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared so
    count = queryset.count()
    widget = _many(count)
    widget.attrs.update(field.widget.attrs)
    widget.is_required = field.widget.is_required
    field.widget = widget
    field.queryset = queryset
    if count > TICK_BOXES_UP_TO:
        field.help_text += MANY_HELP
        form[name].help_text = field.help_text  # the bound field keeps its own copy


# --- Forms ----------------------------------------------------------------------------


class DisputeFilters(DescribedFields):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *DisputeStatus.choices],
        error_messages={"invalid_choice": "Choose a status from the list."},
    )

    def used(self) -> dict[str, str]:
        return {
            name: str(value)
            for name, value in self.data.items()
            if name in self.fields and value
        }


class DisputeForm(DescribedFields):
    """A dispute's title, summary, the day it began, its employers and officials
    (and, when changing one, its status)."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: Pay award 2026.",
        error_messages={"required": "Give the dispute a title."},
    )
    summary = forms.CharField(
        label="Summary of the matters in issue",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Printed on the voting paper of ballots under the Trade Union Act "
        "2016 rules: write it for the members.",
        error_messages={
            "required": "Give a summary of the matters in issue: the voting paper "
            "must carry it."
        },
    )
    began_on = UkDateField(
        label="Began on",
        error_messages={"required": "Enter the day the dispute began."},
    )
    employers = forms.ModelMultipleChoiceField(
        label="Employers",
        queryset=Employer.objects.none(),
        help_text="The employers the dispute is with, from the register.",
        error_messages={
            "required": "Choose at least one employer.",
            "invalid_choice": "Choose employers from the list.",
            "invalid_pk_value": "Choose employers from the list.",
        },
    )
    officials = forms.ModelMultipleChoiceField(
        label="Responsible officials (optional)",
        queryset=User.objects.none(),
        required=False,
        help_text="They see this dispute in the back office and run its ballots.",
        error_messages={
            "invalid_choice": "Choose officials from the list.",
            "invalid_pk_value": "Choose officials from the list.",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=DisputeStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )

    def __init__(
        self, *args: Any, dispute: Dispute | None = None, **kwargs: Any
    ) -> None:
        if dispute is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": dispute.title,
                    "summary": dispute.summary,
                    "began_on": dispute.began_on,
                    "status": dispute.status,
                    "employers": list(dispute.employers.values_list("pk", flat=True)),
                    "officials": list(dispute.officials.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        self.dispute = dispute
        if dispute is None:
            del self.fields["status"]
            chosen_employers: list[int] = []
            chosen_officials: list[int] = []
        else:
            chosen_employers = list(dispute.employers.values_list("pk", flat=True))
            chosen_officials = list(dispute.officials.values_list("pk", flat=True))
        employers = Employer.objects.filter(
            Q(pk__in=current_employers().values("pk")) | Q(pk__in=chosen_employers)
        ).order_by("name")
        _set_choices(self, "employers", employers)
        _set_choices(
            self, "officials", support.official_choices(chosen=chosen_officials)
        )

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError("Give the dispute a title.")
        return title

    def clean_summary(self) -> str:
        summary = str(self.cleaned_data["summary"]).strip()
        if not summary:
            raise forms.ValidationError(
                "Give a summary of the matters in issue: the voting paper must carry it."
            )
        return summary

    def clean_began_on(self) -> datetime.date:
        began_on: datetime.date = self.cleaned_data["began_on"]
        if began_on > timezone.localdate():
            raise forms.ValidationError(
                "A dispute cannot begin after today: give the day it began."
            )
        return began_on


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# The fields of the ballot form that put on the voting paper what a regime requires
# of it (``Regime.voting_paper``, by statement key). The scrutineer's name is needed
# only where more than 50 are entitled to vote (s.226C), which the freeze decides:
# the ballot's page says so then.
PAPER_FIELDS = {
    "return_address_and_date": "return_address",
    "authorised_person": "authorised_to_call_action",
    "action_short_of_strike_types": "action_short_of_strike_types",
    "action_periods": "expected_action_period",
}


class BallotForm(DescribedFields):
    """A new ballot over ``dispute``. What the service would refuse is checked here
    too, so that each refusal can be shown beside its field."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: Ballot for strike action and action short of a strike.",
        error_messages={"required": "Give the ballot a title."},
    )
    kind = forms.ChoiceField(
        label="Kind of ballot",
        choices=BallotKind.choices,
        initial=BallotKind.STATUTORY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of ballot.",
            "invalid_choice": "Choose the kind of ballot from the list.",
        },
    )
    strike = forms.BooleanField(
        label="Ask whether members are prepared to take part in a strike",
        required=False,
    )
    action_short_of_strike = forms.BooleanField(
        label="Ask whether members are prepared to take part in action short of a "
        "strike",
        required=False,
        help_text="A statutory ballot asks one or both, as separate questions "
        "(s.229(2)).",
    )
    questions = forms.CharField(
        label="Questions (consultative ballot only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One question a line, each answered yes or no.",
    )
    opening_on = UkDateField(
        label="Opening day",
        help_text="The day the voting papers go out; it decides the rules that apply. "
        "For example 02/03/2026.",
        error_messages={"required": "Enter the opening day."},
    )
    closing_on = UkDateField(
        label="Closing day",
        help_text="The last day votes may be cast (the date of the ballot, s.246). "
        "For example 30/03/2026.",
        error_messages={"required": "Enter the closing day."},
    )
    employers = forms.ModelMultipleChoiceField(
        label="Employers balloted",
        queryset=Employer.objects.none(),
        help_text="Some or all of the dispute's employers.",
        error_messages={
            "required": "Choose at least one employer to ballot.",
            "invalid_choice": "Choose employers of this dispute.",
            "invalid_pk_value": "Choose employers of this dispute.",
        },
    )
    job_categories = forms.CharField(
        label="Only these job categories (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, exactly as the register records them. Leave empty to "
        "ballot every category.",
    )
    workplaces = forms.ModelMultipleChoiceField(
        label="Only these workplaces (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        help_text="Leave them all unchosen to ballot every workplace.",
        error_messages={
            "invalid_choice": "Choose workplaces from the list.",
            "invalid_pk_value": "Choose workplaces from the list.",
        },
    )
    workplace_ballots = forms.ChoiceField(
        label="Workplace ballots",
        choices=WorkplaceBallots.choices,
        initial=WorkplaceBallots.AGGREGATED,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how workplaces are balloted."},
    )
    exclude_arrears = forms.BooleanField(
        label="Exclude members in arrears",
        required=False,
        initial=True,
        help_text="The union's rules decide whether a member in arrears may vote.",
    )
    arrears_grace_days = forms.IntegerField(
        label="Days in arrears allowed",
        required=False,
        initial=0,
        min_value=0,
        max_value=3650,
        help_text="A member in arrears for no more than this many days still votes.",
        error_messages={
            "invalid": "Enter a whole number of days, for example 30 (0 for none).",
            "min_value": "The days in arrears allowed cannot be negative.",
            "max_value": "Enter no more than 3650 days.",
        },
    )
    scrutineer_name = forms.CharField(
        label="Independent scrutineer",
        max_length=200,
        required=False,
        help_text="Named on the voting paper; needed where more than 50 are entitled "
        "to vote (s.226B, s.226C, s.229(1A)(a)).",
    )
    return_address = forms.CharField(
        label="Address for the return of voting papers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="s.229(1A)(b); the paper gives the closing day as the date to "
        "return it by.",
    )
    authorised_to_call_action = forms.CharField(
        label="Person authorised to call action",
        max_length=300,
        required=False,
        help_text="The person or office named on the paper (s.229(3), s.233), for "
        "example: The General Secretary.",
    )
    action_short_of_strike_types = forms.CharField(
        label="Types of action short of a strike",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Trade Union Act 2016 rules only (ballots opening before 18 "
        "February 2026), s.229(2C); for example: an overtime ban.",
    )
    expected_action_period = forms.CharField(
        label="When the action is expected to take place",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Trade Union Act 2016 rules only, s.229(2D); for example: from "
        "March to June 2017.",
    )

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dispute = dispute
        employers = Employer.objects.filter(
            pk__in=dispute.dispute_employers.values("employer_id")
        ).order_by("name")
        _set_choices(self, "employers", employers)
        if not self.is_bound:
            self.initial.setdefault(
                "employers", list(employers.values_list("pk", flat=True))
            )
        _set_choices(
            self,
            "workplaces",
            Workplace.objects.filter(employer__in=employers)
            .select_related("employer")
            .order_by("employer__name", "name"),
        )

    def category_hints(self) -> list[tuple[str, int]]:
        """The job categories most recorded in current jobs at the dispute's
        employers, with how many hold each: a guide to what to type. Counting reads
        every job there (most of a large register), so it is kept for ten minutes."""
        employer_ids = sorted(
            self.dispute.dispute_employers.values_list("employer_id", flat=True)
        )
        key = "backoffice:disputes:categories:" + ",".join(map(str, employer_ids))

        def count() -> list[tuple[str, int]]:
            return [
                (row["job_category"], row["n"])
                for row in Employment.objects.current_on(timezone.localdate())
                .filter(employer_id__in=employer_ids)
                .exclude(job_category="")
                .values("job_category")
                .annotate(n=Count("id"))
                .order_by("-n", "job_category")[:CATEGORY_HINTS]
            ]

        hints = cache.get_or_set(key, count, CATEGORY_HINTS_SECONDS)
        return list(hints or [])

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError("Give the ballot a title.")
        return title

    def clean_questions(self) -> list[str]:
        return _lines(str(self.cleaned_data.get("questions") or ""))

    def clean_job_categories(self) -> list[str]:
        return sorted(set(_lines(str(self.cleaned_data.get("job_categories") or ""))))

    def clean_arrears_grace_days(self) -> int:
        return int(self.cleaned_data.get("arrears_grace_days") or 0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_questions(data)
        self._check_dates(data)
        self._check_constituency(data)
        self._check_paper(data)
        return data

    def _check_questions(self, data: dict[str, Any]) -> None:
        kind = data.get("kind")
        asked = data.get("strike") or data.get("action_short_of_strike")
        if kind == BallotKind.STATUTORY:
            if data.get("questions"):
                self.add_error(
                    "questions",
                    "A statutory ballot asks only about strike action and action "
                    "short of a strike; ask other questions in a consultative ballot.",
                )
            if not asked:
                self.add_error(
                    "strike",
                    "A statutory ballot asks about strike action, action short of a "
                    "strike, or both: tick one or both.",
                )
        elif kind == BallotKind.CONSULTATIVE:
            for name in ("strike", "action_short_of_strike"):
                if data.get(name):
                    self.add_error(
                        name,
                        "A consultative ballot cannot ask the statutory questions on "
                        "industrial action: untick this, or hold a statutory ballot.",
                    )
            if not data.get("questions") and "questions" not in self.errors:
                self.add_error(
                    "questions", "A consultative ballot asks at least one question."
                )

    def _check_dates(self, data: dict[str, Any]) -> None:
        opening_on, closing_on = data.get("opening_on"), data.get("closing_on")
        if opening_on and opening_on < self.dispute.began_on:
            self.add_error(
                "opening_on",
                "The ballot cannot open before the dispute began "
                f"({_uk(self.dispute.began_on)}).",
            )
        if opening_on and closing_on and closing_on < opening_on:
            self.add_error(
                "closing_on",
                f"The ballot cannot close before it opens ({_uk(opening_on)}).",
            )

    def _check_constituency(self, data: dict[str, Any]) -> None:
        employers = list(data.get("employers") or [])
        if not employers:
            return
        employer_ids = {e.pk for e in employers}
        outside = [
            w.name
            for w in data.get("workplaces") or []
            if w.employer_id not in employer_ids
        ]
        if outside:
            self.add_error(
                "workplaces",
                "These workplaces are not of an employer balloted: "
                f"{', '.join(outside)}.",
            )
        categories = data.get("job_categories") or []
        if categories:
            known = set(
                Employment.objects.filter(
                    employer_id__in=sorted(employer_ids), job_category__in=categories
                )
                .values_list("job_category", flat=True)
                .distinct()
            )
            unknown = [c for c in categories if c not in known]
            if unknown:
                self.add_error(
                    "job_categories",
                    "No one at these employers is recorded in "
                    f"{', '.join(unknown)}: type the categories as the register "
                    "records them.",
                )

    def _check_paper(self, data: dict[str, Any]) -> None:
        """A ballot cannot be changed once created, so a statutory ballot must name
        from the start what its regime requires the voting paper to carry."""
        opening_on = data.get("opening_on")
        if data.get("kind") != BallotKind.STATUTORY or opening_on is None:
            return
        regime = calculations.regime_for(opening=opening_on)
        for statement in regime.voting_paper:
            name = PAPER_FIELDS.get(statement.key)
            if name is None or name in self.errors:
                continue
            if name == "action_short_of_strike_types" and not data.get(
                "action_short_of_strike"
            ):
                continue
            if not str(data.get(name) or "").strip():
                self.add_error(
                    name,
                    f"The voting paper must carry this under the {regime.name} rules "
                    f"({statement.cites}).",
                )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = BallotKind(data["kind"])
        return {
            "title": data["title"],
            "kind": kind,
            "opening_on": data["opening_on"],
            "closing_on": data["closing_on"],
            "employers": list(data["employers"]),
            "strike": bool(data["strike"]),
            "action_short_of_strike": bool(data["action_short_of_strike"]),
            "questions": data["questions"],
            "job_categories": data["job_categories"],
            "workplaces": list(data["workplaces"]),
            "workplace_ballots": WorkplaceBallots(
                data["workplace_ballots"] or WorkplaceBallots.AGGREGATED
            ),
            "exclude_arrears": bool(data["exclude_arrears"]),
            "arrears_grace_days": data["arrears_grace_days"],
            "scrutineer_name": data["scrutineer_name"],
            "return_address": data["return_address"],
            "authorised_to_call_action": data["authorised_to_call_action"],
            "action_short_of_strike_types": data["action_short_of_strike_types"],
            "expected_action_period": data["expected_action_period"],
        }


class FreezeForm(DescribedFields):
    on = UkDateField(
        label="Freeze the electorate as at",
        help_text="Today or an earlier day: the register says who is a member, and "
        "where they work, on that day. For example 20/11/2026.",
        error_messages={"required": "Enter the day to freeze the electorate as at."},
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.ballot = ballot

    def clean_on(self) -> datetime.date:
        on: datetime.date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(
                "The register cannot say who will be a member on a day still to come: "
                "freeze as at today or an earlier day."
            )
        began_on = self.ballot.dispute.began_on
        if on < began_on:
            raise forms.ValidationError(
                f"Freeze as at a day since the dispute began ({_uk(began_on)})."
            )
        return on


INCLUDED, EXCLUDED, EVERYONE = "included", "excluded", "all"


class ElectorateFilters(DescribedFields):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (INCLUDED, "In the electorate"),
            (EXCLUDED, "Considered and excluded (the near misses)"),
            (EVERYONE, "Everyone considered"),
        ],
        error_messages={"invalid_choice": "Choose who to show from the list."},
    )
    reason = forms.ChoiceField(
        label="Why excluded",
        required=False,
        choices=[("", "Any reason"), *ExclusionReason.choices],
        help_text="Choosing a reason shows only those excluded for it.",
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="Any employer",
        error_messages={"invalid_choice": "Choose an employer of this ballot."},
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
        field.queryset = Employer.objects.filter(
            pk__in=ballot.ballot_employers.values("employer_id")
        ).order_by("name")

    def clean_show(self) -> str:
        return str(self.cleaned_data.get("show") or INCLUDED)

    def used(self) -> dict[str, str]:
        return {
            name: str(value)
            for name, value in self.data.items()
            if name in self.fields and value
        }

    def query(self) -> str:
        return urlencode(list(self.used().items()))


class MemberNumberForm(DescribedFields):
    """A member, by their membership number."""

    membership: Membership | None = None
    membership_number = forms.CharField(
        label="Membership number",
        max_length=20,
        error_messages={"required": "Enter the membership number."},
    )

    def clean_membership_number(self) -> str:
        number = str(self.cleaned_data["membership_number"]).strip()
        self.membership = (
            Membership.objects.select_related("person")
            .filter(membership_number=number)
            .first()
        )
        if self.membership is None:
            raise forms.ValidationError(f"No member has the number {number}.")
        return number


class JobChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A member's job, described in words."""

    def label_from_instance(self, obj: Any) -> str:
        return _job_label(obj)


class ElectorAddForm(DescribedFields):
    """A late joiner: which of their current jobs in the constituency, and why."""

    employment = JobChoiceField(
        label="The job they are balloted in",
        queryset=Employment.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the job they are balloted in.",
            "invalid_choice": "Choose one of the jobs listed.",
        },
    )
    reason = forms.CharField(
        label="Why they are added",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: joined after the notice was given.",
        error_messages={"required": "Say why this member is added to the electorate."},
    )

    def __init__(self, *args: Any, jobs: QuerySet[Employment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employment"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
        field.queryset = jobs


def _job_label(job: Employment) -> str:
    where = f", {job.workplace.name}" if job.workplace else ""
    category = job.job_category or "No job category recorded"
    return f"{category} at {job.employer.name}{where}, since {_uk(job.started_on)}"


class LeaverForm(DescribedFields):
    left_on = UkDateField(
        label="The day they left",
        error_messages={"required": "Enter the day the member left."},
    )
    reason = forms.CharField(
        label="Why they left",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: resigned from the union, or left the employer.",
        error_messages={"required": "Say why this member left the electorate."},
    )

    def clean_left_on(self) -> datetime.date:
        left_on: datetime.date = self.cleaned_data["left_on"]
        if left_on > timezone.localdate():
            raise forms.ValidationError(
                "A member cannot be marked as leaving after today."
            )
        return left_on


class GivenForm(DescribedFields):
    """The day an employer received the notice, or the sample voting paper."""

    given_on = UkDateField(
        label="Day the employer received it",
        error_messages={"required": "Enter the day the employer received it."},
    )

    def clean_given_on(self) -> datetime.date:
        given_on: datetime.date = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(
                "Record the day it was given, not a day to come."
            )
        return given_on


# --- Disputes ---------------------------------------------------------------------------


def dispute_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not support.sees_any_dispute(user=user):
        raise Http404
    form = DisputeFilters(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "can_create": support.manages_disputes(user=user),
        "filtered": bool(form.used()),
    }
    if not form.is_valid():
        return TemplateResponse(
            request, f"{TEMPLATES}/dispute_list.html", context, status=400
        )
    disputes = support.disputes_for(user=user)
    if form.cleaned_data["status"]:
        disputes = disputes.filter(status=form.cleaned_data["status"])
    disputes = (
        disputes.annotate(ballot_count=Count("ballots", distinct=True))
        .prefetch_related(
            Prefetch("employers", queryset=Employer.objects.order_by("name"))
        )
        .order_by("-began_on", "-id")
    )
    page = Paginator(disputes, DISPUTES_PER_PAGE).get_page(_page_number(request))
    context.update(page=page, rows=list(page.object_list), query=urlencode(form.used()))
    return TemplateResponse(request, f"{TEMPLATES}/dispute_list.html", context)


def _dispute_form_page(
    request: HttpRequest, form: DisputeForm, *, title: str, dispute: Dispute | None
) -> HttpResponse:
    return TemplateResponse(
        request,
        f"{TEMPLATES}/dispute_form.html",
        {"form": form, "title": title, "dispute": dispute},
        status=400 if request.method == "POST" else 200,
    )


def dispute_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not support.manages_disputes(user=user):
        raise Http404
    form = DisputeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = services.dispute_create(
                title=data["title"],
                summary=data["summary"],
                employers=list(data["employers"]),
                began_on=data["began_on"],
                officials=list(data["officials"]),
                by=user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The dispute “{dispute}” has been recorded.")
            return redirect("backoffice_dispute_detail", dispute.pk)
    return _dispute_form_page(request, form, title="Record a dispute", dispute=None)


def dispute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk, change=True)
    form = DisputeForm(
        request.POST if request.method == "POST" else None, dispute=dispute
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_update(
                dispute=dispute,
                by=_user(request),
                title=data["title"],
                summary=data["summary"],
                began_on=data["began_on"],
                status=DisputeStatus(data["status"]),
                employers=list(data["employers"]),
                officials=list(data["officials"]),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The dispute “{data['title']}” has been saved.")
            return redirect("backoffice_dispute_detail", dispute.pk)
    return _dispute_form_page(
        request, form, title="Change the dispute", dispute=dispute
    )


def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    dispute = _dispute(request, pk)
    events = dispute.events.select_related("actor", "ballot").order_by(
        "-created_at", "-id"
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(_page_number(request))
    return TemplateResponse(
        request,
        f"{TEMPLATES}/dispute_detail.html",
        {
            "dispute": dispute,
            "employers": dispute.employers.order_by("name"),
            "officials": dispute.officials.order_by("first_name", "last_name"),
            "ballots": dispute.ballots.order_by("-opening_on", "-id"),
            "page": page,
            "log": support.dispute_log(list(page.object_list)),
            "can_change": support.may_change(user=user, dispute=dispute),
            "can_ballot": dispute.status == DisputeStatus.OPEN,
        },
    )


# --- Ballots -----------------------------------------------------------------------------


def ballot_create(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk, change=True)
    form = BallotForm(
        request.POST if request.method == "POST" else None, dispute=dispute
    )
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.ballot_create(
                dispute=dispute, by=_user(request), **form.service_arguments()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The ballot “{ballot}” has been created.")
            return redirect("backoffice_ballot_detail", ballot.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_form.html",
        {
            "form": form,
            "dispute": dispute,
            "category_hints": form.category_hints(),
            "not_open": dispute.status != DisputeStatus.OPEN,
        },
        status=400 if request.method == "POST" else 200,
    )


def _electorate_summary(ballot: Ballot) -> dict[str, Any] | None:
    if not ballot.electorate_version:
        return None
    summary = selectors.electorate_summary(ballot=ballot)
    labels = dict(ExclusionReason.choices)
    return {
        "summary": summary,
        "excluded": [
            (reason, labels.get(reason, reason), count)
            for reason, count in summary.excluded.items()
        ],
        "excluded_total": sum(summary.excluded.values()),
    }


def _ballot_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    open_problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    notices = list(selectors.ballot_notices(ballot=ballot))
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_detail.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "questions": ballot.questions.order_by("position"),
            "employers": ballot.employers.order_by("name"),
            "workplaces": ballot.workplaces.select_related("employer").order_by(
                "employer__name", "name"
            ),
            "calendar": support.ballot_calendar(ballot=ballot, today=today),
            "today": today,
            "electorate": _electorate_summary(ballot),
            "notices": notices,
            "paper_problems": documents.voting_paper_problems(ballot=ballot)
            if ballot.electorate_version
            else [],
            "open_problems": open_problems or [],
            "can_change": support.may_change(user=user, dispute=ballot.dispute),
            "can_open": ballot.status == BallotStatus.DRAFT,
        },
        status=status,
    )


def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ballot_page(request, _ballot(request, pk))


@require_POST
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    try:
        services.ballot_open(ballot=ballot, by=_user(request))
    except ApplicationError as error:
        listed = error.extra.get("problems")
        problems = [str(p) for p in listed] if isinstance(listed, list) else []
        return _ballot_page(
            request,
            ballot,
            open_problems=problems or [error.message],
            status=400,
        )
    messages.success(request, f"The ballot “{ballot}” is open for voting.")
    return redirect("backoffice_ballot_detail", ballot.pk)


# --- The electorate ------------------------------------------------------------------------


def _entries(ballot: Ballot, filters: dict[str, Any]) -> QuerySet[ElectorateEntry]:
    """The entries the filters ask for: those in the electorate first, then the near
    misses by reason, each in the order written. That order is the one the
    (ballot, reason) index holds them in, so no page sorts the whole electorate."""
    reason = filters.get("reason")
    show = filters.get("show") or INCLUDED
    return selectors.electorate_entries(
        ballot=ballot,
        included=None if show == EVERYONE else show == INCLUDED,
        reason=ExclusionReason(reason) if reason else None,
        employer=filters.get("employer"),
    ).order_by("reason", "id")


def _list_heading(count: int, filters: dict[str, Any]) -> str:
    if filters.get("reason"):
        what = f"excluded: {ExclusionReason(filters['reason']).label.lower()}"
    else:
        what = {
            INCLUDED: "in the electorate",
            EXCLUDED: "considered and excluded",
            EVERYONE: "considered",
        }[filters.get("show") or INCLUDED]
    employer = filters.get("employer")
    at = f", employed by {employer.name}" if employer else ""
    return f"{count:,} {what}{at}"


def _electorate_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    freeze_form: FreezeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    filters = ElectorateFilters(request.GET, ballot=ballot)
    notices = list(selectors.ballot_notices(ballot=ballot))
    settled = ballot.status == BallotStatus.OPEN or (
        ballot.status == BallotStatus.DRAFT and any(n.given_on for n in notices)
    )
    context: dict[str, Any] = {
        "ballot": ballot,
        "dispute": ballot.dispute,
        "electorate": _electorate_summary(ballot),
        "freeze_form": freeze_form or FreezeForm(ballot=ballot),
        "filters": filters,
        "can_change": support.may_change(user=user, dispute=ballot.dispute),
        "can_freeze": ballot.status == BallotStatus.DRAFT and not settled,
        "settled": settled,
        "notices_prepared": len(notices),
    }
    if not ballot.electorate_version:
        return TemplateResponse(
            request, f"{TEMPLATES}/ballot_electorate.html", context, status=status
        )
    if not filters.is_valid():
        return TemplateResponse(
            request, f"{TEMPLATES}/ballot_electorate.html", context, status=400
        )
    page = Paginator(_entries(ballot, filters.cleaned_data), ENTRIES_PER_PAGE).get_page(
        _page_number(request)
    )
    rows = list(page.object_list)
    other_jobs = selectors.electorate_other_jobs(entries=rows)
    for entry in rows:
        entry.jobs_elsewhere = other_jobs.get(entry.pk, [])  # type: ignore[attr-defined]
    changes = list(selectors.electorate_changes(ballot=ballot)[:CHANGES_SHOWN])
    # Names and jobs of members: one entry for the page, as for the members list.
    member_services.personal_data_list_record(
        user=user,
        list_name="ballot electorate",
        page=page.number,
        filters={"ballot": str(ballot.pk), **filters.used()},
        rows=len(rows) + len(changes),
    )
    context.update(
        page=page,
        rows=rows,
        changes=changes,
        query=filters.query(),
        list_heading=_list_heading(page.paginator.count, filters.cleaned_data),
    )
    return TemplateResponse(
        request, f"{TEMPLATES}/ballot_electorate.html", context, status=status
    )


def ballot_electorate(request: HttpRequest, pk: int) -> HttpResponse:
    return _electorate_page(request, _ballot(request, pk))


@require_POST
def ballot_electorate_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    form = FreezeForm(request.POST, ballot=ballot)
    if form.is_valid():
        try:
            summary = services.ballot_electorate_freeze(
                ballot=ballot, on=form.cleaned_data["on"], by=_user(request)
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The electorate is frozen as at {_uk(form.cleaned_data['on'])}: "
                f"{summary.included:,} in it, "
                f"{sum(summary.excluded.values()):,} considered and excluded.",
            )
            return redirect("backoffice_ballot_electorate", ballot.pk)
    ballot.refresh_from_db()
    return _electorate_page(request, ballot, freeze_form=form, status=400)


def _member_form_page(
    request: HttpRequest,
    template: str,
    ballot: Ballot,
    *,
    title: str,
    status: int | None = None,
    **extra: Any,
) -> HttpResponse:
    if status is None:
        status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        f"{TEMPLATES}/{template}",
        {"ballot": ballot, "dispute": ballot.dispute, "title": title, **extra},
        status=status,
    )


def _record_member_view(
    request: HttpRequest, ballot: Ballot, membership: Membership, page: str
) -> None:
    """A form that names a member and shows their jobs is a look at their record;
    sending it back is the same look, not logged again."""
    if request.method != "POST":
        member_services.personal_data_access_record(
            user=_user(request),
            action=AccessAction.VIEWED,
            membership=membership,
            detail={"page": page, "ballot": ballot.pk},
        )


def ballot_elector_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a late joiner: first the membership number (so that their jobs in the
    constituency can be listed, without JavaScript), then the job and the reason."""
    ballot = _ballot(request, pk, change=True)
    source = request.POST if request.method == "POST" else request.GET
    number_form = MemberNumberForm(source if "membership_number" in source else None)
    title = "Add a member to the electorate"
    if not number_form.is_valid():
        return _member_form_page(
            request,
            "elector_add.html",
            ballot,
            title=title,
            number_form=number_form,
            status=400 if number_form.is_bound else 200,
        )
    membership = number_form.membership
    assert membership is not None  # noqa: S101 - found, or the form is invalid
    today = timezone.localdate()
    jobs = (
        Employment.objects.current_on(today)
        .filter(
            membership=membership,
            employer_id__in=ballot.ballot_employers.values("employer_id"),
        )
        .select_related("employer", "workplace")
        .order_by("started_on", "pk")
    )
    _record_member_view(request, ballot, membership, "ballot late joiner form")
    if not jobs.exists():
        number_form.add_error(
            "membership_number",
            f"{membership.person} has no current job at an employer in this ballot: "
            "record the job on their member page first.",
        )
        return _member_form_page(
            request,
            "elector_add.html",
            ballot,
            title=title,
            number_form=number_form,
            status=400,
        )
    form = ElectorAddForm(request.POST if request.method == "POST" else None, jobs=jobs)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_electorate_add(
                ballot=ballot,
                membership=membership,
                employment=form.cleaned_data["employment"],
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{membership.person} has been added to the electorate."
            )
            return redirect("backoffice_ballot_electorate", ballot.pk)
    return _member_form_page(
        request,
        "elector_add.html",
        ballot,
        title=title,
        number_form=number_form,
        form=form,
        membership=membership,
    )


def ballot_elector_leaver(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    post = request.POST if request.method == "POST" else None
    number_form = MemberNumberForm(post)
    form = LeaverForm(post)
    title = "Mark a member of the electorate as having left"
    # Both forms are checked, so that every mistake shows at once.
    valid = [number_form.is_valid(), form.is_valid()]
    if post is not None and all(valid):
        membership = number_form.membership
        assert membership is not None  # noqa: S101 - found, or the form is invalid
        try:
            services.ballot_electorate_mark_leaver(
                ballot=ballot,
                membership=membership,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{membership.person} is marked as having left on "
                f"{_uk(form.cleaned_data['left_on'])}.",
            )
            return redirect("backoffice_ballot_electorate", ballot.pk)
    return _member_form_page(
        request,
        "elector_leaver.html",
        ballot,
        title=title,
        number_form=number_form,
        form=form,
    )


# --- Notices ---------------------------------------------------------------------------------


def _given_forms(
    notice: BallotNotice, bound: dict[str, GivenForm] | None = None
) -> dict[str, GivenForm | None]:
    """The two recording forms of a notice (None once recorded), or the one sent
    back with its errors."""
    bound = bound or {}
    today = timezone.localdate()
    forms_: dict[str, GivenForm | None] = {}
    for kind, given in (
        ("notice", notice.given_on),
        ("sample", notice.sample_paper_given_on),
    ):
        forms_[kind] = bound.get(kind) or (
            None
            if given
            else GivenForm(prefix=f"{kind}-{notice.pk}", initial={"given_on": today})
        )
    return forms_


def _notices_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    bound: tuple[BallotNotice, str, GivenForm] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The notices, a page of employers at a time; a recording form sent back with
    a mistake is shown on the page of its notice."""
    user = _user(request)
    deadlines = selectors.ballot_deadlines(ballot=ballot)
    notices = selectors.ballot_notices(ballot=ballot)
    if bound is not None:
        before = notices.filter(employer__name__lt=bound[0].employer.name).count()
        number = before // NOTICES_PER_PAGE + 1
    else:
        number = _page_number(request)
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(number)
    rows = []
    for notice in page.object_list:
        forms_ = _given_forms(
            notice,
            {bound[1]: bound[2]} if bound is not None and bound[0] == notice else None,
        )
        rows.append(
            {
                "notice": notice,
                "content": notice.content,
                "notice_form": forms_["notice"],
                "sample_form": forms_["sample"],
                "notice_late": bool(
                    notice.given_on and notice.given_on > deadlines.notice_by
                ),
                "sample_late": bool(
                    notice.sample_paper_given_on
                    and notice.sample_paper_given_on > deadlines.sample_paper_by
                ),
            }
        )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_notices.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "deadlines": deadlines,
            "page": page,
            "rows": rows,
            "any_given": notices.filter(given_on__isnull=False).exists(),
            "paper_problems": documents.voting_paper_problems(ballot=ballot)
            if ballot.electorate_version
            else [],
            "problems": problems or [],
            "can_change": support.may_change(user=user, dispute=ballot.dispute),
            "draft": ballot.status == BallotStatus.DRAFT,
        },
        status=status,
    )


def ballot_notices(request: HttpRequest, pk: int) -> HttpResponse:
    return _notices_page(request, _ballot(request, pk))


@require_POST
def ballot_notices_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    try:
        notices = services.ballot_notices_prepare(ballot=ballot, by=_user(request))
    except ApplicationError as error:
        return _notices_page(request, ballot, problems=[error.message], status=400)
    messages.success(
        request,
        f"{len(notices)} notice{'' if len(notices) == 1 else 's'} of ballot "
        "prepared from the frozen electorate.",
    )
    return redirect("backoffice_ballot_notices", ballot.pk)


def _record_given(
    request: HttpRequest, pk: int, notice_pk: int, kind: str
) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    notice = _notice(request, ballot, notice_pk)
    form = GivenForm(request.POST, prefix=f"{kind}-{notice.pk}")
    if form.is_valid():
        record = (
            services.ballot_notice_record_given
            if kind == "notice"
            else services.ballot_sample_paper_record_given
        )
        try:
            record(
                notice=notice,
                given_on=form.cleaned_data["given_on"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            what = "notice of ballot" if kind == "notice" else "sample voting paper"
            messages.success(
                request,
                f"The {what} is recorded as given to {notice.employer.name} on "
                f"{_uk(form.cleaned_data['given_on'])}.",
            )
            return redirect("backoffice_ballot_notices", ballot.pk)
    return _notices_page(request, ballot, bound=(notice, kind, form), status=400)


@require_POST
def ballot_notice_given(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    return _record_given(request, pk, notice_pk, "notice")


@require_POST
def ballot_sample_paper_given(
    request: HttpRequest, pk: int, notice_pk: int
) -> HttpResponse:
    return _record_given(request, pk, notice_pk, "sample")


def _download(
    content: bytes | str, *, filename: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(ballot: Ballot, notice: BallotNotice) -> str:
    return f"ballot-{ballot.pk}-{slugify(notice.employer.name) or notice.employer_id}"


def ballot_notice_pdf(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _notice(request, ballot, notice_pk)
    return _download(
        documents.notice_pdf(notice=notice),
        filename=f"notice-of-{_file_stem(ballot, notice)}.pdf",
        content_type="application/pdf",
    )


def ballot_notice_text(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _notice(request, ballot, notice_pk)
    return _download(
        notice.text,
        filename=f"notice-of-{_file_stem(ballot, notice)}.txt",
        content_type="text/plain; charset=utf-8",
    )


def ballot_sample_paper_pdf(
    request: HttpRequest, pk: int, notice_pk: int
) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _notice(request, ballot, notice_pk)
    return _download(
        documents.sample_voting_paper_pdf(ballot=ballot, employer=notice.employer),
        filename=f"sample-voting-paper-{_file_stem(ballot, notice)}.pdf",
        content_type="application/pdf",
    )


# --- Hooks ---------------------------------------------------------------------------------


class IndustrialActionMenuItem(MenuItem):  # type: ignore[misc]
    """Shown to those who see a dispute: HQ staff, administrators, officials."""

    def is_shown(self, request: HttpRequest) -> bool:
        return support.sees_any_dispute(user=request.user)


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    ballot = "disputes/ballots/<int:pk>/"
    notice = ballot + "notices/<int:notice_pk>/"
    return [
        path("disputes/", dispute_list, name="backoffice_dispute_list"),
        path("disputes/new/", dispute_create, name="backoffice_dispute_create"),
        path("disputes/<int:pk>/", dispute_detail, name="backoffice_dispute_detail"),
        path("disputes/<int:pk>/edit/", dispute_edit, name="backoffice_dispute_edit"),
        path(
            "disputes/<int:pk>/ballots/new/",
            ballot_create,
            name="backoffice_ballot_create",
        ),
        path(ballot, ballot_detail, name="backoffice_ballot_detail"),
        path(ballot + "open/", ballot_open, name="backoffice_ballot_open"),
        path(
            ballot + "electorate/",
            ballot_electorate,
            name="backoffice_ballot_electorate",
        ),
        path(
            ballot + "electorate/freeze/",
            ballot_electorate_freeze,
            name="backoffice_ballot_electorate_freeze",
        ),
        path(
            ballot + "electorate/add/",
            ballot_elector_add,
            name="backoffice_ballot_elector_add",
        ),
        path(
            ballot + "electorate/leaver/",
            ballot_elector_leaver,
            name="backoffice_ballot_elector_leaver",
        ),
        path(ballot + "notices/", ballot_notices, name="backoffice_ballot_notices"),
        path(
            ballot + "notices/prepare/",
            ballot_notices_prepare,
            name="backoffice_ballot_notices_prepare",
        ),
        path(
            notice + "given/",
            ballot_notice_given,
            name="backoffice_ballot_notice_given",
        ),
        path(
            notice + "sample-paper-given/",
            ballot_sample_paper_given,
            name="backoffice_ballot_sample_paper_given",
        ),
        path(
            notice + "notice.pdf",
            ballot_notice_pdf,
            name="backoffice_ballot_notice_pdf",
        ),
        path(
            notice + "notice.txt",
            ballot_notice_text,
            name="backoffice_ballot_notice_text",
        ),
        path(
            notice + "sample-voting-paper.pdf",
            ballot_sample_paper_pdf,
            name="backoffice_ballot_sample_paper_pdf",
        ),
    ]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return IndustrialActionMenuItem(
        "Industrial action",
        reverse("backoffice_dispute_list"),
        name="industrial-action",
        icon_name="warning",
        order=600,
    )
