"""Back office: who holds which position, as a list (read only).

HQ staff see every position in the union; a branch officer or a rep those held by
the members of the branches they see (``selectors.positions_visible_to``). Anyone
else who can open the back office gets a 404 and no menu item. The list is filtered
by role, branch and whether the term is current, has ended, or either; positions are
started and ended on each member's page, which every row links to. Each page shown
is one entry in the access log, since it names members.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.backoffice.forms import DescribedFields
from tolpuddle.core.models import User
from tolpuddle.members import selectors, services
from tolpuddle.members.models import Branch, Position, Role

PAGE_SIZE = 50
TEMPLATE = "backoffice/positions/position_list.html"

CURRENT, ENDED, ALL = "current", "ended", "all"
HELD_CHOICES = [
    (CURRENT, "Current (held today)"),
    (ENDED, "Ended"),
    (ALL, "All, including those not yet begun"),
]


def _sees_members(request: HttpRequest) -> bool:
    scope = selectors.register_scope_for(user=request.user)
    return scope.see_all or bool(scope.see_branch_ids)


def _user(request: HttpRequest) -> User:
    """Someone who sees members beyond their own record (HQ staff, a branch officer,
    a rep); anyone else gets the same 404 as for a missing page."""
    user = request.user
    if not isinstance(user, User) or not _sees_members(request):
        raise Http404
    return user


class PositionFilters(DescribedFields):
    role = forms.ModelChoiceField(
        label="Role",
        queryset=Role.objects.order_by("name"),
        required=False,
        empty_label="Any role",
        error_messages={"invalid_choice": "Choose a role from the list."},
    )
    branch = forms.ModelChoiceField(
        label="Branch",
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label="Any branch",
        help_text="For a branch role, the branch it is in; for any other role, the "
        "branch of the member who holds it.",
        error_messages={"invalid_choice": "Choose a branch from the list."},
    )
    held = forms.ChoiceField(
        label="Held",
        choices=HELD_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose current, ended or all."},
    )

    def clean_held(self) -> str:
        return str(self.cleaned_data.get("held") or CURRENT)

    def used(self) -> dict[str, str]:
        """The filters given, as typed (for the access log)."""
        return {
            name: str(value)
            for name, value in self.data.items()
            if name in self.fields and value
        }

    def query(self) -> str:
        """The filters given, as typed, for the links to other pages."""
        return urlencode(list(self.used().items()))


def positions_listed(
    *, user: User, filters: dict[str, Any]
) -> QuerySet[Position, Position]:
    """The positions ``user`` sees, narrowed by the filters, ordered by branch (a
    branch role's own, or else the holder's), role, then the holder's name."""
    today = timezone.localdate()
    positions = selectors.positions_visible_to(user=user).select_related(
        "membership__person",
        "membership__branch",
        "role",
        "branch",
        "workplace__employer",
    )
    if filters.get("role") is not None:
        positions = positions.filter(role=filters["role"])
    if filters.get("branch") is not None:
        branch = filters["branch"]
        positions = positions.filter(
            Q(branch=branch) | Q(branch__isnull=True, membership__branch=branch)
        )
    held = filters.get("held") or CURRENT
    if held == CURRENT:
        positions = positions.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        )
    elif held == ENDED:
        positions = positions.filter(ended_on__lt=today)
    return positions.annotate(
        listed_branch=Coalesce("branch__name", "membership__branch__name")
    ).order_by(
        F("listed_branch").asc(nulls_last=True),
        "role__name",
        "membership__person__last_name",
        "membership__person__first_name",
        "started_on",
        "pk",
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def position_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PositionFilters(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "filtered": bool(form.used()),
        "members_url": reverse("backoffice_members"),
    }
    if not form.is_valid():
        # A filter that cannot be used lists nobody, rather than quietly showing
        # every position as though it had been applied.
        return TemplateResponse(request, TEMPLATE, context, status=400)
    page = Paginator(
        positions_listed(user=user, filters=form.cleaned_data), PAGE_SIZE
    ).get_page(_page_number(request))
    rows = list(page.object_list)
    # The holders' names and offices: one entry for the page.
    services.personal_data_list_record(
        user=user,
        list_name="positions",
        page=page.number,
        filters=form.used(),
        rows=len(rows),
    )
    context.update(
        page=page,
        rows=rows,
        query=form.query(),
        held=form.cleaned_data["held"],
    )
    return TemplateResponse(request, TEMPLATE, context)


class PositionsMenuItem(MenuItem):  # type: ignore[misc]
    """Shown to those who see members beyond their own record."""

    def is_shown(self, request: HttpRequest) -> bool:
        return _sees_members(request)


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    return [path("positions/", position_list, name="backoffice_positions")]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return PositionsMenuItem(
        "Positions",
        reverse("backoffice_positions"),
        name="positions",
        icon_name="user",
        order=250,
    )
