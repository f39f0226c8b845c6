"""Back office: one member's page, their access log, and the edits staff and branch
officers make to it (contact details, jobs, positions, an invitation to sign in; for
HQ staff also the membership's terms and a resignation).

Every view fetches the membership through the members selectors, so a record out of
the user's scope is a 404, the same as one that does not exist; every change goes
through the same services the portal uses, which write the member's history.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks

from tolpuddle.backoffice.forms import (
    EmployerChoiceForm,
    JobChangeForm,
    JobEndForm,
    JobStartForm,
    MemberDetailsForm,
    MembershipTermsForm,
    PositionEndForm,
    PositionStartForm,
    ResignationForm,
)
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.members import selectors, services
from tolpuddle.members.forms import MyDetailsForm
from tolpuddle.members.models import (
    AccessAction,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipQuerySet,
    MembershipStatus,
    PaymentMethod,
    Position,
    Workplace,
)
from tolpuddle.members.normalise import format_phone

TEMPLATES = "backoffice/member_page"
HISTORY_PER_PAGE = 50
ACCESSES_PER_PAGE = 50
PAST_JOBS_SHOWN = 100
POSITIONS_SHOWN = 100


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_admin_urls() -> list[URLPattern]:
    return [
        path("members/<int:pk>/", member_detail, name="backoffice_member"),
        path(
            "members/<int:pk>/access-log/",
            member_access_log,
            name="backoffice_member_access_log",
        ),
        path(
            "members/<int:pk>/details/",
            member_details_edit,
            name="backoffice_member_details",
        ),
        path(
            "members/<int:pk>/jobs/new/",
            member_job_new,
            name="backoffice_member_job_new",
        ),
        path(
            "members/<int:pk>/jobs/<int:employment_pk>/end/",
            member_job_end,
            name="backoffice_member_job_end",
        ),
        path(
            "members/<int:pk>/jobs/<int:employment_pk>/change/",
            member_job_change,
            name="backoffice_member_job_change",
        ),
        path(
            "members/<int:pk>/positions/new/",
            member_position_new,
            name="backoffice_member_position_new",
        ),
        path(
            "members/<int:pk>/positions/<int:position_pk>/end/",
            member_position_end,
            name="backoffice_member_position_end",
        ),
        path(
            "members/<int:pk>/membership/",
            member_terms_edit,
            name="backoffice_member_terms",
        ),
        path(
            "members/<int:pk>/resign/", member_resign, name="backoffice_member_resign"
        ),
        path(
            "members/<int:pk>/invite/", member_invite, name="backoffice_member_invite"
        ),
    ]


# --- Fetching ---------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The signed-in user (Wagtail's admin lets nobody else in)."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin requires a sign-in
        raise Http404
    return user


def _with_person(memberships: MembershipQuerySet) -> MembershipQuerySet:
    return memberships.select_related(
        "person", "person__user", "branch", "branch__region"
    )


def _visible(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        _with_person(selectors.memberships_visible_to(user=_user(request))), pk=pk
    )


def _changeable(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        _with_person(selectors.memberships_changeable_by(user=_user(request))), pk=pk
    )


def _changeable_by_hq(request: HttpRequest, pk: int) -> Membership:
    """For the edits only HQ membership staff make (scope ``change_all``)."""
    if not selectors.register_scope_for(user=_user(request)).change_all:
        raise Http404
    return _changeable(request, pk)


def _positions_changeable(request: HttpRequest, pk: int) -> Membership:
    """A member whose positions the user may start and end
    (``selectors.memberships_positions_changeable_by``); anyone else is a 404."""
    return get_object_or_404(
        _with_person(
            selectors.memberships_positions_changeable_by(user=_user(request))
        ),
        pk=pk,
    )


def _member_url(membership: Membership) -> str:
    return reverse("backoffice_member", args=[membership.pk])


def _record_view(request: HttpRequest, membership: Membership, page: str) -> None:
    services.personal_data_access_record(
        user=_user(request),
        action=AccessAction.VIEWED,
        membership=membership,
        detail={"page": page},
    )


def _record_form_view(request: HttpRequest, membership: Membership, page: str) -> None:
    """Opening a form shows the member's data, so it is logged like the page; the
    form sent back (a POST) is the same look and is not logged again."""
    if request.method != "POST":
        _record_view(request, membership, page)


def _page_number(request: HttpRequest, name: str = "page") -> int:
    try:
        return max(1, int(request.GET.get(name, "1")))
    except ValueError:
        return 1


def _paginate(items: Any, per_page: int, number: int) -> Page[Any]:
    paginator = Paginator(items, per_page)
    return paginator.get_page(number)


# --- The member's page ------------------------------------------------------------


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _visible(request, pk)
    user = _user(request)
    scope = selectors.register_scope_for(user=user)
    can_change = (
        selectors.memberships_changeable_by(user=user).filter(pk=membership.pk).exists()
    )
    _record_view(request, membership, "member page")
    today = timezone.localdate()
    person = membership.person
    jobs = Employment.objects.filter(membership=membership).select_related(
        "employer", "workplace"
    )
    positions = Position.objects.filter(membership=membership).select_related(
        "role", "branch", "workplace", "workplace__employer"
    )
    can_change_positions = can_change and selectors.membership_positions_changeable(
        user=user, membership=membership
    )
    endable_positions = (
        set(
            selectors.positions_changeable_by(user=user)
            .filter(membership=membership)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .values_list("pk", flat=True)
        )
        if can_change_positions
        else set()
    )
    history = _paginate(
        MembershipEvent.objects.filter(membership=membership)
        .select_related("actor")
        .order_by("-effective_on", "-id"),
        HISTORY_PER_PAGE,
        _page_number(request),
    )
    sign_in = person.user
    context = {
        "membership": membership,
        "person": person,
        "phone": format_phone(person.phone),
        "address": [
            line
            for line in (
                person.address_line_1,
                person.address_line_2,
                person.town,
                person.postcode,
            )
            if line
        ],
        "rate": selectors.subscription_rate_for(membership=membership),
        # A member holds a few jobs and positions; the lists are capped all the same.
        "current_jobs": jobs.exclude(ended_on__lt=today).order_by("started_on")[
            :PAST_JOBS_SHOWN
        ],
        "past_jobs": jobs.filter(ended_on__lt=today).order_by("-ended_on")[
            :PAST_JOBS_SHOWN
        ],
        "current_positions": positions.filter(started_on__lte=today)
        .exclude(ended_on__lt=today)
        .order_by("role__name")[:POSITIONS_SHOWN],
        "other_positions": positions.filter(
            Q(ended_on__lt=today) | Q(started_on__gt=today)
        ).order_by("-started_on")[:POSITIONS_SHOWN],
        "history": history,
        "timeline": [_timeline_entry(event) for event in history],
        "resignation": services.membership_resignation_pending(membership=membership),
        "sign_in": sign_in,
        "sign_in_verified": sign_in is not None
        and EmailAddress.objects.filter(user=sign_in, verified=True).exists(),
        "today": today,
        "can_change": can_change,
        "can_change_terms": scope.change_all,
        "can_change_positions": can_change_positions,
        "can_start_position": can_change_positions
        and membership.status == MembershipStatus.ACTIVE,
        "endable_positions": endable_positions,
        "members_url": reverse("backoffice_members"),
        "can_resign": scope.change_all and membership.status == MembershipStatus.ACTIVE,
        "can_read_access_log": scope.see_all,
        "can_invite": can_change and membership.status == MembershipStatus.ACTIVE,
    }
    return TemplateResponse(request, f"{TEMPLATES}/member.html", context)


# --- The history, as people read it -------------------------------------------------

FIELD_LABELS = {
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town",
    "postcode": "Postcode",
    "date_of_birth": "Date of birth",
    "category": "Category",
    "branch": "Branch",
    "payment_method": "Payment method",
    "employer": "Employer",
    "workplace": "Workplace",
    "job_category": "Job",
    "hours": "Hours a week",
    "pay_band": "Pay band",
    "status": "Status",
    "joined_on": "Joined",
    "left_on": "Left",
}


CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "category": dict(MembershipCategory.choices),
    "payment_method": dict(PaymentMethod.choices),
}


def _readable_date(value: str) -> str:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _readable(name: str, value: Any) -> str:
    """One value from the history's JSON, as a person writes it."""
    if value is None or value == "":
        return "nothing"
    if isinstance(value, dict):
        return str(value.get("name", value.get("id", "")))
    if isinstance(value, str):
        value = CHOICE_LABELS.get(name, {}).get(value, value)
    if name == "phone":
        try:
            return format_phone(str(value))
        except Exception:  # noqa: BLE001 - an odd old value is shown as recorded
            return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        return _readable_date(value)
    return str(value)


