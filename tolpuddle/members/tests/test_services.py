"""The register's business rules, tested through its services."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.members import selectors, services
from tolpuddle.members.models import (
    EmployerSuccession,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    Position,
    Role,
    Workplace,
)
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


def travel_to(day: datetime.date) -> time_machine.travel:
    """Stand at noon, London time, on ``day`` (services default their dates to today)."""
    noon = datetime.datetime.combine(
        day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")
    )
    return time_machine.travel(noon, tick=False)


def history(membership: Membership) -> list[tuple[str, str, str]]:
    """A member's history as (kind, status from, status to), oldest first."""
    return list(
        MembershipEvent.objects.filter(membership=membership)
        .order_by("effective_on", "id")
        .values_list("kind", "status_from", "status_to")
    )


def row_counts() -> dict[str, int]:
    return {
        "employments": Employment.objects.count(),
        "events": MembershipEvent.objects.count(),
        "workplaces": Workplace.objects.count(),
        "successions": EmployerSuccession.objects.count(),
    }


def apply(**overrides: Any) -> Membership:
    details: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "",
    }
    details.update(overrides)
    return services.membership_apply(**details)


# --- Joining -------------------------------------------------------------------------


@travel_to(TODAY)
def test_an_application_creates_an_applicant_without_a_number_and_records_it() -> None:
    actor = UserFactory()

    membership = apply(email="Ada@Example.ORG", postcode=" se1 7tp ", actor=actor)

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLICANT
    assert membership.membership_number is None
    assert membership.applied_on == TODAY
    assert (membership.person.email, membership.person.postcode) == (
        "ada@example.org",
        "SE1 7TP",
    )
    event = membership.events.get()
    assert (event.kind, event.status_to, event.effective_on, event.actor) == (
        MembershipEventKind.APPLIED,
        MembershipStatus.APPLICANT,
        TODAY,
        actor,
    )


def test_an_application_naming_a_workplace_starts_the_job_there_on_the_day_applied() -> (
    None
):
    workplace = WorkplaceFactory()
    applied_on = datetime.date(2025, 2, 3)

    membership = apply(
        workplace=workplace, job_category="Porter", applied_on=applied_on
    )

    job = membership.employments.get()
    assert (job.employer, job.workplace, job.job_category, job.started_on) == (
        workplace.employer,
        workplace,
        "Porter",
        applied_on,
    )


def test_an_application_naming_a_workplace_of_another_employer_is_refused() -> None:
    employer, workplace_elsewhere = EmployerFactory(), WorkplaceFactory()
    before = (Membership.objects.count(), row_counts())

    with pytest.raises(ApplicationError, match="is not a workplace of"):
        apply(employer=employer, workplace=workplace_elsewhere)

    assert (Membership.objects.count(), row_counts()) == before


@pytest.mark.parametrize("missing", ["first_name", "last_name"])
def test_an_application_needs_both_names(missing: str) -> None:
    with pytest.raises(ApplicationError, match="first name and a last name"):
        apply(**{missing: "  "})

    assert not Membership.objects.exists()


@travel_to(TODAY)
def test_approving_an_applicant_gives_them_the_next_number_and_makes_them_active() -> (
    None
):
    applicant = apply()
    officer = UserFactory()

    services.membership_approve(membership=applicant, actor=officer)

    applicant.refresh_from_db()
    assert applicant.membership_number == "100001"
    assert (applicant.status, applicant.joined_on) == (MembershipStatus.ACTIVE, TODAY)
    approval = applicant.events.get(kind=MembershipEventKind.APPROVED)
    assert approval.actor == officer
    assert (approval.status_from, approval.status_to) == (
        MembershipStatus.APPLICANT,
        MembershipStatus.ACTIVE,
    )
    assert approval.data == {"membership_number": "100001"}


def test_each_approval_takes_the_following_number() -> None:
    first, second = apply(), apply(first_name="Grace", last_name="Hopper")

    services.membership_approve(membership=first, actor=None)
    services.membership_approve(membership=second, actor=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.membership_number, second.membership_number) == ("100001", "100002")


def test_an_application_cannot_be_approved_twice() -> None:
    applicant = apply()
    services.membership_approve(membership=applicant, actor=None)
    before = row_counts()

    with pytest.raises(
        ApplicationError,
        match="Cannot approve the application: this membership is active",
    ):
        services.membership_approve(membership=applicant, actor=UserFactory())

    applicant.refresh_from_db()
    assert applicant.membership_number == "100001"
    assert row_counts() == before


def test_approving_a_stale_copy_of_an_approved_application_is_refused() -> None:
    applicant = apply()
    stale_copy = Membership.objects.get(pk=applicant.pk)
    services.membership_approve(membership=applicant, actor=None)

    with pytest.raises(ApplicationError):
        services.membership_approve(membership=stale_copy, actor=None)

    assert Membership.objects.get(pk=applicant.pk).membership_number == "100001"
    assert applicant.events.filter(kind=MembershipEventKind.APPROVED).count() == 1


def test_a_number_already_held_by_an_imported_member_is_skipped() -> None:
    MembershipFactory(membership_number="100001")
    applicant = apply()

    services.membership_approve(membership=applicant, actor=None)

    applicant.refresh_from_db()
    assert applicant.membership_number == "100002"


