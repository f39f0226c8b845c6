"""Industrial action in Chromium: HQ staff record a dispute, create a ballot over
it, freeze the electorate, prepare the notices of ballot and download one as a PDF.
Signed in through the real pages, with a second factor."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import give_authenticator, sign_in_with_code, verified_user
from tolpuddle.disputes.models import Ballot, BallotNotice, Dispute
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def uk(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def test_hq_staff_take_a_dispute_to_its_notices_of_ballot(live_server, page):
    today = timezone.localdate()
    probation = EmployerFactory(name="Probation Service")
    EmployerFactory(name="Cafcass")
    leeds = WorkplaceFactory(employer=probation, name="Leeds")
    for first, last in (("Ada", "Nield"), ("Bob", "Crow")):
        EmploymentFactory(
            membership=MembershipFactory(
                person=PersonFactory(first_name=first, last_name=last)
            ),
            employer=probation,
            workplace=leeds,
            job_category="Probation officer",
            started_on=datetime.date(2022, 1, 4),
        )
    staff = verified_user(email="jo@example.org", is_staff=True, first_name="Jo")
    staff.groups.add(Group.objects.get(name="Membership staff"))
    secret = give_authenticator(staff)
    opening = today + datetime.timedelta(days=14)
    closing = today + datetime.timedelta(days=42)

    sign_in_with_code(
        page, live_server.url, "jo@example.org", secret, next_url="/admin/disputes/"
    )
    page.get_by_role("link", name="Record a dispute").click()
    page.get_by_label("Title").fill("Pay 2027")
    page.get_by_label("Summary of the matters in issue").fill(
        "The employer's refusal to pay the pay award in full."
    )
    page.get_by_label("Began on").fill(uk(today - datetime.timedelta(days=30)))
    page.get_by_label("Probation Service").check()
    page.get_by_role("button", name="Record the dispute").click()
    expect(
        page.get_by_text("The dispute “Pay 2027” has been recorded.")
    ).to_be_visible()

    page.get_by_role("link", name="Create a ballot").click()
    page.get_by_label("Title").fill("Ballot for strike action")
    page.get_by_label(
        "Ask whether members are prepared to take part in a strike"
    ).check()
    page.get_by_label("Opening day").fill(uk(opening))
    page.get_by_label("Closing day").fill(uk(closing))
    page.get_by_label("Address for the return of voting papers").fill(
        "Freepost RTKA-XYZA, London SE1 1AA"
    )
    page.get_by_label("Person authorised to call action").fill("The General Secretary")
    page.get_by_role("button", name="Create the ballot").click()
    expect(page.get_by_role("heading", name="Timetable")).to_be_visible()
    notice_by = opening - datetime.timedelta(days=7)
    expect(
        page.locator(".timetable-list").get_by_text(
            f"{notice_by:%A} {notice_by.day} {notice_by:%B %Y}"
        )
    ).to_be_visible()
    expect(page.locator(f'td[data-date="{notice_by:%Y-%m-%d}"]')).to_contain_text(
        "Notice of ballot by"
    )

    page.get_by_role("link", name="Electorate", exact=True).click()
    page.get_by_role("button", name="Freeze the electorate").click()
    expect(
        page.get_by_text(re.compile(r"The electorate is frozen as at"))
    ).to_be_visible()
    expect(page.locator("#included-count")).to_have_text("2")
    expect(page.get_by_role("rowheader", name="Ada Nield")).to_be_visible()

    page.get_by_role("link", name="Notices to employers").click()
    page.get_by_role("button", name="Prepare the notices").click()
    expect(page.get_by_text("1 notice of ballot prepared")).to_be_visible()
    expect(page.get_by_text("Total number of employees concerned: 2")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF of the notice to Probation Service").click()
    download = download_info.value

    assert download.suggested_filename.endswith("probation-service.pdf")
    with open(download.path(), "rb") as file:
        data = file.read()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages
    )
    assert "NOTICE OF BALLOT" in text.upper()
    assert "Total number of employees concerned: 2" in text
    ballot = Ballot.objects.get()
    assert ballot.dispute == Dispute.objects.get(title="Pay 2027")
    assert (ballot.electorate_version, BallotNotice.objects.get().content["total"]) == (
        1,
        2,
    )
