"""Ballots, electors and the people who work on turnout. Made through the models
(a ballot here is already open: how it got there is the disputes app's business);
defaults are valid, a test sets only what it is about."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission

from tolpuddle.disputes.models import (
    Ballot,
    BallotEmployer,
    BallotKind,
    BallotStatus,
    Dispute,
    DisputeEmployer,
    ElectorateEntry,
    WorkplaceBallots,
)
from tolpuddle.members.models import Employer, Workplace
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

OPENING = datetime.date(2026, 12, 14)
CLOSING = datetime.date(2027, 1, 11)
TODAY = datetime.date(2026, 12, 22)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")
    )


def ballot_open(
    *,
    employers: list[Employer] | None = None,
    opening_on: datetime.date = OPENING,
    closing_on: datetime.date = CLOSING,
    status: str = BallotStatus.OPEN,
    separate: bool = False,
    **extra: Any,
) -> Ballot:
    """A statutory strike ballot over ``employers`` (one new one by default), open."""
    employers = employers or [EmployerFactory()]
    dispute = Dispute.objects.create(
        title="Pay 2026",
        summary="The employer's refusal to pay the 2026 award in full.",
        began_on=datetime.date(2026, 9, 1),
    )
    for employer in employers:
        DisputeEmployer.objects.create(dispute=dispute, employer=employer)
    values: dict[str, Any] = {
        "title": "Ballot for strike action",
        "kind": BallotKind.STATUTORY,
        "asks_strike": True,
        "workplace_ballots": WorkplaceBallots.SEPARATE
        if separate
        else WorkplaceBallots.AGGREGATED,
        "electorate_on": opening_on - datetime.timedelta(days=21),
        "electorate_version": 1,
        **extra,
    }
    ballot = Ballot.objects.create(
        dispute=dispute,
        opening_on=opening_on,
        closing_on=closing_on,
        status=status,
        **values,
    )
    for employer in employers:
        BallotEmployer.objects.create(ballot=ballot, employer=employer)
    return ballot


def elector(
    ballot: Ballot,
    *,
    workplace: Workplace | None = None,
    membership: Any = None,
    included: bool = True,
    **membership_fields: Any,
) -> ElectorateEntry:
    """A member in ``ballot``'s electorate (``included=False``: a near miss)."""
    if membership is None:
        person_fields = {
            key: membership_fields.pop(key)
            for key in ("email", "first_name", "last_name", "phone", "user")
            if key in membership_fields
        }
        membership = MembershipFactory(
            person=PersonFactory(**person_fields), **membership_fields
        )
    employer = workplace.employer if workplace is not None else ballot.employers.first()
    return ElectorateEntry.objects.create(
        ballot=ballot,
        membership=membership,
        employer=employer,
        workplace=workplace,
        job_category="Probation officer",
        membership_status=membership.status,
        included=included,
        reason="" if included else "in_arrears",
        version=1,
    )


def rep_of(workplace: Workplace, **extra: Any) -> Any:
    """A sign-in of a workplace rep at ``workplace`` (a member of a branch of its own)."""
    user, membership = member_with_sign_in(extra.pop("branch", None) or BranchFactory())
    hold(membership, "workplace-rep", workplace=workplace)
    return user


def secretary_of(branch: Any) -> Any:
    user, membership = member_with_sign_in(branch)
    hold(membership, "branch-secretary", branch=branch)
    return user


def hq_staff() -> Any:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Membership staff"))
    return user


def back_office_staff() -> Any:
    """Staff who may open the back office but hold no group or permission that shows
    them members, disputes or turnout (HQ's "Membership staff" hold those)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return user


def turnout_organiser() -> Any:
    """HQ disputes staff who may send reminders and record the scrutineer's figures."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Membership staff"))
    user.user_permissions.add(
        Permission.objects.get(codename="view_all_disputes"),
        Permission.objects.get(codename="manage_turnout"),
    )
    return user
