"""Every turnout test stands at noon, London time, on ``TODAY``: the ninth day of
voting in a ballot open from ``OPENING`` to ``CLOSING``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tolpuddle.turnout.tests.factories import TODAY, noon


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(noon(TODAY), tick=False):
        yield


@pytest.fixture
def sign_in(client: Client) -> Callable[..., Client]:
    """sign_in(user) -> the client, signed in, with the second factor the back
    office asks for."""

    def _sign_in(user: Any) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return _sign_in