def _changes(changed: dict[str, Any]) -> list[str]:
    lines = []
    for name, values in changed.items():
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        if isinstance(values, list | tuple) and len(values) == 2:
            old, new = values
            lines.append(
                f"{label}: from {_readable(name, old)} to {_readable(name, new)}"
            )
        else:
            lines.append(f"{label}: {_readable(name, values)}")
    return lines


def _job(data: dict[str, Any]) -> str:
    text = f"{data.get('job_category') or 'Job'} at {data.get('employer', '')}"
    if data.get("workplace"):
        text += f", {data['workplace']}"
    if data.get("hours"):
        text += f", {data['hours']} hours a week"
    if data.get("pay_band"):
        text += f", {data['pay_band']}"
    return text


def event_summary(event: MembershipEvent) -> list[str]:  # noqa: PLR0911 - one return per kind
    """What a history entry's details say, in lines a person can read."""
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    if kind in (
        MembershipEventKind.EMPLOYMENT_STARTED,
        MembershipEventKind.EMPLOYMENT_ENDED,
    ):
        return [_job(data)]
    if kind == MembershipEventKind.TRANSFERRED:
        return [
            f"From {data.get('from_employer', '')}"
            + (f" ({data['from_workplace']})" if data.get("from_workplace") else "")
            + f" to {data.get('to_employer', '')}"
            + (f" ({data['to_workplace']})" if data.get("to_workplace") else "")
        ]
    if kind == MembershipEventKind.ARREARS_RECORDED:
        return [f"From £{data.get('from', '0.00')} to £{data.get('to', '0.00')}"]
    if kind == MembershipEventKind.LAPSED and "arrears" in data:
        return [f"Arrears of £{data['arrears']}"]
    if kind == MembershipEventKind.APPROVED and "membership_number" in data:
        return [f"Membership number {data['membership_number']}"]
    if kind in (
        MembershipEventKind.POSITION_STARTED,
        MembershipEventKind.POSITION_ENDED,
    ):
        return [str(data.get("role", ""))]
    if kind == MembershipEventKind.SIGN_IN_INVITED:
        return [f"Email sent to {data.get('email', '')}"]
    if kind == MembershipEventKind.SIGN_IN_LINKED:
        how = f" (by {data['how']})" if data.get("how") else ""
        return [f"Sign-in {data.get('email', '')}{how}"]
    lines = []
    if data.get("source"):
        line = f", line {data['line']}" if data.get("line") else ""
        lines.append(f"From {data['source']}{line}")
    if isinstance(data.get("changed"), dict):
        lines.extend(_changes(data["changed"]))
    shown = {"source", "line", "changed", "employment", "previous", "position"}
    lines.extend(
        f"{FIELD_LABELS.get(key, key.replace('_', ' ').capitalize())}: {_readable(key, value)}"
        for key, value in data.items()
        if key not in shown
    )
    return lines


