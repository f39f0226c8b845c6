"""The second factors offered besides an authenticator app (MFA_SUPPORTED_TYPES):
security keys and passkeys (WebAuthn), and recovery codes in place of a code."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client
from django.urls import reverse

from tolpuddle.core.models import User
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-demo-password"


def user_with_an_authenticator_app() -> tuple[User, str]:
    user: User = UserFactory(email="jo@example.org", password=PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def sign_in_with_password(client: Client) -> None:
    response = client.post(
        reverse("login"), {"login": "jo@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def sign_in_with_app(client: Client, secret: str) -> None:
    """A full sign-in: the password, then the app's code."""
    sign_in_with_password(client)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" in client.session


def confirm_password(client: Client) -> None:
    """allauth asks for the password again before second factors are changed."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_the_two_factor_page_offers_security_keys_and_recovery_codes(client):
    _user, secret = user_with_an_authenticator_app()
    sign_in_with_app(client, secret)

    page = client.get(reverse("mfa_index"))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Authentication using an authenticator app is active." in content
    assert "Security Keys" in content
    assert reverse("mfa_add_webauthn") in content
    assert "Recovery Codes" in content
    assert reverse("mfa_generate_recovery_codes") in content
    # Adding a security key (or a passkey, as a second factor): the page that asks
    # the browser for one.
    confirm_password(client)
    add_key = client.get(reverse("mfa_add_webauthn"))
    assert add_key.status_code == 200
    add_key_page = add_key.content.decode()
    assert "Add Security Key" in add_key_page
    # The options the browser's WebAuthn call needs, with a fresh challenge.
    assert '"challenge"' in add_key_page
    assert '"rp"' in add_key_page


def test_a_recovery_code_signs_in_in_place_of_the_app_and_only_once(client):
    user, secret = user_with_an_authenticator_app()
    sign_in_with_app(client, secret)
    confirm_password(client)

    generated = client.post(reverse("mfa_generate_recovery_codes"))
    assert generated.status_code == 302
    assert generated.url == reverse("mfa_view_recovery_codes")
    authenticator = Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    )
    codes = RecoveryCodes(authenticator).get_unused_codes()
    assert len(codes) == 10
    shown = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert all(code in shown for code in codes)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    sign_in_with_password(client)
    client.post(reverse("mfa_authenticate"), {"code": "not-a-code"})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.session["_auth_user_id"] == str(user.pk)

    # Used up: the same code does not work twice.
    client.post(reverse("account_logout"))
    sign_in_with_password(client)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert client.session["_auth_user_id"] == str(user.pk)
