"""Every action test stands at noon, London time, on ``TODAY``, three weeks after
the ballot closed. The mandate is computed from the closing day (``action.law``'s
own reckoning) unless a test gives the disputes app's result (``given_result``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tolpuddle.action import law
from tolpuddle.action.tests.factories import TODAY
from tolpuddle.turnout.tests.factories import noon


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(noon(TODAY), tick=False):
        yield


@pytest.fixture(autouse=True)
def _mandate_from_the_closing_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(law, "_result_selector", lambda: None)


@pytest.fixture
def given_result(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Any]]:
    """given_result(has_result=..., ...) makes ``law.ballot_mandate`` read a result
    as the disputes app's ``ballot_mandate`` reports it; returns the calls made."""

    def _given(**fields: Any) -> list[Any]:
        calls: list[Any] = []
        per_employer = fields.pop("per_employer", {})

        def selector(*, ballot: Any, employer: Any = None) -> SimpleNamespace:
            calls.append((ballot, employer))
            state = {
                "has_result": True,
                "has_mandate": True,
                "declared_on": ballot.closing_on,
                "expires_on": None,
                "extended": False,
                "covers": "all_action",
                "actions": ("strike",),
                "workplaces": None,
                "reasons": (),
                **fields,
            }
            if employer is not None:
                state.update(per_employer.get(employer.pk, {}))
            return SimpleNamespace(**state)

        monkeypatch.setattr(law, "_result_selector", lambda: selector)
        return calls

    return _given


@pytest.fixture
def sign_in(client: Client) -> Callable[..., Client]:
    def _sign_in(user: Any) -> Client:
        TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
        return client

    return _sign_in