def _timeline_entry(event: MembershipEvent) -> dict[str, Any]:
    status = ""
    if event.status_to:
        status = (
            f"{event.get_status_from_display()} to {event.get_status_to_display()}"
            if event.status_from
            else event.get_status_to_display()
        )
    actor = event.actor
    return {
        "event": event,
        "status": status,
        "actor": (actor.get_full_name() or actor.email or actor.username)
        if actor is not None
        else "The system",
        "summary": event_summary(event),
    }


# --- Who has looked at this record ----------------------------------------------


def member_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """For HQ staff only: who has looked at or exported this member's record."""
    if not selectors.register_scope_for(user=_user(request)).see_all:
        raise Http404
    membership = _visible(request, pk)
    accesses = _paginate(
        selectors.accesses_to(membership=membership),
        ACCESSES_PER_PAGE,
        _page_number(request),
    )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/access_log.html",
        {"membership": membership, "person": membership.person, "accesses": accesses},
    )


# --- Edits ------------------------------------------------------------------------


def _change_details(
    request: HttpRequest, membership: Membership, form: Any, *, saved: str
) -> HttpResponse | None:
    """Save a valid details form through the service: the redirect back to the
    member on success, or None with the service's refusal added to the form."""
    changes = dict(form.cleaned_data)
    reason = changes.pop("reason")
    try:
        services.membership_change_details(
            membership=membership,
            actor=_user(request),
            reason=reason or "Changed in the back office",
            **changes,
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, saved)
    return redirect(_member_url(membership))


