"""The turnout dashboard: reported turnout and the scrutineer's figures against the
threshold, across the ballot, by workplace and day by day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tolpuddle.members.tests.factories import WorkplaceFactory
from tolpuddle.turnout import selectors, services
from tolpuddle.turnout.models import RepStatus, SaidVotedVia
from tolpuddle.turnout.tests.factories import (
    OPENING,
    TODAY,
    ballot_open,
    elector,
    noon,
    rep_of,
    turnout_organiser,
)

pytestmark = pytest.mark.django_db


def day(n):
    return OPENING + datetime.timedelta(days=n)


@pytest.fixture
def separate():
    """Workplaces balloted separately: Alpha (4 electors), Beta (2), and one elector
    with no workplace recorded; reports on the second and fourth days, and the
    scrutineer's figures on the third."""
    ballot = ballot_open(separate=True)
    employer = ballot.employers.get()
    alpha = WorkplaceFactory(employer=employer, name="Alpha")
    beta = WorkplaceFactory(employer=employer, name="Beta")
    at_alpha = [elector(ballot, workplace=alpha) for _ in range(4)]
    [elector(ballot, workplace=beta) for _ in range(2)]
    elector(ballot, workplace=None)
    elector(ballot, workplace=alpha, included=False)  # a near miss: not counted
    with time_machine.travel(noon(day(1)), tick=False):
        services.turnout_voted_record(
            ballot=ballot,
            membership=at_alpha[0].membership,
            via=SaidVotedVia.LINK,
            by=None,
        )
    with time_machine.travel(noon(day(3)), tick=False):
        services.turnout_rep_mark(
            ballot=ballot,
            membership=at_alpha[1].membership,
            status=RepStatus.VOTED,
            by=rep_of(alpha),
        )
    services.scrutineer_turnout_record(ballot=ballot, day=day(2), returned=4, by=None)
    services.scrutineer_turnout_record(
        ballot=ballot, day=day(2), returned=1, by=None, workplace=alpha
    )
    services.scrutineer_turnout_record(
        ballot=ballot, day=day(2), returned=1, by=None, workplace=beta
    )
    return ballot, alpha, beta


def test_the_whole_ballot_shows_both_figures_against_the_threshold(separate):
    ballot, _alpha, _beta = separate

    board = selectors.turnout_dashboard(ballot=ballot)

    overall = board.overall
    assert board.threshold_percent == "50%"
    assert (overall.electorate, overall.reported, overall.returned) == (7, 2, 4)
    assert (overall.reported_percent, overall.returned_percent) == ("28.5%", "57.1%")
    assert (overall.needed, overall.still_needed) == (4, 0)
    assert (overall.reported_meets, overall.returned_meets) == (False, True)


def test_in_separate_workplace_ballots_each_workplace_is_judged_on_its_own(separate):
    ballot, alpha, beta = separate

    board = selectors.turnout_dashboard(ballot=ballot)

    rows = {row.label: row for row in board.workplaces}
    assert board.separate
    assert [row.label for row in board.workplaces] == [
        str(alpha),
        str(beta),
        "No workplace recorded",
    ]
    assert (rows[str(alpha)].electorate, rows[str(alpha)].reported) == (4, 2)
    assert rows[str(alpha)].reported_meets is True
    assert (rows[str(beta)].reported, rows[str(beta)].returned) == (0, 1)
    assert rows[str(beta)].returned_meets is True  # 1 of 2 is 50%
    assert rows[str(beta)].reported_meets is False
    assert board.workplaces_meeting == 1


def test_day_by_day_counts_up_the_reports_beside_the_scrutineers_figures(separate):
    ballot, alpha, _beta = separate

    board = selectors.turnout_dashboard(ballot=ballot)
    at_alpha = selectors.turnout_dashboard(ballot=ballot, workplace_id=alpha.pk)

    assert [d.day for d in board.days] == [
        day(n) for n in range((TODAY - OPENING).days + 1)
    ]
    assert [(d.reported, d.returned) for d in board.days[:5]] == [
        (0, None),
        (1, None),
        (1, 4),
        (2, None),
        (2, None),
    ]
    assert at_alpha.selected.label == str(alpha)
    assert [(d.reported, d.returned) for d in at_alpha.days[:4]] == [
        (0, None),
        (1, None),
        (1, 1),
        (2, None),
    ]
    assert at_alpha.days[3].reported_percent == "50%"


def test_a_ballot_under_the_rules_before_2016_has_no_threshold():
    ballot = ballot_open(
        opening_on=datetime.date(2016, 6, 1), closing_on=datetime.date(2016, 6, 20)
    )
    elector(ballot)

    board = selectors.turnout_dashboard(ballot=ballot)

    assert board.threshold is None
    assert board.overall.reported_meets is None
    assert len(board.days) == 20


def test_the_dashboard_page_shows_the_figures_to_the_ballots_staff(separate, sign_in):
    ballot, alpha, _beta = separate
    client = sign_in(turnout_organiser())
    url = reverse("turnout_dashboard", args=[ballot.pk])

    page = client.get(url).content.decode()
    one = client.get(f"{url}?workplace={alpha.pk}").content.decode()
    bad = client.get(f"{url}?workplace=abc")
    elsewhere = client.get(f"{url}?workplace={WorkplaceFactory().pk}")

    assert "at least 50% of those entitled must vote" in page
    assert "Workplaces ballot separately (s.228)" in page
    assert "1 of 3 workplaces have reached 50%" in page
    assert f"Day by day: {alpha}" in one
    assert bad.status_code == elsewhere.status_code == 400
    assert "Choose a workplace from the list" in bad.content.decode()


def test_a_scrutineers_figure_typed_wrongly_is_refused_with_a_message(
    separate, sign_in
):
    ballot, _alpha, _beta = separate
    client = sign_in(turnout_organiser())
    url = reverse("turnout_scrutineer", args=[ballot.pk])

    cases = [
        ({"day": "31/02/2026", "returned": "3"}, "31/02/2026"),
        ({"day": "22/12/2026", "returned": "three"}, "whole number"),
        ({"day": "22/12/2026", "returned": "99"}, "more than the 7 entitled"),
        ({"day": "22/12/2026", "returned": "-2"}, "cannot be below 0"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert ballot.scrutineer_turnout.count() == 3  # the fixture's

    saved = client.post(url, {"day": "22/12/2026", "returned": "5"})
    assert saved.status_code == 302
    assert selectors.turnout_dashboard(ballot=ballot).overall.returned == 5
