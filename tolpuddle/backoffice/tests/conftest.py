"""Fixtures for the back office: sign-ins of each role, with a second factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client

from tolpuddle.members.tests.factories import BranchFactory, UserFactory
from tolpuddle.members.tests.test_access import hold, member_with_sign_in


def give_second_factor(user: Any) -> Any:
    """The back office asks for MFA; a TOTP authenticator satisfies it."""
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def sign_in(client: Client) -> Callable[..., Client]:
    """sign_in(user) -> the client, signed in as that user with a second factor."""

    def _sign_in(user: Any, *, second_factor: bool = True) -> Client:
        if second_factor:
            give_second_factor(user)
        client.force_login(user)
        return client

    return _sign_in


@pytest.fixture
def hq_staff() -> Any:
    user = UserFactory(is_staff=True, first_name="Jo", last_name="Whitfield")
    user.groups.add(Group.objects.get(name="Membership staff"))
    return user


@pytest.fixture
def branches() -> tuple[Any, Any]:
    return BranchFactory(name="North"), BranchFactory(name="South")


@pytest.fixture
def branch_secretary(branches: tuple[Any, Any]) -> Any:
    """A branch secretary of North (the first of ``branches``)."""
    north, _south = branches
    user, membership = member_with_sign_in(north)
    hold(membership, "branch-secretary", branch=north)
    return user


@pytest.fixture
def workplace_rep(branches: tuple[Any, Any]) -> Any:
    from tolpuddle.members.tests.factories import WorkplaceFactory

    north, _south = branches
    user, membership = member_with_sign_in(north)
    hold(membership, "workplace-rep", workplace=WorkplaceFactory())
    return user
