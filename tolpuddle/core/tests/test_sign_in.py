"""Signing in: allauth's email sign-in, verification, reset, rate limits and the
second factor the back office asks for, with email over real SMTP to a sink."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from tolpuddle.core.models import User
from tolpuddle.members.models import MembershipEvent, MembershipEventKind, Person
from tolpuddle.members.tests.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-demo-password"
LINK = re.compile(r"http://\S+")


def link_in(body: str) -> str:
    found = LINK.findall(body)
    assert found, body
    return (
        found[0].replace("http://127.0.0.1:8000", "").replace("http://testserver", "")
    )


def sign_in(client, email, password=PASSWORD):
    return client.post(
        reverse("login"), {"login": email, "password": password}, follow=True
    )


def test_a_member_on_the_register_sets_up_a_sign_in_and_is_linked_by_verifying(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(person=PersonFactory(email="ada@example.org"))

    response = client.post(
        reverse("account_signup"),
        {"email": "Ada@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    # Not linked, and not signed in, until the address is proved.
    assert not User.objects.filter(person__isnull=False).exists()
    [body] = smtp_sink.bodies_to("ada@example.org")

    client.post(link_in(body))

    membership.person.refresh_from_db()
    assert membership.person.user is not None
    assert membership.person.user.email == "ada@example.org"
    assert MembershipEvent.objects.filter(
        membership=membership, kind=MembershipEventKind.SIGN_IN_LINKED
    ).exists()
    assert client.get(reverse("members:my_membership")).status_code == 200


def test_verifying_an_address_no_member_has_links_nothing(client, smtp_sink):
    MembershipFactory(person=PersonFactory(email="someone@example.org"))
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    [body] = smtp_sink.bodies_to("stranger@example.org")
    client.post(link_in(body))

    assert not Person.objects.filter(user__email="stranger@example.org").exists()
    assert client.get(reverse("members:my_membership")).status_code == 404


def test_an_unverified_address_cannot_sign_in(client, smtp_sink):
    UserFactory(email="new@example.org", password=PASSWORD)

    response = sign_in(client, "new@example.org")

    assert "_auth_user_id" not in client.session
    assert b"Verify" in response.content or b"verif" in response.content
    assert smtp_sink.bodies_to("new@example.org"), "a verification email is sent"


def test_an_invitation_lets_a_member_choose_a_password_and_sign_in(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    from tolpuddle.members import services

    membership = MembershipFactory(person=PersonFactory(email="nye@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_in_invite(membership=membership, actor=None)
    [body] = smtp_sink.bodies_to("nye@example.org")
    assert "Choose a password here" in body

    form_page = client.get(link_in(body), follow=True)
    new = "a-new-long-password-1945"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link_in(body),
        {"password1": new, "password2": new},
        follow=True,
    )
    assert response.status_code == 200
    assert EmailAddress.objects.get(email="nye@example.org").verified

    client.logout()
    sign_in(client, "nye@example.org", new)
    assert client.get(reverse("members:my_membership")).status_code == 200


def test_an_invitation_is_refused_without_an_email_address():
    from tolpuddle.core.exceptions import ApplicationError
    from tolpuddle.members import services

    membership = MembershipFactory(person=PersonFactory(email=""))
    with pytest.raises(ApplicationError, match="no email address"):
        services.sign_in_invite(membership=membership, actor=None)
    assert not User.objects.exists()


def test_password_reset_arrives_by_email_and_works(client, smtp_sink):
    user = UserFactory(email="mary@example.org", password=PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )

    client.post(reverse("account_reset_password"), {"email": "mary@example.org"})
    [body] = smtp_sink.bodies_to("mary@example.org")
    page = client.get(link_in(body), follow=True)
    new = "another-long-password-1889"
    client.post(page.redirect_chain[-1][0], {"password1": new, "password2": new})

    user.refresh_from_db()
    assert user.check_password(new)


def test_repeated_wrong_passwords_are_rate_limited(client):
    user = UserFactory(email="mary@example.org", password=PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )

    for _attempt in range(5):
        sign_in(client, "mary@example.org", "wrong")
    response = sign_in(client, "mary@example.org")  # the right password, too late

    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Membership staff"))
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_index"))

    TOTP.activate(staff, generate_totp_secret())
    assert client.get("/admin/").status_code == 200


def test_a_member_without_a_position_does_not_reach_the_back_office(client):
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user))
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/")


def test_signing_in_with_a_second_factor_asks_for_the_code(client):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    staff = UserFactory(email="jo@example.org", password=PASSWORD, is_staff=True)
    EmailAddress.objects.create(
        user=staff, email=staff.email, primary=True, verified=True
    )
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    response = sign_in(client, "jo@example.org")
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")

    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(staff.pk)


def verified_user(email):
    user = UserFactory(email=email, password=PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def test_failed_sign_ins_from_one_address_are_rate_limited(client):
    """10 a minute per IP address, whatever email addresses are typed."""
    verified_user("mary@example.org")
    for attempt in range(10):
        client.post(
            reverse("login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
        )

    refused = client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in refused.content

    client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.6",
    )
    assert "_auth_user_id" in client.session


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(
    client, settings
):
    """With TRUSTED_PROXY_COUNT=1 every request comes from the proxy's address;
    the client is the last address in X-Forwarded-For (what the proxy saw), and
    anything the client put before it is ignored."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    verified_user("mary@example.org")
    proxy = "10.0.0.1"
    for attempt in range(10):
        client.post(
            reverse("login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR=proxy,
            # A different made-up address each time, which must not help.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 198.51.100.7",
        )

    refused = client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in refused.content

    # Another client behind the same proxy is not held up.
    client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert "_auth_user_id" in client.session


def test_a_trusted_client_ip_header_is_what_is_counted(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    verified_user("mary@example.org")
    for attempt in range(10):
        client.post(
            reverse("login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="198.51.100.7",
        )

    client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.8",
    )
    assert "_auth_user_id" in client.session
    client.logout()
    client.post(
        reverse("login"),
        {"login": "mary@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert "_auth_user_id" not in client.session


def test_the_join_form_counts_the_same_client_address_behind_a_proxy(client, settings):
    """/join/'s per-IP limit goes through allauth too, so it sees the same address."""
    from tolpuddle.members.tests.test_join import application

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        client.post(
            reverse("join"),
            application(email=f"person{n}@example.org"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )

    same = client.post(
        reverse("join"),
        application(email="another@example.org"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    other = client.post(
        reverse("join"),
        application(email="someone-else@example.org"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )

    assert same.status_code == 429
    assert other.status_code != 429


@pytest.mark.parametrize(
    ("module", "environment", "count", "header"),
    [
        ("base", {}, 0, None),
        ("base", {"TRUSTED_PROXY_COUNT": "2"}, 2, None),
        ("base", {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, 0, "X-Real-IP"),
        ("production", {}, 1, None),
        ("production", {"TRUSTED_PROXY_COUNT": "0"}, 0, None),
    ],
)
def test_the_trusted_proxy_settings_come_from_the_environment(
    module, environment, count, header
):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"}
    }
    env.update(environment, SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from config.settings import {module} as s; "
            "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    assert printed == [str(count), str(header)]
