"""The member portal: a member's own membership."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.core.pdf import pdf_from_html
from tolpuddle.members import selectors, services
from tolpuddle.members.forms import (
    JoinForm,
    MyDetailsForm,
    MyJobChangeForm,
    MyJobEndForm,
    MyJobForm,
    ResignForm,
)
from tolpuddle.members.models import (
    Employment,
    Membership,
    MembershipStatus,
    PaymentMethod,
    Workplace,
)
from tolpuddle.members.normalise import format_phone


def _own_membership(user: User) -> Membership | None:
    return (
        Membership.objects.select_related("person", "branch", "branch__region")
        .filter(person__user=user)
        .first()
    )


MemberView = Callable[..., HttpResponse]


def member_required(view: MemberView) -> Callable[..., HttpResponse]:
    """Sign-in required, then the signed-in member's own membership is passed to the
    view (before any URL arguments); a sign-in without one is told so (404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101 - login_required
        membership = _own_membership(request.user)
        if membership is None:
            return TemplateResponse(request, "members/no_membership.html", status=404)
        return view(request, membership, **kwargs)

    return wrapper


@member_required
def my_membership(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "membership": membership,
        "person": membership.person,
        "phone": format_phone(membership.person.phone),
        "jobs": Employment.objects.current_on(today)
        .filter(membership=membership)
        .select_related("employer", "workplace"),
        "past_jobs": Employment.objects.filter(
            membership=membership, ended_on__lt=today
        )
        .select_related("employer", "workplace")
        .order_by("-ended_on"),
        "rate": selectors.subscription_rate_for(membership=membership),
        "resignation": services.membership_resignation_pending(membership=membership),
    }
    return TemplateResponse(request, "members/my_membership.html", context)


@member_required
def my_details(request: HttpRequest, membership: Membership) -> HttpResponse:
    person = membership.person
    initial = {name: getattr(person, name) for name in MyDetailsForm.base_fields}
    initial["phone"] = format_phone(person.phone)
    form = MyDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_details(
                membership=membership,
                actor=membership.person.user,  # the signed-in member
                reason="Changed by the member in the portal",
                **form.cleaned_data,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your details have been saved.")
            return redirect("members:my_membership")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "members/my_details.html",
        {"form": form, "membership": membership},
        status=status,
    )


@member_required
def my_resignation(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Ask to resign. Staff confirm it; until then the member stays a member."""
    form = ResignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request_resignation(
                membership=membership,
                actor=membership.person.user,  # the signed-in member
                leaving_on=form.cleaned_data["leaving_on"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "We have your request to resign. The membership team will confirm it "
                "by email; you remain a member until then.",
            )
            return redirect("members:my_membership")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "members/my_resignation.html",
        {"form": form, "membership": membership},
        status=status,
    )


@member_required
def my_card_pdf(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The membership card as a printable PDF (the size of a bank card)."""
    from django.conf import settings
    from django.template.loader import render_to_string

    if membership.status != MembershipStatus.ACTIVE:
        # Only a member in good standing has a card.
        return TemplateResponse(request, "members/no_membership.html", status=404)
    html = render_to_string(
        "members/card_pdf.html",
        {
            "membership": membership,
            "person": membership.person,
            "union_name": settings.TOLPUDDLE_UNION_NAME,
        },
    )
    pdf = pdf_from_html(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="membership-card-{membership.membership_number}.pdf"'
    )
    return response


def join(request: HttpRequest) -> HttpResponse:
    """Apply to join online (public). Staff approve or decline the application."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and not ratelimit.consume(
        request,
        action="join",
        key=request.POST.get("email", "").strip().lower() or None,
    ):
        # Per IP address and per email address (settings.ACCOUNT_RATE_LIMITS).
        form.is_valid()
        form.add_error(
            None,
            "Too many applications have come from here or for this email address "
            "in the last hour. Please wait an hour and try again, or contact the "
            "membership team.",
        )
        return TemplateResponse(
            request, "members/join.html", {"form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_apply(
                title=data["title"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                address_line_1=data["address_line_1"],
                address_line_2=data["address_line_2"],
                town=data["town"],
                postcode=data["postcode"],
                date_of_birth=data["date_of_birth"],
                employer=data["employer"],
                workplace=data["workplace"],
                job_category=data["job_category"],
                pay_band=data["pay_band"],
                employer_typed=data["employer_typed"],
                workplace_typed=data["workplace_typed"],
                payment_method=PaymentMethod(data["payment_method"]),
                actor=None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("join_thanks")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "members/join.html", {"form": form}, status=status)


def join_thanks(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "members/join_thanks.html")


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    button: str,
    intro: str = "",
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "members/form_page.html",
        {"form": form, "title": title, "button": button, "intro": intro},
        status=status,
    )


@member_required
def my_job_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Record a new job (a member may hold more than one)."""
    form = MyJobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employment_start(
                membership=membership,
                employer=data["employer"],
                workplace=data["workplace"],
                job_category=data["job_category"],
                hours=data["hours"],
                pay_band=data["pay_band"],
                started_on=data["started_on"],
                actor=membership.person.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your new job has been added.")
            return redirect("members:my_membership")
    return _form_page(
        request,
        form,
        title="Add a job",
        button="Add this job",
        intro="If your employer is not in the list, tell the membership team.",
    )


def _own_current_job(membership: Membership, pk: int) -> Employment:
    employment = (
        Employment.objects.select_related("employer", "workplace")
        .filter(membership=membership, pk=pk, ended_on__isnull=True)
        .first()
    )
    if employment is None:
        raise Http404("No such current job of yours.")
    return employment


@member_required
def my_job_change(
    request: HttpRequest, membership: Membership, pk: int
) -> HttpResponse:
    """Change a job from a date: the history keeps what it was before."""
    employment = _own_current_job(membership, pk)
    initial = {
        "workplace": employment.workplace,
        "job_category": employment.job_category,
        "hours": employment.hours if employment.hours is not None else "",
        "pay_band": employment.pay_band,
    }
    form = MyJobChangeForm(
        request.POST or None, initial=initial, employer=employment.employer
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employment_change(
                employment=employment,
                effective_on=data["effective_on"],
                actor=membership.person.user,
                reason="Changed by the member in the portal",
                workplace=data["workplace"],
                job_category=data["job_category"],
                hours=data["hours"],
                pay_band=data["pay_band"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your job has been updated.")
            return redirect("members:my_membership")
    return _form_page(
        request,
        form,
        title=f"Change your job at {employment.employer}",
        button="Save the change",
    )


@member_required
def my_job_end(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    employment = _own_current_job(membership, pk)
    form = MyJobEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_end(
                employment=employment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=membership.person.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The job has been ended.")
            return redirect("members:my_membership")
    return _form_page(
        request,
        form,
        title=f"Your job at {employment.employer} has ended",
        button="Record the end of this job",
        intro="Your membership carries on. Tell us about any new job too.",
    )


def workplace_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of one employer's workplaces, for the join and job forms
    (htmx swaps them into the workplace list when the employer changes)."""
    employer_id = request.GET.get("employer", "")
    workplaces = (
        Workplace.objects.filter(
            employer_id=int(employer_id), employer__existed_until__isnull=True
        ).order_by("name")
        if employer_id.isdigit()
        else Workplace.objects.none()
    )
    return TemplateResponse(
        request, "members/_workplace_options.html", {"workplaces": workplaces}
    )
