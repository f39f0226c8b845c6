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


def give_authenticator(user: Any) -> str:
    """Give ``user`` an authenticator app (TOTP), as the back office requires;
    returns its secret, for :func:`sign_in_with_code`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return str(secret)


def current_code(secret: str) -> str:
    """The authenticator app's code for now. Allauth allows no tolerance, so near
    the end of a 30-second step wait for the next one rather than send a code that
    may expire on the way."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def sign_in_with_code(
    page: Any,
    base_url: str,
    email: str,
    secret: str,
    *,
    next_url: str = "",
    password: str = PASSWORD,
) -> None:
    """Sign in through the real pages: email and password, then the code allauth
    asks for at /account/2fa/authenticate/."""
    page.goto(base_url + "/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/**")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/2fa/authenticate/" not in url)
