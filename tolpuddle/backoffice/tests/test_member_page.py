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
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    PaymentMethod,
    PersonalDataAccess,
    Position,
    Role,
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


# Every form that shows the member's data, with the page name its GET is logged as.
FORMS_LOGGED = [
    (lambda m: url("backoffice_member_details", m), "contact details form"),
    (lambda m: url("backoffice_member_terms", m), "membership form"),
    (lambda m: url("backoffice_member_job_new", m), "start a job form"),
    (
        lambda m: (
            url("backoffice_member_job_new", m)
            + f"?employer={m.employments.get().employer_id}"
        ),
        "start a job form",
    ),
    (
        lambda m: url("backoffice_member_job_end", m, m.employments.get().pk),
        "end a job form",
    ),
    (
        lambda m: url("backoffice_member_job_change", m, m.employments.get().pk),
        "change a job form",
    ),
    (lambda m: url("backoffice_member_position_new", m), "start a position form"),
    (
        lambda m: url("backoffice_member_position_end", m, m.positions.get().pk),
        "end a position form",
    ),
    (lambda m: url("backoffice_member_resign", m), "resignation form"),
]


@pytest.mark.parametrize(("address", "page"), FORMS_LOGGED)
def test_opening_a_form_is_logged_like_the_page(
    sign_in, hq_staff, member, address, page
):
    response = sign_in(hq_staff).get(address(member))

    assert response.status_code == 200
    access = PersonalDataAccess.objects.get(membership=member)
    assert access.user == hq_staff
    assert access.action == AccessAction.VIEWED
    assert access.detail == {"page": page}


@pytest.mark.parametrize(("address", "page"), FORMS_LOGGED)
def test_sending_a_form_back_is_not_logged_again(
    sign_in, hq_staff, member, address, page
):
    sign_in(hq_staff).post(address(member), {})

    assert not PersonalDataAccess.objects.filter(membership=member).exists()


def test_a_form_refused_to_a_rep_is_not_logged(sign_in, workplace_rep, member):
    client = sign_in(workplace_rep)

    for address, _page in FORMS_LOGGED:
        assert client.get(address(member)).status_code == 404

    assert not PersonalDataAccess.objects.filter(membership=member).exists()


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


# --- The way back to the list ---------------------------------------------------------


def test_the_member_page_links_back_to_the_members_list(sign_in, workplace_rep, member):
    page = sign_in(workplace_rep).get(url("backoffice_member", member))

    assert f'href="{reverse("backoffice_members")}"' in page.content.decode()


# --- Changing a job from a date ---------------------------------------------------------