def member_details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _changeable(request, pk)
    person = membership.person
    initial = {name: getattr(person, name) for name in MyDetailsForm.base_fields}
    initial["phone"] = format_phone(person.phone)
    form = MemberDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _change_details(
            request,
            membership,
            form,
            saved=f"{person}'s contact details have been saved.",
        )
        if saved is not None:
            return saved
    _record_form_view(request, membership, "contact details form")
    return _form_response(
        request,
        "details_form.html",
        membership,
        form,
        title="Change contact details",
    )


def member_job_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new job: first the employer (so that only its workplaces are listed,
    without JavaScript), then the rest."""
    membership = _changeable(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    choice = EmployerChoiceForm(source if "employer" in source else None)
    if not choice.is_valid():
        _record_form_view(request, membership, "start a job form")
        return _form_response(
            request,
            "job_new.html",
            membership,
            choice,
            title="Start a job",
            status=400 if request.method == "POST" else 200,
        )
    employer = choice.cleaned_data["employer"]
    form = JobStartForm(
        request.POST if request.method == "POST" else None,
        employer=employer,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employment_start(
                membership=membership,
                employer=employer,
                workplace=data["workplace"],
                job_category=data["job_category"],
                hours=data["hours"],
                pay_band=data["pay_band"],
                started_on=data["started_on"],
                actor=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The job at {employer} has been recorded.")
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "start a job form")
    return _form_response(
        request,
        "job_new.html",
        membership,
        form,
        title="Start a job",
        employer=employer,
    )


def member_job_end(request: HttpRequest, pk: int, employment_pk: int) -> HttpResponse:
    membership = _changeable(request, pk)
    employment = get_object_or_404(
        Employment.objects.select_related("employer", "workplace"),
        pk=employment_pk,
        membership=membership,
        ended_on__isnull=True,
    )
    form = JobEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_end(
                employment=employment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=_user(request),
            )
        except ApplicationError as error:
            form.add_error("ended_on", error.message)
        else:
            messages.success(
                request, f"The job at {employment.employer} has been ended."
            )
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "end a job form")
    return _form_response(
        request,
        "job_end.html",
        membership,
        form,
        title="End a job",
        employment=employment,
    )


def member_job_change(
    request: HttpRequest, pk: int, employment_pk: int
) -> HttpResponse:
    """Change a current job from a date (``services.employment_change``): the old
    record ends the day before, so the history keeps what it was."""
    membership = _changeable(request, pk)
    today = timezone.localdate()
    employment = get_object_or_404(
        Employment.objects.select_related("employer", "workplace").filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        ),
        pk=employment_pk,
        membership=membership,
    )
    form = JobChangeForm(
        request.POST or None,
        employment=employment,
        initial={
            "workplace": employment.workplace,
            "job_category": employment.job_category,
            "hours": employment.hours,
            "pay_band": employment.pay_band,
            "effective_on": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employment_change(
                employment=employment,
                effective_on=data["effective_on"],
                actor=_user(request),
                reason=data["reason"] or "Changed in the back office",
                workplace=data["workplace"],
                job_category=data["job_category"],
                hours=data["hours"],
                pay_band=data["pay_band"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"The job at {employment.employer} has been changed."
            )
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "change a job form")
    return _form_response(
        request,
        "job_change.html",
        membership,
        form,
        title="Change a job",
        employment=employment,
    )


def member_position_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A member takes up a position. HQ staff may assign any role anywhere; a branch
    officer a branch role in their branch, or a workplace role to a member of it."""
    membership = _positions_changeable(request, pk)
    user = _user(request)
    today = timezone.localdate()
    roles = selectors.roles_assignable_by(user=user)
    branches = selectors.branches_assignable_by(user=user)
    workplaces = (
        Workplace.objects.filter(
            employments__in=Employment.objects.filter(membership=membership).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=today)
            )
        )
        .select_related("employer")
        .distinct()
        .order_by("name")
    )
    form = PositionStartForm(
        request.POST or None,
        roles=roles,
        branches=branches,
        workplaces=workplaces,
        initial={"started_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            position = services.position_start(
                membership=membership,
                role=data["role"],
                branch=data["branch"],
                workplace=data["workplace"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                actor=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{membership.person} now holds the position {position.role}."
            )
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "start a position form")
    return _form_response(
        request,
        "position_new.html",
        membership,
        form,
        title="Start a position",
        in_good_standing=membership.status == MembershipStatus.ACTIVE,
    )


def member_position_end(
    request: HttpRequest, pk: int, position_pk: int
) -> HttpResponse:
    """End a term early or on its last day (``services.position_end``). Only a
    position of this member, not yet over, that the user may change; else a 404."""
    membership = _positions_changeable(request, pk)
    today = timezone.localdate()
    position = get_object_or_404(
        selectors.positions_changeable_by(user=_user(request))
        .select_related("role", "branch", "workplace")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today)),
        pk=position_pk,
        membership=membership,
    )
    form = PositionEndForm(request.POST or None, initial={"ended_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_end(
                position=position,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=_user(request),
            )
        except ApplicationError as error:
            form.add_error("ended_on", error.message)
        else:
            messages.success(
                request, f"{membership.person}'s term as {position.role} has ended."
            )
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "end a position form")
    return _form_response(
        request,
        "position_end.html",
        membership,
        form,
        title="End a position",
        position=position,
    )


