"""From the join form to the portal: staff approve, the applicant chooses a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.helpers import give_authenticator, sign_in_with_code, verified_user
from tolpuddle.members.models import Membership
from tolpuddle.members.tests.factories import WorkplaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-password-ada-chose"


def test_an_applicant_is_approved_and_signs_in_to_see_their_number(
    live_server, browser, settings, smtp_sink
):
    # Links in emails point at the site; here, the live server.
    settings.TOLPUDDLE_SITE_URL = live_server.url
    workplace = WorkplaceFactory(name="Salford Probation Office")
    staff = verified_user(email="jo@example.org", is_staff=True, first_name="Jo")
    staff.groups.add(Group.objects.get(name="Membership staff"))
    secret = give_authenticator(staff)

    # A visitor applies.
    applicant = browser.new_context(locale="en-GB").new_page()
    applicant.goto(live_server.url + "/join/")
    applicant.get_by_label("First name").fill("Ada")
    applicant.get_by_label("Last name").fill("Nield")
    applicant.get_by_label("Email address").fill("ada@example.org")
    applicant.get_by_label("Address line 1").fill("1 Mill Lane")
    applicant.get_by_label("Town or city").fill("Manchester")
    applicant.get_by_label("Postcode").fill("M1 1AA")
    applicant.get_by_label("Workplace (optional)").select_option(label=str(workplace))
    applicant.get_by_label("I agree").check()
    applicant.get_by_role("button", name="Send my application").click()
    expect(
        applicant.get_by_role("heading", name="Thank you: we have your application")
    ).to_be_visible()

    # HQ staff find it in the queue and approve it.
    staff_page = browser.new_context(locale="en-GB").new_page()
    sign_in_with_code(
        staff_page, live_server.url, "jo@example.org", secret, next_url="/admin/"
    )
    staff_page.get_by_role("link", name=re.compile(r"^Applications")).first.click()
    expect(staff_page.get_by_text("1 application waiting")).to_be_visible()
    staff_page.get_by_role("link", name="Ada Nield").click()
    expect(staff_page.get_by_text("ada@example.org")).to_be_visible()
    staff_page.get_by_role("button", name="Approve the application").click()
    expect(
        staff_page.get_by_role("button", name="Approve the application")
    ).to_have_count(0)

    membership = Membership.objects.get(person__email="ada@example.org")
    assert membership.status == "active"
    assert membership.membership_number

    # The welcome arrives over SMTP with a link to choose a password.
    [body] = smtp_sink.bodies_to("ada@example.org")
    assert membership.membership_number in body
    [link] = re.findall(r"http://\S+/account/password/reset/key/\S+", body)

    applicant.goto(link)
    applicant.get_by_label(re.compile(r"^New password:?$", re.I)).fill(NEW_PASSWORD)
    applicant.get_by_label(re.compile(r"^New password \(again\)", re.I)).fill(
        NEW_PASSWORD
    )
    applicant.get_by_role("button", name="Save my password").click()
    expect(
        applicant.get_by_text(re.compile("password is now changed", re.I))
    ).to_be_visible()

    applicant.goto(live_server.url + "/sign-in/?next=/my/")
    applicant.get_by_label("Email address").fill("ada@example.org")
    applicant.get_by_label("Password").fill(NEW_PASSWORD)
    applicant.get_by_role("button", name="Sign in").click()
    expect(applicant.get_by_role("heading", name="My membership")).to_be_visible()
    card = applicant.get_by_role("region", name="Membership card")
    assert membership.membership_number in card.inner_text()
    assert "Active" in card.inner_text()
    applicant.context.close()
    staff_page.context.close()
