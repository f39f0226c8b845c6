"""The electorate frozen from the register: who is in, who is a near miss and why,
and freezing again."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import ProtectedError

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import electorate, selectors, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotNotice,
    DisputeEvent,
    DisputeEventKind,
    ElectorateEntry,
    ElectorateJob,
    ExclusionReason,
)
from tolpuddle.disputes.services import preparation
from tolpuddle.disputes.tests.conftest import TODAY
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.members import services as member_services
from tolpuddle.members.models import Employment, Membership, PaymentMethod
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 20)  # the freeze date, four days before today
DAY = datetime.timedelta(days=1)
OFFICER = "Probation officer"
ADMIN = "Administrator"


def job(
    workplace: Any,
    *,
    started_on: datetime.date = datetime.date(2021, 4, 1),
    ended_on: datetime.date | None = None,
    job_category: str = OFFICER,
    membership: Membership | None = None,
    hours: Decimal | None = Decimal("37.00"),
    **member: Any,
) -> Membership:
    """A member (``member`` are the membership's fields) with a job at ``workplace``."""
    membership = membership or MembershipFactory(**member)
    EmploymentFactory(
        membership=membership,
        workplace=workplace,
        started_on=started_on,
        ended_on=ended_on,
        job_category=job_category,
        hours=hours,
    )
    return membership


def entries(ballot: Ballot) -> dict[int, ElectorateEntry]:
    return {e.membership_id: e for e in ElectorateEntry.objects.filter(ballot=ballot)}


def included(ballot: Ballot) -> set[int]:
    return {pk for pk, e in entries(ballot).items() if e.included}


def reasons(ballot: Ballot) -> dict[int, str]:
    return {pk: e.reason for pk, e in entries(ballot).items() if not e.included}


@pytest.fixture
def place() -> Any:
    """An employer with two workplaces, in a dispute of its own."""
    employer = EmployerFactory(name="Probation Service")
    first = WorkplaceFactory(employer=employer, name="Leeds")
    second = WorkplaceFactory(employer=employer, name="Wakefield")
    other = WorkplaceFactory(name="Elsewhere")
    dispute = DisputeFactory(employers=[employer, other.employer])
    return dispute, employer, first, second, other


def ballot_of(dispute: Any, employer: Any, **options: Any) -> Ballot:
    return statutory_ballot(dispute=dispute, employers=[employer], **options)


def freeze(ballot: Ballot, on: datetime.date = ON) -> selectors.ElectorateSummary:
    return services.ballot_electorate_freeze(ballot=ballot, on=on, by=None)


# --- Who is in, who is not --------------------------------------------------------------


def test_members_who_changed_jobs_around_the_freeze_date(place) -> None:
    dispute, employer, leeds, wakefield, _ = place
    stays = job(leeds)
    left_the_day_before = job(leeds, ended_on=ON - DAY)
    left_on_the_day = job(leeds, ended_on=ON)
    starts_the_day_after = job(leeds, started_on=ON + DAY)
    starts_on_the_day = job(leeds, started_on=ON)
    moved = job(leeds, ended_on=ON - DAY)
    job(wakefield, started_on=ON, membership=moved)
    moves_the_day_after = job(leeds, ended_on=ON)
    job(wakefield, started_on=ON + DAY, membership=moves_the_day_after)
    ballot = ballot_of(dispute, employer)

    summary = freeze(ballot)

    assert included(ballot) == {
        stays.pk,
        left_on_the_day.pk,
        starts_on_the_day.pk,
        moved.pk,
        moves_the_day_after.pk,
    }
    assert reasons(ballot) == {
        left_the_day_before.pk: ExclusionReason.LEFT_EMPLOYER,
        starts_the_day_after.pk: ExclusionReason.NOT_YET_STARTED,
    }
    rows = entries(ballot)
    assert rows[moved.pk].workplace == wakefield
    assert rows[moves_the_day_after.pk].workplace == leeds
    assert (summary.included, summary.excluded) == (
        5,
        {"left_employer": 1, "not_yet_started": 1},
    )


def test_each_entry_records_the_employer_workplace_and_job_category_used(
    place,
) -> None:
    dispute, employer, leeds, wakefield, _ = place
    two_jobs = job(leeds, job_category=ADMIN, hours=Decimal("10.00"))
    job(wakefield, membership=two_jobs, hours=Decimal("27.00"))
    ballot = ballot_of(dispute, employer)

    freeze(ballot)

    entry = ElectorateEntry.objects.get(ballot=ballot)
    assert (
        entry.membership,
        entry.employer,
        entry.workplace,
        entry.job_category,
        entry.employment,
        entry.included,
    ) == (
        two_jobs,
        employer,
        wakefield,
        OFFICER,
        Employment.objects.get(membership=two_jobs, workplace=wakefield),
        True,
    )


def test_former_members_and_members_not_yet_admitted_are_near_misses(place) -> None:
    dispute, employer, leeds, _, _ = place
    lapsed = job(leeds, lapsed=True, left_on=ON - 10 * DAY)
    resigned = job(leeds, resigned=True, left_on=ON)
    lapsed_since = job(leeds, lapsed=True, left_on=ON + 2 * DAY, arrears_since=ON + DAY)
    long_gone = job(leeds, resigned=True, left_on=datetime.date(2023, 5, 1))
    joined_after = job(leeds, joined_on=ON + DAY)
    applicant = job(leeds, applicant=True)
    declined = job(leeds, declined=True)
    ballot = ballot_of(dispute, employer)

    freeze(ballot)

    assert included(ballot) == {lapsed_since.pk}  # in good standing on the day
    assert reasons(ballot) == {
        lapsed.pk: ExclusionReason.LEFT_UNION,
        resigned.pk: ExclusionReason.LEFT_UNION,
        joined_after.pk: ExclusionReason.NOT_MEMBER_ON_DATE,
        applicant.pk: ExclusionReason.NOT_MEMBER_ON_DATE,
    }
    assert long_gone.pk not in entries(ballot)
    assert declined.pk not in entries(ballot)
    assert entries(ballot)[lapsed.pk].membership_status == "lapsed"


def test_members_in_arrears_are_excluded_unless_the_ballot_includes_them(
    place,
) -> None:
    dispute, employer, leeds, _, _ = place
    owes = job(leeds, arrears=Decimal("30.00"), arrears_since=ON - 30 * DAY)
    owes_a_little_while = job(leeds, arrears=Decimal("9.00"), arrears_since=ON - DAY)
    owes_since_the_freeze = job(leeds, arrears=Decimal("9.00"), arrears_since=ON + DAY)
    paid_up = job(leeds)
    strict = ballot_of(dispute, employer)
    lenient = ballot_of(dispute, employer, arrears_grace_days=14)
    everyone = ballot_of(dispute, employer, exclude_arrears=False)

    for ballot in (strict, lenient, everyone):
        freeze(ballot)

    assert included(strict) == {paid_up.pk, owes_since_the_freeze.pk}
    assert reasons(strict) == {
        owes.pk: ExclusionReason.IN_ARREARS,
        owes_a_little_while.pk: ExclusionReason.IN_ARREARS,
    }
    assert reasons(lenient) == {owes.pk: ExclusionReason.IN_ARREARS}
    assert reasons(everyone) == {}
    assert len(included(everyone)) == 4


def test_job_categories_and_workplaces_narrow_the_constituency(place) -> None:
    dispute, employer, leeds, wakefield, _ = place
    officer_in_leeds = job(leeds)
    admin_in_leeds = job(leeds, job_category=ADMIN)
    officer_in_wakefield = job(wakefield)
    admin_in_wakefield = job(wakefield, job_category=ADMIN)
    no_workplace = MembershipFactory()
    EmploymentFactory(
        membership=no_workplace, workplace=None, employer=employer, job_category=OFFICER
    )
    ballot = ballot_of(dispute, employer, job_categories=[OFFICER], workplaces=[leeds])

    freeze(ballot)

    assert included(ballot) == {officer_in_leeds.pk}
    assert reasons(ballot) == {
        admin_in_leeds.pk: ExclusionReason.JOB_CATEGORY,
        officer_in_wakefield.pk: ExclusionReason.WORKPLACE,
        admin_in_wakefield.pk: ExclusionReason.JOB_CATEGORY,
        no_workplace.pk: ExclusionReason.WORKPLACE,
    }


def test_a_qualifying_job_wins_over_a_near_miss_of_the_same_member(place) -> None:
    dispute, employer, leeds, wakefield, _ = place
    member = job(leeds, job_category=ADMIN, hours=Decimal("30.00"))
    job(wakefield, membership=member, hours=Decimal("5.00"))
    ballot = ballot_of(dispute, employer, job_categories=[OFFICER])

    freeze(ballot)

    entry = ElectorateEntry.objects.get(ballot=ballot, membership=member)
    assert (entry.included, entry.workplace, entry.job_category) == (
        True,
        wakefield,
        OFFICER,
    )


def test_members_of_other_employers_are_not_considered_but_recent_leavers_are(
    place,
) -> None:
    dispute, employer, leeds, _, elsewhere = place
    elsewhere_only = job(elsewhere)
    came_from_here = job(leeds, ended_on=ON - 40 * DAY)
    job(elsewhere, started_on=ON - 39 * DAY, membership=came_from_here)
    left_long_ago = job(leeds, ended_on=ON - 200 * DAY)
    ballot = ballot_of(dispute, employer)

    freeze(ballot)

    rows = entries(ballot)
    assert elsewhere_only.pk not in rows
    assert left_long_ago.pk not in rows
    assert (rows[came_from_here.pk].reason, rows[came_from_here.pk].employer) == (
        ExclusionReason.LEFT_EMPLOYER,
        employer,
    )


def test_a_freeze_as_at_today_reads_the_status_of_today(place) -> None:
    dispute, employer, leeds, _, _ = place
    active = job(leeds)
    lapsed_yesterday = job(leeds, lapsed=True, left_on=TODAY - DAY)
    ballot = ballot_of(dispute, employer)

    freeze(ballot, on=TODAY)

    assert included(ballot) == {active.pk}
    assert reasons(ballot) == {lapsed_yesterday.pk: ExclusionReason.LEFT_UNION}


def test_a_readmitted_member_counts_by_their_history_on_the_day(place) -> None:
    dispute, employer, leeds, _, _ = place
    member = job(leeds, lapsed=True, left_on=datetime.date(2026, 10, 1))
    member_services.membership_readmit(
        membership=member, actor=None, on=ON + DAY, reason="Paid up"
    )
    ballot = ballot_of(dispute, employer)

    freeze(ballot)

    assert reasons(ballot) == {member.pk: ExclusionReason.NOT_MEMBER_ON_DATE}
    freeze(ballot, on=TODAY)
    assert included(ballot) == {member.pk}


def test_check_off_members_are_marked(place) -> None:
    dispute, employer, leeds, _, _ = place
    payroll = job(leeds, payment_method=PaymentMethod.PAYROLL)
    job(leeds, payment_method=PaymentMethod.DIRECT_DEBIT)
    ballot = ballot_of(dispute, employer)

    freeze(ballot)

    assert {pk for pk, e in entries(ballot).items() if e.check_off} == {payroll.pk}


def test_the_select_has_one_row_a_member_whatever_their_jobs(place) -> None:
    dispute, employer, leeds, wakefield, _ = place
    member = job(leeds)
    job(wakefield, membership=member)
    job(leeds, membership=member, ended_on=ON - DAY, started_on=ON - 20 * DAY)
    ballot = ballot_of(dispute, employer)

    rows = list(
        electorate.electorate_select(
            ballot=ballot,
            on=ON,
            employer_ids=[employer.pk],
            workplace_ids=[],
            job_categories=[],
        )
    )

    assert [r["x_membership_id"] for r in rows] == [member.pk]


# --- Freezing again --------------------------------------------------------------------


def test_freezing_again_replaces_the_previous_freeze_and_counts_it(place) -> None:
    dispute, employer, leeds, _, _ = place
    stays, leaves = job(leeds), job(leeds)
    ballot = ballot_of(dispute, employer)
    first_by, second_by = UserFactory(), UserFactory()
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=first_by)
    member_services.employment_end(
        employment=leaves.employments.get(), ended_on=TODAY - 2 * DAY, actor=None
    )

    summary = services.ballot_electorate_freeze(ballot=ballot, on=TODAY, by=second_by)

    ballot.refresh_from_db()
    assert (ballot.electorate_version, ballot.electorate_on) == (2, TODAY)
    assert ballot.electorate_frozen_by == second_by
    assert ballot.electorate_frozen_at is not None
    assert ElectorateEntry.objects.filter(ballot=ballot).count() == 2
    assert set(ElectorateEntry.objects.values_list("version", flat=True)) == {2}
    assert included(ballot) == {stays.pk}
    assert reasons(ballot) == {leaves.pk: ExclusionReason.LEFT_EMPLOYER}
    assert (summary.version, summary.included) == (2, 1)
    frozen = DisputeEvent.objects.filter(kind=DisputeEventKind.ELECTORATE_FROZEN)
    assert [(e.actor, e.data["version"], e.data["included"]) for e in frozen] == [
        (first_by, 1, 2),
        (second_by, 2, 1),
    ]


