"""The browser tests' Chromium (tests/browser/conftest.py), for this app's own."""

from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
