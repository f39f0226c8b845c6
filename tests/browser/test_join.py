from __future__ import annotations

import pytest

from tolpuddle.members.models import Membership
from tolpuddle.members.tests.factories import WorkplaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_someone_applies_to_join_correcting_a_mistake_on_the_way(live_server, page):
    workplace = WorkplaceFactory(name="Salford Probation Office")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Join the union").click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Nield")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Address line 1").fill("1 Mill Lane")
    page.get_by_label("Town or city").fill("Manchester")
    page.get_by_label("Postcode").fill("M1")
    page.get_by_label("Workplace (optional)").select_option(label=str(workplace))
    page.get_by_role("button", name="Send my application").click()

    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("First name").input_value() == "Ada"  # kept
    page.get_by_label("Postcode").fill("m1 1aa")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Send my application").click()

    assert page.get_by_role(
        "heading", name="Thank you: we have your application"
    ).is_visible()
    applicant = Membership.objects.select_related("person").get()
    assert (applicant.status, applicant.person.postcode) == ("applicant", "M1 1AA")


def test_choosing_an_employer_narrows_the_workplaces_with_javascript_on(
    live_server, page
):
    salford = WorkplaceFactory(name="Salford Probation Office")
    WorkplaceFactory(name="Leeds Magistrates Court")

    page.goto(live_server.url + "/join/")
    workplaces = page.get_by_label("Workplace (optional)")
    assert "Leeds Magistrates Court" in workplaces.inner_text()

    page.get_by_label("Employer", exact=True).select_option(label=salford.employer.name)

    page.wait_for_function(
        "() => !document.querySelector('#id_workplace').textContent"
        ".includes('Leeds Magistrates Court')"
    )
    assert "Salford Probation Office" in workplaces.inner_text()