def test_an_officer_changes_a_job_from_a_date_and_the_history_keeps_both(
    sign_in, branch_secretary, member
):
    job = member.employments.get()
    ward = WorkplaceFactory(employer=job.employer, name="Children's Ward")
    client = sign_in(branch_secretary)
    page = client.get(url("backoffice_member", member)).content.decode()
    assert url("backoffice_member_job_change", member, job.pk) in page

    form = client.get(url("backoffice_member_job_change", member, job.pk))
    assert form.status_code == 200
    assert 'value="Staff nurse"' in form.content.decode()

    response = client.post(
        url("backoffice_member_job_change", member, job.pk),
        {
            "workplace": ward.pk,
            "job_category": "Ward sister",
            "hours": "30",
            "pay_band": "Band 7",
            "effective_on": "1/4/2025",
            "reason": "Promoted",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("backoffice_member", member)
    job.refresh_from_db()
    assert job.ended_on == datetime.date(2025, 3, 31)
    new = member.employments.get(started_on=datetime.date(2025, 4, 1))
    assert (new.workplace, new.job_category, new.hours, new.pay_band) == (
        ward,
        "Ward sister",
        Decimal("30.00"),
        "Band 7",
    )
    event = member.events.get(kind=MembershipEventKind.EMPLOYMENT_CHANGED)
    assert (event.actor, event.reason, event.effective_on) == (
        branch_secretary,
        "Promoted",
        datetime.date(2025, 4, 1),
    )
    assert "Job: from Staff nurse to Ward sister" in response.content.decode()


@pytest.mark.parametrize(
    "case",
    [
        ({"effective_on": "31/12/2019"}, "effective_on", "before the job started"),
        ({"effective_on": ""}, "effective_on", "Enter the day the change"),
        ({"effective_on": "31/02/2025"}, "effective_on", ""),
        (
            {"workplace": "elsewhere"},
            "workplace",
            "Choose a workplace of this employer",
        ),
        ({"hours": "200"}, "hours", "cannot be more than 168"),
    ],
)
def test_a_bad_job_change_keeps_what_was_typed_and_writes_nothing(
    sign_in, hq_staff, member, case
):
    change, field, message = case
    job = member.employments.get()
    elsewhere = WorkplaceFactory(name="Another Employer's Site")
    data = {
        "workplace": job.workplace.pk,
        "job_category": "Ward sister",
        "hours": "30",
        "pay_band": "Band 7",
        "effective_on": "1/4/2025",
    }
    data.update(change)
    if data["workplace"] == "elsewhere":
        data["workplace"] = elsewhere.pk

    response = sign_in(hq_staff).post(
        url("backoffice_member_job_change", member, job.pk), data
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    page = response.content.decode()
    assert 'value="Ward sister"' in page
    if data["effective_on"]:
        assert f'value="{data["effective_on"]}"' in page
    assert member.employments.count() == 1
    job.refresh_from_db()
    assert (job.ended_on, job.job_category) == (None, "Staff nurse")
    assert not member.events.filter(
        kind=MembershipEventKind.EMPLOYMENT_CHANGED
    ).exists()


def test_a_job_change_that_changes_nothing_is_refused(sign_in, hq_staff, member):
    job = member.employments.get()

    response = sign_in(hq_staff).post(
        url("backoffice_member_job_change", member, job.pk),
        {
            "workplace": job.workplace.pk,
            "job_category": "Staff nurse",
            "hours": "37.5",
            "pay_band": job.pay_band,
            "effective_on": "1/4/2025",
        },
    )

    assert response.status_code == 400
    assert "Nothing has changed" in response.content.decode()
    assert member.employments.count() == 1


def test_an_ended_job_or_another_members_job_cannot_be_changed(
    sign_in, hq_staff, member
):
    ended = EmploymentFactory(membership=member, ended=True)
    someone_elses = EmploymentFactory()
    client = sign_in(hq_staff)

    for job in (ended, someone_elses):
        address = url("backoffice_member_job_change", member, job.pk)
        assert client.get(address).status_code == 404
        assert client.post(address, {"effective_on": "1/4/2025"}).status_code == 404
    assert Employment.objects.count() == 3


# --- Positions -----------------------------------------------------------------------


def test_an_officer_appoints_a_member_to_a_branch_role_in_their_branch(
    sign_in, branch_secretary, branches, member
):
    north, _south = branches
    client = sign_in(branch_secretary)
    page = client.get(url("backoffice_member", member)).content.decode()
    assert url("backoffice_member_position_new", member) in page

    form = client.get(url("backoffice_member_position_new", member))
    offered = form.context["form"]
    assert {r.slug for r in offered.fields["role"].queryset} >= {
        "branch-secretary",
        "workplace-rep",
    }
    assert "national-executive-member" not in {
        r.slug for r in offered.fields["role"].queryset
    }
    assert list(offered.fields["branch"].queryset) == [north]
    assert [w.name for w in offered.fields["workplace"].queryset] == ["Royal Infirmary"]

    response = client.post(
        url("backoffice_member_position_new", member),
        {
            "role": Role.objects.get(slug="branch-treasurer").pk,
            "branch": north.pk,
            "started_on": "1/5/2025",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("backoffice_member", member)
    position = member.positions.get(role__slug="branch-treasurer")
    assert (position.branch, position.started_on, position.ended_on) == (
        north,
        datetime.date(2025, 5, 1),
        None,
    )
    event = member.events.get(kind=MembershipEventKind.POSITION_STARTED)
    assert event.actor == branch_secretary
    assert "Branch treasurer" in response.content.decode()


def test_an_officer_makes_a_member_of_their_branch_a_rep_at_their_workplace(
    sign_in, branch_secretary, member
):
    infirmary = member.employments.get().workplace

    response = sign_in(branch_secretary).post(
        url("backoffice_member_position_new", member),
        {
            "role": Role.objects.get(slug="health-and-safety-rep").pk,
            "workplace": infirmary.pk,
            "started_on": "1/5/2025",
            "ended_on": "30/4/2027",
        },
    )

    assert response.status_code == 302
    position = member.positions.get(role__slug="health-and-safety-rep")
    assert (position.workplace, position.ended_on) == (
        infirmary,
        datetime.date(2027, 4, 30),
    )


@pytest.mark.parametrize(
    "case",
    [
        # A role the officer may not assign.
        ("national-executive-member", None, "1/5/2025", "role", "Choose a role"),
        # A branch they are not an officer of.
        ("branch-secretary", "south", "1/5/2025", "branch", "Choose a branch"),
        # A workplace that is not one of the member's.
        ("workplace-rep", "depot", "1/5/2025", "workplace", "Choose a workplace"),
        # A branch role with no branch.
        ("branch-chair", None, "1/5/2025", "branch", "Choose the branch"),
        # No date, and a date that is not one.
        ("branch-chair", "north", "", "started_on", "Enter the first day"),
        ("branch-chair", "north", "31/02/2025", "started_on", ""),
    ],
)
def test_an_officer_cannot_assign_what_is_not_theirs_to_assign(
    sign_in, branch_secretary, branches, member, case
):
    slug, place, started_on, field, message = case
    north, south = branches
    depot = member.positions.get().workplace
    data = {"role": Role.objects.get(slug=slug).pk, "started_on": started_on}
    if place in ("north", "south"):
        data["branch"] = {"north": north, "south": south}[place].pk
    elif place == "depot":
        data["workplace"] = depot.pk

    response = sign_in(branch_secretary).post(
        url("backoffice_member_position_new", member), data
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    if started_on:
        assert f'value="{started_on}"' in response.content.decode()
    assert member.positions.count() == 1
    assert not member.events.filter(kind=MembershipEventKind.POSITION_STARTED).exists()


def test_the_same_role_in_the_same_place_cannot_be_held_twice(
    sign_in, hq_staff, branches, member
):
    north, _south = branches
    client = sign_in(hq_staff)
    data = {
        "role": Role.objects.get(slug="branch-chair").pk,
        "branch": north.pk,
        "started_on": "1/5/2025",
    }
    assert (
        client.post(url("backoffice_member_position_new", member), data).status_code
        == 302
    )

    again = client.post(
        url("backoffice_member_position_new", member),
        {**data, "started_on": "1/6/2025"},
    )

    assert again.status_code == 400
    assert "already hold this role there, from 01/05/2025" in again.content.decode()
    assert 'value="1/6/2025"' in again.content.decode()
    assert member.positions.filter(role__slug="branch-chair").count() == 1


def test_hq_staff_assign_a_national_role(sign_in, hq_staff, member):
    response = sign_in(hq_staff).post(
        url("backoffice_member_position_new", member),
        {
            "role": Role.objects.get(slug="national-executive-member").pk,
            "started_on": "1/5/2025",
        },
    )

    assert response.status_code == 302
    assert member.positions.filter(role__slug="national-executive-member").exists()


def test_a_position_cannot_start_for_a_member_not_in_good_standing(
    sign_in, hq_staff, branches
):
    north, _south = branches
    lapsed = MembershipFactory(branch=north, lapsed=True)

    response = sign_in(hq_staff).post(
        url("backoffice_member_position_new", lapsed),
        {
            "role": Role.objects.get(slug="branch-chair").pk,
            "branch": north.pk,
            "started_on": "1/5/2025",
        },
    )

    assert response.status_code == 400
    assert "Only a member in good standing" in response.content.decode()
    assert not lapsed.positions.exists()


def test_an_officer_ends_a_position_and_the_history_says_so(
    sign_in, branch_secretary, member
):
    position = member.positions.get()  # workplace rep at the Depot, since 2020
    client = sign_in(branch_secretary)
    address = url("backoffice_member_position_end", member, position.pk)
    assert address in client.get(url("backoffice_member", member)).content.decode()

    too_early = client.post(address, {"ended_on": "31/12/2019"})
    assert too_early.status_code == 400
    assert "cannot end before it started" in " ".join(
        too_early.context["form"].errors["ended_on"]
    )
    assert 'value="31/12/2019"' in too_early.content.decode()
    empty = client.post(address, {"ended_on": ""})
    assert empty.status_code == 400
    assert "Enter the last day" in " ".join(empty.context["form"].errors["ended_on"])
    position.refresh_from_db()
    assert position.ended_on is None
    assert not member.events.filter(kind=MembershipEventKind.POSITION_ENDED).exists()

    response = client.post(
        address, {"ended_on": "30/6/2025", "reason": "Stood down"}, follow=True
    )

    assert response.redirect_chain[-1][0] == url("backoffice_member", member)
    position.refresh_from_db()
    assert position.ended_on == datetime.date(2025, 6, 30)
    event = member.events.get(kind=MembershipEventKind.POSITION_ENDED)
    assert (event.actor, event.reason, event.effective_on) == (
        branch_secretary,
        "Stood down",
        datetime.date(2025, 6, 30),
    )
    assert "Left a position" in response.content.decode()
    # A term that is over cannot be ended again.
    assert client.get(address).status_code == 404


def test_an_officer_cannot_end_a_branch_position_in_another_branch(
    sign_in, branch_secretary, hq_staff, member, other_branch_member
):
    chair = hold(member, "branch-chair", branch=other_branch_member.branch)
    address = url("backoffice_member_position_end", member, chair.pk)
    officer = sign_in(branch_secretary)

    assert address not in officer.get(url("backoffice_member", member)).content.decode()
    assert officer.get(address).status_code == 404
    assert officer.post(address, {"ended_on": "30/6/2025"}).status_code == 404
    chair.refresh_from_db()
    assert chair.ended_on is None

    assert sign_in(hq_staff).post(address, {"ended_on": "30/6/2025"}).status_code == 302


def test_another_members_position_cannot_be_ended_through_this_one(
    sign_in, hq_staff, member, other_branch_member
):
    theirs = hold(other_branch_member, "workplace-rep", workplace=WorkplaceFactory())

    response = sign_in(hq_staff).post(
        url("backoffice_member_position_end", member, theirs.pk),
        {"ended_on": "30/6/2025"},
    )

    assert response.status_code == 404
    assert Position.objects.get(pk=theirs.pk).ended_on is None


# --- Membership terms (HQ only) ---------------------------------------------------------


def test_hq_staff_change_the_membership_terms_and_the_history_records_each(
    sign_in, hq_staff, branches, member
):
    _north, south = branches
    client = sign_in(hq_staff)
    assert (
        url("backoffice_member_terms", member)
        in client.get(url("backoffice_member", member)).content.decode()
    )
    form = client.get(url("backoffice_member_terms", member))
    assert form.status_code == 200
    assert 'value="Lovelace"' in form.content.decode()

    response = client.post(
        url("backoffice_member_terms", member),
        {
            "title": "Dr",
            "first_name": "Ada",
            "last_name": "King",
            "date_of_birth": "10/12/1985",
            "category": MembershipCategory.RETIRED,
            "branch": south.pk,
            "payment_method": PaymentMethod.PAYROLL,
            "reason": "Letter of 1 May",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("backoffice_member", member)
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert (member.category, member.branch, member.payment_method) == (
        MembershipCategory.RETIRED,
        south,
        PaymentMethod.PAYROLL,
    )
    assert (member.person.title, member.person.last_name) == ("Dr", "King")
    assert member.person.date_of_birth == datetime.date(1985, 12, 10)
    event = member.events.get(kind=MembershipEventKind.DETAILS_CHANGED)
    assert (event.actor, event.reason) == (hq_staff, "Letter of 1 May")
    assert set(event.data["changed"]) >= {
        "title",
        "last_name",
        "date_of_birth",
        "category",
        "branch",
        "payment_method",
    }
    page = response.content.decode()
    assert "Category: from Full to Retired" in page
    assert "Branch: from North to South" in page
    assert "Payment method: from Direct Debit to Payroll deduction" in page


@pytest.mark.parametrize(
    "case",
    [
        ({"last_name": ""}, "last_name", "Enter the last name"),
        ({"date_of_birth": "1/1/2999"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "31/02/1985"}, "date_of_birth", ""),
        ({"category": "gold"}, "category", "Choose a category"),
        ({"branch": "999999"}, "branch", "Choose a branch"),
    ],
)
def test_bad_membership_terms_keep_what_was_typed_and_save_nothing(
    sign_in, hq_staff, branches, member, case
):
    change, field, message = case
    north, _south = branches
    data = {
        "title": "Dr",
        "first_name": "Augusta",
        "last_name": "King",
        "date_of_birth": "10/12/1985",
        "category": MembershipCategory.RETIRED,
        "branch": north.pk,
        "payment_method": PaymentMethod.PAYROLL,
        "reason": "",
    }
    data.update(change)

    response = sign_in(hq_staff).post(url("backoffice_member_terms", member), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert 'value="Augusta"' in response.content.decode()
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert (member.category, member.person.first_name) == (
        MembershipCategory.FULL,
        "Ada",
    )
    assert not member.events.filter(kind=MembershipEventKind.DETAILS_CHANGED).exists()


def test_branch_officers_cannot_change_membership_terms(
    sign_in, branch_secretary, member
):
    client = sign_in(branch_secretary)

    page = client.get(url("backoffice_member", member)).content.decode()
    assert url("backoffice_member_terms", member) not in page
    assert client.get(url("backoffice_member_terms", member)).status_code == 404
    assert (
        client.post(
            url("backoffice_member_terms", member),
            {"first_name": "Ada", "last_name": "King", "category": "retired"},
        ).status_code
        == 404
    )
    member.refresh_from_db()
    assert member.category == MembershipCategory.FULL


# --- Out of scope: the new edits ------------------------------------------------------


def _new_edit_addresses(membership):
    job = membership.employments.first() or EmploymentFactory(membership=membership)
    position = membership.positions.first() or hold(
        membership, "workplace-rep", workplace=WorkplaceFactory()
    )
    return [
        url("backoffice_member_job_change", membership, job.pk),
        url("backoffice_member_position_new", membership),
        url("backoffice_member_position_end", membership, position.pk),
        url("backoffice_member_terms", membership),
    ]


def test_a_secretary_gets_404_for_every_edit_of_another_branchs_member(
    sign_in, branch_secretary, other_branch_member
):
    client = sign_in(branch_secretary)
    before = MembershipEvent.objects.filter(membership=other_branch_member).count()

    for address in _new_edit_addresses(other_branch_member):
        assert client.get(address).status_code == 404, address
        assert (
            client.post(address, {"effective_on": "1/4/2025", "ended_on": "1/4/2025"})
        ).status_code == 404, address

    assert (
        MembershipEvent.objects.filter(membership=other_branch_member).count() == before
    )


def test_a_rep_gets_404_for_every_new_edit_and_sees_no_links(
    sign_in, workplace_rep, member
):
    client = sign_in(workplace_rep)
    addresses = _new_edit_addresses(member)
    page = client.get(url("backoffice_member", member)).content.decode()

    for address in addresses:
        assert address not in page
        assert client.get(address).status_code == 404, address
        assert (
            client.post(address, {"effective_on": "1/4/2025", "ended_on": "1/4/2025"})
        ).status_code == 404, address
    assert MembershipEvent.objects.filter(membership=member).count() == 1


def test_a_rep_cannot_change_positions_on_their_own_record(sign_in, workplace_rep):
    own = workplace_rep.person.membership
    position = own.positions.get()
    client = sign_in(workplace_rep)

    assert client.get(url("backoffice_member_position_new", own)).status_code == 404
    assert (
        client.post(
            url("backoffice_member_position_end", own, position.pk),
            {"ended_on": "1/4/2025"},
        ).status_code
        == 404
    )
    assert client.get(url("backoffice_member_terms", own)).status_code == 404