TERMS_PERSON_FIELDS = ("title", "first_name", "last_name", "date_of_birth")
TERMS_MEMBERSHIP_FIELDS = ("category", "branch", "payment_method")


def member_terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The membership's category, branch and payment method, and the member's names
    and date of birth. HQ membership staff only; everyone else gets a 404."""
    membership = _changeable_by_hq(request, pk)
    person = membership.person
    initial: dict[str, Any] = {
        **{name: getattr(person, name) for name in TERMS_PERSON_FIELDS},
        **{name: getattr(membership, name) for name in TERMS_MEMBERSHIP_FIELDS},
    }
    form = MembershipTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if all(form.cleaned_data[name] == initial[name] for name in initial):
            form.add_error(None, "Nothing has changed: change something, or cancel.")
        else:
            saved = _change_details(
                request,
                membership,
                form,
                saved=f"{person}'s membership has been saved.",
            )
            if saved is not None:
                return saved
    _record_form_view(request, membership, "membership form")
    return _form_response(
        request,
        "terms_form.html",
        membership,
        form,
        title="Change membership, name and date of birth",
    )


def member_resign(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a resignation, confirming the member's request if they made one. HQ
    membership staff only."""
    if not selectors.register_scope_for(user=_user(request)).change_all:
        raise Http404
    membership = _changeable(request, pk)
    pending = services.membership_resignation_pending(membership=membership)
    initial: dict[str, Any] = {"leaving_on": timezone.localdate()}
    if pending is not None:
        initial = {"leaving_on": pending.effective_on, "reason": pending.reason}
    form = ResignationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_resign(
                membership=membership,
                actor=_user(request),
                on=form.cleaned_data["leaving_on"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{membership.person}'s resignation has been recorded."
            )
            return redirect(_member_url(membership))
    _record_form_view(request, membership, "resignation form")
    return _form_response(
        request,
        "resign.html",
        membership,
        form,
        title="Confirm resignation" if pending else "Record a resignation",
        pending=pending,
        today=timezone.localdate(),
    )


@require_POST
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _changeable(request, pk)
    try:
        user = services.sign_in_invite(membership=membership, actor=_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{membership.person} has been emailed at {user.email} "
            "with a link to choose a password.",
        )
    return redirect(_member_url(membership))


def _form_response(
    request: HttpRequest,
    template: str,
    membership: Membership,
    form: Any,
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
        {
            "membership": membership,
            "person": membership.person,
            "form": form,
            "title": title,
            "member_url": _member_url(membership),
            **extra,
        },
        status=status,
    )
