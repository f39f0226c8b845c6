"""Back office: the union-wide access log, for HQ staff.

Every look at a member's record by someone other than the member, and every export
or list of members, is written to ``PersonalDataAccess`` (trade union membership is
special category data). Each member's page has its own log; this one holds them all,
with the exports and lists that name no one member. HQ staff (scope ``see_all``)
read it; everyone else gets a 404 and no menu item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.backoffice.forms import DescribedFields, UkDateField
from tolpuddle.core.models import User
from tolpuddle.members import selectors
from tolpuddle.members.models import AccessAction, PersonalDataAccess

ACCESSES_PER_PAGE = 50
TEMPLATE = "backoffice/access_log/access_log.html"

# How the lists that write to the log are named in it, and their filters.
LIST_NAMES = {"members": "The members list", "applications": "The applications queue"}
FILTER_LABELS = {"q": "Search"}


def _hq_user(request: HttpRequest) -> User:
    """The log is HQ's: everyone else gets the same 404 as for a missing page."""
    user = request.user
    if (
        not isinstance(user, User)
        or not selectors.register_scope_for(user=user).see_all
    ):
        raise Http404
    return user


class AccessLogFilters(DescribedFields):
    action = forms.ChoiceField(
        label="What was done",
        required=False,
        choices=[("", "Anything"), *AccessAction.choices],
        error_messages={"invalid_choice": "Choose what was done from the list."},
    )
    who = forms.EmailField(
        label="Who (their email address)",
        required=False,
        max_length=254,
        help_text="The whole address, for example jo.whitfield@example.org.",
        error_messages={
            "invalid": "Write a whole email address, for example "
            "jo.whitfield@example.org."
        },
    )
    on_or_after = UkDateField(label="On or after", required=False)
    on_or_before = UkDateField(label="On or before", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("on_or_after"), cleaned.get("on_or_before")
        if first and last and first > last:
            self.add_error(
                "on_or_before", "This date is before the first one: swap them round."
            )
        return cleaned

    def query(self) -> str:
        """The filters given, as typed, for the links to other pages."""
        return urlencode(
            [
                (name, str(value))
                for name, value in self.data.items()
                if name in self.fields and value
            ]
        )


@dataclass(frozen=True)
class AccessRow:
    """One entry of the log, as the page shows it."""

    access: PersonalDataAccess
    who: str
    action: str
    page: str
    list_name: str
    filters: list[str]
    rows: int | None


def _filters(detail: dict[str, Any]) -> list[str]:
    filters = detail.get("filters") or {}
    if not isinstance(filters, dict):
        return [str(filters)]
    return [
        f"{FILTER_LABELS.get(name, name.replace('_', ' ').capitalize())}: {value}"
        for name, value in filters.items()
    ]


def _row(access: PersonalDataAccess) -> AccessRow:
    user = access.user
    detail: dict[str, Any] = access.detail if isinstance(access.detail, dict) else {}
    listed = access.membership_id is None
    action = access.get_action_display()
    if listed and access.action == AccessAction.VIEWED:
        action = "Viewed a list"
    list_name = ""
    if listed:
        name = str(detail.get("list", ""))
        list_name = LIST_NAMES.get(name, name.capitalize() or "A list")
        if detail.get("page"):
            list_name += f", page {detail['page']}"
    rows = detail.get("rows")
    return AccessRow(
        access=access,
        who=user.get_full_name() or user.username,
        action=action,
        page="" if listed else str(detail.get("page", "")),
        list_name=list_name,
        filters=_filters(detail) if listed else [],
        rows=rows if isinstance(rows, int) else None,
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def access_log(request: HttpRequest) -> HttpResponse:
    """Who looked at which record, and who exported or listed members, newest first;
    narrowed by what was done, by whom and between which days."""
    _hq_user(request)
    form = AccessLogFilters(request.GET)
    if not form.is_valid():
        # A filter that cannot be used lists nothing, rather than quietly showing
        # the whole log as though it had been applied.
        return TemplateResponse(request, TEMPLATE, {"form": form}, status=400)
    data = form.cleaned_data
    accesses = selectors.accesses_all(
        action=data["action"],
        user_email=data["who"],
        on_or_after=data["on_or_after"],
        on_or_before=data["on_or_before"],
    )
    page = Paginator(accesses, ACCESSES_PER_PAGE).get_page(_page_number(request))
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "form": form,
            "page": page,
            "rows": [_row(access) for access in page],
            "query": form.query(),
            "filtered": bool(form.query()),
        },
    )


class HqMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.register_scope_for(user=request.user).see_all


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    return [path("access-log/", access_log, name="backoffice_access_log")]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return HqMenuItem(
        "Access log",
        reverse("backoffice_access_log"),
        name="access-log",
        icon_name="list-ul",
        order=800,
    )
