"""Setting up two-factor sign-in for a staff account, in Chromium."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from tests.browser.helpers import PASSWORD, sign_in, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_set_up_an_authenticator_before_the_back_office(live_server, page):
    staff = verified_user(email="jo@example.org", is_staff=True, first_name="Jo")
    staff.groups.add(Group.objects.get(name="Membership staff"))

    sign_in(page, live_server.url, "jo@example.org")
    page.goto(live_server.url + "/admin/")
    # Sent to set up a second factor first, and told why.
    assert "/account/2fa/" in page.url
    assert page.get_by_text("Set up two-factor sign-in").first.is_visible()

    page.goto(live_server.url + "/account/2fa/totp/activate/")
    # allauth asks for the password again before changing how one signs in.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill("123456")
    page.get_by_role("button", name="Activate").click()
    assert page.get_by_text("Incorrect code").is_visible()

    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    # Wait for the activation to be answered (allauth moves on from the form)
    # before asking for the back office, or the request may overtake it.
    page.wait_for_url(lambda url: "/totp/activate" not in url)

    page.goto(live_server.url + "/admin/")
    assert page.url.rstrip("/").endswith("/admin")

    # Signing in again now asks for the code.
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "jo@example.org")
    assert "/account/2fa/authenticate/" in page.url
    time.sleep(1)
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    assert "/admin" in page.url
