from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from tolpuddle.members.tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_sees_the_home_page_and_signs_in(live_server, page):
    MembershipFactory.create_batch(2)
    user = UserFactory(
        email="mary@example.org",
        first_name="Mary",
        last_name="Macarthur",
        password="a-long-demo-password",
    )
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )

    page.goto(live_server.url + "/")
    assert "2" in page.locator("main strong").inner_text()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill("mary@example.org")
    page.get_by_label("Password").fill("a-long-demo-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_text("Signed in as Mary Macarthur", exact=True).is_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