def test_the_register_rows_an_electorate_refers_to_cannot_be_deleted(place) -> None:
    # The entries' references are not database foreign keys (they would cost a
    # check and a lock a row at commit); Django's PROTECT still guards them.
    dispute, employer, leeds, _, other = place
    twice = job(leeds)
    second_job = EmploymentFactory(
        membership=twice,
        workplace=other,
        job_category=OFFICER,
        hours=Decimal("8.00"),
        started_on=datetime.date(2022, 1, 4),
    )
    ballot = statutory_ballot(dispute=dispute, employers=[employer, other.employer])
    freeze(ballot)
    entry = ElectorateEntry.objects.get(ballot=ballot, membership=twice)
    assert ElectorateJob.objects.get(entry=entry).employment == second_job

    other_job = ElectorateJob.objects.get(entry=entry)
    for row, protected_by in (
        (entry.employment, entry),
        (second_job, other_job),
        (ballot, entry),
    ):
        with pytest.raises(ProtectedError) as refused:
            row.delete()
        assert protected_by in refused.value.protected_objects
    for row in (leeds, other, employer, twice):  # their jobs protect them first
        with pytest.raises(ProtectedError):
            row.delete()
    assert ElectorateEntry.objects.filter(ballot=ballot).count() == 1
    assert Employment.objects.filter(membership=twice).count() == 2


