"""The member portal: my membership, and changing my details."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tolpuddle.members.models import MembershipEvent, Person, SubscriptionRate
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    membership = MembershipFactory(
        person=PersonFactory(user=user, email="ellen@example.org", postcode="B1 1AA"),
        membership_number="104233",
        joined_on=datetime.date(2014, 6, 1),
    )
    client.force_login(user)
    return membership


def test_my_membership_shows_my_card_jobs_and_rate(client, member):
    EmploymentFactory(
        membership=member, job_category="Probation Officer", pay_band="Band 4"
    )
    SubscriptionRate.objects.create(
        category="full",
        pay_band="Band 4",
        monthly_amount=Decimal("18.50"),
        valid_from=datetime.date(2020, 1, 1),
    )

    response = client.get(reverse("members:my_membership"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "104233" in content
    assert "1 June 2014" in content
    assert "Probation Officer" in content
    assert "£18.50 a month" in content
    assert "Payment method: Direct Debit" in content


def test_my_membership_leads_to_my_ballots_votes_and_days_of_action(client, member):
    content = client.get(reverse("members:my_membership")).content.decode()

    for name in ("disputes:my_ballots", "voting:my_polls", "action:my_action"):
        url = reverse(name)
        assert f'href="{url}"' in content, name
        assert client.get(url).status_code == 200, name
    # The old "tell us you have voted" list is the disputes page now: one entry.
    assert f'href="{reverse("turnout:my_ballots")}"' not in content


@pytest.mark.parametrize(
    ("method", "shown"),
    [
        ("direct_debit", "Payment method: Direct Debit"),
        ("payroll", "Payment method: Payroll deduction"),
        ("none", "Payment method: none recorded"),
    ],
)
def test_my_payment_method_is_shown_even_when_no_rate_applies(
    client, member, method, shown
):
    member.payment_method = method
    member.save(update_fields=["payment_method"])
    EmploymentFactory(membership=member, pay_band="A band with no rate")

    content = client.get(reverse("members:my_membership")).content.decode()

    assert "No subscription rate applies" in content
    assert shown in content


def test_signing_in_is_needed_to_see_a_membership(client):
    response = client.get(reverse("members:my_membership"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_sign_in_without_a_membership_is_told_so_with_a_404(client):
    client.force_login(UserFactory())
    response = client.get(reverse("members:my_membership"))
    assert response.status_code == 404
    assert b"not linked to a membership" in response.content


def test_changing_my_details_normalises_them_and_records_the_change(client, member):
    response = client.post(
        reverse("members:my_details"),
        {
            "email": "Ellen@Example.NET",
            "phone": "0121 496 0123",
            "address_line_1": "1 New Street",
            "address_line_2": "",
            "town": "Birmingham",
            "postcode": "b2 4qa",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get(pk=member.person_id)
    assert (person.email, person.phone, person.postcode) == (
        "ellen@example.net",
        "+441214960123",
        "B2 4QA",
    )
    event = MembershipEvent.objects.get(membership=member, kind="details_changed")
    assert event.actor == member.person.user
    assert event.data["changed"]["postcode"] == ["B1 1AA", "B2 4QA"]


def test_bad_details_are_refused_next_to_the_field_keeping_what_was_typed(
    client, member
):
    response = client.post(
        reverse("members:my_details"),
        {
            "email": "ellen@",
            "phone": "12",
            "address_line_1": "1 New Street",
            "address_line_2": "",
            "town": "Birmingham",
            "postcode": "nowhere",
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert "is not a valid email address" in content
    assert "is not a UK postcode" in content
    assert (
        "is not a phone number" in content or "is not a valid phone number" in content
    )
    assert 'value="1 New Street"' in content  # what was typed is kept
    person = Person.objects.get(pk=member.person_id)
    assert (person.email, person.postcode) == (
        "ellen@example.org",
        "B1 1AA",
    )  # nothing saved
    assert not MembershipEvent.objects.filter(
        membership=member, kind="details_changed"
    ).exists()


def test_a_member_asks_to_resign_and_stays_a_member_until_staff_confirm(client, member):
    from tolpuddle.members import services

    response = client.post(
        reverse("members:my_resignation"), {"leaving_on": "", "reason": "Retiring"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "active"
    request = services.membership_resignation_pending(membership=member)
    assert (request.reason, request.actor) == ("Retiring", member.person.user)
    page = client.get(reverse("members:my_membership")).content.decode()
    assert "You asked to resign on" in page

    again = client.post(
        reverse("members:my_resignation"), {"leaving_on": "", "reason": ""}
    )
    assert again.status_code == 400
    assert "the membership team will confirm it" in again.content.decode()

    services.membership_resign(
        membership=member, actor=UserFactory(), reason="Confirmed"
    )
    assert services.membership_resignation_pending(membership=member) is None


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2027", "Enter a date"),
        ("tomorrow", "Enter a date"),
        ("01/01/2001", "cannot be in the past"),
    ],
)
def test_a_resignation_date_that_will_not_do_is_refused_and_kept(
    client, member, typed, words
):
    response = client.post(
        reverse("members:my_resignation"), {"leaving_on": typed, "reason": "x"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert words in content
    assert f'value="{typed}"' in content
    assert not MembershipEvent.objects.filter(
        membership=member, kind="resignation_requested"
    ).exists()


def test_my_membership_card_is_a_real_pdf_with_my_number(client, member):
    import io

    from pypdf import PdfReader

    response = client.get(reverse("members:my_card_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = pdf.pages[0].extract_text()
    assert "104233" in text
    assert "1 June 2014" in text
    width_mm = float(pdf.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 86  # the size of a bank card


def test_a_former_member_has_no_card(client, member):
    member.status = "resigned"
    member.left_on = datetime.date(2025, 1, 1)
    member.save()

    assert client.get(reverse("members:my_card_pdf")).status_code == 404


# --- My jobs ---------------------------------------------------------------------


def test_a_member_adds_a_new_job_and_it_lands_in_their_history(client, member):
    workplace = WorkplaceFactory(name="Salford Probation Office")

    response = client.post(
        reverse("members:my_job_new"),
        {
            "employer": workplace.employer.pk,
            "workplace": workplace.pk,
            "job_category": "Probation Officer",
            "hours": "22.5",
            "pay_band": "Band 4",
            "started_on": "01/09/2026",
        },
    )

    assert response.status_code == 302
    job = member.employments.get()
    assert job.workplace == workplace
    assert job.hours == Decimal("22.5")
    assert job.started_on == datetime.date(2026, 9, 1)
    assert MembershipEvent.objects.filter(
        membership=member, kind="employment_started"
    ).exists()


def test_a_bad_new_job_is_refused_next_to_the_field_and_kept(client, member):
    workplace = WorkplaceFactory()
    other = EmployerFactory()

    response = client.post(
        reverse("members:my_job_new"),
        {
            "employer": other.pk,
            "workplace": workplace.pk,
            "hours": "lots",
            "started_on": "31/02/2026",
            "job_category": "Senior Probation Officer",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "is not a workplace of" in content
    assert "Enter a date as day/month/year, for example" in content
    assert 'value="Senior Probation Officer"' in content
    assert 'value="lots"' in content
    assert not member.employments.exists()


def test_a_member_changes_their_hours_from_a_date(client, member):
    job = EmploymentFactory(
        membership=member, hours=Decimal("37"), started_on=datetime.date(2020, 1, 6)
    )

    response = client.post(
        reverse("members:my_job_change", kwargs={"pk": job.pk}),
        {
            "workplace": job.workplace_id or "",
            "job_category": job.job_category,
            "hours": "30",
            "pay_band": job.pay_band,
            "effective_on": "01/10/2026",
        },
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.ended_on == datetime.date(2026, 9, 30)
    current = member.employments.get(ended_on__isnull=True)
    assert current.hours == Decimal("30")
    assert MembershipEvent.objects.filter(
        membership=member, kind="employment_changed"
    ).exists()


def test_a_member_ends_a_job_and_cannot_end_it_before_it_began(client, member):
    job = EmploymentFactory(membership=member, started_on=datetime.date(2020, 1, 6))
    url = reverse("members:my_job_end", kwargs={"pk": job.pk})

    refused = client.post(url, {"ended_on": "01/01/2019"})
    assert refused.status_code == 400
    job.refresh_from_db()
    assert job.ended_on is None

    client.post(url, {"ended_on": "31/10/2026", "reason": "New post"})
    job.refresh_from_db()
    assert job.ended_on == datetime.date(2026, 10, 31)


def test_someone_elses_job_is_not_found(client, member):
    other_job = EmploymentFactory()

    for name in ("members:my_job_change", "members:my_job_end"):
        url = reverse(name, kwargs={"pk": other_job.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"ended_on": "31/10/2026"}).status_code == 404
    other_job.refresh_from_db()
    assert other_job.ended_on is None
