"""Back office: the queue of applications to join, for HQ membership staff.

Staff see each application with the job the applicant typed and any other record
that may be the same person, then approve it (the service allocates the number and
emails a welcome) or decline it with a reason (the applicant is told). Anyone
without HQ scope gets a 404 and no menu item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from tolpuddle.backoffice.sidebar import sidebar_forget
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.members import selectors, services
from tolpuddle.members.models import (
    AccessAction,
    Employment,
    Membership,
    MembershipEventKind,
    MembershipStatus,
)

APPLICATIONS_PER_PAGE = 25
# The menu shows how many applications wait; counting them scans the memberships,
# so the number is kept for a minute (and forgotten when staff decide one).
WAITING_COUNT_KEY = "backoffice:applications-waiting"
WAITING_COUNT_SECONDS = 60

LIST_TEMPLATE = "backoffice/applications/application_list.html"
DETAIL_TEMPLATE = "backoffice/applications/application_detail.html"


def _hq_user(request: HttpRequest) -> User:
    """The queue is HQ's: everyone else gets the same 404 as for a missing page."""
    user = request.user
    if (
        not isinstance(user, User)
        or not selectors.register_scope_for(user=user).change_all
    ):
        raise Http404
    return user


def _applicant_jobs() -> Prefetch[Any]:
    return Prefetch(
        "employments",
        queryset=Employment.objects.select_related("employer", "workplace").order_by(
            "started_on", "pk"
        ),
    )


def waiting_count() -> int:
    count = cache.get(WAITING_COUNT_KEY)
    if count is None:
        count = selectors.applications_waiting().count()
        cache.set(WAITING_COUNT_KEY, count, WAITING_COUNT_SECONDS)
    return int(count)


def _forget_waiting_count() -> None:
    cache.delete(WAITING_COUNT_KEY)
    sidebar_forget()  # the menu shows the number


@dataclass(frozen=True)
class ApplicationRow:
    membership: Membership
    duplicates: list[selectors.PossibleDuplicate]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is the application declined?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The applicant is sent this in an email.",
        error_messages={
            "required": "Say why the application is declined; the applicant is told."
        },
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(
                "Say why the application is declined; the applicant is told."
            )
        return reason


def application_list(request: HttpRequest) -> HttpResponse:
    user = _hq_user(request)
    paginator = Paginator(selectors.applications_waiting(), APPLICATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    applications = list(page.object_list)
    prefetch_related_objects(applications, _applicant_jobs())
    rows = [
        ApplicationRow(
            membership=membership,
            duplicates=selectors.application_possible_duplicates(membership=membership),
        )
        for membership in applications
    ]
    # The queue shows applicants' names, emails and jobs: one entry for the page.
    services.personal_data_list_record(
        user=user,
        list_name="applications",
        page=page.number,
        filters={},
        rows=len(rows),
    )
    return TemplateResponse(
        request, LIST_TEMPLATE, {"page": page, "rows": rows, "paginator": paginator}
    )


def _application(request: HttpRequest, pk: int) -> tuple[User, Membership]:
    user = _hq_user(request)
    visible = selectors.memberships_visible_to(user=user)
    membership = get_object_or_404(
        visible.select_related("person", "branch").prefetch_related(_applicant_jobs()),
        pk=pk,
    )
    return user, membership


def _typed_by_applicant(membership: Membership) -> dict[str, str]:
    """What the applicant typed because it was not in the register's lists."""
    applied = (
        membership.events.filter(kind=MembershipEventKind.APPLIED)
        .values_list("data", flat=True)
        .first()
    )
    data = applied or {}
    return {
        key: str(data[key])
        for key in ("employer_typed", "workplace_typed")
        if key in data
    }


def _detail(
    request: HttpRequest, membership: Membership, decline_form: DeclineForm
) -> TemplateResponse:
    return TemplateResponse(
        request,
        DETAIL_TEMPLATE,
        {
            "membership": membership,
            "person": membership.person,
            "is_waiting": membership.status == MembershipStatus.APPLICANT,
            "duplicates": selectors.application_possible_duplicates(
                membership=membership
            ),
            "typed": _typed_by_applicant(membership),
            "decline_form": decline_form,
        },
    )


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = _application(request, pk)
    services.personal_data_access_record(
        user=user,
        action=AccessAction.VIEWED,
        membership=membership,
        detail={"page": "application"},
    )
    return _detail(request, membership, DeclineForm())


@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = _application(request, pk)
    try:
        membership = services.membership_approve(membership=membership, actor=user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("backoffice_application", args=[pk]))
    _forget_waiting_count()
    emailed = (
        " A welcome email with a link to choose a password is on its way."
        if membership.person.email
        else " There is no email address, so no welcome email was sent."
    )
    messages.success(
        request,
        f"Approved: {membership.person} is member {membership.membership_number}."
        + emailed,
    )
    return HttpResponseRedirect(reverse("backoffice_applications"))


@require_POST
def application_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = _application(request, pk)
    form = DeclineForm(request.POST)
    if membership.status != MembershipStatus.APPLICANT:
        messages.error(
            request,
            "This application has already been decided: the record is "
            f"{membership.get_status_display().lower()}.",
        )
        return HttpResponseRedirect(reverse("backoffice_application", args=[pk]))
    if not form.is_valid():
        return _detail(request, membership, form)
    try:
        services.membership_decline(
            membership=membership,
            actor=user,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        form.add_error("reason", error.message)
        return _detail(request, membership, form)
    _forget_waiting_count()
    told = (
        " They have been sent an email with your reason."
        if membership.person.email
        else " There is no email address, so they were not emailed."
    )
    messages.success(
        request, f"Declined the application from {membership.person}." + told
    )
    return HttpResponseRedirect(reverse("backoffice_applications"))


class ApplicationsMenuItem(MenuItem):  # type: ignore[misc]
    """Shown to HQ staff only, with the number of applications waiting."""

    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.register_scope_for(user=request.user).change_all

    def render_component(self, request: HttpRequest) -> Any:
        count = waiting_count()
        return LinkMenuItemComponent(
            self.name,
            f"Applications ({count})" if count else "Applications",
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[Any]:
    return [
        path("applications/", application_list, name="backoffice_applications"),
        path(
            "applications/<int:pk>/",
            application_detail,
            name="backoffice_application",
        ),
        path(
            "applications/<int:pk>/approve/",
            application_approve,
            name="backoffice_application_approve",
        ),
        path(
            "applications/<int:pk>/decline/",
            application_decline,
            name="backoffice_application_decline",
        ),
    ]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return ApplicationsMenuItem(
        "Applications",
        reverse("backoffice_applications"),
        name="applications",
        icon_name="form",
        order=210,
    )