def test_numbers_after_a_taken_run_carry_on_from_where_allocation_stopped() -> None:
    MembershipFactory(membership_number="100002")
    MembershipFactory(membership_number="100003")
    first, second = apply(), apply(first_name="Grace", last_name="Hopper")

    services.membership_approve(membership=first, actor=None)
    services.membership_approve(membership=second, actor=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.membership_number, second.membership_number) == ("100001", "100004")


def test_raising_the_sequence_past_imported_numbers_makes_approvals_follow_them() -> (
    None
):
    services.membership_number_sequence_raise_to(at_least=250000)
    services.membership_number_sequence_raise_to(at_least=120000)  # never lowers it
    applicant = apply()

    services.membership_approve(membership=applicant, actor=None)

    applicant.refresh_from_db()
    assert applicant.membership_number == "250001"


@pytest.mark.django_db(transaction=True)
def test_applications_approved_at_the_same_moment_get_distinct_consecutive_numbers() -> (
    None
):
    applicants = [
        services.membership_apply(first_name="Applicant", last_name=str(n), email="")
        for n in range(8)
    ]
    start = threading.Barrier(len(applicants), timeout=30)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def approve(applicant: Membership) -> None:
        try:
            start.wait()
            approved = services.membership_approve(membership=applicant, actor=None)
            numbers.append(str(approved.membership_number))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(a,)) for a in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(set(numbers)) == len(applicants)
    as_ints = sorted(int(n) for n in numbers)
    assert as_ints == list(range(as_ints[0], as_ints[0] + len(applicants)))
    stored = Membership.objects.filter(pk__in=[a.pk for a in applicants])
    assert sorted(int(m.membership_number or 0) for m in stored) == as_ints
    assert all(m.status == MembershipStatus.ACTIVE for m in stored)


def test_declining_an_application_needs_a_reason() -> None:
    applicant = apply()

    with pytest.raises(ApplicationError, match="Say why"):
        services.membership_decline(
            membership=applicant, actor=UserFactory(), reason="  "
        )

    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPLICANT
    assert not applicant.events.filter(kind=MembershipEventKind.DECLINED).exists()


@travel_to(TODAY)
def test_declining_an_application_records_the_reason_and_who_declined_it() -> None:
    applicant = apply()
    officer = UserFactory()

    services.membership_decline(
        membership=applicant, actor=officer, reason=" Not eligible: self-employed. "
    )

    applicant.refresh_from_db()
    assert (applicant.status, applicant.membership_number) == (
        MembershipStatus.DECLINED,
        None,
    )
    declined = applicant.events.get(kind=MembershipEventKind.DECLINED)
    assert (declined.actor, declined.reason, declined.effective_on) == (
        officer,
        "Not eligible: self-employed.",
        TODAY,
    )


def test_a_declined_application_cannot_then_be_approved() -> None:
    applicant = apply()
    services.membership_decline(membership=applicant, actor=None, reason="Duplicate")

    with pytest.raises(ApplicationError, match="declined"):
        services.membership_approve(membership=applicant, actor=None)

    applicant.refresh_from_db()
    assert applicant.membership_number is None


# --- Readmission ---------------------------------------------------------------------


def lapsed_member(*, left_on: datetime.date) -> Membership:
    member = apply(applied_on=datetime.date(2021, 4, 20))
    services.membership_approve(
        membership=member, actor=None, on=datetime.date(2021, 5, 4)
    )
    services.membership_record_arrears(
        membership=member,
        amount=Decimal("42.00"),
        since=datetime.date(2023, 1, 1),
        actor=None,
    )
    services.membership_lapse(membership=member, actor=None, on=left_on)
    member.refresh_from_db()
    return member


def test_readmitting_a_lapsed_member_keeps_their_number_and_their_history() -> None:
    member = lapsed_member(left_on=datetime.date(2023, 6, 30))
    number = member.membership_number
    officer = UserFactory()

    services.membership_readmit(
        membership=member, actor=officer, on=datetime.date(2024, 2, 1), reason="Paid up"
    )

    member.refresh_from_db()
    assert member.membership_number == number
    assert (member.status, member.joined_on, member.left_on) == (
        MembershipStatus.ACTIVE,
        datetime.date(2024, 2, 1),
        None,
    )
    assert (member.arrears, member.arrears_since) == (Decimal("0.00"), None)
    statuses = [(kind, to) for kind, _from, to in history(member) if to]
    assert statuses == [
        (MembershipEventKind.APPLIED, MembershipStatus.APPLICANT),
        (MembershipEventKind.APPROVED, MembershipStatus.ACTIVE),
        (MembershipEventKind.LAPSED, MembershipStatus.LAPSED),
        (MembershipEventKind.READMITTED, MembershipStatus.ACTIVE),
    ]
    assert member.events.get(kind=MembershipEventKind.READMITTED).actor == officer


def test_readmission_may_be_dated_on_the_day_they_left() -> None:
    left_on = datetime.date(2023, 6, 30)
    member = lapsed_member(left_on=left_on)

    services.membership_readmit(membership=member, actor=None, on=left_on)

    member.refresh_from_db()
    assert member.status == MembershipStatus.ACTIVE
    assert (
        selectors.memberships_in_good_standing(on=left_on).filter(pk=member.pk).exists()
    )


def test_an_active_member_cannot_be_readmitted() -> None:
    member = MembershipFactory()
    events_before = member.events.count()

    with pytest.raises(
        ApplicationError, match="Cannot readmit: this membership is active"
    ):
        services.membership_readmit(membership=member, actor=None)

    assert member.events.count() == events_before