def test_a_freeze_that_fails_half_way_leaves_the_previous_one_whole(
    place, monkeypatch
) -> None:
    dispute, employer, leeds, _, _ = place
    job(leeds)
    job(leeds)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(preparation, "electorate_insert", broken)
    with pytest.raises(RuntimeError):
        freeze(ballot, on=TODAY)

    ballot.refresh_from_db()
    assert (ballot.electorate_version, ballot.electorate_on) == (1, ON)
    assert ElectorateEntry.objects.filter(ballot=ballot, version=1).count() == 2


def test_freezing_again_drops_the_notices_prepared_from_the_old_freeze(place) -> None:
    dispute, employer, leeds, _, _ = place
    job(leeds)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)
    services.ballot_notices_prepare(ballot=ballot, by=None)
    job(leeds)

    freeze(ballot, on=TODAY)

    assert not BallotNotice.objects.filter(ballot=ballot).exists()
    (notice,) = services.ballot_notices_prepare(ballot=ballot, by=None)
    assert (notice.content["total"], notice.electorate_version) == (2, 2)


def test_the_electorate_cannot_be_frozen_again_once_a_notice_was_given(
    place,
) -> None:
    dispute, employer, leeds, _, _ = place
    member = job(leeds)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)
    (notice,) = services.ballot_notices_prepare(ballot=ballot, by=None)
    services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    job(leeds)
    events = DisputeEvent.objects.count()

    with pytest.raises(ApplicationError, match="Probation Service on 24/11/2026"):
        freeze(ballot, on=TODAY)

    ballot.refresh_from_db()
    assert (ballot.electorate_version, ballot.electorate_on) == (1, ON)
    assert set(entries(ballot)) == {member.pk}
    assert DisputeEvent.objects.count() == events


