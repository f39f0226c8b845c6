"""The back office's industrial action pages (``tolpuddle.action.admin_views``) and
their menu item, for the staff of a dispute with a statutory ballot."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.action import admin_views, selectors


class ActionMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.ballots_for_action(user=request.user).exists()


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    return admin_views.urls()


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return ActionMenuItem(
        "Industrial action",
        reverse("action_ballots"),
        name="action",
        icon_name="calendar",
        order=410,
    )