def test_readmission_cannot_be_dated_before_they_left() -> None:
    member = lapsed_member(left_on=datetime.date(2023, 6, 30))
    events_before = member.events.count()

    with pytest.raises(ApplicationError, match="before they left on 30/06/2023"):
        services.membership_readmit(
            membership=member, actor=None, on=datetime.date(2023, 6, 29)
        )

    member.refresh_from_db()
    assert member.status == MembershipStatus.LAPSED
    assert member.events.count() == events_before


# --- Changing details ----------------------------------------------------------------


@travel_to(TODAY)
def test_changing_details_records_old_and_new_values_and_who_changed_them() -> None:
    member = MembershipFactory(
        person__email="old@example.org", person__postcode="M1 1AE"
    )
    old_branch, new_branch = member.branch, BranchFactory(name="Lambeth Health")
    officer = UserFactory()

    services.membership_change_details(
        membership=member,
        actor=officer,
        reason="Moved house",
        email="New@Example.org",
        postcode="se17tp",
        branch=new_branch,
        category=MembershipCategory.RETIRED,
    )

    member.refresh_from_db()
    assert (member.person.email, member.person.postcode) == (
        "new@example.org",
        "SE1 7TP",
    )
    assert (member.branch, member.category) == (new_branch, MembershipCategory.RETIRED)
    event = member.events.get(kind=MembershipEventKind.DETAILS_CHANGED)
    assert (event.actor, event.reason, event.effective_on) == (
        officer,
        "Moved house",
        TODAY,
    )
    assert event.data == {
        "changed": {
            "email": ["old@example.org", "new@example.org"],
            "postcode": ["M1 1AE", "SE1 7TP"],
            "branch": [
                {"id": old_branch.pk, "name": old_branch.name},
                {"id": new_branch.pk, "name": "Lambeth Health"},
            ],
            "category": ["full", "retired"],
        }
    }


@pytest.mark.parametrize("postcode", ["se17tp", "SE1 7TP", "  se1   7tp ", "Se17Tp"])
def test_a_changed_postcode_is_stored_in_its_standard_form(postcode: str) -> None:
    member = MembershipFactory()

    services.membership_change_details(membership=member, actor=None, postcode=postcode)

    member.person.refresh_from_db()
    assert member.person.postcode == "SE1 7TP"


def test_a_changed_phone_number_is_stored_in_international_form() -> None:
    member = MembershipFactory()

    services.membership_change_details(
        membership=member, actor=None, phone="07400 123456"
    )

    member.person.refresh_from_db()
    assert member.person.phone == "+447400123456"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "not a valid email address"),
        ("email", "ada@", "not a valid email address"),
        ("postcode", "XYZ 123", "not a UK postcode"),
        ("postcode", "SE1", "not a UK postcode"),
        ("phone", "12345", "phone number"),
    ],
)
def test_an_invalid_contact_detail_is_refused_and_nothing_changes(
    field: str, value: str, message: str
) -> None:
    member = MembershipFactory(
        person__email="kept@example.org", person__postcode="M1 1AE"
    )
    person_before = {
        f: getattr(member.person, f) for f in ("email", "postcode", "phone", "town")
    }
    events_before = member.events.count()

    with pytest.raises(ApplicationError, match=message):
        services.membership_change_details(
            membership=member, actor=None, town="Salford", **{field: value}
        )

    member.person.refresh_from_db()
    assert {f: getattr(member.person, f) for f in person_before} == person_before
    assert member.events.count() == events_before


def test_a_change_to_the_values_already_held_writes_no_history() -> None:
    member = MembershipFactory(
        person__first_name="Ada",
        person__email="ada@example.org",
        person__postcode="SE1 7TP",
    )
    events_before = member.events.count()

    services.membership_change_details(
        membership=member,
        actor=UserFactory(),
        first_name=" Ada ",
        email="ADA@example.org",
        postcode="se17tp",
        branch=member.branch,
    )

    assert member.events.count() == events_before


def test_a_name_cannot_be_changed_to_nothing() -> None:
    member = MembershipFactory(person__last_name="Lovelace")

    with pytest.raises(ApplicationError, match="name cannot be left empty"):
        services.membership_change_details(
            membership=member, actor=None, last_name="  "
        )

    member.person.refresh_from_db()
    assert member.person.last_name == "Lovelace"


def test_fields_that_are_not_details_cannot_be_changed_this_way() -> None:
    member = MembershipFactory()
    number = member.membership_number

    with pytest.raises(
        ApplicationError, match="cannot be changed here: membership_number, status"
    ):
        services.membership_change_details(
            membership=member, actor=None, membership_number="1", status="lapsed"
        )

    member.refresh_from_db()
    assert (member.membership_number, member.status) == (
        number,
        MembershipStatus.ACTIVE,
    )


def test_a_changed_name_is_found_by_search_under_the_new_name() -> None:
    member = MembershipFactory(person__first_name="Ada", person__last_name="Byron")

    services.membership_change_details(
        membership=member, actor=None, last_name="Lovelace"
    )

    assert list(selectors.memberships_search(query="lovel")) == [member]
    assert not selectors.memberships_search(query="byron").exists()


# --- Jobs ----------------------------------------------------------------------------


