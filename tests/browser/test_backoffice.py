"""The back office in Chromium: a branch secretary's view of the list, HQ's CSV
export and the bulk transfer's dry run. Everyone signs in through the real pages,
with a second factor."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.helpers import give_authenticator, sign_in_with_code, verified_user
from tolpuddle.members.models import AccessAction, Employment, PersonalDataAccess
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def member(branch, first_name, last_name, **fields):
    return MembershipFactory(
        branch=branch,
        person=PersonFactory(first_name=first_name, last_name=last_name),
        **fields,
    )


def hq_staff_signed_in(page, base_url, *, next_url="/admin/"):
    staff = verified_user(email="jo@example.org", is_staff=True, first_name="Jo")
    staff.groups.add(Group.objects.get(name="Membership staff"))
    secret = give_authenticator(staff)
    sign_in_with_code(page, base_url, "jo@example.org", secret, next_url=next_url)
    return staff


def members_listed(page):
    """The names in the list's Name column, in order."""
    return page.locator("table.listing tbody tr td:nth-child(2)").all_inner_texts()


def test_a_branch_secretary_searches_their_branch_and_no_other(live_server, page):
    north, south = BranchFactory(name="North"), BranchFactory(name="South")
    user = verified_user(email="sec@example.org", first_name="Annie")
    secretary = MembershipFactory(
        branch=north, person=PersonFactory(user=user, last_name="Kenney")
    )
    hold(secretary, "branch-secretary", branch=north)
    mary = member(north, "Mary", "Smith")
    member(north, "Sam", "Smithers", lapsed=True)
    member(north, "Tom", "Mann")
    stranger = member(south, "Sarah", "Smith")
    secret = give_authenticator(user)

    sign_in_with_code(page, live_server.url, "sec@example.org", secret)
    page.goto(live_server.url + "/admin/members/")
    page.get_by_label("Search").fill("smi")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name=re.compile("2 members"))).to_be_visible()
    assert sorted(members_listed(page)) == ["Mary Smith", "Sam Smithers"]

    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name=re.compile("1 member"))).to_be_visible()
    assert members_listed(page) == ["Mary Smith"]
    assert page.get_by_label("Search").input_value() == "smi"  # the search is kept

    page.get_by_role("link", name="Mary Smith").click()
    expect(page.get_by_role("heading", name="Membership")).to_be_visible()
    assert mary.membership_number in page.locator("main").inner_text()

    # Another branch's member, by typing the address: the same 404 as for nobody.
    response = page.goto(live_server.url + f"/admin/members/{stranger.pk}/")
    assert response.status == 404
    assert "Sarah" not in page.content()

    # Filtering by the other branch lists nobody.
    page.goto(live_server.url + "/admin/members/")
    page.get_by_label("Branch").select_option(label="South")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No members match")).to_be_visible()
    assert members_listed(page) == []


def test_hq_staff_download_a_filtered_list_and_the_download_is_logged(
    live_server, page
):
    north, south = BranchFactory(name="North"), BranchFactory(name="South")
    wanted = [member(north, "Mary", "Smith"), member(north, "Tom", "Mann")]
    member(north, "Sam", "Smithers", lapsed=True)
    member(south, "Sarah", "Smith")

    staff = hq_staff_signed_in(page, live_server.url, next_url="/admin/members/")
    page.get_by_label("Branch").select_option(label="North")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name=re.compile("2 members"))).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these members as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read())))

    header, *records = rows
    assert header[:4] == ["membership_number", "title", "first_name", "last_name"]
    assert sorted(r[0] for r in records) == sorted(m.membership_number for m in wanted)
    assert {r[header.index("branch")] for r in records} == {"North"}
    assert {r[header.index("status")] for r in records} == {"active"}

    [logged] = PersonalDataAccess.objects.filter(action=AccessAction.EXPORTED)
    assert logged.user == staff
    assert logged.membership is None


def test_hq_staff_preview_a_bulk_transfer_then_confirm_it(live_server, page):
    old = EmployerFactory(name="Northern Community Rehabilitation Company")
    new = EmployerFactory(name="Probation Service")
    office = WorkplaceFactory(employer=old, name="Salford Office")
    movers = [
        EmploymentFactory(
            workplace=office,
            membership=member(None, first, last),
            job_category="Probation Officer",
        )
        for first, last in [("Mary", "Smith"), ("Tom", "Mann"), ("Ada", "Nield")]
    ]
    EmploymentFactory(membership=member(None, "Sam", "Stays"))  # another employer

    hq_staff_signed_in(page, live_server.url, next_url="/admin/transfers/")
    page.get_by_label("Employer the members are leaving").select_option(label=old.name)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Salford Office")).to_be_visible()
    page.get_by_label("Employer they move to").select_option(label=new.name)
    page.get_by_label("Date of the transfer").fill("01/06/2021")
    page.get_by_label("Note for each member's history (optional)").fill(
        "Reunification of probation"
    )
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview: nothing has changed yet")
    expect(preview).to_be_visible()
    expect(preview.get_by_text("3 jobs would move")).to_be_visible()
    names = preview.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["Ada Nield", "Mary Smith", "Tom Mann"]
    # The dry run wrote nothing.
    assert not Employment.objects.filter(employer=new).exists()
    assert all(Employment.objects.get(pk=job.pk).ended_on is None for job in movers)

    page.get_by_role("button", name="Confirm: move 3 jobs").click()
    expect(page.get_by_text("Status: Succeeded")).to_be_visible()
    expect(page.get_by_text("3 jobs moved from")).to_be_visible()
    assert Employment.objects.filter(employer=new, ended_on=None).count() == 3
    assert {Employment.objects.get(pk=job.pk).ended_on for job in movers} == {
        datetime.date(2021, 5, 31)
    }
