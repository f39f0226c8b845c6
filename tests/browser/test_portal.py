from __future__ import annotations

import pytest

from tests.browser.helpers import sign_in, verified_user
from tolpuddle.members.tests.factories import MembershipFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_and_updates_their_address(live_server, page):
    user = verified_user(email="ellen@example.org")
    MembershipFactory(
        person=PersonFactory(user=user, postcode="B1 1AA"), membership_number="104233"
    )

    sign_in(page, live_server.url, "ellen@example.org", next_url="/my/")
    assert page.get_by_role("heading", name="My membership").is_visible()
    assert "104233" in page.content()

    page.get_by_role("link", name="Change my details").click()
    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_role("button", name="Save my details").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Postcode").input_value() == "not a postcode"

    page.get_by_label("Postcode").fill("se17tp")
    page.get_by_role("button", name="Save my details").click()
    assert page.get_by_text("Your details have been saved.").is_visible()
    assert "SE1 7TP" in page.content()