def test_a_freeze_cannot_be_dated_after_today_or_before_the_dispute(place) -> None:
    dispute, employer, leeds, _, _ = place
    job(leeds)
    ballot = ballot_of(dispute, employer)

    with pytest.raises(ApplicationError, match="day still to come"):
        freeze(ballot, on=TODAY + DAY)
    with pytest.raises(ApplicationError, match="since the dispute began"):
        freeze(ballot, on=dispute.began_on - DAY)

    ballot.refresh_from_db()
    assert ballot.electorate_version == 0
    assert not ElectorateEntry.objects.exists()
    assert not DisputeEvent.objects.filter(
        kind=DisputeEventKind.ELECTORATE_FROZEN
    ).exists()


def test_a_consultative_ballot_freezes_the_same_way(place) -> None:
    dispute, employer, leeds, _, _ = place
    member = job(leeds)
    ballot = services.ballot_create(
        dispute=dispute,
        title="Should we accept the offer?",
        kind=BallotKind.CONSULTATIVE,
        opening_on=TODAY,
        closing_on=TODAY + 14 * DAY,
        employers=[employer],
        questions=["Do you accept the employer's offer?"],
        by=None,
    )

    freeze(ballot)

    assert included(ballot) == {member.pk}


# --- Late joiners and leavers ------------------------------------------------------------


