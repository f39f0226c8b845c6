"""Ballots taken through the steps before the result: electorates of a few members,
notices given in time, the ballot opened and voting closed. The result's figures
are the scrutineer's, so a test of the law's thresholds gives large numbers to an
electorate of a few (the mismatch is only a warning)."""

from __future__ import annotations

import datetime
from typing import Any

from tolpuddle.disputes import services
from tolpuddle.disputes.models import Ballot, Dispute, ResultNotice
from tolpuddle.disputes.tests.conftest import noon
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.members.models import Employer, Membership, Workplace
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)

DAY = datetime.timedelta(days=1)
SINCE = datetime.date(2005, 1, 3)  # members and jobs from before every regime
ERA_OPENING = datetime.date(2026, 12, 14)
ERA_CLOSING = datetime.date(2027, 1, 11)
ERA_DECLARED = ERA_CLOSING + DAY  # a Tuesday


def member_at(
    workplace: Workplace | None,
    *,
    employer: Employer | None = None,
    job_category: str = "Probation officer",
    **person: Any,
) -> Membership:
    membership = MembershipFactory(
        joined_on=SINCE, person=PersonFactory(**person) if person else PersonFactory()
    )
    EmploymentFactory(
        membership=membership,
        workplace=workplace,
        employer=employer or (workplace.employer if workplace else EmployerFactory()),
        job_category=job_category,
        started_on=SINCE,
    )
    return membership


def place(
    *,
    employer_name: str = "Probation Service",
    workplaces: tuple[str, ...] = ("Leeds",),
) -> tuple[Dispute, Employer, list[Workplace]]:
    employer = EmployerFactory(name=employer_name)
    places = [WorkplaceFactory(employer=employer, name=name) for name in workplaces]
    dispute = DisputeFactory(employers=[employer], began_on=datetime.date(2010, 1, 4))
    return dispute, employer, places


def held_ballot(
    time_machine: Any,
    *,
    dispute: Dispute,
    opening: datetime.date = ERA_OPENING,
    closing: datetime.date = ERA_CLOSING,
    **options: Any,
) -> Ballot:
    """A statutory ballot (strike, unless ``options`` say otherwise) frozen two
    weeks before it opens, its notices and sample papers given that day, opened on
    its opening day; the clock left on the day after it closes."""
    freeze_on = opening - 14 * DAY
    time_machine.move_to(noon(freeze_on))
    options.setdefault("expected_action_period", "From February 2027.")
    if options.get("action_short_of_strike"):
        options.setdefault("action_short_of_strike_types", "An overtime ban.")
    ballot = statutory_ballot(
        dispute=dispute, opening_on=opening, closing_on=closing, **options
    )
    services.ballot_electorate_freeze(ballot=ballot, on=freeze_on, by=None)
    for notice in services.ballot_notices_prepare(ballot=ballot, by=None):
        services.ballot_notice_record_given(notice=notice, given_on=freeze_on, by=None)
        services.ballot_sample_paper_record_given(
            notice=notice, given_on=freeze_on, by=None
        )
    time_machine.move_to(noon(opening))
    services.ballot_open(ballot=ballot, by=None)
    time_machine.move_to(noon(closing + DAY))
    ballot.refresh_from_db()
    return ballot


def declared(
    ballot: Ballot,
    *,
    yes: int = 3,
    no: int = 0,
    given: bool = True,
    on: datetime.date = ERA_DECLARED,
) -> None:
    """Record the result (3 entitled) on ``on`` and give it to every employer that
    day."""
    services.ballot_result_record(
        ballot=ballot, declared_on=on, by=None, entitled=3, yes=yes, no=no, spoiled=0
    )
    if given:
        for notice in ResultNotice.objects.filter(ballot=ballot):
            services.result_notice_record_given(notice=notice, given_on=on, by=None)
