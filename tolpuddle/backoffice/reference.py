"""Back office: the register's reference data ("Register settings"), for HQ staff.

Nations, regions, branches, employers (and which succeeded which), workplaces and
subscription rates are managed with Wagtail's generic model screens; the kinds of
role a member may hold are listed read-only, for superusers too (``RoleViewSet``).
Access follows Django's model permissions (add/change/delete/view), which the
"Membership staff" group holds (migration
``members.0010_membership_staff_reference_permissions``); anyone else is sent back
to the dashboard with Wagtail's "no permission" message and sees no menu item.

Nothing referenced by the register can be deleted: the foreign keys are PROTECT,
and the delete screen says what still refers to the record instead of failing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Model, ProtectedError, QuerySet
from django.db.models.deletion import PROTECT
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import get_text_list
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tolpuddle.members.models import (
    Branch,
    Employer,
    EmployerSuccession,
    Nation,
    Region,
    Role,
    SubscriptionRate,
    Workplace,
)


def uk_date(value: datetime.date | None) -> str:
    """25 November 2026, as people in the UK write it."""
    return date_format(value, "j F Y") if value else ""


def date_column(name: str, label: str) -> Column:
    return Column(
        name,
        label=label,
        accessor=lambda instance: uk_date(getattr(instance, name)),
        sort_key=name,
    )


def references_to(instance: Model) -> list[str]:
    """What in the database still refers to ``instance`` through a PROTECT foreign
    key ("memberships", "workplaces"): one indexed existence check each."""
    found = []
    for relation in instance._meta.related_objects:
        if relation.many_to_many or relation.on_delete is not PROTECT:
            continue
        related = relation.related_model
        if related._base_manager.filter(**{relation.field.name: instance}).exists():
            found.append(str(related._meta.verbose_name_plural))
    return found


class ReferenceDeleteView(generic.DeleteView):  # type: ignore[misc]
    """Refuses, with a message, to delete a record the register still refers to."""

    def _refused(self, request: HttpRequest) -> HttpResponse | None:
        users = references_to(self.object)
        if not users:
            return None
        messages.error(
            request,
            f"{self.object._meta.verbose_name.capitalize()} “{self.object}” cannot be "
            f"deleted: {get_text_list(users, 'and')} still refer to it. Move or "
            "change those first.",
        )
        return HttpResponseRedirect(reverse(self.edit_url_name, args=[self.object.pk]))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refused(request) or super().get(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        refused = self._refused(self.request)
        if refused is not None:
            return refused
        try:
            response: HttpResponse = super().form_valid(form)
        except ProtectedError:
            # Something began to refer to it since the check above.
            return self._refused(self.request) or HttpResponseRedirect(
                reverse(self.edit_url_name, args=[self.object.pk])
            )
        return response


class ReferenceViewSet(ModelViewSet):  # type: ignore[misc]
    """A register settings screen: no usage counts (Wagtail's reference index does
    not see the register's own references, so they would say "used 0 times")."""

    delete_view_class = ReferenceDeleteView
    add_to_reference_index = False
    copy_view_enabled = False
    search_backend_name = None  # search with the database, not Wagtail's index
    list_per_page = 50
    list_select_related: tuple[str, ...] = ()

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_common_view_kwargs(
            **{"usage_url_name": None, **kwargs}
        )
        return view_kwargs

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        queryset: QuerySet[Any] = self.model._default_manager.select_related(
            *self.list_select_related
        )
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(
            **{"queryset": queryset, **kwargs}
        )
        return view_kwargs


class NationViewSet(ReferenceViewSet):
    name = "nations"
    model = Nation
    icon = "globe"
    form_fields = ["name", "code"]
    list_display = ["name", "code"]


class RegionViewSet(ReferenceViewSet):
    name = "regions"
    model = Region
    icon = "site"
    form_fields = ["name", "nation"]
    list_display = ["name", "nation"]
    list_filter = ["nation"]
    list_select_related = ("nation",)
    search_fields = ["name"]


class BranchViewSet(ReferenceViewSet):
    name = "branches"
    model = Branch
    icon = "group"
    form_fields = ["name", "region"]
    list_display = ["name", "region"]
    list_filter = ["region"]
    list_select_related = ("region",)
    search_fields = ["name"]


class EmployerViewSet(ReferenceViewSet):
    name = "employers"
    model = Employer
    icon = "clipboard-list"
    form_fields = ["name", "type", "nation", "existed_from", "existed_until"]
    list_display = [
        "name",
        "type",
        "nation",
        date_column("existed_from", "Existed from"),
        date_column("existed_until", "Existed until"),
    ]
    list_filter = ["type", "nation"]
    list_select_related = ("nation",)
    search_fields = ["name"]


class EmployerSuccessionViewSet(ReferenceViewSet):
    name = "employer-successions"
    model = EmployerSuccession
    icon = "arrow-right"
    menu_label = "Employer successions"
    form_fields = ["predecessor", "successor", "on", "note"]
    list_display = [
        "predecessor",
        "successor",
        date_column("on", "On"),
        "note",
    ]
    list_select_related = ("predecessor", "successor")
    search_fields = ["predecessor__name", "successor__name", "note"]


class WorkplaceViewSet(ReferenceViewSet):
    name = "workplaces"
    model = Workplace
    icon = "home"
    form_fields = [
        "employer",
        "name",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
    ]
    list_display = ["name", "employer", "town", "postcode"]
    list_select_related = ("employer",)
    search_fields = ["name", "employer__name", "town", "postcode"]


class SubscriptionRateViewSet(ReferenceViewSet):
    name = "subscription-rates"
    model = SubscriptionRate
    icon = "tag"
    form_fields = [
        "category",
        "pay_band",
        "monthly_amount",
        "valid_from",
        "valid_until",
    ]
    list_display = [
        "category",
        "pay_band",
        "monthly_amount",
        date_column("valid_from", "Valid from"),
        date_column("valid_until", "Valid until"),
    ]
    list_filter = ["category"]
    search_fields = ["pay_band"]


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):  # type: ignore[misc]
    """Only "view", and only for those Django's permissions allow it: nobody,
    superusers included, may add, change or delete."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and bool(super().user_has_permission(user, action))

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        allowed = [action for action in actions if action == "view"]
        if not allowed:
            return get_user_model()._default_manager.none()
        users: QuerySet[Any] = super().users_with_any_permission(allowed)
        return users


# Before any screen asks Wagtail for the fallback policy (the hooks import this).
register_permission_policy(Role, ReadOnlyPermissionPolicy(Role))

READ_ONLY_VIEWS = {"add", "edit", "delete"}


class RoleViewSet(ReferenceViewSet):
    """Which roles exist is fixed by the code: the access rules name them by slug,
    so renaming or deleting one would silently change who may do what. The
    screens list and inspect only, for everyone, superusers included: there are
    no add, edit or delete URLs (a 404) and no buttons, and the permission policy
    refuses those actions wherever Wagtail asks (so Wagtail's history screen,
    which needs one of them, sends people back to the dashboard)."""

    name = "roles"
    model = Role
    icon = "user"
    form_fields = ["name", "slug", "scope"]
    list_display = ["name", "scope", "slug"]
    list_filter = ["scope"]
    inspect_view_enabled = True

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        no_urls = {f"{view}_url_name": None for view in READ_ONLY_VIEWS}
        return super().get_common_view_kwargs(**{**no_urls, **kwargs})

    def get_urlpatterns(self) -> list[Any]:
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in READ_ONLY_VIEWS
        ]

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        """The Groups screen offers only "view" on roles: the rest could do nothing."""
        permissions: QuerySet[Permission] = super().get_permissions_to_register()
        return permissions.filter(codename="view_role")


class RegisterSettingsGroup(ViewSetGroup):  # type: ignore[misc]
    menu_label = "Register settings"
    menu_icon = "cogs"
    menu_order = 800
    items = (
        EmployerViewSet,
        WorkplaceViewSet,
        EmployerSuccessionViewSet,
        BranchViewSet,
        RegionViewSet,
        NationViewSet,
        SubscriptionRateViewSet,
        RoleViewSet,
    )


@hooks.register("register_admin_viewset")  # type: ignore[untyped-decorator]
def register_viewset() -> ViewSetGroup:
    return RegisterSettingsGroup()
