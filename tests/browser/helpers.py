"""Shared steps for the browser tests."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from tolpuddle.members.tests.factories import UserFactory

PASSWORD = "a-long-demo-password"


def verified_user(**fields: Any) -> Any:
    """A sign-in whose email address is verified, as allauth requires."""
    user = UserFactory(password=PASSWORD, **fields)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def sign_in(page: Any, base_url: str, email: str, *, next_url: str = "") -> None:
    page.goto(base_url + "/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
