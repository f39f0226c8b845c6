"""Voting in a real browser (Chromium through Playwright)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import sign_in, verified_user
from tolpuddle.members.tests.factories import MembershipFactory, PersonFactory
from tolpuddle.voting.models import Vote
from tolpuddle.voting.tests.factories import poll_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_from_the_portal_and_is_shown_a_receipt(live_server, page):
    user = verified_user(email="ellen@example.org")
    member = MembershipFactory(person=PersonFactory(user=user))
    ready = poll_open(members=[member], title="Pay consultation 2026")

    sign_in(page, live_server.url, "ellen@example.org", next_url="/my/votes/")
    assert page.get_by_role("heading", name="My votes").is_visible()
    page.get_by_role("link", name="Pay consultation 2026").click()

    # One answer missing: the error summary says which, the other choice is kept.
    page.get_by_role("group", name="Do you accept the pay offer?").get_by_label(
        "Reject"
    ).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert page.get_by_role("alert").is_visible()
    assert (
        "Choose an answer to “Which should come first?”"
        in page.get_by_role("alert").inner_text()
    )
    assert page.get_by_label("Reject").is_checked()

    page.get_by_role("group", name="Which should come first?").get_by_label(
        "Workload"
    ).check()
    page.get_by_role("button", name="Cast my vote").click()

    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    receipt = page.locator(".receipt").inner_text()
    assert receipt.replace("-", "") == Vote.objects.get(poll=ready.poll).receipt

    page.goto(live_server.url + f"/my/votes/{ready.poll.pk}/")
    assert page.get_by_text("You have voted in this ballot").is_visible()


def test_a_member_votes_with_their_code_without_javascript(live_server, browser):
    ready = poll_open(voters=1, title="Workload survey")
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/vote/{ready.poll.pk}/")
        page.get_by_label("Your voting code").fill("not-a-code")
        page.get_by_label("Accept").check()
        page.get_by_label("Pay").check()
        page.get_by_role("button", name="Cast my vote").click()
        assert "That is not a voting code" in page.get_by_role("alert").inner_text()

        page.get_by_label("Your voting code").fill(
            ready.code_of(ready.members[0]).lower()
        )
        page.get_by_role("button", name="Cast my vote").click()
        assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    finally:
        context.close()
    assert Vote.objects.filter(poll=ready.poll).count() == 1
