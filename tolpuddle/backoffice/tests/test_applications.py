"""The applications queue in the back office: HQ staff approve or decline."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tolpuddle.members import services
from tolpuddle.members.models import (
    AccessAction,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PersonalDataAccess,
)
from tolpuddle.members.tests.factories import (
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("backoffice_applications")


def apply(**extra):
    details = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "category": MembershipCategory.FULL,
    }
    details.update(extra)
    return services.membership_apply(**details)


def test_the_queue_lists_applicants_only_oldest_first(sign_in, hq_staff):
    workplace = WorkplaceFactory(name="Ward 10", employer__name="City Hospital")
    newer = apply(applied_on=datetime.date(2026, 11, 20))
    older = apply(
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.org",
        applied_on=datetime.date(2026, 11, 3),
        workplace=workplace,
        job_category="Porter",
    )
    member = MembershipFactory(person__first_name="Already", person__last_name="Member")

    response = sign_in(hq_staff).get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert str(older.person) in page
    assert str(newer.person) in page
    assert page.index("Grace Hopper") < page.index("Ada Lovelace")
    assert "3 November 2026" in page
    assert "Porter at City Hospital, Ward 10" in page
    assert str(member.person) not in page
    assert "2 applications waiting" in page


def test_the_queue_warns_of_the_same_email_address(sign_in, hq_staff):
    lapsed = MembershipFactory(lapsed=True, person__email="ada@example.org")
    apply()

    page = sign_in(hq_staff).get(QUEUE).content.decode()

    assert "same email address" in page
    assert reverse("backoffice_member", args=[lapsed.pk]) in page


def test_the_application_warns_of_the_same_name_and_date_of_birth(sign_in, hq_staff):
    born = datetime.date(1990, 12, 10)
    existing = MembershipFactory(
        person=PersonFactory(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=born,
            email="old@example.org",
            postcode="",
        ),
        lapsed=True,
    )
    application = apply(date_of_birth=born, postcode="")

    response = sign_in(hq_staff).get(
        reverse("backoffice_application", args=[application.pk])
    )

    page = response.content.decode()
    assert "same name and date of birth" in page
    assert reverse("backoffice_member", args=[existing.pk]) in page
    assert "same email address" not in page


def test_an_application_with_no_match_shows_no_warning(sign_in, hq_staff):
    MembershipFactory(person__first_name="Someone", person__last_name="Else")
    application = apply()

    page = (
        sign_in(hq_staff)
        .get(reverse("backoffice_application", args=[application.pk]))
        .content.decode()
    )

    assert "This may be someone already on the register" not in page
    assert "Approve the application" in page


def test_approving_allocates_a_number_and_emails_a_welcome(
    sign_in, hq_staff, django_capture_on_commit_callbacks
):
    application = apply()
    client = sign_in(hq_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("backoffice_application_approve", args=[application.pk])
        )

    assert response.status_code == 302
    assert response.url == QUEUE
    application.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE
    assert application.membership_number
    assert application.events.get(kind=MembershipEventKind.APPROVED).actor == hq_staff
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "/account/password/reset/key/" in mail.outbox[0].body
    followed = client.get(response.url).content.decode()
    assert f"is member {application.membership_number}" in followed


def test_declining_needs_a_reason_and_keeps_the_application(sign_in, hq_staff):
    application = apply()

    response = sign_in(hq_staff).post(
        reverse("backoffice_application_decline", args=[application.pk]),
        {"reason": "   "},
    )

    assert response.status_code == 200
    assert "Say why the application is declined" in response.content.decode()
    application.refresh_from_db()
    assert application.status == MembershipStatus.APPLICANT
    assert not mail.outbox


def test_declining_with_a_reason_tells_the_applicant(
    sign_in, hq_staff, django_capture_on_commit_callbacks
):
    application = apply()

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(hq_staff).post(
            reverse("backoffice_application_decline", args=[application.pk]),
            {"reason": "You do not work in a sector we organise."},
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipStatus.DECLINED
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "You do not work in a sector we organise." in mail.outbox[0].body


def test_an_application_already_decided_says_so_instead_of_failing(sign_in, hq_staff):
    application = apply()
    services.membership_approve(membership=application, actor=None)
    client = sign_in(hq_staff)
    events = MembershipEvent.objects.count()

    approve = client.post(
        reverse("backoffice_application_approve", args=[application.pk]), follow=True
    )
    decline = client.post(
        reverse("backoffice_application_decline", args=[application.pk]),
        {"reason": "Too late"},
        follow=True,
    )

    for response in (approve, decline):
        assert response.status_code == 200
        page = response.content.decode()
        assert "already" in page
        assert "Approve the application" not in page
    assert MembershipEvent.objects.count() == events


@pytest.mark.parametrize("who", ["branch_secretary", "workplace_rep"])
def test_officers_and_reps_get_a_404_and_no_menu_item(request, sign_in, who):
    application = apply()
    client = sign_in(request.getfixturevalue(who))

    for url in (
        QUEUE,
        reverse("backoffice_application", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("backoffice_application_approve", args=[application.pk])
        ).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == MembershipStatus.APPLICANT
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_hq_staff_see_the_menu_item_with_the_count(sign_in, hq_staff):
    apply()

    page = sign_in(hq_staff).get(reverse("wagtailadmin_home")).content.decode()

    assert QUEUE in page
    assert "Applications (1)" in page


def test_an_unknown_application_is_a_404(sign_in, hq_staff):
    response = sign_in(hq_staff).get(reverse("backoffice_application", args=[999999]))

    assert response.status_code == 404


def test_an_employer_typed_by_the_applicant_is_shown_to_staff(sign_in, hq_staff):
    membership = apply(
        employer_typed="Kent Youth Offending Service", workplace_typed="Maidstone"
    )

    response = sign_in(hq_staff).get(
        reverse("backoffice_application", args=[membership.pk])
    )

    content = response.content.decode()
    assert "Employer typed by the applicant" in content
    assert "Kent Youth Offending Service" in content
    assert "Maidstone" in content


# --- The access log -----------------------------------------------------------------


def test_viewing_the_queue_is_logged_as_a_list(sign_in, hq_staff):
    apply()
    apply(first_name="Grace", last_name="Hopper", email="grace@example.org")

    sign_in(hq_staff).get(QUEUE)

    access = PersonalDataAccess.objects.get()
    assert access.user == hq_staff
    assert access.action == AccessAction.VIEWED
    assert access.membership is None
    assert access.detail == {
        "list": "applications",
        "page": 1,
        "filters": {},
        "rows": 2,
    }


def test_an_empty_queue_shows_nobody_and_is_not_logged(sign_in, hq_staff):
    assert sign_in(hq_staff).get(QUEUE).status_code == 200

    assert not PersonalDataAccess.objects.exists()


def test_viewing_an_application_is_logged(sign_in, hq_staff):
    application = apply()

    sign_in(hq_staff).get(reverse("backoffice_application", args=[application.pk]))

    access = PersonalDataAccess.objects.get()
    assert access.user == hq_staff
    assert access.action == AccessAction.VIEWED
    assert access.membership == application
    assert access.detail == {"page": "application"}


def test_nothing_is_logged_for_a_refused_look(sign_in, branch_secretary):
    application = apply()
    client = sign_in(branch_secretary)

    client.get(QUEUE)
    client.get(reverse("backoffice_application", args=[application.pk]))

    assert not PersonalDataAccess.objects.exists()
