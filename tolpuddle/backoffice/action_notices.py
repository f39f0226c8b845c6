"""Back office: a ballot's mandate (s.234) and its notices of industrial action
(s.234A), at ``/admin/disputes/ballots/<ballot>/mandate/`` and
``.../action-notices/``.

Who: as for the rest of the ballot's pages (``backoffice/disputes.py``): those who
see the dispute (``disputes_support.ballots_for``, which asks
``selectors.ballots_visible_to``) see these pages, and those who may change it
(``disputes.manage_disputes``, HQ staff, its officials) record extensions and
prepare and record notices; anyone else gets a 404. Every read goes through the
disputes selectors and every write through one disputes service; a service's
refusal (a late notice, action outside the mandate, no mandate, an extension the
rules do not allow) is shown on the form in its own words, and nothing is written.

From the mandate, staff go on to the strike days themselves: the action app's
periods of action, picket lines and participation (``/admin/action/``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from wagtail import hooks

from tolpuddle.action import selectors as action_selectors
from tolpuddle.backoffice import disputes_support as support
from tolpuddle.backoffice.disputes import GivenForm, _download, _page_number
from tolpuddle.backoffice.disputes_support import ballot_for_request as _ballot
from tolpuddle.backoffice.disputes_support import request_user as _user
from tolpuddle.backoffice.disputes_support import uk_day as _uk
from tolpuddle.backoffice.forms import DATE_HELP, DescribedFields, UkDateField
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import documents, law, selectors, services
from tolpuddle.disputes.models import ActionNotice, Ballot, QuestionKind
from tolpuddle.members.models import Employer
from tolpuddle.members.normalise import InvalidValueError, parse_date

TEMPLATES = "backoffice/disputes"
EMPLOYERS_PER_PAGE = 20
NOTICES_PER_PAGE = 50
DAYS_OF_ACTION_AT_MOST = 100
ACTION_LABELS = {
    QuestionKind.STRIKE.value: "Strike action",
    QuestionKind.ACTION_SHORT_OF_STRIKE.value: "Action short of a strike",
}
CONTINUOUS, DISCONTINUOUS = "continuous", "discontinuous"


def _notice(ballot: Ballot, notice_pk: int) -> ActionNotice:
    return get_object_or_404(selectors.action_notices(ballot=ballot), pk=notice_pk)


def _employers(ballot: Ballot) -> Any:
    """The employers a notice or an extension may be for: those of someone in the
    electorate (the mandate is of their employees)."""
    return selectors.employers_with_electors(ballot=ballot)


# --- The timetable of a notice -----------------------------------------------------------


@dataclass(frozen=True)
class NoticeTiming:
    """What a notice received on ``received_on`` allows: the notice the employer
    must have (s.234A(4)(b), from ``ballot_law``) and the first day of action."""

    received_on: datetime.date
    regime_name: str
    days: int
    cites: str
    earliest: datetime.date
    days_by_agreement: int | None
    earliest_by_agreement: datetime.date | None


def notice_timing(*, ballot: Ballot, received_on: datetime.date) -> NoticeTiming:
    period = law.action_notice_period(
        opening_on=ballot.opening_on, notice_received=received_on
    )
    by_agreement = period.days_by_agreement
    return NoticeTiming(
        received_on=received_on,
        regime_name=period.regime.name,
        days=period.days,
        cites=period.cites,
        earliest=law.earliest_action(
            notice_received=received_on, notice_days=period.days
        ),
        days_by_agreement=by_agreement,
        earliest_by_agreement=law.earliest_action(
            notice_received=received_on, notice_days=by_agreement
        )
        if by_agreement is not None
        else None,
    )


@dataclass(frozen=True)
class LatestReceipt:
    """The last day the employer may receive a notice for action on ``first_day``."""

    day: datetime.date
    days: int
    cites: str


def latest_receipt(
    *, ballot: Ballot, first_day: datetime.date, shorter_notice_agreed: bool
) -> LatestReceipt:
    """Under the 2016 Act the period is decided by the day of receipt, so the day is
    found from today's period and checked against the period of the day found."""

    def period_on(received: datetime.date) -> tuple[int, str]:
        period = law.action_notice_period(
            opening_on=ballot.opening_on, notice_received=received
        )
        if shorter_notice_agreed and period.days_by_agreement is not None:
            return period.days_by_agreement, period.cites
        return period.days, period.cites

    received = timezone.localdate()
    days, cites = period_on(received)
    for _ in range(3):
        candidate = first_day - datetime.timedelta(days=days)
        if candidate == received:
            break
        received = candidate
        days, cites = period_on(received)
    return LatestReceipt(day=received, days=days, cites=cites)


