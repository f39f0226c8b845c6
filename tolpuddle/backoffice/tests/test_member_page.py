"""The member page in the back office: what each role sees, the access log, and the
edits made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tolpuddle.members import services
from tolpuddle.members.models import (
    AccessAction,
    Employment,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PersonalDataAccess,
)
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold

pytestmark = pytest.mark.django_db


def url(name, membership, *args):
    return reverse(name, args=[membership.pk, *args])


@pytest.fixture
def member(branches):
    """A member of North, with a job, a position and some history."""
    north, _south = branches
    membership = MembershipFactory(
        branch=north,
        person=PersonFactory(
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.org",
            phone="+447700900123",
            postcode="M1 1AE",
            town="Manchester",
        ),
    )
    EmploymentFactory(
        membership=membership,
        workplace=WorkplaceFactory(
            name="Royal Infirmary", employer=EmployerFactory(name="City NHS Trust")
        ),
        job_category="Staff nurse",
    )
    hold(membership, "workplace-rep", workplace=WorkplaceFactory(name="Depot"))
    return membership


@pytest.fixture
def other_branch_member(branches):
    _north, south = branches
    return MembershipFactory(branch=south)


# --- Seeing the page ------------------------------------------------------------


def test_hq_staff_see_details_jobs_positions_and_history(sign_in, hq_staff, member):
    services.membership_change_details(
        membership=member, actor=hq_staff, town="Salford", reason="Moved house"
    )

    response = sign_in(hq_staff).get(url("backoffice_member", member))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Lovelace" in page
    assert member.membership_number in page
    assert "07700 900123" in page
    assert "6 January 2020" in page  # joined, as people in the UK write it
    assert "Staff nurse" in page and "City NHS Trust" in page
    assert "Workplace rep" in page
    # The history, newest first: the change of town, before the import.
    assert "Details changed" in page
    assert "Town: from Manchester to Salford" in page
    assert "Moved house" in page
    assert page.index("Details changed") < page.index("Imported")
    assert "Jo Whitfield" in page  # who did it


def test_each_view_of_the_page_is_logged_once(sign_in, hq_staff, member):
    client = sign_in(hq_staff)

    client.get(url("backoffice_member", member))
    assert PersonalDataAccess.objects.filter(membership=member).count() == 1

    client.get(url("backoffice_member", member))
    accesses = PersonalDataAccess.objects.filter(membership=member)
    assert accesses.count() == 2
    assert {(a.user, a.action) for a in accesses} == {(hq_staff, AccessAction.VIEWED)}


def test_a_branch_secretary_sees_their_branch_and_not_another(
    sign_in, branch_secretary, member, other_branch_member
):
    client = sign_in(branch_secretary)

    assert client.get(url("backoffice_member", member)).status_code == 200
    assert client.get(url("backoffice_member", other_branch_member)).status_code == 404
    assert client.get(reverse("backoffice_member", args=[999999])).status_code == 404
    assert not PersonalDataAccess.objects.filter(
        membership=other_branch_member
    ).exists()


def test_a_rep_sees_their_branch_but_changes_nothing(sign_in, workplace_rep, member):
    client = sign_in(workplace_rep)
    job = member.employments.get()

    page = client.get(url("backoffice_member", member))

    assert page.status_code == 200
    assert url("backoffice_member_details", member) not in page.content.decode()
    assert url("backoffice_member_job_new", member) not in page.content.decode()
    assert url("backoffice_member_invite", member) not in page.content.decode()
    for address in (
        url("backoffice_member_details", member),
        url("backoffice_member_job_new", member),
        url("backoffice_member_job_end", member, job.pk),
        url("backoffice_member_resign", member),
        url("backoffice_member_access_log", member),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(url("backoffice_member_invite", member)).status_code == 404
    assert (
        client.post(
            url("backoffice_member_details", member), {"email": "x@example.org"}
        ).status_code
        == 404
    )
    assert MembershipEvent.objects.filter(membership=member).count() == 1
    assert mail.outbox == []


def test_the_history_is_shown_a_page_at_a_time(sign_in, hq_staff, member):
    for day in range(1, 61):
        services.membership_event_record(
            membership=member,
            kind=MembershipEventKind.ARREARS_RECORDED,
            actor=None,
            effective_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
            data={"from": "0.00", "to": f"{day}.00"},
        )
    client = sign_in(hq_staff)

    first = client.get(url("backoffice_member", member)).content.decode()
    older = client.get(url("backoffice_member", member) + "?page=2").content.decode()

    assert "From £0.00 to £60.00" in first and "From £0.00 to £11.00" in first
    assert "From £0.00 to £10.00" not in first
    assert "Show older entries" in first
    assert "From £0.00 to £10.00" in older and "Imported" in older
    assert "Imported" not in first


# --- The access log ----------------------------------------------------------------


def test_hq_staff_read_who_looked_at_a_record(
    sign_in, hq_staff, branch_secretary, member, client
):
    sign_in(branch_secretary).get(url("backoffice_member", member))
    client.logout()

    response = sign_in(hq_staff).get(url("backoffice_member_access_log", member))

    assert response.status_code == 200
    page = response.content.decode()
    assert branch_secretary.email in page
    assert "Viewed the record" in page
    assert f"{timezone.localdate():%B %Y}" in page


def test_officers_cannot_read_the_access_log(sign_in, branch_secretary, member):
    client = sign_in(branch_secretary)

    assert client.get(url("backoffice_member_access_log", member)).status_code == 404
    page = client.get(url("backoffice_member", member)).content.decode()
    assert url("backoffice_member_access_log", member) not in page


# --- Contact details ---------------------------------------------------------------


def test_an_officer_changes_contact_details_and_the_history_says_so(
    sign_in, branch_secretary, member
):
    client = sign_in(branch_secretary)
    form = client.get(url("backoffice_member_details", member))
    assert form.status_code == 200
    assert 'value="ada@example.org"' in form.content.decode()

    response = client.post(
        url("backoffice_member_details", member),
        {
            "email": "Ada.Byron@Example.org",
            "phone": "0161 496 0000",
            "address_line_1": "1 Analytical Way",
            "address_line_2": "",
            "town": "Manchester",
            "postcode": "m11ae",
            "reason": "Member phoned in",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("backoffice_member", member)
    member.person.refresh_from_db()
    assert member.person.email == "ada.byron@example.org"
    assert member.person.phone == "+441614960000"
    assert member.person.address_line_1 == "1 Analytical Way"
    event = member.events.get(kind=MembershipEventKind.DETAILS_CHANGED)
    assert event.actor == branch_secretary
    assert event.reason == "Member phoned in"
    page = response.content.decode()
    assert "contact details have been saved" in page
    assert "Email: from ada@example.org to ada.byron@example.org" in page


@pytest.mark.parametrize(
    "bad",
    [
        ("postcode", "XYZ 123", "postcode"),
        ("email", "ada-at-example", "email"),
        ("phone", "12", "phone"),
    ],
)
def test_bad_contact_details_keep_what_was_typed_and_save_nothing(
    sign_in, hq_staff, member, bad
):
    field, typed, message = bad
    data = {
        "email": "new@example.org",
        "phone": "",
        "address_line_1": "2 New Street",
        "address_line_2": "",
        "town": "Leeds",
        "postcode": "LS1 1UR",
        "reason": "",
    }
    data[field] = typed

    response = sign_in(hq_staff).post(url("backoffice_member_details", member), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field]).lower()
    page = response.content.decode()
    assert f'value="{typed}"' in page
    assert 'value="2 New Street"' in page
    member.person.refresh_from_db()
    assert (member.person.email, member.person.town) == (
        "ada@example.org",
        "Manchester",
    )
    assert not member.events.filter(kind=MembershipEventKind.DETAILS_CHANGED).exists()


# --- Jobs --------------------------------------------------------------------------


def test_starting_a_job_chooses_the_employer_then_its_workplaces(
    sign_in, branch_secretary, member
):
    employer = EmployerFactory(name="County Council")
    town_hall = WorkplaceFactory(employer=employer, name="Town Hall")
    elsewhere = WorkplaceFactory(name="Somewhere Else")
    client = sign_in(branch_secretary)

    first = client.get(url("backoffice_member_job_new", member))
    second = client.get(
        url("backoffice_member_job_new", member), {"employer": employer.pk}
    )

    assert "County Council" in first.content.decode()
    assert "Town Hall" not in first.content.decode()
    assert "Town Hall" in second.content.decode()
    assert "Somewhere Else" not in second.content.decode()

    response = client.post(
        url("backoffice_member_job_new", member),
        {
            "employer": employer.pk,
            "workplace": town_hall.pk,
            "job_category": "Planning officer",
            "hours": "22.5",
            "pay_band": "Grade 6",
            "started_on": "1/3/2025",
        },
    )

    assert response.status_code == 302
    job = member.employments.get(employer=employer)
    assert (job.workplace, job.hours, job.started_on) == (
        town_hall,
        Decimal("22.50"),
        datetime.date(2025, 3, 1),
    )
    event = member.events.get(kind=MembershipEventKind.EMPLOYMENT_STARTED)
    assert event.actor == branch_secretary
    assert (
        "Planning officer at County Council, Town Hall"
        in client.get(url("backoffice_member", member)).content.decode()
    )

    wrong = client.post(
        url("backoffice_member_job_new", member),
        {"employer": employer.pk, "workplace": elsewhere.pk, "started_on": "bad"},
    )
    assert wrong.status_code == 400
    assert set(wrong.context["form"].errors) == {"workplace", "started_on"}
    assert member.employments.count() == 2


def test_ending_a_job_records_the_last_day(sign_in, hq_staff, member):
    job = member.employments.get()
    client = sign_in(hq_staff)

    too_early = client.post(
        url("backoffice_member_job_end", member, job.pk), {"ended_on": "31/12/2019"}
    )
    assert too_early.status_code == 400
    assert "cannot end before it started" in " ".join(
        too_early.context["form"].errors["ended_on"]
    )
    assert 'value="31/12/2019"' in too_early.content.decode()

    response = client.post(
        url("backoffice_member_job_end", member, job.pk),
        {"ended_on": "30 June 2025", "reason": "Took a new job"},
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.ended_on == datetime.date(2025, 6, 30)
    event = member.events.get(kind=MembershipEventKind.EMPLOYMENT_ENDED)
    assert (event.actor, event.reason) == (hq_staff, "Took a new job")
    # An ended job cannot be ended again.
    assert (
        client.get(url("backoffice_member_job_end", member, job.pk)).status_code == 404
    )


def test_a_job_of_another_member_cannot_be_ended_through_this_one(
    sign_in, hq_staff, member
):
    someone_elses = EmploymentFactory()

    response = sign_in(hq_staff).post(
        url("backoffice_member_job_end", member, someone_elses.pk),
        {"ended_on": "30/06/2025"},
    )

    assert response.status_code == 404
    assert Employment.objects.get(pk=someone_elses.pk).ended_on is None


# --- Inviting to sign in ------------------------------------------------------------


def test_inviting_a_member_emails_them_a_link(
    sign_in, branch_secretary, member, django_capture_on_commit_callbacks
):
    client = sign_in(branch_secretary)
    assert (
        "Has no sign-in"
        in client.get(url("backoffice_member", member)).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("backoffice_member_invite", member), follow=True)

    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    page = response.content.decode()
    assert "with a link to choose a password" in page
    assert "Has a sign-in (ada@example.org)" in page
    assert "not yet verified" in page
    assert member.events.filter(kind=MembershipEventKind.SIGN_IN_INVITED).exists()


def test_inviting_a_member_with_no_email_says_what_to_do(
    sign_in, hq_staff, member, django_capture_on_commit_callbacks
):
    services.membership_change_details(membership=member, actor=hq_staff, email="")

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(hq_staff).post(
            url("backoffice_member_invite", member), follow=True
        )

    assert mail.outbox == []
    assert "There is no email address for this member" in response.content.decode()
    member.person.refresh_from_db()
    assert member.person.user is None


def test_an_invitation_is_sent_only_by_post(sign_in, hq_staff, member):
    response = sign_in(hq_staff).get(url("backoffice_member_invite", member))

    assert response.status_code == 405


# --- Resignation -------------------------------------------------------------------


def test_hq_staff_confirm_a_resignation_the_member_asked_for(sign_in, hq_staff, member):
    services.membership_request_resignation(
        membership=member, actor=None, reason="Retiring"
    )
    client = sign_in(hq_staff)
    form = client.get(url("backoffice_member_resign", member))
    assert "asked to resign" in form.content.decode()
    assert "Retiring</textarea>" in form.content.decode()

    today = timezone.localdate()
    response = client.post(
        url("backoffice_member_resign", member),
        {"leaving_on": f"{today:%d/%m/%Y}", "reason": "Retiring"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.left_on) == (MembershipStatus.RESIGNED, today)
    event = member.events.get(kind=MembershipEventKind.RESIGNED)
    assert (event.actor, event.status_from) == (hq_staff, MembershipStatus.ACTIVE)
    assert services.membership_resignation_pending(membership=member) is None


def test_a_resignation_cannot_be_recorded_before_the_member_leaves(
    sign_in, hq_staff, member
):
    later = timezone.localdate() + datetime.timedelta(days=30)

    response = sign_in(hq_staff).post(
        url("backoffice_member_resign", member), {"leaving_on": f"{later:%d/%m/%Y}"}
    )

    assert response.status_code == 400
    assert "remain a member until" in " ".join(
        response.context["form"].errors["leaving_on"]
    )
    member.refresh_from_db()
    assert member.status == MembershipStatus.ACTIVE


def test_branch_officers_cannot_record_resignations(sign_in, branch_secretary, member):
    client = sign_in(branch_secretary)

    assert client.get(url("backoffice_member_resign", member)).status_code == 404
    assert (
        client.post(
            url("backoffice_member_resign", member), {"leaving_on": "01/01/2025"}
        ).status_code
        == 404
    )
    member.refresh_from_db()
    assert member.status == MembershipStatus.ACTIVE