def test_starting_a_job_records_it_and_its_terms_in_the_history() -> None:
    member = MembershipFactory()
    workplace = WorkplaceFactory(name="St Thomas' Hospital")
    started_on = datetime.date(2024, 9, 2)

    job = services.employment_start(
        membership=member,
        employer=workplace.employer,
        workplace=workplace,
        job_category=" Staff nurse ",
        hours=Decimal("18.75"),
        pay_band="Band 5",
        started_on=started_on,
        actor=None,
    )

    assert list(member.employments.all()) == [job]
    assert (job.job_category, job.hours, job.ended_on) == (
        "Staff nurse",
        Decimal("18.75"),
        None,
    )
    event = member.events.get(kind=MembershipEventKind.EMPLOYMENT_STARTED)
    assert event.effective_on == started_on
    assert event.data["workplace"] == "St Thomas' Hospital"
    assert event.data["hours"] == "18.75"


def test_a_job_cannot_start_at_a_workplace_of_another_employer() -> None:
    member = MembershipFactory()
    employer, workplace_elsewhere = EmployerFactory(), WorkplaceFactory()
    before = row_counts()

    with pytest.raises(ApplicationError, match="is not a workplace of"):
        services.employment_start(
            membership=member,
            employer=employer,
            workplace=workplace_elsewhere,
            started_on=datetime.date(2024, 9, 2),
            actor=None,
        )

    assert row_counts() == before


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("168.01")])
def test_a_job_cannot_have_impossible_hours(hours: Decimal) -> None:
    member = MembershipFactory()

    with pytest.raises(ApplicationError, match="Hours a week"):
        services.employment_start(
            membership=member,
            employer=EmployerFactory(),
            hours=hours,
            started_on=datetime.date(2024, 9, 2),
            actor=None,
        )

    assert not member.employments.exists()


def test_ending_a_job_records_its_last_day() -> None:
    job = EmploymentFactory(started_on=datetime.date(2020, 1, 6))
    last_day = datetime.date(2024, 7, 31)

    services.employment_end(
        employment=job, ended_on=last_day, actor=None, reason="Retired"
    )

    job.refresh_from_db()
    assert job.ended_on == last_day
    event = job.membership.events.get(kind=MembershipEventKind.EMPLOYMENT_ENDED)
    assert (event.effective_on, event.reason) == (last_day, "Retired")


def test_a_job_cannot_end_twice_or_before_it_started() -> None:
    job = EmploymentFactory(started_on=datetime.date(2020, 1, 6))

    with pytest.raises(ApplicationError, match="cannot end before it started"):
        services.employment_end(
            employment=job, ended_on=datetime.date(2020, 1, 5), actor=None
        )
    services.employment_end(
        employment=job, ended_on=datetime.date(2024, 7, 31), actor=None
    )
    with pytest.raises(ApplicationError, match="already ended on 31/07/2024"):
        services.employment_end(
            employment=job, ended_on=datetime.date(2024, 8, 31), actor=None
        )

    job.refresh_from_db()
    assert job.ended_on == datetime.date(2024, 7, 31)


def test_changing_a_job_ends_the_old_record_the_day_before_and_starts_a_new_one() -> (
    None
):
    job = EmploymentFactory(started_on=datetime.date(2020, 1, 6), pay_band="Band 5")
    officer = UserFactory()

    current = services.employment_change(
        employment=job,
        effective_on=datetime.date(2024, 4, 1),
        actor=officer,
        reason="Promoted",
        pay_band="Band 6",
    )

    job.refresh_from_db()
    assert current.pk != job.pk
    assert (job.pay_band, job.ended_on) == ("Band 5", datetime.date(2024, 3, 31))
    assert (current.pay_band, current.started_on, current.ended_on) == (
        "Band 6",
        datetime.date(2024, 4, 1),
        None,
    )
    assert (
        current.employer,
        current.workplace,
        current.job_category,
        current.hours,
    ) == (
        job.employer,
        job.workplace,
        job.job_category,
        job.hours,
    )
    event = job.membership.events.get(kind=MembershipEventKind.EMPLOYMENT_CHANGED)
    assert (event.actor, event.effective_on, event.reason) == (
        officer,
        datetime.date(2024, 4, 1),
        "Promoted",
    )
    assert event.data == {
        "changed": {"pay_band": ["Band 5", "Band 6"]},
        "employment": current.pk,
        "previous": job.pk,
    }


def test_a_change_dated_on_the_first_day_of_a_job_corrects_it_in_place() -> None:
    job = EmploymentFactory(started_on=datetime.date(2024, 4, 1), job_category="Nurse")

    current = services.employment_change(
        employment=job,
        effective_on=datetime.date(2024, 4, 1),
        actor=None,
        job_category="Midwife",
    )

    job.refresh_from_db()
    assert current.pk == job.pk
    assert (job.job_category, job.started_on, job.ended_on) == (
        "Midwife",
        datetime.date(2024, 4, 1),
        None,
    )
    assert job.membership.employments.count() == 1


def test_a_job_cannot_change_to_a_workplace_of_another_employer() -> None:
    job = EmploymentFactory(started_on=datetime.date(2020, 1, 6))
    workplace, elsewhere = job.workplace, WorkplaceFactory()
    before = row_counts()

    with pytest.raises(ApplicationError, match="is not a workplace of"):
        services.employment_change(
            employment=job,
            effective_on=datetime.date(2024, 4, 1),
            actor=None,
            workplace=elsewhere,
        )

    job.refresh_from_db()
    assert (job.workplace, job.ended_on) == (workplace, None)
    assert row_counts() == before


