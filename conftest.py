"""Project-wide test set-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Test SQLite in a file, as it runs in production, not in Django's default
    shared-cache in-memory database: there a second writer fails at once with
    "database table is locked" instead of waiting out the busy timeout, so tests of
    concurrent services could not run. Each session (and xdist worker) gets its own file.
    """
    from django.conf import settings

    for alias, database in settings.DATABASES.items():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("db") / f"test_{alias}.sqlite3")


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Nations, roles and the membership-number sequence are loaded by a data
    migration; a test that commits for real empties every table afterwards, so put
    them back for each database test (as EveryElection's conftest does)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = marker.kwargs.get("transaction", False) or (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    import importlib

    from django.apps import apps

    for name in (
        "0002_reference_data",
        "0006_membership_staff_group",
        "0008_back_office_access",
        "0010_membership_staff_reference_permissions",
    ):
        importlib.import_module(f"tolpuddle.members.migrations.{name}").load(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits and cached counts live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it is sent."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        return [
            m.get_body(preferencelist=("plain",)).get_content()
            for m in self.messages
            if address in m["X-Envelope-To"]
        ]


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    """Email goes over real SMTP to a sink on loopback for the test's duration."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield sink
    finally:
        controller.stop()
