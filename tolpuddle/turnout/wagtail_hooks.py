"""The back office's turnout pages (``tolpuddle.turnout.admin_views``) and their menu
item, for those who work on some ballot's turnout: reps and branch officers with
electors in an open ballot, HQ, and the staff of the ballot's dispute."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.turnout import admin_views, selectors


class TurnoutMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.ballots_for_turnout(user=request.user).exists()


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    return admin_views.urls()


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return TurnoutMenuItem(
        "Getting the vote out",
        reverse("turnout_ballots"),
        name="turnout",
        icon_name="tick",
        order=400,
    )