# --- Forms ------------------------------------------------------------------------------


class EmployerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ExtensionForm(DescribedFields):
    """An employer's agreement to the longer mandate (s.234(1)(b))."""

    employer = EmployerChoiceField(
        label="Employer that agreed",
        queryset=Employer.objects.none(),
        empty_label="Choose an employer",
        help_text="The extension is for the action of this employer's employees.",
        error_messages={
            "required": "Choose the employer that agreed to the extension.",
            "invalid_choice": "Choose an employer of someone in the electorate.",
        },
    )
    agreed_on = UkDateField(
        label="Day it was agreed",
        error_messages={"required": "Enter the day the employer agreed."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: agreed in writing by the HR director, letter of "
        "1 December.",
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
        field.queryset = _employers(ballot)

    def clean_agreed_on(self) -> datetime.date:
        agreed_on: datetime.date = self.cleaned_data["agreed_on"]
        if agreed_on > timezone.localdate():
            raise forms.ValidationError(
                "Record the day it was agreed, not a day to come."
            )
        return agreed_on


class ActionNoticeForm(DescribedFields):
    """A notice of industrial action to one employer (s.234A(3)): which action,
    continuous from a day or discontinuous on some days."""

    employer = EmployerChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        empty_label="Choose an employer",
        help_text="The notice counts this employer's employees in the electorate, as "
        "the notice of ballot did, without those who have left.",
        error_messages={
            "required": "Choose the employer to give the notice to.",
            "invalid_choice": "Choose an employer of someone in the electorate.",
        },
    )
    action = forms.ChoiceField(
        label="Action",
        choices=(),
        widget=forms.RadioSelect,
        help_text="The ballot supports both: give a notice for each.",
        error_messages={
            "required": "Choose the action this notice is for.",
            "invalid_choice": "Choose an action the ballot supports.",
        },
    )
    pattern = forms.ChoiceField(
        label="Continuous or discontinuous",
        choices=[
            (CONTINUOUS, "Continuous: from a day, with no end given"),
            (DISCONTINUOUS, "Discontinuous: on particular days"),
        ],
        widget=forms.RadioSelect,
        help_text="s.234A(3)(b).",
        error_messages={
            "required": "Say whether the action is continuous or on particular days.",
            "invalid_choice": "Choose continuous or discontinuous.",
        },
    )
    start_on = UkDateField(
        label="Continuous action: the day it begins",
        required=False,
        help_text="The intended day any of the affected employees begin to take part. "
        + DATE_HELP,
    )
    days = forms.CharField(
        label="Discontinuous action: the days of action",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One day a line, for example 14/01/2027.",
    )
    shorter_notice_agreed = forms.BooleanField(
        label="The employer has agreed to shorter notice",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        ballot: Ballot,
        actions: tuple[str, ...],
        timing: NoticeTiming,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
        field.queryset = _employers(ballot)
        if len(actions) > 1:
            action = self.fields["action"]
            assert isinstance(action, forms.ChoiceField)  # noqa: S101 - declared so
            action.choices = [(a, ACTION_LABELS[a]) for a in actions]
        else:
            del self.fields["action"]
        if timing.days_by_agreement is None:
            del self.fields["shorter_notice_agreed"]
        else:
            self.fields["shorter_notice_agreed"].help_text = (
                f"{timing.days_by_agreement} days' notice rather than {timing.days}, "
                f"as the {timing.regime_name} rules allow ({timing.cites})."
            )
            self.fields["shorter_notice_agreed"].widget.attrs["aria-describedby"] = (
                f"{self['shorter_notice_agreed'].auto_id}_helptext"
            )

    def clean_days(self) -> list[datetime.date]:
        text = str(self.cleaned_data.get("days") or "")
        days = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                days.append(parse_date(line))
            except InvalidValueError as error:
                raise forms.ValidationError(
                    f"“{line.strip()}” is not a day: {error} Give one day a line."
                ) from None
        if len(days) > DAYS_OF_ACTION_AT_MOST:
            raise forms.ValidationError(
                f"Give no more than {DAYS_OF_ACTION_AT_MOST} days in one notice: for "
                "longer action, make it continuous."
            )
        return sorted(set(days))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pattern = data.get("pattern")
        start_on, days = data.get("start_on"), data.get("days")
        if pattern == CONTINUOUS:
            if start_on is None and "start_on" not in self.errors:
                self.add_error(
                    "start_on", "Enter the day continuous action is to begin."
                )
            if days:
                self.add_error(
                    "days",
                    "Continuous action is given by the day it begins: leave the days "
                    "empty, or choose discontinuous.",
                )
        elif pattern == DISCONTINUOUS:
            if not days and "days" not in self.errors:
                self.add_error("days", "Enter the days of action, one a line.")
            if start_on is not None:
                self.add_error(
                    "start_on",
                    "Discontinuous action is given by its days: leave this empty, or "
                    "choose continuous.",
                )
        today = timezone.localdate()
        for name, when in (
            ("start_on", [start_on] if start_on else []),
            ("days", days or []),
        ):
            if name not in self.errors and any(day < today for day in when):
                self.add_error(name, "A day of action cannot be in the past.")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        continuous = data["pattern"] == CONTINUOUS
        return {
            "employer": data["employer"],
            "continuous": continuous,
            "start_on": data["start_on"] if continuous else None,
            "days": () if continuous else data["days"],
            "action": data.get("action") or None,
            "shorter_notice_agreed": bool(data.get("shorter_notice_agreed")),
        }


class NoticeFilters(DescribedFields):
    employer = EmployerChoiceField(
        label="Employer",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="Every employer",
        error_messages={"invalid_choice": "Choose an employer from the list."},
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
        field.queryset = _employers(ballot)


# --- The mandate --------------------------------------------------------------------------


def _action_names(actions: tuple[str, ...]) -> list[str]:
    return [ACTION_LABELS[a] for a in actions]


def _strike_days(request: HttpRequest, ballot: Ballot) -> dict[str, Any]:
    """The action app's pages for this ballot: its periods of action (with their
    picket lines and participation), and whether this user may call one."""
    user = _user(request)
    return {
        "in_action_app": action_selectors.ballots_for_action(user=user)
        .filter(pk=ballot.pk)
        .exists(),
        "periods": list(
            action_selectors.periods_visible_to(user=user)
            .filter(ballot=ballot)
            .order_by("starts_at", "pk")
        ),
        "may_call": action_selectors.ballots_action_managed_by(user=user)
        .filter(pk=ballot.pk)
        .exists(),
    }


def ballot_mandate(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    user = _user(request)
    state = selectors.ballot_mandate(ballot=ballot)
    regime = law.regime_for(opening_on=ballot.opening_on)
    page = None
    rows = []
    if ballot.is_statutory and state.has_result:
        page = Paginator(_employers(ballot), EMPLOYERS_PER_PAGE).get_page(
            _page_number(request)
        )
        employers = list(page.object_list)
        extensions = {
            e.employer_id: e
            for e in ballot.mandate_extensions.filter(employer__in=employers)
        }
        counts: dict[int, tuple[int, int]] = {
            row["employer_id"]: (row["prepared"], row["given"])
            for row in selectors.action_notices(ballot=ballot)
            .filter(employer__in=employers)
            .order_by()
            .values("employer_id")
            .annotate(
                prepared=Count("id"),
                given=Count("id", filter=Q(given_on__isnull=False)),
            )
        }
        rows = [
            {
                "employer": employer,
                "state": selectors.ballot_mandate(ballot=ballot, employer=employer),
                "extension": extensions.get(employer.pk),
                "prepared": counts.get(employer.pk, (0, 0))[0],
                "given": counts.get(employer.pk, (0, 0))[1],
            }
            for employer in employers
        ]
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_mandate.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "state": state,
            "actions": _action_names(state.actions),
            "regime": regime,
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "can_change": support.may_change(user=user, dispute=ballot.dispute),
            "timing": notice_timing(ballot=ballot, received_on=timezone.localdate()),
            **_strike_days(request, ballot),
        },
    )


def ballot_mandate_extend(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    regime = law.regime_for(opening_on=ballot.opening_on)
    initial: dict[str, Any] = {"agreed_on": timezone.localdate()}
    if request.method != "POST" and request.GET.get("employer", "").isdigit():
        initial["employer"] = int(request.GET["employer"])
    form = ExtensionForm(
        request.POST if request.method == "POST" else None,
        ballot=ballot,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        employer = form.cleaned_data["employer"]
        try:
            extension = services.mandate_extension_record(
                ballot=ballot,
                employer=employer,
                agreed_on=form.cleaned_data["agreed_on"],
                note=form.cleaned_data["note"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The mandate for the action of {employer.name}'s employees now lasts "
                f"until {_uk(extension.expires_on)}.",
            )
            return redirect("backoffice_ballot_mandate", ballot.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/mandate_extend.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "form": form,
            "regime": regime,
            "state": selectors.ballot_mandate(ballot=ballot),
            "allowed": regime.mandate_if_extended.value is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Notices of industrial action ----------------------------------------------------------


def action_notice_list(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    user = _user(request)
    filters = NoticeFilters(request.GET, ballot=ballot)
    context: dict[str, Any] = {
        "ballot": ballot,
        "dispute": ballot.dispute,
        "filters": filters,
        "state": selectors.ballot_mandate(ballot=ballot),
        "can_change": support.may_change(user=user, dispute=ballot.dispute),
    }
    if not filters.is_valid():
        return TemplateResponse(
            request, f"{TEMPLATES}/action_notice_list.html", context, status=400
        )
    employer = filters.cleaned_data["employer"]
    notices = selectors.action_notices(ballot=ballot, employer=employer).order_by(
        "employer__name", "first_day", "id"
    )
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(_page_number(request))
    context.update(
        page=page,
        rows=list(page.object_list),
        query=f"employer={employer.pk}&" if employer else "",
        action_labels=ACTION_LABELS,
    )
    return TemplateResponse(request, f"{TEMPLATES}/action_notice_list.html", context)


def action_notice_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    today = timezone.localdate()
    state = selectors.ballot_mandate(ballot=ballot)
    timing = notice_timing(ballot=ballot, received_on=today)
    initial: dict[str, Any] = {"pattern": DISCONTINUOUS}
    if request.method != "POST" and request.GET.get("employer", "").isdigit():
        initial["employer"] = int(request.GET["employer"])
    form = ActionNoticeForm(
        request.POST if request.method == "POST" else None,
        ballot=ballot,
        actions=state.actions,
        timing=timing,
        initial=initial,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.action_notice_prepare(
                ballot=ballot, by=_user(request), **form.service_arguments()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The notice of industrial action to {notice.employer.name} is "
                "prepared: download it, give it, then record the day it was received.",
            )
            return redirect("backoffice_action_notice_detail", ballot.pk, notice.pk)
    if not state.has_mandate:
        problems = list(state.reasons) or ["The ballot gives no mandate."]
    return TemplateResponse(
        request,
        f"{TEMPLATES}/action_notice_form.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "form": form,
            "state": state,
            "actions": _action_names(state.actions),
            "timing": timing,
            "no_mandate": problems,
        },
        status=400 if request.method == "POST" else 200,
    )


def _detail_page(
    request: HttpRequest,
    ballot: Ballot,
    notice: ActionNotice,
    *,
    form: GivenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    latest = latest_receipt(
        ballot=ballot,
        first_day=notice.first_day,
        shorter_notice_agreed=notice.shorter_notice_agreed,
    )
    today = timezone.localdate()
    result_given = (
        selectors.result_notices(ballot=ballot)
        .filter(employer=notice.employer, given_on__isnull=False)
        .first()
    )
    if form is None and notice.given_on is None:
        form = GivenForm(prefix="given", initial={"given_on": min(today, latest.day)})
    return TemplateResponse(
        request,
        f"{TEMPLATES}/action_notice_detail.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "notice": notice,
            "content": notice.content,
            "days": [datetime.date.fromisoformat(d) for d in notice.days],
            # The notice the employer had, as against the period it needed.
            "days_before": (notice.first_day - notice.given_on).days
            if notice.given_on
            else None,
            "action_label": ACTION_LABELS.get(notice.action, notice.action),
            "latest": latest,
            "too_late": notice.given_on is None and latest.day < today,
            "result_given": result_given,
            "state": selectors.ballot_mandate(ballot=ballot, employer=notice.employer),
            "form": form,
            "can_change": support.may_change(user=user, dispute=ballot.dispute),
            **_strike_days(request, ballot),
        },
        status=status,
    )


def action_notice_detail(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    return _detail_page(request, ballot, _notice(ballot, notice_pk))


@require_POST
def action_notice_given(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    notice = _notice(ballot, notice_pk)
    form = GivenForm(request.POST, prefix="given")
    if form.is_valid():
        try:
            services.action_notice_record_given(
                notice=notice, given_on=form.cleaned_data["given_on"], by=_user(request)
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The notice of industrial action is recorded as given to "
                f"{notice.employer.name} on {_uk(form.cleaned_data['given_on'])}.",
            )
            return redirect("backoffice_action_notice_detail", ballot.pk, notice.pk)
    return _detail_page(request, ballot, notice, form=form, status=400)


def _file_stem(ballot: Ballot, notice: ActionNotice) -> str:
    employer = slugify(notice.employer.name) or str(notice.employer_id)
    return f"notice-of-action-{ballot.pk}-{employer}-{notice.first_day:%Y-%m-%d}"


def action_notice_pdf(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _notice(ballot, notice_pk)
    return _download(
        documents.action_notice_pdf(notice=notice),
        filename=f"{_file_stem(ballot, notice)}.pdf",
        content_type="application/pdf",
    )


def action_notice_text(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _notice(ballot, notice_pk)
    return _download(
        notice.text,
        filename=f"{_file_stem(ballot, notice)}.txt",
        content_type="text/plain; charset=utf-8",
    )


# --- Hooks ---------------------------------------------------------------------------------


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    ballot = "disputes/ballots/<int:pk>/"
    notices = ballot + "action-notices/"
    notice = notices + "<int:notice_pk>/"
    return [
        path(ballot + "mandate/", ballot_mandate, name="backoffice_ballot_mandate"),
        path(
            ballot + "mandate/extend/",
            ballot_mandate_extend,
            name="backoffice_ballot_mandate_extend",
        ),
        path(notices, action_notice_list, name="backoffice_action_notice_list"),
        path(
            notices + "new/",
            action_notice_prepare,
            name="backoffice_action_notice_prepare",
        ),
        path(notice, action_notice_detail, name="backoffice_action_notice_detail"),
        path(
            notice + "given/",
            action_notice_given,
            name="backoffice_action_notice_given",
        ),
        path(
            notice + "notice.pdf",
            action_notice_pdf,
            name="backoffice_action_notice_pdf",
        ),
        path(
            notice + "notice.txt",
            action_notice_text,
            name="backoffice_action_notice_text",
        ),
    ]