def test_moving_to_another_employer_without_naming_a_workplace_leaves_the_workplace_empty() -> (
    None
):
    job = EmploymentFactory(started_on=datetime.date(2020, 1, 6))
    new_employer = EmployerFactory()

    current = services.employment_change(
        employment=job,
        effective_on=datetime.date(2024, 4, 1),
        actor=None,
        employer=new_employer,
    )

    assert (current.employer, current.workplace) == (new_employer, None)


def test_a_job_change_cannot_be_dated_before_the_job_or_after_it_ended() -> None:
    job = EmploymentFactory(
        started_on=datetime.date(2020, 1, 6), ended_on=datetime.date(2023, 1, 31)
    )

    with pytest.raises(ApplicationError, match="before the job started"):
        services.employment_change(
            employment=job,
            effective_on=datetime.date(2020, 1, 5),
            actor=None,
            pay_band="Band 6",
        )
    with pytest.raises(ApplicationError, match="This job has ended"):
        services.employment_change(
            employment=job,
            effective_on=datetime.date(2023, 2, 1),
            actor=None,
            pay_band="Band 6",
        )

    assert job.membership.employments.count() == 1


# --- Leaving -------------------------------------------------------------------------


def test_a_member_without_arrears_cannot_be_lapsed() -> None:
    member = MembershipFactory()
    events_before = member.events.count()

    with pytest.raises(ApplicationError, match="no arrears"):
        services.membership_lapse(
            membership=member, actor=None, on=datetime.date(2025, 1, 31)
        )

    member.refresh_from_db()
    assert (member.status, member.left_on) == (MembershipStatus.ACTIVE, None)
    assert member.events.count() == events_before


@travel_to(TODAY)
def test_lapsing_a_member_in_arrears_ends_their_membership_today() -> None:
    member = MembershipFactory()
    services.membership_record_arrears(
        membership=member,
        amount=Decimal("24.50"),
        since=datetime.date(2025, 3, 1),
        actor=None,
    )
    officer = UserFactory()

    services.membership_lapse(membership=member, actor=officer)

    member.refresh_from_db()
    assert (member.status, member.left_on) == (MembershipStatus.LAPSED, TODAY)
    lapse = member.events.get(kind=MembershipEventKind.LAPSED)
    assert (lapse.actor, lapse.effective_on, lapse.status_from, lapse.status_to) == (
        officer,
        TODAY,
        MembershipStatus.ACTIVE,
        MembershipStatus.LAPSED,
    )
    assert lapse.reason == "Arrears of £24.50"


def test_a_member_who_has_left_cannot_be_lapsed() -> None:
    member = MembershipFactory(resigned=True, arrears=Decimal("10.00"))

    with pytest.raises(
        ApplicationError, match="Cannot lapse this member: this membership is resigned"
    ):
        services.membership_lapse(membership=member, actor=None)

    member.refresh_from_db()
    assert member.status == MembershipStatus.RESIGNED


@travel_to(TODAY)
def test_resigning_ends_the_membership_on_the_day_given() -> None:
    member = MembershipFactory()
    officer = UserFactory()

    services.membership_resign(membership=member, actor=officer, reason="Moving abroad")

    member.refresh_from_db()
    assert (member.status, member.left_on) == (MembershipStatus.RESIGNED, TODAY)
    resignation = member.events.get(kind=MembershipEventKind.RESIGNED)
    assert (resignation.actor, resignation.reason, resignation.status_to) == (
        officer,
        "Moving abroad",
        MembershipStatus.RESIGNED,
    )


def test_only_an_active_member_can_resign() -> None:
    applicant = MembershipFactory(applicant=True)

    with pytest.raises(ApplicationError, match="Cannot record a resignation"):
        services.membership_resign(membership=applicant, actor=None)

    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPLICANT


@travel_to(TODAY)
def test_recording_a_death_ends_open_jobs_and_positions_on_that_day() -> None:
    member = MembershipFactory()
    open_job = EmploymentFactory(membership=member)
    old_job = EmploymentFactory(membership=member, ended=True)
    position = services.position_start(
        membership=member,
        role=Role.objects.get(slug="workplace-rep"),
        workplace=open_job.workplace,
        started_on=datetime.date(2023, 5, 1),
        actor=None,
    )
    died_on = datetime.date(2025, 6, 1)

    services.membership_record_death(membership=member, actor=UserFactory(), on=died_on)

    member.refresh_from_db()
    open_job.refresh_from_db()
    old_job.refresh_from_db()
    position.refresh_from_db()
    assert (member.status, member.left_on) == (MembershipStatus.DECEASED, died_on)
    assert open_job.ended_on == died_on
    assert old_job.ended_on == datetime.date(2022, 12, 31)
    assert position.ended_on == died_on
    assert member.events.get(kind=MembershipEventKind.DIED).effective_on == died_on


@travel_to(TODAY)
def test_a_death_cannot_be_recorded_for_a_future_date() -> None:
    member = MembershipFactory()
    job = EmploymentFactory(membership=member)

    with pytest.raises(ApplicationError, match="cannot be in the future"):
        services.membership_record_death(
            membership=member, actor=None, on=TODAY + datetime.timedelta(days=1)
        )

    member.refresh_from_db()
    job.refresh_from_db()
    assert (member.status, job.ended_on) == (MembershipStatus.ACTIVE, None)