@pytest.fixture
def given(place) -> Any:
    """A ballot frozen as at ``ON`` with one member, its notice given today."""
    dispute, employer, leeds, wakefield, _ = place
    member = job(leeds)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)
    (notice,) = services.ballot_notices_prepare(ballot=ballot, by=None)
    services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    return ballot, member, leeds, wakefield


def test_a_late_joiner_is_added_with_the_reason_and_shown_among_the_changes(
    given,
) -> None:
    ballot, _, leeds, _ = given
    staff = UserFactory()
    joiner = job(leeds, joined_on=ON + DAY, started_on=ON + DAY)

    entry = services.ballot_electorate_add(
        ballot=ballot,
        membership=joiner,
        employment=joiner.employments.get(),
        reason="Joined on 21 November",
        by=staff,
    )

    assert (entry.included, entry.source, entry.added_on, entry.added_reason) == (
        True,
        "added",
        TODAY,
        "Joined on 21 November",
    )
    assert list(selectors.electorate_changes(ballot=ballot)) == [entry]
    assert selectors.electorate_size(ballot=ballot) == 2
    event = DisputeEvent.objects.get(kind=DisputeEventKind.ELECTOR_ADDED)
    assert (event.actor, event.data["previously_excluded_for"]) == (staff, "")
    notice = ballot.notices.get()
    assert notice.content["total"] == 1  # the notice stands as given


def test_a_near_miss_who_has_since_paid_up_is_added_in_their_entry(place) -> None:
    dispute, employer, leeds, _, _ = place
    job(leeds)
    owed = job(leeds, arrears=Decimal("12.00"), arrears_since=ON - 60 * DAY)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)
    (notice,) = services.ballot_notices_prepare(ballot=ballot, by=None)
    services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    member_services.membership_record_arrears(
        membership=owed, amount=Decimal("0"), since=None, actor=None
    )

    entry = services.ballot_electorate_add(
        ballot=ballot,
        membership=owed,
        employment=owed.employments.get(),
        reason="Paid the arrears on 23 November",
        by=None,
    )

    assert ElectorateEntry.objects.filter(ballot=ballot, membership=owed).get() == entry
    assert (entry.included, entry.reason, entry.source) == (True, "", "added")
    event = DisputeEvent.objects.get(kind=DisputeEventKind.ELECTOR_ADDED)
    assert event.data["previously_excluded_for"] == "in_arrears"
    with pytest.raises(ApplicationError, match="already in the electorate"):
        services.ballot_electorate_add(
            ballot=ballot,
            membership=owed,
            employment=owed.employments.get(),
            reason="again",
            by=None,
        )


