"""Administrators (superusers) manage sign-ins and groups with Wagtail's own Users
and Groups screens; HQ staff and officers cannot reach them."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tolpuddle.core.models import User
from tolpuddle.members.tests.factories import BranchFactory, UserFactory
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

pytestmark = pytest.mark.django_db
SCREENS = ("/admin/users/", "/admin/groups/")
NO_PERMISSION = "Sorry, you do not have permission to access this area."


def signed_in(client: Client, user: Any) -> Client:
    """Signed in with a second factor, as the back office requires."""
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def administrator() -> User:
    user: User = UserFactory(is_superuser=True, is_staff=True)
    return user


def hq_staff() -> User:
    user: User = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Membership staff"))
    return user


def branch_secretary() -> User:
    branch = BranchFactory(name="North")
    user, membership = member_with_sign_in(branch)
    hold(membership, "branch-secretary", branch=branch)
    user_: User = user
    return user_


def test_an_administrator_reaches_the_users_and_groups_screens(client):
    client = signed_in(client, administrator())
    someone = UserFactory(first_name="Jo", last_name="Bell")

    for url in SCREENS:
        assert client.get(url).status_code == 200, url
    assert "Jo Bell" in client.get("/admin/users/").content.decode()
    assert "Membership staff" in client.get("/admin/groups/").content.decode()
    assert client.get(f"/admin/users/edit/{someone.pk}/").status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert all(url in home for url in SCREENS), "in the Settings menu"


def test_an_administrator_makes_someone_hq_staff_with_the_user_form(client):
    client = signed_in(client, administrator())
    staff_group = Group.objects.get(name="Membership staff")
    someone = UserFactory(
        username="jo", email="jo@example.org", first_name="Jo", last_name="Bell"
    )

    response = client.post(
        f"/admin/users/edit/{someone.pk}/",
        {
            "username": "jo",
            "email": "jo@example.org",
            "first_name": "Jo",
            "last_name": "Bell",
            "is_active": "on",
            "groups": [staff_group.pk],
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302
    assert response.url == "/admin/users/"
    someone.refresh_from_db()
    assert list(someone.groups.all()) == [staff_group]
    assert not someone.is_superuser
    # Now HQ staff: into the back office (with their own second factor).
    assert signed_in(Client(), someone).get("/admin/").status_code == 200


@pytest.mark.parametrize("who", [hq_staff, branch_secretary])
def test_hq_staff_and_officers_cannot_reach_users_or_groups(client, who):
    """Wagtail's permission check: back to the dashboard with its message."""
    client = signed_in(client, who())
    someone = UserFactory()
    staff_group = Group.objects.get(name="Membership staff")

    for url in (
        *SCREENS,
        "/admin/users/new/",
        f"/admin/users/edit/{someone.pk}/",
        "/admin/groups/new/",
        f"/admin/groups/edit/{staff_group.pk}/",
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)], url
        assert NO_PERMISSION in response.content.decode(), url
    client.post(
        f"/admin/users/edit/{someone.pk}/",
        {
            "username": someone.username,
            "email": someone.email,
            "groups": [staff_group.pk],
        },
    )
    assert not someone.groups.exists()
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert not any(url in home.content.decode() for url in SCREENS)


def test_an_administrator_made_with_createsuperuser_verifies_and_adds_a_second_factor(
    client, monkeypatch
):
    """What docs/backoffice.md says: ``tolpuddle createsuperuser``, verify the
    address at the first sign-in, set up a second factor, then manage users."""
    import re
    from urllib.parse import urlsplit

    from django.core import mail
    from django.core.management import call_command

    password = "a-long-administrator-password"
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    call_command(
        "createsuperuser",
        interactive=False,
        username="admin",
        email="admin@example.org",
        verbosity=0,
    )

    client.post(reverse("login"), {"login": "admin@example.org", "password": password})
    assert "_auth_user_id" not in client.session, "the address is verified first"
    [email] = mail.outbox
    [link] = re.findall(r"http://\S+", email.body)
    client.post(urlsplit(link).path)
    assert client.session["_auth_user_id"]

    first = client.get("/admin/users/")
    assert first.status_code == 302
    assert first.url.startswith(reverse("mfa_index"))
    TOTP.activate(User.objects.get(username="admin"), generate_totp_secret())
    assert client.get("/admin/users/").status_code == 200


def test_an_administrator_adds_a_sign_in_for_new_hq_staff(client):
    client = signed_in(client, administrator())
    staff_group = Group.objects.get(name="Membership staff")

    response = client.post(
        "/admin/users/new/",
        {
            "username": "sam",
            "email": "sam@example.org",
            "first_name": "Sam",
            "last_name": "Lee",
            "password1": "a-long-first-password-1834",
            "password2": "a-long-first-password-1834",
            "groups": [staff_group.pk],
        },
    )

    assert response.status_code == 302
    sam = User.objects.get(email="sam@example.org")
    assert list(sam.groups.all()) == [staff_group]
    assert sam.check_password("a-long-first-password-1834")