@pytest.mark.parametrize("state", ["applicant", "declined"])
def test_a_death_is_not_recorded_for_someone_never_admitted(state: str) -> None:
    person = MembershipFactory(**{state: True})
    events_before = person.events.count()

    with pytest.raises(ApplicationError, match="never admitted"):
        services.membership_record_death(
            membership=person, actor=None, on=datetime.date(2025, 1, 1)
        )

    person.refresh_from_db()
    assert person.status == state
    assert person.events.count() == events_before


def test_a_former_members_death_is_recorded() -> None:
    member = MembershipFactory(resigned=True)

    services.membership_record_death(
        membership=member, actor=None, on=datetime.date(2025, 1, 1)
    )

    member.refresh_from_db()
    assert (member.status, member.left_on) == (
        MembershipStatus.DECEASED,
        datetime.date(2025, 1, 1),
    )


def test_a_death_dated_before_a_job_started_is_refused() -> None:
    member = MembershipFactory()
    job = EmploymentFactory(membership=member, started_on=datetime.date(2025, 3, 1))

    with pytest.raises(ApplicationError, match="starts after 01/01/2025"):
        services.membership_record_death(
            membership=member, actor=None, on=datetime.date(2025, 1, 1)
        )

    member.refresh_from_db()
    job.refresh_from_db()
    assert (member.status, job.ended_on) == (MembershipStatus.ACTIVE, None)


def test_a_death_cannot_be_recorded_twice() -> None:
    member = MembershipFactory(deceased=True)

    with pytest.raises(ApplicationError, match="already recorded"):
        services.membership_record_death(
            membership=member, actor=None, on=datetime.date(2025, 1, 1)
        )


# --- Positions -----------------------------------------------------------------------


def test_a_member_in_good_standing_can_take_up_a_position() -> None:
    member = MembershipFactory()
    role = Role.objects.get(slug="workplace-rep")
    workplace = WorkplaceFactory()
    officer = UserFactory()

    position = services.position_start(
        membership=member,
        role=role,
        workplace=workplace,
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2026, 12, 31),
        actor=officer,
    )

    assert list(member.positions.all()) == [position]
    assert (position.role, position.workplace, position.ended_on) == (
        role,
        workplace,
        datetime.date(2026, 12, 31),
    )
    event = member.events.get(kind=MembershipEventKind.POSITION_STARTED)
    assert (event.actor, event.effective_on) == (officer, datetime.date(2025, 1, 1))
    assert event.data == {"position": position.pk, "role": "Workplace rep"}


@pytest.mark.parametrize("state", ["applicant", "lapsed", "resigned"])
def test_only_a_member_in_good_standing_can_hold_a_position(state: str) -> None:
    member = MembershipFactory(**{state: True})

    with pytest.raises(ApplicationError, match="good standing"):
        services.position_start(
            membership=member,
            role=Role.objects.get(slug="branch-secretary"),
            branch=member.branch,
            started_on=datetime.date(2025, 1, 1),
            actor=None,
        )

    assert not Position.objects.exists()


def test_a_term_cannot_end_before_it_starts() -> None:
    member = MembershipFactory()

    with pytest.raises(ApplicationError, match="cannot end before it starts"):
        services.position_start(
            membership=member,
            role=Role.objects.get(slug="branch-chair"),
            started_on=datetime.date(2025, 1, 1),
            ended_on=datetime.date(2024, 12, 31),
            actor=None,
        )

    assert not Position.objects.exists()


# --- Bulk transfer -------------------------------------------------------------------

TRANSFER_ON = datetime.date(2025, 4, 1)
DAY_BEFORE = datetime.date(2025, 3, 31)


class Outsourcing:
    """Old Trust's work passes to New Co. New Co already has a Guy's; not a St Thomas'."""

    def __init__(self) -> None:
        self.old = EmployerFactory(name="Old Trust")
        self.new = EmployerFactory(name="New Co")
        self.st_thomas = WorkplaceFactory(
            employer=self.old,
            name="St Thomas'",
            address_line_1="Westminster Bridge Road",
        )
        self.guys = WorkplaceFactory(employer=self.old, name="Guy's")
        self.new_guys = WorkplaceFactory(employer=self.new, name="Guy's")
        self.nurse = self.job(self.st_thomas, "Nurse", last_name="Nightingale")
        self.porter = self.job(self.guys, "Porter", last_name="Guy")
        self.cleaner = self.job(self.st_thomas, "Cleaner", last_name="Seacole")
        self.elsewhere = self.job(WorkplaceFactory(), "Nurse", last_name="Elsewhere")
        # Two jobs: one at Old Trust, one at another employer.
        self.second_job_elsewhere = self.job(
            WorkplaceFactory(), "Porter", last_name="Twojobs"
        )
        self.two_jobs = self.job(
            self.st_thomas,
            "Porter",
            membership=self.second_job_elsewhere.membership,
        )

    @staticmethod
    def job(workplace: Workplace, category: str, **kwargs: Any) -> Employment:
        last_name = kwargs.pop("last_name", None)
        if last_name is not None:
            kwargs["membership__person__last_name"] = last_name
        return EmploymentFactory(
            workplace=workplace,
            job_category=category,
            hours=Decimal("37.50"),
            pay_band="Band 3",
            started_on=datetime.date(2019, 5, 1),
            **kwargs,
        )

    @property
    def movers(self) -> list[Employment]:
        return [self.nurse, self.porter, self.cleaner, self.two_jobs]


