"""Disputes and ballots: recording them, the refusals, and who may see them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import selectors, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotEmployer,
    BallotKind,
    BallotQuestion,
    BallotWorkplace,
    Dispute,
    DisputeEmployer,
    DisputeEvent,
    DisputeEventKind,
    DisputeStatus,
    QuestionKind,
    WorkplaceBallots,
)
from tolpuddle.disputes.statements import (
    ACTION_SHORT_OF_STRIKE_QUESTION,
    STRIKE_QUESTION,
)
from tolpuddle.disputes.tests.conftest import TODAY
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

OPENING = datetime.date(2026, 12, 14)
CLOSING = datetime.date(2027, 1, 11)


def written() -> dict[str, int]:
    """How many rows of each kind the services write."""
    return {
        "disputes": Dispute.objects.count(),
        "dispute employers": DisputeEmployer.objects.count(),
        "ballots": Ballot.objects.count(),
        "ballot employers": BallotEmployer.objects.count(),
        "ballot workplaces": BallotWorkplace.objects.count(),
        "questions": BallotQuestion.objects.count(),
        "events": DisputeEvent.objects.count(),
    }


# --- Disputes ---------------------------------------------------------------------------


def test_a_dispute_is_recorded_with_its_employers_officials_and_a_log_entry() -> None:
    probation, cafcass = EmployerFactory(), EmployerFactory()
    official, staff = UserFactory(), UserFactory()

    dispute = services.dispute_create(
        title=" Pay 2026 ",
        summary=" The employer's refusal to pay the award in full. ",
        employers=[probation, cafcass, probation],
        began_on=datetime.date(2026, 9, 1),
        officials=[official],
        by=staff,
    )

    dispute.refresh_from_db()
    assert (dispute.title, dispute.summary, dispute.status) == (
        "Pay 2026",
        "The employer's refusal to pay the award in full.",
        DisputeStatus.OPEN,
    )
    assert set(dispute.employers.all()) == {probation, cafcass}
    assert list(dispute.officials.all()) == [official]
    event = dispute.events.get()
    assert (event.kind, event.actor, event.data["employers"]) == (
        DisputeEventKind.DISPUTE_CREATED,
        staff,
        sorted([probation.pk, cafcass.pk]),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": "   "}, "summary of the matters in issue"),
        ({"title": ""}, "title"),
        ({"employers": []}, "at least one employer"),
        ({"began_on": TODAY + datetime.timedelta(days=1)}, "begin after today"),
    ],
)
def test_a_dispute_without_what_it_needs_is_refused_and_nothing_written(
    changes: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {
        "title": "Pay 2026",
        "summary": "The pay award.",
        "employers": [EmployerFactory()],
        "began_on": datetime.date(2026, 9, 1),
        **changes,
    }
    before = written()

    with pytest.raises(ApplicationError, match=message):
        services.dispute_create(by=None, **values)

    assert written() == before


def test_a_dispute_with_a_deactivated_official_is_refused() -> None:
    with pytest.raises(ApplicationError, match="deactivated"):
        services.dispute_create(
            title="Pay",
            summary="Pay.",
            employers=[EmployerFactory()],
            began_on=TODAY,
            officials=[UserFactory(is_active=False)],
            by=None,
        )
    assert not Dispute.objects.exists()


def test_changing_a_dispute_records_the_old_and_new_values() -> None:
    dispute = DisputeFactory()
    added = EmployerFactory()
    official = UserFactory()
    staff = UserFactory()

    services.dispute_update(
        dispute=dispute,
        summary="Pay and workloads.",
        status=DisputeStatus.SETTLED,
        employers=[*dispute.employers.all(), added],
        officials=[official],
        by=staff,
    )

    dispute.refresh_from_db()
    assert (dispute.summary, dispute.status) == ("Pay and workloads.", "settled")
    assert added in dispute.employers.all()
    event = DisputeEvent.objects.get(kind=DisputeEventKind.DISPUTE_UPDATED)
    assert event.actor == staff
    assert set(event.data["changed"]) == {"summary", "status", "employers", "officials"}
    assert event.data["changed"]["status"] == ["open", "settled"]


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    dispute = DisputeFactory()

    services.dispute_update(dispute=dispute, title=dispute.title, by=None)

    assert not DisputeEvent.objects.exists()


def test_an_employer_in_a_ballot_stays_in_the_dispute() -> None:
    first, second = EmployerFactory(name="First"), EmployerFactory(name="Second")
    dispute = DisputeFactory(employers=[first, second])
    statutory_ballot(dispute=dispute, employers=[first])
    before = written()

    with pytest.raises(ApplicationError, match=r"in a ballot over this dispute.*First"):
        services.dispute_update(dispute=dispute, employers=[second], by=None)

    assert written() == before
    assert set(dispute.employers.all()) == {first, second}


# --- Ballots ----------------------------------------------------------------------------


def test_a_statutory_ballot_asks_about_strike_and_action_short_of_strike_separately() -> (
    None
):
    employer = EmployerFactory()
    leeds = WorkplaceFactory(employer=employer)
    EmploymentFactory(workplace=leeds, job_category="Probation officer")
    dispute = DisputeFactory(employers=[employer])

    ballot = services.ballot_create(
        dispute=dispute,
        title="Industrial action ballot",
        kind=BallotKind.STATUTORY,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[employer],
        strike=True,
        action_short_of_strike=True,
        job_categories=[" Probation officer "],
        workplaces=[leeds],
        workplace_ballots=WorkplaceBallots.SEPARATE,
        exclude_arrears=False,
        by=None,
    )

    assert list(ballot.questions.values_list("position", "kind", "text")) == [
        (1, QuestionKind.STRIKE, STRIKE_QUESTION),
        (2, QuestionKind.ACTION_SHORT_OF_STRIKE, ACTION_SHORT_OF_STRIKE_QUESTION),
    ]
    assert (ballot.asks_strike, ballot.asks_action_short_of_strike) == (True, True)
    assert list(ballot.employers.all()) == [employer]
    assert list(ballot.workplaces.all()) == [leeds]
    assert ballot.job_categories == ["Probation officer"]
    assert (ballot.workplace_ballots, ballot.exclude_arrears) == ("separate", False)
    event = DisputeEvent.objects.get(kind=DisputeEventKind.BALLOT_CREATED)
    assert (event.ballot, event.dispute) == (ballot, dispute)


def test_a_consultative_ballot_asks_its_own_questions() -> None:
    dispute = DisputeFactory()

    ballot = services.ballot_create(
        dispute=dispute,
        title="The offer",
        kind=BallotKind.CONSULTATIVE,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=list(dispute.employers.all()),
        questions=["Do you accept the offer?", " ", "Should we ballot for action?"],
        by=None,
    )

    assert list(ballot.questions.values_list("kind", "text")) == [
        ("free", "Do you accept the offer?"),
        ("free", "Should we ballot for action?"),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"closing_on": OPENING - datetime.timedelta(days=1)}, "cannot close"),
        ({"opening_on": datetime.date(2026, 8, 31)}, "before the dispute began"),
        ({"strike": False}, "strike action, action short of a strike, or both"),
        ({"questions": ["Are you happy?"]}, "asks only about strike action"),
        ({"employers": []}, "at least one employer"),
        ({"job_categories": ["Probation oficer"]}, "Probation oficer"),
        ({"title": " "}, "title"),
        ({"arrears_grace_days": -1}, "cannot be negative"),
    ],
)
def test_a_ballot_with_bad_input_is_refused_and_nothing_written(
    options: dict[str, Any], message: str
) -> None:
    dispute = DisputeFactory()
    EmploymentFactory(
        workplace=WorkplaceFactory(employer=dispute.employers.get()),
        job_category="Probation officer",
    )
    values: dict[str, Any] = {
        "opening_on": OPENING,
        "closing_on": CLOSING,
        "employers": list(dispute.employers.all()),
        **options,
    }
    before = written()

    with pytest.raises(ApplicationError, match=message):
        services.ballot_create(
            dispute=dispute,
            title=values.pop("title", "Ballot"),
            kind=BallotKind.STATUTORY,
            strike=values.pop("strike", True),
            by=None,
            **values,
        )

    assert written() == before


def test_a_ballot_of_an_employer_outside_the_dispute_is_refused() -> None:
    inside, outside = EmployerFactory(name="Inside"), EmployerFactory(name="Outside")
    dispute = DisputeFactory(employers=[inside])
    before = written()

    with pytest.raises(ApplicationError, match="not party to the dispute: Outside"):
        statutory_ballot(dispute=dispute, employers=[inside, outside])
    with pytest.raises(ApplicationError, match="not of an employer in the ballot"):
        statutory_ballot(
            dispute=dispute,
            employers=[inside],
            workplaces=[WorkplaceFactory(employer=outside)],
        )

    assert written() == before


def test_a_ballot_over_a_dispute_without_a_summary_is_refused() -> None:
    dispute = DisputeFactory(summary="   ")  # written past the service
    before = written()

    with pytest.raises(ApplicationError, match="no summary of the matters in issue"):
        statutory_ballot(dispute=dispute)

    assert written() == before


def test_a_consultative_ballot_cannot_ask_the_statutory_questions() -> None:
    dispute = DisputeFactory()

    with pytest.raises(ApplicationError, match="hold a statutory ballot"):
        services.ballot_create(
            dispute=dispute,
            title="Ballot",
            kind=BallotKind.CONSULTATIVE,
            opening_on=OPENING,
            closing_on=CLOSING,
            employers=list(dispute.employers.all()),
            strike=True,
            questions=["Are you happy?"],
            by=None,
        )
    assert not Ballot.objects.exists()


def test_a_settled_dispute_has_no_new_ballot() -> None:
    dispute = DisputeFactory(status=DisputeStatus.SETTLED)

    with pytest.raises(ApplicationError, match="settled"):
        statutory_ballot(dispute=dispute)


# --- Who may see which --------------------------------------------------------------------


def test_officials_see_their_disputes_and_staff_with_the_permission_see_all() -> None:
    official, stranger, staff = UserFactory(), UserFactory(), UserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_all_disputes"))
    mine, other = DisputeFactory(), DisputeFactory()
    mine.officials.add(official)
    ballot = statutory_ballot(dispute=mine)

    assert list(selectors.disputes_visible_to(user=official)) == [mine]
    assert list(selectors.ballots_visible_to(user=official)) == [ballot]
    assert not selectors.disputes_visible_to(user=stranger).exists()
    assert not selectors.disputes_visible_to(user=AnonymousUser()).exists()
    assert set(selectors.disputes_visible_to(user=staff)) == {mine, other}
    official.is_active = False
    assert not selectors.disputes_visible_to(user=official).exists()
