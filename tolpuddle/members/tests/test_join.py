"""Joining online: an application for staff to approve, duplicates caught and explained."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tolpuddle.members.models import Membership, MembershipEvent
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db


def application(**changes):
    data = {
        "title": "Ms",
        "first_name": "Ada",
        "last_name": "Nield",
        "email": "Ada@Example.org",
        "phone": "0161 496 0123",
        "address_line_1": "1 Mill Lane",
        "address_line_2": "",
        "town": "Manchester",
        "postcode": "m1 1aa",
        "date_of_birth": "27/03/1985",
        "employer": "",
        "workplace": "",
        "job_category": "Probation Officer",
        "payment_method": "direct_debit",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_a_good_application_is_recorded_for_staff_to_approve(client):
    workplace = WorkplaceFactory(name="Salford Probation Office")

    response = client.post(reverse("join"), application(workplace=str(workplace.pk)))

    assert response.status_code == 302
    assert response["Location"] == reverse("join_thanks")
    membership = Membership.objects.select_related("person").get()
    assert (membership.status, membership.membership_number) == ("applicant", None)
    assert (membership.person.email, membership.person.postcode) == (
        "ada@example.org",
        "M1 1AA",
    )
    assert membership.person.date_of_birth == datetime.date(1985, 3, 27)
    assert membership.payment_method == "direct_debit"
    job = membership.employments.get()
    assert (job.employer, job.workplace) == (workplace.employer, workplace)
    assert MembershipEvent.objects.filter(
        membership=membership, kind="applied"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"email": "ada@"}, "not a valid email"),
        ({"postcode": "nowhere"}, "not a UK postcode"),
        ({"date_of_birth": "30/02/1985"}, "not a real date"),
        ({"date_of_birth": "01/01/2099"}, "real date of birth"),
        ({"first_name": ""}, "This field is required"),
        ({"consent": ""}, "Tick the box to agree"),
    ],
)
def test_a_bad_application_is_refused_next_to_the_field_and_kept(
    client, changes, words
):
    response = client.post(reverse("join"), application(**changes))

    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert words in content
    assert 'value="1 Mill Lane"' in content
    assert not Membership.objects.exists()


def test_a_workplace_of_another_employer_is_refused(client):
    workplace = WorkplaceFactory()
    other = EmployerFactory()

    response = client.post(
        reverse("join"),
        application(employer=str(other.pk), workplace=str(workplace.pk)),
    )

    assert response.status_code == 400
    assert "is not a workplace of" in response.content.decode()


def test_an_email_already_on_a_membership_is_caught_and_explained(client):
    MembershipFactory(person=PersonFactory(email="ada@example.org"))

    response = client.post(reverse("join"), application())

    assert response.status_code == 400
    assert (
        "already a membership or an application with this email"
        in response.content.decode()
    )
    assert Membership.objects.count() == 1


def test_the_same_person_already_a_member_is_caught_with_another_email(client):
    MembershipFactory(
        person=PersonFactory(
            first_name="Ada",
            last_name="Nield",
            email="old@example.org",
            date_of_birth=datetime.date(1985, 3, 27),
        )
    )

    response = client.post(reverse("join"), application(email="new@example.org"))

    assert response.status_code == 400
    assert "already a member or applying" in response.content.decode()


def test_a_former_member_may_apply_again(client):
    MembershipFactory(
        person=PersonFactory(email="ada@example.org"),
        status="resigned",
        left_on=datetime.date(2020, 1, 1),
    )

    response = client.post(reverse("join"), application())

    assert response.status_code == 302
    assert Membership.objects.filter(status="applicant").count() == 1


def test_the_join_form_works_without_javascript_and_lists_current_employers(client):
    current = EmployerFactory(name="Probation Service")
    EmployerFactory(name="Old Trust", existed_until=datetime.date(2014, 5, 31))

    content = client.get(reverse("join")).content.decode()

    assert '<form method="post"' in content
    assert current.name in content
    assert "Old Trust" not in content


def test_applications_are_rate_limited_per_email_address(client):
    for n in range(3):
        client.post(reverse("join"), application(first_name=f"Ada{n}"))

    response = client.post(reverse("join"), application(first_name="Ada"))

    assert response.status_code == 429
    assert b"Too many applications" in response.content
    assert b'value="Ada"' in response.content  # what was typed is kept


def test_applications_are_rate_limited_per_ip_address(client):
    for n in range(10):
        client.post(reverse("join"), application(email=f"person{n}@example.org"))

    response = client.post(reverse("join"), application(email="another@example.org"))

    assert response.status_code == 429
    assert not Membership.objects.filter(person__email="another@example.org").exists()


def test_the_applicant_is_emailed_when_approved_and_can_then_sign_in(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    from tolpuddle.members import services

    client.post(reverse("join"), application())
    membership = Membership.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=membership, actor=None)

    [body] = smtp_sink.bodies_to("ada@example.org")
    membership.refresh_from_db()
    assert membership.membership_number in body
    assert "/account/password/reset/key/" in body
    assert membership.person.user.email == "ada@example.org"


def test_the_applicant_is_emailed_the_reason_when_declined(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    from tolpuddle.members import services

    client.post(reverse("join"), application())
    membership = Membership.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(
            membership=membership, actor=None, reason="You work for a private firm."
        )

    [body] = smtp_sink.bodies_to("ada@example.org")
    assert "You work for a private firm." in body
    assert membership.person.user is None


def test_an_employer_not_in_the_register_can_be_typed_for_staff_to_match(client):
    response = client.post(
        reverse("join"),
        application(
            employer_typed="Kent Youth Offending Service",
            workplace_typed="Maidstone office",
            pay_band="Band 4",
        ),
    )

    assert response.status_code == 302
    applied = MembershipEvent.objects.get(kind="applied")
    assert applied.data["employer_typed"] == "Kent Youth Offending Service"
    assert applied.data["workplace_typed"] == "Maidstone office"
    assert applied.data["pay_band"] == "Band 4"


def test_an_employer_both_chosen_and_typed_is_refused(client):
    employer = EmployerFactory()

    response = client.post(
        reverse("join"),
        application(employer=str(employer.pk), employer_typed="Somewhere else"),
    )

    assert response.status_code == 400
    assert b"not both" in response.content
    assert not Membership.objects.exists()


def test_choosing_an_employer_offers_only_its_workplaces(client):
    mine = WorkplaceFactory(name="Salford Probation Office")
    WorkplaceFactory(name="Somewhere Else")

    response = client.get(reverse("workplace_options"), {"employer": mine.employer.pk})
    nothing = client.get(reverse("workplace_options"), {"employer": "not a number"})

    assert b"Salford Probation Office" in response.content
    assert b"Somewhere Else" not in response.content
    assert nothing.status_code == 200
    assert b'<option value="">' in nothing.content
    form = client.get(reverse("join")).content.decode()
    assert f'hx-get="{reverse("workplace_options")}"' in form
