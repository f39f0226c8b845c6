"""The notice of industrial action to each employer (s.234A) and the mandate it
rests on (s.234): refused when the ballot gives no mandate, when it would be late,
and when the action falls outside the mandate."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import documents, selectors, services
from tolpuddle.disputes.models import (
    ActionNotice,
    DisputeEvent,
    DisputeEventKind,
    ResultNotice,
)
from tolpuddle.disputes.tests.ballots import (
    DAY,
    ERA_DECLARED,
    declared,
    held_ballot,
    member_at,
    place,
)
from tolpuddle.disputes.tests.conftest import noon
from tolpuddle.disputes.tests.test_notices import pdf_text
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLOSING = datetime.date(2027, 1, 11)
DECLARED = ERA_DECLARED  # a Tuesday
LAST_DAY = datetime.date(2028, 1, 10)  # 12 months beginning with the closing day


@pytest.fixture
def mandate(time_machine) -> Any:
    """A strike ballot of the 2025 Act's first stage at Leeds and York, with a
    mandate; one member at York has since left."""
    dispute, employer, (leeds, york) = place(workplaces=("Leeds", "York"))
    member_at(leeds, job_category="Probation officer")
    member_at(leeds, job_category="Probation services officer")
    leaver = member_at(york)
    ballot = held_ballot(time_machine, dispute=dispute)
    services.ballot_electorate_mark_leaver(
        ballot=ballot,
        membership=leaver,
        left_on=CLOSING,
        reason="Resigned",
        by=None,
    )
    declared(ballot)
    time_machine.move_to(noon(DECLARED))
    return ballot, employer, leeds, york


def test_the_mandate_state_gives_its_last_day_and_the_days_left(mandate) -> None:
    ballot, employer, *_ = mandate

    state = selectors.ballot_mandate(ballot=ballot, employer=employer)

    assert (state.has_mandate, state.expires_on, state.extended) == (
        True,
        LAST_DAY,
        False,
    )
    assert state.actions == ("strike",)
    assert state.days_left == (LAST_DAY - DECLARED).days + 1
    assert selectors.ballot_mandate(ballot=ballot, on=LAST_DAY).days_left == 1
    after = selectors.ballot_mandate(ballot=ballot, on=LAST_DAY + DAY)
    assert (after.days_left, after.expired, after.live) == (0, True, False)


def test_a_continuous_notice_in_time_is_prepared_given_and_printed(mandate) -> None:
    ballot, employer, *_ = mandate
    staff = UserFactory()
    start = DECLARED + 10 * DAY  # 10 days' notice under the 2025 Act

    notice = services.action_notice_prepare(
        ballot=ballot, employer=employer, continuous=True, start_on=start, by=staff
    )

    assert (notice.action, notice.first_day, notice.last_day) == (
        "strike",
        start,
        start,
    )
    content = notice.content
    # From the frozen electorate, without the member who has left.
    assert content["total"] == 2
    assert [(r["name"], r["count"]) for r in content["workplaces"]] == [("Leeds", 2)]
    assert {r["name"] for r in content["categories"]} == {
        "Probation officer",
        "Probation services officer",
    }
    assert "section 234A" in notice.text
    assert "intended to be continuous" in notice.text
    assert "Friday 22 January 2027" in notice.text
    assert "The action on each of these dates is a strike." in notice.text
    regime = selectors.ballot_deadlines(ballot=ballot).regime
    assert documents.action_notice_problems(content=content, regime=regime) == []

    given = services.action_notice_record_given(
        notice=notice, given_on=DECLARED, by=staff
    )

    assert (given.given_on, given.notice_days, given.given_by) == (DECLARED, 10, staff)
    event = DisputeEvent.objects.get(kind=DisputeEventKind.ACTION_NOTICE_GIVEN)
    assert event.data["notice_days"] == 10
    text = pdf_text(documents.action_notice_pdf(notice=given))
    assert text.startswith("Notice of industrial action")
    assert "Friday 22 January 2027" in text
    assert "Total number of affected employees: 2" in text
    assert "Leeds" in text
    assert "York" not in text


def test_a_notice_that_would_be_late_is_refused(mandate, time_machine) -> None:
    ballot, employer, *_ = mandate
    too_soon = DECLARED + 9 * DAY

    with pytest.raises(ApplicationError, match=r"would be late.*10 days' notice"):
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=False,
            days=[too_soon, too_soon + DAY],
            by=None,
        )
    assert not ActionNotice.objects.exists()

    notice = services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=False,
        days=[DECLARED + 12 * DAY, DECLARED + 10 * DAY],
        by=None,
    )
    assert notice.days == ["2027-01-22", "2027-01-24"]
    time_machine.move_to(noon(DECLARED + 3 * DAY))
    with pytest.raises(ApplicationError, match="would be late") as refused:
        services.action_notice_record_given(
            notice=notice, given_on=DECLARED + 3 * DAY, by=None
        )
    assert "Monday 25 January 2027 at the earliest, not Friday 22 January 2027" in str(
        refused.value
    )
    notice.refresh_from_db()
    assert notice.given_on is None
    assert not DisputeEvent.objects.filter(
        kind=DisputeEventKind.ACTION_NOTICE_GIVEN
    ).exists()


def test_action_after_the_mandate_s_last_day_is_refused(mandate, time_machine) -> None:
    ballot, employer, *_ = mandate

    with pytest.raises(ApplicationError, match="after the last day of the mandate"):
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=False,
            days=[DECLARED + 20 * DAY, LAST_DAY + DAY],
            by=None,
        )
    time_machine.move_to(noon(LAST_DAY - 5 * DAY))
    with pytest.raises(ApplicationError, match="after the last day of the mandate"):
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=True,
            start_on=LAST_DAY + 7 * DAY,
            by=None,
        )
    assert not ActionNotice.objects.exists()


def test_no_notice_without_a_mandate(time_machine) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute)
    declared(ballot, yes=1, no=2)
    time_machine.move_to(noon(DECLARED))

    with pytest.raises(ApplicationError, match="gives no mandate") as refused:
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=True,
            start_on=DECLARED + 14 * DAY,
            by=None,
        )

    assert "The Yes answers (1) were fewer than the No answers (2)" in str(
        refused.value
    )
    assert not ActionNotice.objects.exists()


def test_no_notice_before_a_result(time_machine) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute)

    with pytest.raises(ApplicationError, match="No result has been recorded"):
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=True,
            start_on=DECLARED + 14 * DAY,
            by=None,
        )


def test_the_notice_is_given_only_once_the_employer_has_the_result(
    time_machine,
) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute)
    declared(ballot, given=False)
    time_machine.move_to(noon(DECLARED))
    notice = services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=True,
        start_on=DECLARED + 14 * DAY,
        by=None,
    )

    with pytest.raises(ApplicationError, match=r"s\.231A"):
        services.action_notice_record_given(notice=notice, given_on=DECLARED, by=None)

    services.result_notice_record_given(
        notice=ResultNotice.objects.get(ballot=ballot), given_on=DECLARED, by=None
    )
    services.action_notice_record_given(notice=notice, given_on=DECLARED, by=None)


def test_before_2016_only_the_start_of_action_must_be_within_the_mandate(
    time_machine,
) -> None:
    """Under the old s.234 the 4 weeks limited when action was called and began:
    action begun in time could go on (and so notice of discontinuous days after the
    4 weeks is for action already begun)."""
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    opening, closing = datetime.date(2013, 5, 1), datetime.date(2013, 5, 15)
    ballot = held_ballot(
        time_machine, dispute=dispute, opening=opening, closing=closing
    )
    services.ballot_result_record(
        ballot=ballot,
        declared_on=closing + DAY,
        by=None,
        entitled=1000,
        yes=391,
        no=69,
        spoiled=0,
    )
    services.result_notice_record_given(
        notice=ResultNotice.objects.get(ballot=ballot), given_on=closing + DAY, by=None
    )
    last_day = datetime.date(2013, 6, 11)
    assert selectors.ballot_mandate(ballot=ballot).expires_on == last_day

    with pytest.raises(ApplicationError, match="must be called and begin by then"):
        services.action_notice_prepare(
            ballot=ballot,
            employer=employer,
            continuous=True,
            start_on=last_day + DAY,
            by=None,
        )
    notice = services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=False,
        days=[last_day, last_day + 14 * DAY],
        by=None,
    )
    given = services.action_notice_record_given(
        notice=notice, given_on=closing + DAY, by=None
    )
    assert given.notice_days == 7


def test_the_2016_act_mandate_may_be_extended_by_agreement_to_9_months(
    time_machine,
) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    opening, closing = datetime.date(2025, 6, 2), datetime.date(2025, 6, 30)
    ballot = held_ballot(
        time_machine, dispute=dispute, opening=opening, closing=closing
    )
    services.ballot_result_record(
        ballot=ballot,
        declared_on=closing + DAY,
        by=None,
        entitled=2,
        yes=1,
        no=0,
        spoiled=0,
    )
    state = selectors.ballot_mandate(ballot=ballot, employer=employer)
    assert (state.expires_on, state.extendable_to) == (
        datetime.date(2025, 12, 29),
        datetime.date(2026, 3, 29),
    )

    services.mandate_extension_record(
        ballot=ballot, employer=employer, agreed_on=closing + DAY, by=None
    )

    extended = selectors.ballot_mandate(ballot=ballot, employer=employer)
    assert (extended.expires_on, extended.extended) == (
        datetime.date(2026, 3, 29),
        True,
    )
    assert selectors.ballot_mandate(ballot=ballot).expires_on == datetime.date(
        2025, 12, 29
    )
    with pytest.raises(ApplicationError, match="already extended"):
        services.mandate_extension_record(
            ballot=ballot, employer=employer, agreed_on=closing + DAY, by=None
        )


def test_separate_workplace_ballots_call_out_only_where_the_ballot_passed(
    time_machine,
) -> None:
    dispute, employer, (leeds, york) = place(workplaces=("Leeds", "York"))
    member_at(leeds)
    member_at(york)
    ballot = held_ballot(time_machine, dispute=dispute, workplace_ballots="separate")
    one = services.QuestionFigures
    services.ballot_result_record(
        ballot=ballot,
        declared_on=DECLARED,
        by=None,
        workplaces={
            leeds.pk: services.CountFigures(
                entitled=1, questions={1: one(yes=1, no=0, spoiled=0)}
            ),
            york.pk: services.CountFigures(
                entitled=1, questions={1: one(yes=0, no=1, spoiled=0)}
            ),
        },
    )
    time_machine.move_to(noon(DECLARED))

    notice = services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=True,
        start_on=DECLARED + 10 * DAY,
        by=None,
    )

    assert [(r["name"], r["count"]) for r in notice.content["workplaces"]] == [
        ("Leeds", 1)
    ]
    assert notice.content["workplace_ids"] == [leeds.pk]
    assert "only the workplaces whose ballot supports strike action" in notice.text
