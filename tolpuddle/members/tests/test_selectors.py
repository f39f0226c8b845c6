"""Reads of the register: who is in good standing, who works where, counts and search."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tolpuddle.members import selectors, services
from tolpuddle.members.models import Membership, MembershipCategory
from tolpuddle.members.selectors import CountRow, JoinersLeavers
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    RegionFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


def travel_to(day: datetime.date) -> time_machine.travel:
    noon = datetime.datetime.combine(
        day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")
    )
    return time_machine.travel(noon, tick=False)


def pks(memberships: Any) -> set[int]:
    return {m.pk for m in memberships}


def member_through_services(
    *, joined_on: datetime.date, last_name: str = "Member", **apply: Any
) -> Membership:
    """Someone who applied a week before ``joined_on`` and was admitted that day."""
    applicant = services.membership_apply(
        first_name="A",
        last_name=last_name,
        email="",
        applied_on=joined_on - datetime.timedelta(days=7),
        **apply,
    )
    return services.membership_approve(membership=applicant, actor=None, on=joined_on)


def lapse(member: Membership, *, on: datetime.date) -> Membership:
    services.membership_record_arrears(
        membership=member, amount=Decimal("30.00"), since=on, actor=None
    )
    return services.membership_lapse(membership=member, actor=None, on=on)


# --- Good standing -------------------------------------------------------------------


@travel_to(TODAY)
def test_today_only_active_members_are_in_good_standing() -> None:
    active = MembershipFactory()
    MembershipFactory(applicant=True)
    MembershipFactory(declined=True)
    MembershipFactory(lapsed=True)
    MembershipFactory(resigned=True)
    MembershipFactory(deceased=True)
    MembershipFactory(expelled=True)

    assert pks(selectors.memberships_in_good_standing()) == {active.pk}
    assert pks(selectors.memberships_in_good_standing(on=TODAY)) == {active.pk}


@travel_to(TODAY)
def test_a_member_who_lapsed_last_year_was_in_good_standing_two_years_ago_but_not_now() -> (
    None
):
    member = member_through_services(joined_on=datetime.date(2020, 1, 6))
    lapse(member, on=datetime.date(2024, 6, 30))

    assert member.pk in pks(
        selectors.memberships_in_good_standing(on=datetime.date(2023, 6, 16))
    )
    assert member.pk in pks(
        selectors.memberships_in_good_standing(on=datetime.date(2024, 6, 29))
    )
    assert member.pk not in pks(
        selectors.memberships_in_good_standing(on=datetime.date(2024, 6, 30))
    )
    assert member.pk not in pks(selectors.memberships_in_good_standing())


@travel_to(TODAY)
def test_a_member_was_not_in_good_standing_before_they_joined() -> None:
    member = member_through_services(joined_on=datetime.date(2025, 1, 10))

    assert member.pk not in pks(
        selectors.memberships_in_good_standing(on=datetime.date(2025, 1, 9))
    )
    assert member.pk in pks(
        selectors.memberships_in_good_standing(on=datetime.date(2025, 1, 10))
    )


@travel_to(TODAY)
def test_a_readmitted_member_was_out_of_good_standing_between_leaving_and_returning() -> (
    None
):
    member = member_through_services(joined_on=datetime.date(2020, 1, 6))
    lapse(member, on=datetime.date(2023, 3, 31))
    services.membership_readmit(
        membership=member, actor=None, on=datetime.date(2024, 9, 1)
    )

    def standing(day: datetime.date) -> bool:
        return member.pk in pks(selectors.memberships_in_good_standing(on=day))

    assert [
        standing(datetime.date(2023, 3, 30)),
        standing(datetime.date(2023, 3, 31)),
        standing(datetime.date(2024, 8, 31)),
        standing(datetime.date(2024, 9, 1)),
        standing(TODAY),
    ] == [True, False, False, True, True]


@travel_to(TODAY)
def test_an_applicant_is_never_in_good_standing() -> None:
    applicant = services.membership_apply(
        first_name="Ada",
        last_name="Lovelace",
        email="",
        applied_on=datetime.date(2023, 5, 1),
    )
    declined = services.membership_apply(
        first_name="Grace",
        last_name="Hopper",
        email="",
        applied_on=datetime.date(2023, 5, 1),
    )
    services.membership_decline(membership=declined, actor=None, reason="Not eligible")

    for day in (datetime.date(2023, 5, 1), datetime.date(2024, 5, 1), None):
        in_good_standing = pks(selectors.memberships_in_good_standing(on=day))
        assert applicant.pk not in in_good_standing
        assert declined.pk not in in_good_standing


@travel_to(TODAY)
def test_the_count_in_good_standing_counts_active_members() -> None:
    MembershipFactory.create_batch(3)
    MembershipFactory(lapsed=True)
    MembershipFactory(applicant=True)

    assert selectors.membership_count_in_good_standing() == 3


# --- Who works where -----------------------------------------------------------------


JOB_STARTS = datetime.date(2024, 1, 1)
JOB_ENDS = datetime.date(2024, 12, 31)


@travel_to(TODAY)
@pytest.mark.parametrize(
    ("day", "employed"),
    [
        (datetime.date(2023, 12, 31), False),
        (JOB_STARTS, True),
        (datetime.date(2024, 7, 1), True),
        (JOB_ENDS, True),
        (datetime.date(2025, 1, 1), False),
    ],
)
def test_a_job_counts_from_its_first_day_to_its_last_inclusive(
    day: datetime.date, employed: bool
) -> None:
    job = EmploymentFactory(started_on=JOB_STARTS, ended_on=JOB_ENDS)

    found = selectors.memberships_employed_by(employer=job.employer, on=day)

    assert (job.membership_id in pks(found)) is employed


@travel_to(TODAY)
def test_members_employed_by_an_employer_can_be_narrowed_to_a_workplace_and_a_job_category() -> (
    None
):
    employer = EmployerFactory()
    ward, theatre = (
        WorkplaceFactory(employer=employer, name="Ward"),
        WorkplaceFactory(employer=employer, name="Theatre"),
    )
    ward_nurse = EmploymentFactory(workplace=ward, job_category="Nurse")
    ward_porter = EmploymentFactory(workplace=ward, job_category="Porter")
    theatre_nurse = EmploymentFactory(workplace=theatre, job_category="Nurse")
    EmploymentFactory(job_category="Nurse")  # another employer

    def employed(**narrowing: Any) -> set[int]:
        return pks(
            selectors.memberships_employed_by(employer=employer, on=TODAY, **narrowing)
        )

    assert employed() == {
        ward_nurse.membership_id,
        ward_porter.membership_id,
        theatre_nurse.membership_id,
    }
    assert employed(workplace=ward) == {
        ward_nurse.membership_id,
        ward_porter.membership_id,
    }
    assert employed(job_category="Nurse") == {
        ward_nurse.membership_id,
        theatre_nurse.membership_id,
    }
    assert employed(workplace=theatre, job_category="Porter") == set()


@travel_to(TODAY)
def test_a_member_with_two_jobs_at_the_employer_is_listed_once() -> None:
    employer = EmployerFactory()
    member = MembershipFactory()
    EmploymentFactory(membership=member, workplace=WorkplaceFactory(employer=employer))
    EmploymentFactory(membership=member, workplace=WorkplaceFactory(employer=employer))

    found = selectors.memberships_employed_by(employer=employer, on=TODAY)

    assert list(found) == [member]
    assert found.count() == 1


@travel_to(TODAY)
def test_members_employed_by_an_employer_are_those_in_good_standing_unless_asked_otherwise() -> (
    None
):
    workplace = WorkplaceFactory()
    active = EmploymentFactory(workplace=workplace).membership
    lapsed = EmploymentFactory(workplace=workplace, membership__lapsed=True).membership
    applicant = EmploymentFactory(
        workplace=workplace, membership__applicant=True
    ).membership

    assert pks(
        selectors.memberships_employed_by(employer=workplace.employer, on=TODAY)
    ) == {active.pk}
    assert pks(
        selectors.memberships_employed_by(
            employer=workplace.employer, on=TODAY, in_good_standing=False
        )
    ) == {active.pk, lapsed.pk, applicant.pk}


@travel_to(TODAY)
def test_good_standing_among_employees_on_a_past_date_comes_from_the_history() -> None:
    workplace = WorkplaceFactory()
    member = member_through_services(
        joined_on=datetime.date(2020, 1, 6), workplace=workplace, job_category="Porter"
    )
    lapse(member, on=datetime.date(2025, 2, 28))

    def employed(day: datetime.date) -> set[int]:
        return pks(
            selectors.memberships_employed_by(employer=workplace.employer, on=day)
        )

    assert employed(datetime.date(2024, 6, 1)) == {member.pk}
    assert employed(datetime.date(2025, 2, 28)) == set()
    assert employed(TODAY) == set()


@travel_to(TODAY)
def test_members_employed_by_an_employer_are_listed_in_membership_number_order() -> (
    None
):
    workplace = WorkplaceFactory()
    for number in ["900300", "900100", "900200"]:
        EmploymentFactory(workplace=workplace, membership__membership_number=number)

    found = selectors.memberships_employed_by(employer=workplace.employer, on=TODAY)

    assert [m.membership_number for m in found] == ["900100", "900200", "900300"]


# --- Counts --------------------------------------------------------------------------


@pytest.fixture
def union() -> dict[str, Any]:
    """Two regions; four branches, one outside any region; two employers.

    In good standing: six members, one with no branch. Two jobs at the Ward for one
    member, who also works at the Depot; one member works for the Council with no
    workplace; one has left their only job. A lapsed member and an applicant are
    not counted anywhere.
    """
    london, wales = RegionFactory(name="London"), RegionFactory(name="Wales")
    places: dict[str, Any] = {
        "london": london,
        "wales": wales,
        "lambeth": BranchFactory(name="Lambeth", region=london),
        "southwark": BranchFactory(name="Southwark", region=london),
        "cardiff": BranchFactory(name="Cardiff", region=wales),
        "loose": BranchFactory(name="Unattached", region=None),
        "trust": EmployerFactory(name="Trust"),
        "council": EmployerFactory(name="Council"),
    }
    ward = places["ward"] = WorkplaceFactory(employer=places["trust"], name="Ward")
    depot = places["depot"] = WorkplaceFactory(employer=places["council"], name="Depot")

    two_places = MembershipFactory(branch=places["lambeth"])
    MembershipFactory(branch=places["lambeth"], category=MembershipCategory.RETIRED)
    student = MembershipFactory(
        branch=places["southwark"], category=MembershipCategory.STUDENT
    )
    no_workplace = MembershipFactory(branch=places["cardiff"])
    left_job = MembershipFactory(branch=places["loose"])
    MembershipFactory(branch=None)
    MembershipFactory(branch=places["lambeth"], lapsed=True)
    MembershipFactory(branch=places["cardiff"], applicant=True)

    EmploymentFactory(membership=two_places, workplace=ward)
    EmploymentFactory(membership=two_places, workplace=ward, job_category="Bank nurse")
    EmploymentFactory(membership=two_places, workplace=depot)
    EmploymentFactory(membership=student, workplace=ward)
    EmploymentFactory(
        membership=no_workplace, workplace=None, employer=places["council"]
    )
    EmploymentFactory(membership=left_job, workplace=depot, ended=True)
    return places


@travel_to(TODAY)
def test_members_in_good_standing_are_counted_by_branch(union: dict[str, Any]) -> None:
    assert selectors.membership_counts(by="branch") == [
        CountRow(union["cardiff"].pk, "Cardiff", 1),
        CountRow(union["lambeth"].pk, "Lambeth", 2),
        CountRow(union["southwark"].pk, "Southwark", 1),
        CountRow(union["loose"].pk, "Unattached", 1),
        CountRow(None, "No branch", 1),
    ]


@travel_to(TODAY)
def test_members_in_good_standing_are_counted_by_region(union: dict[str, Any]) -> None:
    assert selectors.membership_counts(by="region") == [
        CountRow(union["london"].pk, "London", 3),
        CountRow(union["wales"].pk, "Wales", 1),
        CountRow(None, "No region", 2),
    ]


@travel_to(TODAY)
def test_members_in_good_standing_are_counted_once_per_employer_they_work_for(
    union: dict[str, Any],
) -> None:
    assert selectors.membership_counts(by="employer") == [
        CountRow(union["council"].pk, "Council", 2),
        CountRow(union["trust"].pk, "Trust", 2),
    ]


@travel_to(TODAY)
def test_members_in_good_standing_are_counted_by_workplace(
    union: dict[str, Any],
) -> None:
    assert selectors.membership_counts(by="workplace") == [
        CountRow(union["depot"].pk, "Depot (Council)", 1),
        CountRow(None, "No workplace (Council)", 1),
        CountRow(union["ward"].pk, "Ward (Trust)", 2),
    ]


@travel_to(TODAY)
def test_members_in_good_standing_are_counted_by_category(
    union: dict[str, Any],
) -> None:
    assert selectors.membership_counts(by="category") == [
        CountRow("full", "Full", 4),
        CountRow("retired", "Retired", 1),
        CountRow("student", "Student", 1),
    ]


@travel_to(TODAY)
def test_counts_on_a_past_date_use_who_was_in_good_standing_and_employed_then() -> None:
    branch = BranchFactory(name="Lambeth")
    employer = EmployerFactory(name="Trust")
    stayed = MembershipFactory(branch=branch)
    left = MembershipFactory(
        branch=branch, lapsed=True
    )  # active 2020-01-06 to 2024-03-31
    for member in (stayed, left):
        EmploymentFactory(membership=member, workplace=None, employer=employer)
    past = datetime.date(2023, 1, 1)

    assert selectors.membership_counts(by="branch", on=past) == [
        CountRow(branch.pk, "Lambeth", 2)
    ]
    assert selectors.membership_counts(by="employer", on=past) == [
        CountRow(employer.pk, "Trust", 2)
    ]
    assert selectors.membership_counts(by="category", on=past) == [
        CountRow("full", "Full", 2)
    ]
    assert selectors.membership_counts(by="branch") == [
        CountRow(branch.pk, "Lambeth", 1)
    ]
    assert (
        selectors.membership_counts(by="employer", on=datetime.date(2019, 1, 1)) == []
    )


# --- Joiners and leavers -------------------------------------------------------------


@pytest.fixture
def first_quarter_of_2025() -> dict[str, Membership]:
    """Who joined and left around January to March 2025."""
    with travel_to(TODAY):
        people = {
            "joined_before": member_through_services(
                joined_on=datetime.date(2024, 12, 31)
            ),
            "joined_first_day": member_through_services(
                joined_on=datetime.date(2025, 1, 1)
            ),
            "joined_last_day": member_through_services(
                joined_on=datetime.date(2025, 3, 31)
            ),
            "joined_after": member_through_services(
                joined_on=datetime.date(2025, 4, 1)
            ),
            "lapsed": member_through_services(joined_on=datetime.date(2020, 1, 6)),
            "readmitted": member_through_services(joined_on=datetime.date(2020, 1, 6)),
            "died": member_through_services(joined_on=datetime.date(2020, 1, 6)),
            "came_and_went": member_through_services(
                joined_on=datetime.date(2025, 3, 3)
            ),
        }
        lapse(people["lapsed"], on=datetime.date(2025, 2, 15))
        lapse(people["readmitted"], on=datetime.date(2024, 6, 30))
        services.membership_readmit(
            membership=people["readmitted"], actor=None, on=datetime.date(2025, 2, 1)
        )
        services.membership_record_death(
            membership=people["died"], actor=None, on=datetime.date(2025, 1, 15)
        )
        services.membership_resign(
            membership=people["came_and_went"],
            actor=None,
            on=datetime.date(2025, 3, 20),
        )
        declined = services.membership_apply(
            first_name="D",
            last_name="Declined",
            email="",
            applied_on=datetime.date(2025, 2, 1),
        )
        services.membership_decline(
            membership=declined, actor=None, reason="Not eligible"
        )
        services.membership_apply(
            first_name="A",
            last_name="Applicant",
            email="",
            applied_on=datetime.date(2025, 2, 1),
        )
    return people


def test_joiners_and_leavers_are_counted_over_a_period_including_both_ends(
    first_quarter_of_2025: dict[str, Membership],
) -> None:
    counts = selectors.joiners_and_leavers(
        start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31)
    )

    # Joined: first day, last day, readmitted, came and went. Left: lapsed, died,
    # came and went. Declined and pending applications are neither.
    assert counts == JoinersLeavers(joiners=4, leavers=3)


def test_joiners_and_leavers_on_a_single_day(
    first_quarter_of_2025: dict[str, Membership],
) -> None:
    day = datetime.date(2025, 3, 31)

    assert selectors.joiners_and_leavers(start=day, end=day) == JoinersLeavers(1, 0)


def test_joiners_and_leavers_are_counted_month_by_month_including_quiet_months(
    first_quarter_of_2025: dict[str, Membership],
) -> None:
    months = selectors.joiners_and_leavers_by_month(
        start=datetime.date(2024, 12, 1), end=datetime.date(2025, 5, 31)
    )

    assert months == [
        (datetime.date(2024, 12, 1), 1, 0),
        (datetime.date(2025, 1, 1), 1, 1),
        (datetime.date(2025, 2, 1), 1, 1),
        (datetime.date(2025, 3, 1), 2, 1),
        (datetime.date(2025, 4, 1), 1, 0),
        (datetime.date(2025, 5, 1), 0, 0),
    ]


def test_month_by_month_counts_start_and_end_on_the_days_given(
    first_quarter_of_2025: dict[str, Membership],
) -> None:
    months = selectors.joiners_and_leavers_by_month(
        start=datetime.date(2025, 1, 2), end=datetime.date(2025, 3, 19)
    )

    # Leaves out the joiner on 1 January, the resignation on 20 March and the
    # joiner on 31 March.
    assert months == [
        (datetime.date(2025, 1, 1), 0, 1),
        (datetime.date(2025, 2, 1), 1, 1),
        (datetime.date(2025, 3, 1), 1, 0),
    ]


# --- Search --------------------------------------------------------------------------


def person(first: str, last: str, **details: Any) -> Membership:
    return MembershipFactory(
        person__first_name=first,
        person__last_name=last,
        **{
            f"person__{name}": value
            for name, value in details.items()
            if name != "number"
        },
        **({"membership_number": details["number"]} if "number" in details else {}),
    )


def search(query: str) -> list[Membership]:
    return list(selectors.memberships_search(query=query))


def test_a_membership_number_finds_exactly_that_member() -> None:
    ada = person("Ada", "Lovelace", number="100234")
    person("Grace", "Hopper", number="1002345")

    assert search("100234") == [ada]
    assert search(" 100234 ") == [ada]
    assert search("10023") == []


@pytest.mark.parametrize(
    "query", ["ada@example.org", "ADA@Example.ORG", "  Ada@example.org "]
)
def test_an_email_address_finds_its_member_in_any_case(query: str) -> None:
    ada = person("Ada", "Lovelace", email="ada@example.org")
    person("Ada", "Other", email="ada@example.org.uk")

    assert search(query) == [ada]


def test_an_email_address_must_match_in_full() -> None:
    person("Ada", "Lovelace", email="ada@example.org")

    assert search("ada@example") == []


@pytest.mark.parametrize(
    "query", ["SE1 7TP", "se17tp", "se1 7tp", " SE1   7TP ", "Se17Tp"]
)
def test_a_full_postcode_finds_the_members_there_in_any_spacing_or_case(
    query: str,
) -> None:
    ada = person("Ada", "Lovelace", postcode="SE1 7TP")
    bob = person("Bob", "Adams", postcode="SE1 7TP")
    person("Cy", "Neighbour", postcode="SE1 7TQ")

    assert search(query) == [bob, ada]


@pytest.mark.parametrize("query", ["SE1", "se1", " se1 "])
def test_an_outward_code_finds_every_member_in_that_district_and_no_other(
    query: str,
) -> None:
    in_district = {
        person("Ada", "Lovelace", postcode="SE1 7TP"),
        person("Bob", "Adams", postcode="SE1 9SG"),
    }
    person("Cy", "Deptford", postcode="SE10 0AA")
    person("Di", "Kennington", postcode="SE11 4AA")
    person("Ed", "Bermondsey", postcode="SE16 2XU")
    person("Fay", "Nowhere", postcode="")

    assert set(search(query)) == in_district


@pytest.mark.parametrize("query", ["lov", "LOV", "Lovelace", "  lovE "])
def test_the_start_of_a_last_name_finds_members_in_any_case(query: str) -> None:
    ada = person("Ada", "Lovelace")
    person("Ada", "Glover")
    person("Lovelace", "Byron")  # a first name does not match on its own

    assert search(query) == [ada]


def test_a_last_name_prefix_finds_only_names_that_start_with_it() -> None:
    macdonald, mack = person("Ann", "MacDonald"), person("Bo", "Mack")
    person("Cy", "Madden")
    person("Di", "Mabey")
    person("Ed", "Mab")

    assert search("mac") == [macdonald, mack]


def test_members_found_by_last_name_are_in_name_order() -> None:
    zoe, amy, bob = (
        person("Zoe", "Smith"),
        person("Amy", "Smith"),
        person("Bob", "Smithers"),
    )

    assert search("smith") == [amy, zoe, bob]


@pytest.mark.parametrize("query", ["ada lovelace", "Ad Lov", "ADA L", "a lovelace"])
def test_the_start_of_a_first_and_a_last_name_finds_that_member(query: str) -> None:
    ada = person("Ada", "Lovelace")
    person("Adam", "Smith")
    person("Grace", "Lovelace")
    person("Lovelace", "Ada")

    assert search(query) == [ada]


def test_a_last_name_of_several_words_is_found_whole_or_with_the_first_name() -> None:
    maria = person("Maria", "de la Cruz")
    person("Delia", "Laine")

    assert search("de la cruz") == [maria]
    assert search("maria de la") == [maria]


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_an_empty_query_finds_no_one(query: str) -> None:
    person("Ada", "Lovelace")

    assert search(query) == []


@pytest.mark.parametrize("query", ["O'Brien", "o'brien", "o'b", "O'", "Mary O'Bri"])
def test_a_name_with_an_apostrophe_is_found(query: str) -> None:
    mary = person("Mary", "O'Brien")
    person("Olive", "Obrien")
    person("Oscar", "Oates")

    assert search(query) == [mary]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Smith-Jones", ["Smith-Jones"]),
        ("smith-j", ["Smith-Jones"]),
        ("smith-", ["Smith-Jones"]),
        ("smith", ["Smith", "Smith Jones", "Smith-Jones", "Smithson"]),
        ("ann smith-jones", ["Smith-Jones"]),
    ],
)
def test_a_hyphenated_name_is_found(query: str, expected: list[str]) -> None:
    person("Ann", "Smith-Jones")
    person("Bea", "Smith")
    person("Cat", "Smithson")
    person("Dot", "Smith Jones")

    # Sorted: the order among "Smith Jones" and "Smith-Jones" is the collation's.
    assert sorted(m.person.last_name for m in search(query)) == expected


def test_search_matches_names_literally_not_as_patterns() -> None:
    person("Ada", "Lovelace")
    person("Under_score", "Percent%")

    assert search("%") == []
    assert search("_") == []
    assert search("percent%") == [Membership.objects.get(person__last_name="Percent%")]


def test_a_members_rate_follows_their_category_and_the_pay_band_of_their_main_job():
    from tolpuddle.members.models import SubscriptionRate

    day = datetime.date(2025, 6, 1)
    SubscriptionRate.objects.create(
        category="full",
        pay_band="Band 4",
        monthly_amount=Decimal("18.50"),
        valid_from=datetime.date(2024, 4, 1),
    )
    SubscriptionRate.objects.create(
        category="full",
        pay_band="Band 4",
        monthly_amount=Decimal("19.00"),
        valid_from=datetime.date(2025, 4, 1),
    )
    SubscriptionRate.objects.create(
        category="full",
        pay_band="",
        monthly_amount=Decimal("15.00"),
        valid_from=datetime.date(2024, 4, 1),
    )
    SubscriptionRate.objects.create(
        category="retired",
        pay_band="",
        monthly_amount=Decimal("3.00"),
        valid_from=datetime.date(2024, 4, 1),
    )
    member = MembershipFactory(category="full")
    EmploymentFactory(
        membership=member,
        pay_band="Band 2",
        hours=Decimal("7.5"),
        started_on=datetime.date(2020, 1, 1),
    )
    EmploymentFactory(
        membership=member,
        pay_band="Band 4",
        hours=Decimal("30"),
        started_on=datetime.date(2020, 1, 1),
    )
    unbanded = MembershipFactory(category="full")
    retired = MembershipFactory(category="retired")

    assert selectors.subscription_rate_for(
        membership=member, on=day
    ).monthly_amount == Decimal("19.00")
    assert selectors.subscription_rate_for(
        membership=member, on=datetime.date(2024, 5, 1)
    ).monthly_amount == Decimal("18.50")
    assert selectors.subscription_rate_for(
        membership=unbanded, on=day
    ).monthly_amount == Decimal("15.00")
    assert selectors.subscription_rate_for(
        membership=retired, on=day
    ).monthly_amount == Decimal("3.00")
    assert (
        selectors.subscription_rate_for(
            membership=MembershipFactory(category="honorary"), on=day
        )
        is None
    )


@travel_to(TODAY)
@pytest.mark.parametrize(
    "as_list", [2000, 0], ids=["readmitted-as-list", "as-subquery"]
)
def test_good_standing_on_past_dates_agrees_with_the_history_for_every_kind_of_member(
    as_list, monkeypatch
) -> None:
    """The quick answer (the current spell's dates) and the history must agree,
    whether the readmitted members are few (a list) or many (a subquery)."""
    monkeypatch.setattr(selectors, "READMITTED_AS_LIST", as_list)
    from tolpuddle.members.models import MembershipEvent

    day = datetime.date
    staying = member_through_services(joined_on=day(2019, 3, 4))
    lapsed = lapse(
        member_through_services(joined_on=day(2018, 1, 1)), on=day(2021, 5, 31)
    )
    resigned = services.membership_resign(
        membership=member_through_services(joined_on=day(2020, 2, 2)),
        actor=None,
        on=day(2022, 8, 1),
    )
    twice = lapse(
        member_through_services(joined_on=day(2017, 6, 1)), on=day(2019, 12, 31)
    )
    twice = services.membership_readmit(
        membership=twice, actor=None, on=day(2021, 3, 1)
    )
    thrice = lapse(
        member_through_services(joined_on=day(2016, 1, 1)), on=day(2018, 1, 1)
    )
    thrice = services.membership_readmit(
        membership=thrice, actor=None, on=day(2019, 1, 1)
    )
    thrice = lapse(thrice, on=day(2020, 1, 1))
    thrice = services.membership_readmit(
        membership=thrice, actor=None, on=day(2022, 1, 1)
    )
    applicant = services.membership_apply(first_name="A", last_name="B", email="")
    everyone = [staying, lapsed, resigned, twice, thrice, applicant]

    def from_history(member: Membership, on: datetime.date) -> bool:
        last = (
            MembershipEvent.objects.filter(membership=member, effective_on__lte=on)
            .exclude(status_to="")
            .order_by("-effective_on", "-id")
            .first()
        )
        return last is not None and last.status_to == "active"

    checked = 0
    on = day(2015, 12, 15)
    while on < TODAY:
        found = set(
            selectors.memberships_in_good_standing(on=on).values_list("pk", flat=True)
        )
        for member in everyone:
            assert (member.pk in found) == from_history(member, on), (member, on)
            checked += 1
        on += datetime.timedelta(days=47)
    assert checked > 300