def test_a_late_joiner_must_be_in_the_constituency_and_in_good_standing(
    given, place
) -> None:
    ballot, _, leeds, _ = given
    elsewhere = place[4]
    other = job(elsewhere)
    lapsed = job(leeds, lapsed=True, left_on=ON - DAY)
    owes = job(leeds, arrears=Decimal("5.00"), arrears_since=TODAY)
    before = list(ElectorateEntry.objects.values_list("id", "included", "reason"))

    with pytest.raises(ApplicationError, match="not an employer in this ballot"):
        services.ballot_electorate_add(
            ballot=ballot,
            membership=other,
            employment=other.employments.get(),
            reason="x",
            by=None,
        )
    with pytest.raises(ApplicationError, match="not a member in good standing"):
        services.ballot_electorate_add(
            ballot=ballot,
            membership=lapsed,
            employment=lapsed.employments.get(),
            reason="x",
            by=None,
        )
    with pytest.raises(ApplicationError, match="in arrears"):
        services.ballot_electorate_add(
            ballot=ballot,
            membership=owes,
            employment=owes.employments.get(),
            reason="x",
            by=None,
        )

    assert (
        list(ElectorateEntry.objects.values_list("id", "included", "reason")) == before
    )
    assert not DisputeEvent.objects.filter(kind=DisputeEventKind.ELECTOR_ADDED).exists()


def test_before_any_notice_a_late_joiner_is_a_reason_to_freeze_again(place) -> None:
    dispute, employer, leeds, _, _ = place
    job(leeds)
    ballot = ballot_of(dispute, employer)
    freeze(ballot)
    joiner = job(leeds, joined_on=ON + DAY)

    with pytest.raises(ApplicationError, match="freeze the electorate again"):
        services.ballot_electorate_add(
            ballot=ballot,
            membership=joiner,
            employment=joiner.employments.get(),
            reason="Joined late",
            by=None,
        )


def test_a_leaver_is_marked_with_the_reason_and_stays_counted_in_the_freeze(
    given,
) -> None:
    ballot, member, _, _ = given

    entry = services.ballot_electorate_mark_leaver(
        ballot=ballot,
        membership=member,
        left_on=TODAY - DAY,
        reason="Retired",
        by=None,
    )

    assert (entry.included, entry.left_on, entry.left_reason) == (
        True,
        TODAY - DAY,
        "Retired",
    )
    assert list(selectors.electorate_changes(ballot=ballot)) == [entry]
    summary = selectors.electorate_summary(ballot=ballot)
    assert (summary.included, summary.left, summary.added) == (1, 1, 0)
    with pytest.raises(ApplicationError, match="already marked"):
        services.ballot_electorate_mark_leaver(
            ballot=ballot, membership=member, left_on=TODAY, reason="x", by=None
        )


def test_a_leaver_must_be_in_the_electorate_and_have_left_since_the_freeze(
    given, place
) -> None:
    ballot, member, _, _ = given
    stranger = job(place[4])

    with pytest.raises(ApplicationError, match="not in this ballot's electorate"):
        services.ballot_electorate_mark_leaver(
            ballot=ballot, membership=stranger, left_on=TODAY, reason="x", by=None
        )
    with pytest.raises(ApplicationError, match="frozen as at 20/11/2026"):
        services.ballot_electorate_mark_leaver(
            ballot=ballot, membership=member, left_on=ON - DAY, reason="x", by=None
        )
    with pytest.raises(ApplicationError, match="Say why"):
        services.ballot_electorate_mark_leaver(
            ballot=ballot, membership=member, left_on=TODAY, reason=" ", by=None
        )

    assert not ElectorateEntry.objects.filter(left_on__isnull=False).exists()


# --- Members employed by two of the employers --------------------------------------------


def other_jobs(ballot: Ballot) -> set[tuple[int, int, int | None, str]]:
    """The other jobs recorded: (member, employer, workplace, job category)."""
    return {
        (job.entry.membership_id, job.employer_id, job.workplace_id, job.job_category)
        for job in ElectorateJob.objects.filter(ballot=ballot).select_related("entry")
    }


@pytest.fixture
def two_employers(place) -> Any:
    """The dispute's two employers (``place``), both balloted."""
    dispute, employer, leeds, wakefield, elsewhere = place
    ballot = statutory_ballot(dispute=dispute)
    return ballot, employer, leeds, wakefield, elsewhere


