"""Project-wide test set-up."""

from __future__ import annotations

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
    ):
        importlib.import_module(f"tolpuddle.members.migrations.{name}").load(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits and cached counts live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