@pytest.fixture
def outsourcing() -> Outsourcing:
    return Outsourcing()


def test_a_dry_run_says_who_would_move_and_writes_nothing(
    outsourcing: Outsourcing,
) -> None:
    before = row_counts()

    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=UserFactory(),
        dry_run=True,
    )

    assert result.dry_run
    assert sorted(move.employment_id for move in result.moves) == sorted(
        job.pk for job in outsourcing.movers
    )
    assert result.created_workplaces == ["St Thomas'"]
    nurse = next(m for m in result.moves if m.employment_id == outsourcing.nurse.pk)
    assert (nurse.from_workplace, nurse.to_workplace, nurse.job_category) == (
        "St Thomas'",
        "St Thomas'",
        "Nurse",
    )
    assert nurse.membership_number == outsourcing.nurse.membership.membership_number
    assert row_counts() == before
    assert not Employment.objects.filter(
        employer=outsourcing.old, ended_on=DAY_BEFORE
    ).exists()
    assert not Employment.objects.filter(employer=outsourcing.new).exists()


def test_a_transfer_ends_old_jobs_the_day_before_and_starts_the_same_jobs_at_the_new_employer(
    outsourcing: Outsourcing,
) -> None:
    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
    )

    assert result.count == 4
    for old_job in outsourcing.movers:
        old_job.refresh_from_db()
        assert old_job.ended_on == DAY_BEFORE
        new_job = Employment.objects.get(
            membership=old_job.membership, employer=outsourcing.new
        )
        assert (new_job.started_on, new_job.ended_on) == (TRANSFER_ON, None)
        assert (new_job.job_category, new_job.hours, new_job.pay_band) == (
            old_job.job_category,
            Decimal("37.50"),
            "Band 3",
        )
        assert new_job.workplace is not None
        assert new_job.workplace.name == old_job.workplace.name  # type: ignore[union-attr]
    moved = {job.membership_id for job in outsourcing.movers}
    assert (
        set(
            selectors.memberships_employed_by(
                employer=outsourcing.new, on=TRANSFER_ON
            ).values_list("pk", flat=True)
        )
        == moved
    )
    assert not selectors.memberships_employed_by(
        employer=outsourcing.old, on=TRANSFER_ON
    ).exists()


def test_a_transfer_uses_the_new_employers_workplace_of_the_same_name_or_creates_it(
    outsourcing: Outsourcing,
) -> None:
    workplaces_before = Workplace.objects.count()

    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
    )

    assert result.created_workplaces == ["St Thomas'"]
    assert Workplace.objects.count() == workplaces_before + 1
    new_st_thomas = Workplace.objects.get(employer=outsourcing.new, name="St Thomas'")
    assert new_st_thomas.address_line_1 == "Westminster Bridge Road"
    porter_now = Employment.objects.get(
        membership=outsourcing.porter.membership, employer=outsourcing.new
    )
    assert porter_now.workplace == outsourcing.new_guys
    assert set(
        Employment.objects.filter(
            employer=outsourcing.new, workplace=new_st_thomas
        ).values_list("membership_id", flat=True)
    ) == {
        outsourcing.nurse.membership_id,
        outsourcing.cleaner.membership_id,
        outsourcing.two_jobs.membership_id,
    }


def test_a_workplace_map_sends_a_workplace_where_it_says(
    outsourcing: Outsourcing,
) -> None:
    central = WorkplaceFactory(employer=outsourcing.new, name="Central Hub")

    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
        workplace_map={outsourcing.st_thomas.pk: central},
    )

    assert result.created_workplaces == []
    assert not Workplace.objects.filter(
        employer=outsourcing.new, name="St Thomas'"
    ).exists()
    assert (
        Employment.objects.get(
            membership=outsourcing.nurse.membership, employer=outsourcing.new
        ).workplace
        == central
    )


def test_a_workplace_map_must_point_at_the_new_employer(
    outsourcing: Outsourcing,
) -> None:
    before = row_counts()

    with pytest.raises(ApplicationError, match="is not a workplace of New Co"):
        services.employer_bulk_transfer(
            from_employer=outsourcing.old,
            to_employer=outsourcing.new,
            on=TRANSFER_ON,
            actor=None,
            workplace_map={outsourcing.st_thomas.pk: outsourcing.guys},
        )

    assert row_counts() == before


def test_a_transfer_records_an_event_for_each_member_moved_and_who_moved_them(
    outsourcing: Outsourcing,
) -> None:
    officer = UserFactory()

    services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=officer,
        reason="Facilities outsourced",
    )

    transferred = MembershipEvent.objects.filter(kind=MembershipEventKind.TRANSFERRED)
    assert sorted(transferred.values_list("membership_id", flat=True)) == sorted(
        job.membership_id for job in outsourcing.movers
    )
    porter = transferred.get(membership=outsourcing.porter.membership)
    new_job = Employment.objects.get(
        membership=outsourcing.porter.membership, employer=outsourcing.new
    )
    assert (porter.actor, porter.effective_on, porter.reason) == (
        officer,
        TRANSFER_ON,
        "Facilities outsourced",
    )
    assert porter.data == {
        "from_employer": "Old Trust",
        "to_employer": "New Co",
        "previous": outsourcing.porter.pk,
        "employment": new_job.pk,
        "from_workplace": "Guy's",
        "to_workplace": "Guy's",
    }


