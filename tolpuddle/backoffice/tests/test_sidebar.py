"""The sidebar is kept per user for a while, and built afresh when what it shows
could have changed: groups, permissions, positions, waiting applications."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail import hooks

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice_members")


def _menu(client: Any) -> str:
    """The sidebar's packed props (the menu's labels and links), as text."""
    response = client.get(LIST)
    assert response.status_code == 200
    script = BeautifulSoup(response.content.decode(), "html.parser").find(
        id="wagtail-sidebar-props"
    )
    assert script is not None
    return json.dumps(json.loads(script.get_text()))


def test_the_sidebar_is_built_once_and_kept(sign_in: Any, hq_staff: Any) -> None:
    client = sign_in(hq_staff)
    built: list[int] = []
    with hooks.register_temporarily(
        "construct_main_menu", lambda request, items: built.append(1)
    ):
        first = _menu(client)
        second = _menu(client)

    assert built == [1]
    assert first == second
    assert "Access log" in first


def test_a_new_permission_shows_its_menu_item_at_the_next_page(
    sign_in: Any, branch_secretary: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The branch secretary's scope stays the same: the change is seen because
    permissions changed, not because the register did."""
    client = sign_in(branch_secretary)
    assert '"Users"' not in _menu(client)

    with django_capture_on_commit_callbacks(execute=True):
        branch_secretary.user_permissions.add(
            Permission.objects.get(codename="change_user")
        )

    assert '"Users"' in _menu(client)


def test_leaving_the_staff_group_takes_hq_items_away(
    sign_in: Any, branch_secretary: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = Group.objects.get(name="Membership staff")
    branch_secretary.groups.add(staff)
    client = sign_in(branch_secretary)
    assert "Access log" in _menu(client)

    with django_capture_on_commit_callbacks(execute=True):
        branch_secretary.groups.remove(staff)

    menu = _menu(client)
    assert "Access log" not in menu
    assert "Positions" in menu  # still a branch secretary