def test_a_member_with_jobs_at_two_employers_is_one_entry_with_the_other_job_kept(
    two_employers,
) -> None:
    ballot, _, leeds, wakefield, elsewhere = two_employers
    both = job(leeds)
    job(elsewhere, membership=both, job_category=ADMIN, hours=Decimal("10.00"))
    job(wakefield, membership=both, hours=Decimal("5.00"))  # same employer: once
    ended = job(leeds)
    job(elsewhere, membership=ended, ended_on=ON - DAY)
    lapsed = job(leeds, lapsed=True, left_on=ON - DAY)
    job(elsewhere, membership=lapsed)

    freeze(ballot)

    assert set(entries(ballot)) == {both.pk, ended.pk, lapsed.pk}
    assert entries(ballot)[both.pk].workplace == leeds
    assert other_jobs(ballot) == {(both.pk, elsewhere.employer_id, elsewhere.pk, ADMIN)}
    assert selectors.electorate_size(ballot=ballot) == 2


def test_freezing_again_replaces_the_other_jobs(two_employers) -> None:
    ballot, _, leeds, _, elsewhere = two_employers
    keeps, drops, starts = job(leeds), job(leeds), job(leeds)
    job(elsewhere, membership=keeps, hours=Decimal("8.00"))
    job(elsewhere, membership=drops, hours=Decimal("8.00"))
    job(elsewhere, membership=starts, hours=Decimal("8.00"), started_on=ON + DAY)
    freeze(ballot)
    assert {j[0] for j in other_jobs(ballot)} == {keeps.pk, drops.pk}
    member_services.employment_end(
        employment=drops.employments.get(workplace=elsewhere),
        ended_on=TODAY - 2 * DAY,
        actor=None,
    )

    freeze(ballot, on=TODAY)

    assert {j[0] for j in other_jobs(ballot)} == {keeps.pk, starts.pk}
    assert ElectorateJob.objects.count() == 2


def test_a_late_joiners_other_job_is_counted_at_an_employer_given_the_notice(
    two_employers,
) -> None:
    ballot, _, leeds, _, elsewhere = two_employers
    job(leeds)
    job(elsewhere)
    freeze(ballot)
    for notice in services.ballot_notices_prepare(ballot=ballot, by=None):
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    joiner = job(leeds, joined_on=ON + DAY)
    job(elsewhere, membership=joiner, hours=Decimal("8.00"), job_category=ADMIN)

    services.ballot_electorate_add(
        ballot=ballot,
        membership=joiner,
        employment=joiner.employments.get(workplace=leeds),
        reason="Joined on 21 November",
        by=None,
    )

    assert other_jobs(ballot) == {
        (joiner.pk, elsewhere.employer_id, elsewhere.pk, ADMIN)
    }
    figures = selectors.notice_figures(
        ballot=ballot, employer=elsewhere.employer, current_only=True
    )
    assert (figures.total, figures.shared) == (2, 1)
    event = DisputeEvent.objects.get(kind=DisputeEventKind.ELECTOR_ADDED)
    assert event.data["other_jobs"] == 1
    services.ballot_electorate_mark_leaver(
        ballot=ballot, membership=joiner, left_on=TODAY, reason="Left", by=None
    )
    assert (
        selectors.notice_figures(
            ballot=ballot, employer=elsewhere.employer, current_only=True
        ).total
        == 1
    )


def test_a_late_joiners_other_job_at_an_employer_told_of_no_one_is_not_counted(
    two_employers,
) -> None:
    ballot, employer, leeds, _, elsewhere = two_employers
    job(leeds)
    freeze(ballot)
    (notice,) = services.ballot_notices_prepare(ballot=ballot, by=None)
    services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
    joiner = job(leeds, joined_on=ON + DAY)
    job(elsewhere, membership=joiner, hours=Decimal("8.00"))

    services.ballot_electorate_add(
        ballot=ballot,
        membership=joiner,
        employment=joiner.employments.get(workplace=leeds),
        reason="Joined on 21 November",
        by=None,
    )

    assert not ElectorateJob.objects.exists()
    assert list(selectors.employers_with_electors(ballot=ballot)) == [employer]