def test_a_transfer_records_that_the_new_employer_succeeded_the_old(
    outsourcing: Outsourcing,
) -> None:
    services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
        reason="Facilities outsourced",
    )

    succession = EmployerSuccession.objects.get()
    assert (
        succession.predecessor,
        succession.successor,
        succession.on,
        succession.note,
    ) == (
        outsourcing.old,
        outsourcing.new,
        TRANSFER_ON,
        "Facilities outsourced",
    )
    assert list(outsourcing.old.successors.all()) == [outsourcing.new]


def test_a_transfer_limited_to_some_workplaces_moves_only_the_people_there(
    outsourcing: Outsourcing,
) -> None:
    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
        workplaces=[outsourcing.st_thomas],
    )

    assert {m.employment_id for m in result.moves} == {
        outsourcing.nurse.pk,
        outsourcing.cleaner.pk,
        outsourcing.two_jobs.pk,
    }
    outsourcing.porter.refresh_from_db()
    assert outsourcing.porter.ended_on is None
    assert not Employment.objects.filter(
        membership=outsourcing.porter.membership, employer=outsourcing.new
    ).exists()


def test_a_transfer_limited_to_some_job_categories_moves_only_those_jobs(
    outsourcing: Outsourcing,
) -> None:
    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
        job_categories=["Porter", "Cleaner"],
    )

    assert {m.employment_id for m in result.moves} == {
        outsourcing.porter.pk,
        outsourcing.cleaner.pk,
        outsourcing.two_jobs.pk,
    }
    outsourcing.nurse.refresh_from_db()
    assert outsourcing.nurse.ended_on is None
    assert set(
        Employment.objects.filter(employer=outsourcing.new).values_list(
            "job_category", flat=True
        )
    ) == {"Porter", "Cleaner"}


def test_a_transfer_cannot_name_a_workplace_of_another_employer(
    outsourcing: Outsourcing,
) -> None:
    before = row_counts()

    with pytest.raises(ApplicationError, match="is not a workplace of Old Trust"):
        services.employer_bulk_transfer(
            from_employer=outsourcing.old,
            to_employer=outsourcing.new,
            on=TRANSFER_ON,
            actor=None,
            workplaces=[outsourcing.new_guys],
        )

    assert row_counts() == before


@pytest.mark.parametrize("last_day", [datetime.date(2024, 12, 31), DAY_BEFORE])
def test_members_whose_job_ends_before_the_transfer_are_not_moved(
    outsourcing: Outsourcing, last_day: datetime.date
) -> None:
    leaving = Outsourcing.job(
        outsourcing.guys, "Porter", last_name="Leaving", ended_on=last_day
    )

    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
    )

    assert leaving.pk not in {m.employment_id for m in result.moves}
    assert result.count == 4
    leaving.refresh_from_db()
    assert leaving.ended_on == last_day
    gone = leaving.membership
    assert not gone.employments.filter(employer=outsourcing.new).exists()
    assert not gone.events.filter(kind=MembershipEventKind.TRANSFERRED).exists()


def test_a_job_ending_after_the_transfer_moves_and_keeps_its_end_date(
    outsourcing: Outsourcing,
) -> None:
    fixed_term = Outsourcing.job(
        outsourcing.guys,
        "Porter",
        last_name="Fixedterm",
        ended_on=datetime.date(2025, 9, 30),
    )

    result = services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
    )

    assert fixed_term.pk in {m.employment_id for m in result.moves}
    fixed_term.refresh_from_db()
    assert fixed_term.ended_on == DAY_BEFORE
    new_job = Employment.objects.get(
        membership=fixed_term.membership, employer=outsourcing.new
    )
    assert (new_job.started_on, new_job.ended_on) == (
        TRANSFER_ON,
        datetime.date(2025, 9, 30),
    )
    on_day = datetime.date(2025, 6, 1)
    assert (
        selectors.memberships_employed_by(
            employer=outsourcing.new, on=on_day, in_good_standing=False
        )
        .filter(pk=fixed_term.membership_id)
        .exists()
    )
    assert not selectors.memberships_employed_by(
        employer=outsourcing.old, on=on_day, in_good_standing=False
    ).exists()


def test_a_transfer_to_the_same_employer_is_refused(outsourcing: Outsourcing) -> None:
    before = row_counts()

    with pytest.raises(ApplicationError, match="different employer"):
        services.employer_bulk_transfer(
            from_employer=outsourcing.old,
            to_employer=outsourcing.old,
            on=TRANSFER_ON,
            actor=None,
        )

    assert row_counts() == before


def test_a_member_with_jobs_at_two_employers_moves_only_the_job_being_transferred(
    outsourcing: Outsourcing,
) -> None:
    member = outsourcing.two_jobs.membership
    other_employer = outsourcing.second_job_elsewhere.employer

    services.employer_bulk_transfer(
        from_employer=outsourcing.old,
        to_employer=outsourcing.new,
        on=TRANSFER_ON,
        actor=None,
    )

    outsourcing.second_job_elsewhere.refresh_from_db()
    assert outsourcing.second_job_elsewhere.ended_on is None
    current = member.employments.filter(ended_on__isnull=True)
    assert sorted(job.employer.name for job in current) == sorted(
        ["New Co", other_employer.name]
    )
    assert member.events.filter(kind=MembershipEventKind.TRANSFERRED).count() == 1
    outsourcing.elsewhere.refresh_from_db()
    assert outsourcing.elsewhere.ended_on is None
