"""The notice of ballot to each employer (s.226A), the sample voting paper, their
deadlines, and opening the ballot."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import documents, law, selectors, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotNotice,
    BallotStatus,
    DisputeEvent,
    DisputeEventKind,
)
from tolpuddle.disputes.tests import ballots
from tolpuddle.disputes.tests.conftest import TODAY, noon
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.members import selectors as member_selectors
from tolpuddle.members.models import Membership, PaymentMethod
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 20)
DAY = datetime.timedelta(days=1)
OPENING = datetime.date(2026, 12, 14)  # a Monday
# The first sentence of every s.229(4) statement, written here rather than taken
# from the rules, so that the rules' wording is checked too.
CONTRACT_BREACH = (
    "If you take part in a strike or other industrial action, you may be in breach "
    "of your contract of employment."
)
CLOSING = datetime.date(2027, 1, 11)


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def member_at(workplace: Any, job_category: str = "Probation officer", **member: Any):
    membership = MembershipFactory(**member)
    EmploymentFactory(
        membership=membership,
        workplace=workplace,
        job_category=job_category,
        started_on=datetime.date(2022, 1, 4),
    )
    return membership


@pytest.fixture
def two_employers() -> Any:
    probation = EmployerFactory(name="Probation Service")
    cafcass = EmployerFactory(name="Cafcass")
    leeds = WorkplaceFactory(employer=probation, name="Leeds", postcode="LS1 4AP")
    york = WorkplaceFactory(employer=probation, name="York", postcode="YO1 7HH")
    bristol = WorkplaceFactory(employer=cafcass, name="Bristol", postcode="BS1 6AA")
    dispute = DisputeFactory(employers=[probation, cafcass], title="Pay 2026")
    return dispute, probation, cafcass, leeds, york, bristol


def frozen(ballot: Ballot, on: datetime.date = ON) -> list[BallotNotice]:
    services.ballot_electorate_freeze(ballot=ballot, on=on, by=None)
    return services.ballot_notices_prepare(ballot=ballot, by=None)


# --- Deadlines ---------------------------------------------------------------------------


def test_the_notice_is_due_the_seventh_day_and_the_sample_paper_the_third_day_before_opening(
    two_employers,
) -> None:
    ballot = statutory_ballot(dispute=two_employers[0], opening_on=OPENING)

    deadlines = selectors.ballot_deadlines(ballot=ballot)

    assert (deadlines.notice_by, deadlines.sample_paper_by) == (
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 11),
    )
    assert deadlines.regime == law.regime_for(opening_on=OPENING)


def test_the_regime_follows_the_opening_day() -> None:
    def slug(day: datetime.date) -> str:
        return law.regime_for(opening_on=day).slug

    assert slug(datetime.date(2017, 2, 28)) == "pre-2016"
    assert slug(datetime.date(2017, 3, 1)) == "tua-2016"
    assert slug(datetime.date(2026, 2, 17)) == "tua-2016"
    assert slug(datetime.date(2026, 2, 18)) == "era-2025-stage-1"
    assert slug(datetime.date(2030, 1, 1)) == "era-2025-stage-1"  # stage 2 unset


def test_every_statement_the_rules_require_is_one_the_documents_know() -> None:
    """A statement added to a regime in tolpuddle.ballot_law fails this test (and
    stops ballots opening) until the voting paper or the notice carries it."""
    for regime in law.REGIMES:
        assert {s.key for s in regime.voting_paper} <= set(
            documents.VOTING_PAPER_CARRIES
        ), regime.slug
        assert {s.key for s in regime.ballot_notice} <= set(documents.NOTICE_CARRIES), (
            regime.slug
        )


# --- The notice's content ------------------------------------------------------------------


def test_each_employer_with_members_in_the_electorate_gets_a_notice_of_its_own(
    two_employers,
) -> None:
    dispute, probation, cafcass, leeds, york, bristol = two_employers
    for _ in range(3):
        member_at(leeds)
    member_at(york, job_category="Probation service officer")
    member_at(york, job_category="")
    member_at(bristol, job_category="Family court adviser", payment_method="payroll")
    member_at(leeds, lapsed=True, left_on=ON - 5 * DAY)  # not counted
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    notices = {n.employer: n for n in frozen(ballot)}

    assert set(notices) == {probation, cafcass}
    content = notices[probation].content
    assert content["total"] == 5
    assert content["categories"] == [
        {"name": "Not recorded", "count": 1},
        {"name": "Probation officer", "count": 3},
        {"name": "Probation service officer", "count": 1},
    ]
    assert [(w["name"], w["count"]) for w in content["workplaces"]] == [
        ("Leeds", 3),
        ("York", 2),
    ]
    assert (content["employer"], content["opening_on"], content["check_off"]) == (
        "Probation Service",
        "2026-12-14",
        0,
    )
    assert notices[cafcass].content["total"] == 1
    assert notices[cafcass].content["check_off"] == 1
    event = DisputeEvent.objects.get(kind=DisputeEventKind.NOTICES_PREPARED)
    assert event.data["notices"] == {str(probation.pk): 5, str(cafcass.pk): 1}


def test_the_notice_figures_match_the_register_by_category_and_workplace() -> None:
    """Against the register's own answer (``memberships_employed_by``) for every
    workplace and every category, over a register with every kind of near miss."""
    employer = EmployerFactory(name="National Probation Service")
    workplaces = [
        WorkplaceFactory(employer=employer, name=f"Office {i}") for i in range(4)
    ]
    categories = ["Probation officer", "Probation service officer", "Administrator"]
    chance = random.Random(2026)
    for _ in range(80):
        state = chance.choice(["ok", "ok", "ok", "lapsed", "arrears", "left", "later"])
        member: dict[str, Any] = {}
        job: dict[str, Any] = {"started_on": datetime.date(2021, 5, 1)}
        if state == "lapsed":
            member = {"lapsed": True, "left_on": ON - chance.randint(1, 60) * DAY}
        elif state == "arrears":
            member = {"arrears": Decimal("20.00"), "arrears_since": ON - 40 * DAY}
        elif state == "left":
            job["ended_on"] = ON - chance.randint(1, 60) * DAY
        elif state == "later":
            job["started_on"] = ON + chance.randint(1, 60) * DAY
        EmploymentFactory(
            membership=MembershipFactory(**member),
            workplace=chance.choice(workplaces),
            job_category=chance.choice(categories),
            **job,
        )
    dispute = DisputeFactory(employers=[employer])
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    (notice,) = frozen(ballot)

    def register(**which: Any) -> int:
        return (
            member_selectors.memberships_employed_by(employer=employer, on=ON, **which)
            .filter(arrears=0)
            .count()
        )

    content = notice.content
    by_workplace = {w["name"]: w["count"] for w in content["workplaces"]}
    by_category = {c["name"]: c["count"] for c in content["categories"]}
    assert content["total"] == register() > 0
    assert by_workplace == {
        w.name: register(workplace=w) for w in workplaces if register(workplace=w)
    }
    assert by_category == {
        c: register(job_category=c) for c in categories if register(job_category=c)
    }
    assert sum(by_workplace.values()) == sum(by_category.values()) == content["total"]


# --- Members employed by two of the employers ------------------------------------------


def second_job(
    membership: Membership,
    workplace: Any,
    job_category: str = "Family court adviser",
    **job: Any,
) -> None:
    """Another job of ``membership``, fewer hours than their first."""
    EmploymentFactory(
        membership=membership,
        workplace=workplace,
        job_category=job_category,
        hours=Decimal("10.00"),
        started_on=job.pop("started_on", datetime.date(2023, 6, 1)),
        **job,
    )


def test_a_member_employed_by_both_employers_is_counted_in_both_notices_with_one_vote(
    two_employers,
) -> None:
    dispute, probation, cafcass, leeds, york, bristol = two_employers
    both = member_at(leeds, payment_method=PaymentMethod.PAYROLL)
    second_job(both, bristol)
    member_at(york)
    member_at(bristol, job_category="Family court adviser")
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    notices = {n.employer: n.content for n in frozen(ballot)}

    assert selectors.electorate_size(ballot=ballot) == 3  # one vote each
    (entry,) = selectors.electorate_entries(ballot=ballot).filter(membership=both)
    assert (entry.employer, entry.workplace) == (probation, leeds)
    assert (notices[probation]["total"], notices[cafcass]["total"]) == (2, 2)
    assert [(w["name"], w["count"]) for w in notices[probation]["workplaces"]] == [
        ("Leeds", 1),
        ("York", 1),
    ]
    assert notices[probation]["categories"] == [
        {"name": "Probation officer", "count": 2}
    ]
    assert [(w["name"], w["count"]) for w in notices[cafcass]["workplaces"]] == [
        ("Bristol", 2)
    ]
    assert notices[cafcass]["categories"] == [
        {"name": "Family court adviser", "count": 2}
    ]
    # The register has one payment method a member: the deduction is counted at
    # the employer of the member's main job only.
    assert (notices[probation]["check_off"], notices[cafcass]["check_off"]) == (1, 0)
    for content in notices.values():
        assert (
            "1 member counted here is also employed by another of the employers in "
            "the ballot, in a job that qualifies there too, and counted among that "
            "employer's employees as well; each is one member entitled to vote, with "
            "one vote." in content["explanation"]
        )
    for employer in (probation, cafcass):
        register = member_selectors.memberships_employed_by(employer=employer, on=ON)
        assert notices[employer]["total"] == register.count()
    event = DisputeEvent.objects.get(kind=DisputeEventKind.NOTICES_PREPARED)
    assert event.data["notices"] == {str(probation.pk): 2, str(cafcass.pk): 2}


def test_an_employer_whose_only_balloted_employee_works_mostly_elsewhere_gets_a_notice(
    two_employers,
) -> None:
    dispute, probation, cafcass, leeds, _, bristol = two_employers
    both = member_at(leeds)
    second_job(both, bristol)
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    notices = {n.employer: n.content for n in frozen(ballot)}

    assert list(selectors.employers_with_electors(ballot=ballot)) == [
        cafcass,
        probation,
    ]
    assert (notices[probation]["total"], notices[cafcass]["total"]) == (1, 1)
    assert [(w["name"], w["count"]) for w in notices[cafcass]["workplaces"]] == [
        ("Bristol", 1)
    ]


def test_a_second_job_that_does_not_qualify_is_not_counted_by_its_employer(
    two_employers,
) -> None:
    dispute, probation, cafcass, leeds, _, bristol = two_employers
    swindon = WorkplaceFactory(employer=cafcass, name="Swindon")
    adviser = "Family court adviser"
    ended = member_at(leeds)
    second_job(ended, bristol, ended_on=ON - DAY)
    wrong_category = member_at(leeds)
    second_job(wrong_category, bristol, job_category="Administrator")
    not_balloted = member_at(leeds)
    second_job(not_balloted, swindon)
    not_yet = member_at(leeds)
    second_job(not_yet, bristol, started_on=ON + DAY)
    counted = member_at(leeds)
    second_job(counted, bristol)
    second_job(counted, swindon)  # one a member at each employer
    ballot = statutory_ballot(
        dispute=dispute,
        opening_on=OPENING,
        job_categories=["Probation officer", adviser],
        workplaces=[leeds, bristol],
    )

    notices = {n.employer: n.content for n in frozen(ballot)}

    assert notices[probation]["total"] == 5
    assert notices[cafcass]["total"] == 1
    assert notices[cafcass]["categories"] == [{"name": adviser, "count": 1}]
    assert [(w["name"], w["count"]) for w in notices[cafcass]["workplaces"]] == [
        ("Bristol", 1)
    ]
    assert notices[cafcass]["total"] == (
        member_selectors.memberships_employed_by(
            employer=cafcass, on=ON, workplace=bristol, job_category=adviser
        ).count()
    )


def test_the_notice_figures_of_two_employers_sharing_members_match_the_register() -> (
    None
):
    """Each employer's figures against the register's own answer for it, over a
    register where a third of the members also work for the other employer."""
    employers = [EmployerFactory(name=name) for name in ("Probation", "Cafcass")]
    workplaces = {
        e.pk: [WorkplaceFactory(employer=e, name=f"{e.name} {i}") for i in range(3)]
        for e in employers
    }
    categories = ["Probation officer", "Family court adviser", "Administrator"]
    chance = random.Random(1834)
    for _ in range(90):
        state = chance.choice(["ok", "ok", "ok", "lapsed", "left", "later"])
        member: dict[str, Any] = {}
        if state == "lapsed":
            member = {"lapsed": True, "left_on": ON - chance.randint(1, 60) * DAY}
        membership = MembershipFactory(**member)
        first, second = chance.sample(employers, 2)
        for employer, hours in ((first, 37), (second, chance.choice([0, 0, 12]))):
            if not hours:
                continue
            job: dict[str, Any] = {"started_on": datetime.date(2021, 5, 1)}
            if state == "left" or chance.random() < 0.1:
                job["ended_on"] = ON - chance.randint(1, 60) * DAY
            elif state == "later":
                job["started_on"] = ON + chance.randint(1, 60) * DAY
            EmploymentFactory(
                membership=membership,
                workplace=chance.choice(workplaces[employer.pk]),
                job_category=chance.choice(categories),
                hours=Decimal(hours),
                **job,
            )
    dispute = DisputeFactory(employers=employers)
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    notices = {n.employer: n.content for n in frozen(ballot)}

    shared = 0
    for employer in employers:

        def register(employer: Any = employer, **which: Any) -> int:
            return member_selectors.memberships_employed_by(
                employer=employer, on=ON, **which
            ).count()

        content = notices[employer]
        by_workplace = {w["name"]: w["count"] for w in content["workplaces"]}
        by_category = {c["name"]: c["count"] for c in content["categories"]}
        assert content["total"] == register() > 0
        assert by_workplace == {
            w.name: register(workplace=w)
            for w in workplaces[employer.pk]
            if register(workplace=w)
        }
        assert by_category == {
            c: register(job_category=c) for c in categories if register(job_category=c)
        }
        shared += content["total"]
    # One entry a member, whichever of the employers they work for.
    employed = {
        m.pk
        for employer in employers
        for m in member_selectors.memberships_employed_by(employer=employer, on=ON)
    }
    assert selectors.electorate_size(ballot=ballot) == len(employed) < shared


def test_the_explanation_says_how_the_figures_were_arrived_at(two_employers) -> None:
    dispute, probation, _, leeds, york, _ = two_employers
    member_at(leeds, payment_method=PaymentMethod.PAYROLL)
    member_at(york, job_category="Probation service officer")
    ballot = statutory_ballot(
        dispute=dispute,
        employers=[probation],
        opening_on=OPENING,
        job_categories=["Probation officer", "Probation service officer"],
        workplaces=[leeds, york],
    )

    (notice,) = frozen(ballot)

    explanation = notice.content["explanation"]
    assert explanation.startswith(
        "These figures are from the union's membership register as at Friday 20 "
        "November 2026: members in good standing recorded as employed by Probation "
        "Service on that date in the job categories Probation officer and Probation "
        "service officer at the workplaces Leeds and York, and not in arrears with "
        "their subscriptions."
    )
    assert (
        "Job categories and workplaces are as recorded by members or from the "
        "employer's check-off data." in explanation
    )
    assert "1 of these members pay their subscriptions by deduction" in explanation


def test_the_notice_as_text_and_as_a_pdf_says_the_same(two_employers) -> None:
    dispute, probation, _, leeds, york, _ = two_employers
    member_at(leeds)
    member_at(leeds)
    member_at(york, job_category="Probation service officer")
    ballot = statutory_ballot(
        dispute=dispute, employers=[probation], opening_on=OPENING
    )
    (notice,) = frozen(ballot)

    pdf = documents.notice_pdf(notice=notice)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for words in (
        "Notice of ballot for industrial action",
        "section 226A",
        "To Probation Service",
        "intends to hold a ballot of its members for industrial action",
        "The opening day of the ballot will be Monday 14 December 2026",
        "Total number of employees concerned: 3",
        "Probation officer 2",
        "Probation service officer 1",
        "Leeds",
        "York",
        "as at Friday 20 November 2026",
    ):
        assert words in text, words
    plain = notice.text
    assert "The opening day of the ballot will be Monday 14 December 2026." in plain
    assert "Total number of employees concerned: 3" in plain
    assert "  Probation officer: 2" in plain
    assert "  Leeds (" in plain
    assert notice.content["explanation"] in plain


def test_notices_are_only_for_statutory_ballots_with_a_frozen_electorate(
    two_employers,
) -> None:
    dispute, probation, *_ = two_employers
    consultative = services.ballot_create(
        dispute=dispute,
        title="Consultation",
        kind=BallotKind.CONSULTATIVE,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[probation],
        questions=["Do you support the claim?"],
        by=None,
    )
    statutory = statutory_ballot(dispute=dispute, opening_on=OPENING)

    with pytest.raises(ApplicationError, match="consultative ballot needs no notice"):
        services.ballot_notices_prepare(ballot=consultative, by=None)
    with pytest.raises(ApplicationError, match="Freeze the electorate first"):
        services.ballot_notices_prepare(ballot=statutory, by=None)
    services.ballot_electorate_freeze(ballot=statutory, on=ON, by=None)
    with pytest.raises(ApplicationError, match="nobody to give notice about"):
        services.ballot_notices_prepare(ballot=statutory, by=None)
    assert not BallotNotice.objects.exists()


# --- Recording them given ------------------------------------------------------------------


def test_recording_the_notice_given_keeps_the_day_and_who(two_employers) -> None:
    dispute, probation, _, leeds, _, _ = two_employers
    member_at(leeds)
    ballot = statutory_ballot(
        dispute=dispute, employers=[probation], opening_on=OPENING
    )
    (notice,) = frozen(ballot)
    staff = UserFactory()

    services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=staff)

    notice.refresh_from_db()
    assert (notice.given_on, notice.given_by) == (TODAY, staff)
    event = DisputeEvent.objects.get(kind=DisputeEventKind.NOTICE_GIVEN)
    assert event.data == {
        "employer": probation.pk,
        "given_on": "2026-11-24",
        "deadline": "2026-12-07",
        "in_time": True,
    }
    with pytest.raises(ApplicationError, match="recorded as given on 24/11/2026"):
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=staff)
    with pytest.raises(ApplicationError, match="notices stand"):
        services.ballot_notices_prepare(ballot=ballot, by=None)


def test_a_notice_cannot_be_recorded_as_given_on_a_day_to_come(two_employers) -> None:
    dispute, probation, _, leeds, _, _ = two_employers
    member_at(leeds)
    ballot = statutory_ballot(
        dispute=dispute, employers=[probation], opening_on=OPENING
    )
    (notice,) = frozen(ballot)

    with pytest.raises(ApplicationError, match="not a day to come"):
        services.ballot_notice_record_given(
            notice=notice, given_on=TODAY + DAY, by=None
        )

    notice.refresh_from_db()
    assert notice.given_on is None
    assert not DisputeEvent.objects.filter(kind=DisputeEventKind.NOTICE_GIVEN).exists()


def test_a_sample_paper_is_given_only_once_the_voting_paper_is_complete(
    two_employers,
) -> None:
    dispute, probation, _, leeds, _, _ = two_employers
    member_at(leeds)
    ballot = statutory_ballot(
        dispute=dispute,
        employers=[probation],
        opening_on=OPENING,
        return_address="",
        authorised_to_call_action="",
    )
    (notice,) = frozen(ballot)

    with pytest.raises(
        ApplicationError, match=r"to be returned \(TULRCA s.229\(1A\)\(b\)\)"
    ):
        services.ballot_sample_paper_record_given(
            notice=notice, given_on=TODAY, by=None
        )

    notice.refresh_from_db()
    assert notice.sample_paper_given_on is None
    Ballot.objects.filter(pk=ballot.pk).update(
        return_address="Freepost, London", authorised_to_call_action="The President"
    )
    services.ballot_sample_paper_record_given(notice=notice, given_on=TODAY, by=None)
    notice.refresh_from_db()
    assert notice.sample_paper_given_on == TODAY


def test_a_scrutineer_is_named_only_when_more_than_fifty_are_entitled_to_vote(
    two_employers,
) -> None:
    dispute, probation, _, leeds, _, _ = two_employers
    for _ in range(51):
        member_at(leeds)
    ballot = statutory_ballot(
        dispute=dispute, employers=[probation], opening_on=OPENING, scrutineer_name=""
    )
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)

    assert any(
        "scrutineer" in p for p in documents.voting_paper_problems(ballot=ballot)
    )
    Membership.objects.filter(pk=leeds.employments.first().membership_id).update(
        arrears=Decimal("1.00")
    )
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    assert selectors.electorate_size(ballot=ballot) == 50
    assert documents.voting_paper_problems(ballot=ballot) == []


# --- The sample voting paper ---------------------------------------------------------------


def test_the_sample_voting_paper_of_the_2025_act_carries_what_s229_requires(
    two_employers,
) -> None:
    dispute, probation, *_ = two_employers
    ballot = statutory_ballot(
        dispute=dispute, opening_on=OPENING, action_short_of_strike=True
    )
    regime = law.regime_for(opening_on=OPENING)

    pdf = documents.sample_voting_paper_pdf(ballot=ballot, employer=probation)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "SAMPLE VOTING PAPER: sent to Probation Service" in text
    assert "Are you prepared to take part in strike action? YES NO" in text
    assert (
        "Are you prepared to take part in industrial action short of a strike? YES NO"
        in text
    )
    assert CONTRACT_BREACH in text
    for statement in law.voting_paper_wording(regime=regime):
        assert statement.wording in text
    assert "the dismissal will be unfair." in text
    assert "twelve weeks" not in text
    assert "Civica Election Services" in text
    assert "Freepost RTKA-XYZA, Civica, London SE1 1AA" in text
    assert "Return this paper by Monday 11 January 2027" in text
    assert "The General Secretary" in text
    assert dispute.summary not in text  # the 2016 Act's addition, repealed


def test_the_sample_voting_paper_of_the_2016_act_carries_the_summary_and_the_action(
    two_employers,
) -> None:
    dispute, probation, *_ = two_employers
    dispute.began_on = datetime.date(2025, 1, 6)
    dispute.save()
    ballot = statutory_ballot(
        dispute=dispute,
        opening_on=datetime.date(2025, 6, 2),
        closing_on=datetime.date(2025, 6, 30),
        action_short_of_strike=True,
        action_short_of_strike_types="An overtime ban and working to contract.",
        expected_action_period="From July 2025 to December 2025.",
    )

    text = pdf_text(
        documents.sample_voting_paper_pdf(ballot=ballot, employer=probation)
    )

    assert dispute.summary in text
    assert "An overtime ban and working to contract." in text
    assert "From July 2025 to December 2025." in text
    assert CONTRACT_BREACH in text
    assert (
        "the dismissal will be unfair if it takes place fewer than twelve weeks after "
        "you started taking part in the action" in text
    )
    assert documents.voting_paper_problems(ballot=ballot) == []
    Ballot.objects.filter(pk=ballot.pk).update(expected_action_period="")
    ballot.refresh_from_db()
    assert documents.voting_paper_problems(ballot=ballot) == [
        "The voting paper must carry the period or periods within which the "
        "industrial action (or each type of it) is expected to take place "
        "(TULRCA s.229(2D))."
    ]


# --- Opening --------------------------------------------------------------------------------


@pytest.fixture
def ready(two_employers) -> Any:
    """A ballot of both employers, frozen, its notices prepared."""
    dispute, _, _, leeds, _, bristol = two_employers
    member_at(leeds)
    member_at(bristol)
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING, closing_on=CLOSING)
    notices = {n.employer.name: n for n in frozen(ballot)}
    return ballot, notices


def give(
    notice: BallotNotice, notice_on: datetime.date, paper_on: datetime.date
) -> None:
    services.ballot_notice_record_given(notice=notice, given_on=notice_on, by=None)
    services.ballot_sample_paper_record_given(notice=notice, given_on=paper_on, by=None)


def test_a_ballot_whose_notices_were_all_given_in_time_opens_on_its_opening_day(
    ready, time_machine
) -> None:
    ballot, notices = ready
    give(notices["Probation Service"], TODAY, TODAY)
    time_machine.move_to(noon(datetime.date(2026, 12, 7)))
    give(notices["Cafcass"], datetime.date(2026, 12, 7), datetime.date(2026, 12, 7))
    time_machine.move_to(noon(OPENING))
    staff = UserFactory()

    opened = services.ballot_open(ballot=ballot, by=staff)

    assert opened.status == BallotStatus.OPEN
    event = DisputeEvent.objects.get(kind=DisputeEventKind.BALLOT_OPENED)
    assert (event.actor, event.data) == (staff, {"on": "2026-12-14", "electorate": 2})


def test_a_ballot_cannot_open_when_a_notice_was_given_after_the_seventh_day(
    ready, time_machine
) -> None:
    ballot, notices = ready
    give(notices["Probation Service"], TODAY, TODAY)
    time_machine.move_to(noon(datetime.date(2026, 12, 8)))
    give(notices["Cafcass"], datetime.date(2026, 12, 8), datetime.date(2026, 12, 8))
    time_machine.move_to(noon(OPENING))

    with pytest.raises(ApplicationError) as refused:
        services.ballot_open(ballot=ballot, by=None)

    assert refused.value.extra["problems"] == [
        "The notice to Cafcass was given on 08/12/2026, after the last day for it "
        "(07/12/2026, the seventh day before the opening day)."
    ]
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT
    assert not DisputeEvent.objects.filter(kind=DisputeEventKind.BALLOT_OPENED).exists()


def test_a_ballot_cannot_open_when_a_sample_paper_was_late_or_a_notice_missing(
    ready, time_machine
) -> None:
    ballot, notices = ready
    services.ballot_notice_record_given(
        notice=notices["Probation Service"], given_on=TODAY, by=None
    )
    time_machine.move_to(noon(datetime.date(2026, 12, 12)))
    services.ballot_sample_paper_record_given(
        notice=notices["Probation Service"],
        given_on=datetime.date(2026, 12, 12),
        by=None,
    )
    time_machine.move_to(noon(OPENING))

    with pytest.raises(ApplicationError) as refused:
        services.ballot_open(ballot=ballot, by=None)

    assert refused.value.extra["problems"] == [
        "No notice of ballot was given to Cafcass.",
        "No sample voting paper was given to Cafcass.",
        "The sample voting paper to Probation Service was given on 12/12/2026, after "
        "the last day for it (11/12/2026, the third day before the opening day).",
    ]
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT


def test_a_ballot_cannot_open_before_its_opening_day(ready) -> None:
    ballot, notices = ready
    for notice in notices.values():
        give(notice, TODAY, TODAY)

    with pytest.raises(ApplicationError, match="opens on 14/12/2026"):
        services.ballot_open(ballot=ballot, by=None)


def test_a_ballot_of_an_electorate_of_nobody_cannot_open(two_employers) -> None:
    dispute, probation, *_ = two_employers
    ballot = services.ballot_create(
        dispute=dispute,
        title="Consultation",
        kind=BallotKind.CONSULTATIVE,
        opening_on=TODAY,
        closing_on=CLOSING,
        employers=[probation],
        questions=["Do you support the claim?"],
        by=None,
    )
    with pytest.raises(ApplicationError, match="Freeze the electorate"):
        services.ballot_open(ballot=ballot, by=None)
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)

    with pytest.raises(ApplicationError, match="an electorate of nobody"):
        services.ballot_open(ballot=ballot, by=None)

    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT


def test_a_consultative_ballot_opens_without_notices(two_employers) -> None:
    dispute, probation, _, leeds, _, _ = two_employers
    member_at(leeds)
    ballot = services.ballot_create(
        dispute=dispute,
        title="Consultation",
        kind=BallotKind.CONSULTATIVE,
        opening_on=TODAY,
        closing_on=CLOSING,
        employers=[probation],
        questions=["Do you support the claim?"],
        by=None,
    )
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)

    assert services.ballot_open(ballot=ballot, by=None).status == BallotStatus.OPEN
    text = pdf_text(
        documents.sample_voting_paper_pdf(ballot=ballot, employer=probation)
    )
    assert "Do you support the claim? YES NO" in text
    assert CONTRACT_BREACH not in text


def test_notices_prepared_together_count_each_employer_as_it_would_be_counted_alone(
    two_employers,
) -> None:
    """The notices for all employers come from grouped queries; each must say what
    the one-employer count (``notice_figures``) says, checks-off and all."""
    dispute, probation, cafcass, leeds, york, bristol = two_employers
    member_at(leeds, payment_method=PaymentMethod.PAYROLL)
    member_at(leeds, job_category="Administrator")
    member_at(york)
    member_at(bristol, job_category="Family court adviser")
    member_at(bristol, job_category="Family court adviser", lapsed=True)
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)

    notices = {n.employer_id: n for n in frozen(ballot)}

    assert set(notices) == {probation.pk, cafcass.pk}
    for employer in (probation, cafcass):
        alone = selectors.notice_figures(ballot=ballot, employer=employer)
        content = notices[employer.pk].content
        assert content["total"] == alone.total
        assert content["check_off"] == alone.check_off
        assert content["categories"] == [
            {"name": row.label, "count": row.count} for row in alone.categories
        ]
        assert [w["name"] for w in content["workplaces"]] == [
            row.label for row in alone.workplaces
        ]
    assert notices[probation.pk].content["total"] == 3
    assert notices[probation.pk].content["check_off"] == 1
    assert notices[cafcass.pk].content["total"] == 1


def test_the_ballot_notices_command_writes_every_notice_as_text_and_pdf(
    two_employers, tmp_path
) -> None:
    from django.core.management import CommandError, call_command

    dispute, probation, cafcass, leeds, _, bristol = two_employers
    member_at(leeds)
    member_at(bristol, job_category="Family court adviser")
    ballot = statutory_ballot(dispute=dispute, opening_on=OPENING)
    with pytest.raises(CommandError, match="no notices of ballot yet"):
        call_command("ballot_notices", str(ballot.pk), "--out", str(tmp_path))
    notices = frozen(ballot)

    out = io.StringIO()
    call_command(
        "ballot_notices",
        str(ballot.pk),
        "--out",
        str(tmp_path),
        "--jobs",
        "2",
        stdout=out,
    )

    pdfs = sorted(tmp_path.glob("*.pdf"))
    texts = sorted(tmp_path.glob("*.txt"))
    assert [p.name for p in pdfs] == [
        f"notice-{ballot.pk}-cafcass-{cafcass.pk}.pdf",
        f"notice-{ballot.pk}-probation-service-{probation.pk}.pdf",
    ]
    by_employer = {n.employer.name: n for n in notices}
    assert texts[0].read_text(encoding="utf-8") == by_employer["Cafcass"].text
    assert "To Cafcass" in pdf_text(pdfs[0].read_bytes())
    assert "To Probation Service" in pdf_text(pdfs[1].read_bytes())
    assert out.getvalue().splitlines()[-1] == f"2/2\t{pdfs[1]}"
    for bad, message in (
        (["999999", "--out", str(tmp_path)], "There is no ballot 999999"),
        ([str(ballot.pk), "--out", str(tmp_path), "--jobs", "0"], "at least 1"),
        ([str(ballot.pk), "--out", str(pdfs[0])], "is a file, not a directory"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("ballot_notices", *bad)


def test_a_notice_of_action_counts_a_member_at_each_employer_until_they_leave(
    time_machine, two_employers
) -> None:
    dispute, probation, cafcass, leeds, _, bristol = two_employers
    leaves, stays = ballots.member_at(leeds), ballots.member_at(leeds)
    for membership in (leaves, stays):
        second_job(membership, bristol, started_on=ballots.SINCE)
    ballots.member_at(leeds)
    ballot = ballots.held_ballot(time_machine, dispute=dispute)
    services.ballot_electorate_mark_leaver(
        ballot=ballot, membership=leaves, left_on=CLOSING, reason="Resigned", by=None
    )
    ballots.declared(ballot)
    time_machine.move_to(noon(ballots.ERA_DECLARED))
    start = ballots.ERA_DECLARED + 10 * DAY

    to_cafcass, to_probation = (
        services.action_notice_prepare(
            ballot=ballot, employer=employer, continuous=True, start_on=start, by=None
        )
        for employer in (cafcass, probation)
    )

    assert selectors.ballot_mandate(ballot=ballot, employer=cafcass).has_mandate
    assert to_cafcass.content["total"] == 1  # the leaver left out
    assert [(w["name"], w["count"]) for w in to_cafcass.content["workplaces"]] == [
        ("Bristol", 1)
    ]
    assert to_cafcass.content["categories"] == [
        {"name": "Family court adviser", "count": 1}
    ]
    assert "1 member counted here is also employed" in to_cafcass.content["explanation"]
    assert to_probation.content["total"] == 2
    assert selectors.notice_figures(ballot=ballot, employer=cafcass).total == 2
    services.action_notice_record_given(
        notice=to_cafcass, given_on=ballots.ERA_DECLARED, by=None
    )
    entry = selectors.member_entry(ballot=ballot, membership=stays)
    assert entry is not None
    assert selectors.action_notices_for_member(ballot=ballot, entry=entry) == [
        to_cafcass
    ]
