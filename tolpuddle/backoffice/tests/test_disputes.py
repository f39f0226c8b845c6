"""The industrial-action screens of the back office: disputes, ballots, the
timetable, the electorate, the notices to employers and opening a ballot.

Every test stands at noon on Tuesday 10 February 2026, before a ballot opening on
Monday 2 March 2026 and closing on Monday 30 March 2026 (under the first stage of
the Employment Rights Act 2025: notice by Monday 23 February, sample paper by
Friday 27 February, a mandate of 12 months ending on Monday 29 March 2027).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from pypdf import PdfReader

from tolpuddle.disputes import services
from tolpuddle.disputes.models import (
    Ballot,
    BallotKind,
    BallotNotice,
    BallotStatus,
    Dispute,
    DisputeEvent,
    DisputeEventKind,
    DisputeStatus,
    ElectorateEntry,
)
from tolpuddle.members.models import MembershipStatus, PersonalDataAccess
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 2, 10)  # a Tuesday
BEGAN_ON = datetime.date(2026, 1, 5)
OPENING = datetime.date(2026, 3, 2)  # a Monday
CLOSING = datetime.date(2026, 3, 30)  # a Monday
NOTICE_BY = datetime.date(2026, 2, 23)
SAMPLE_BY = datetime.date(2026, 2, 27)
MANDATE_ENDS = datetime.date(2027, 3, 29)
FREEZE_ON = datetime.date(2026, 2, 9)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(12), tzinfo=ZoneInfo("Europe/London")
    )


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(noon(TODAY), tick=False):
        yield


def member(workplace: Any, first: str, last: str, category: str, **fields: Any) -> Any:
    membership = MembershipFactory(
        person=PersonFactory(first_name=first, last_name=last), **fields
    )
    EmploymentFactory(
        membership=membership,
        employer=workplace.employer,
        workplace=workplace,
        job_category=category,
        started_on=datetime.date(2022, 1, 4),
    )
    return membership


@pytest.fixture
def world() -> dict[str, Any]:
    """Two employers in a dispute over pay; members at three workplaces, one of
    them lapsed (a near miss); a statutory strike ballot over both employers."""
    probation = EmployerFactory(name="Probation Service")
    cafcass = EmployerFactory(name="Cafcass")
    leeds = WorkplaceFactory(employer=probation, name="Leeds", postcode="LS1 4AP")
    york = WorkplaceFactory(employer=probation, name="York", postcode="YO1 7HH")
    bristol = WorkplaceFactory(employer=cafcass, name="Bristol", postcode="BS1 6AA")
    w: dict[str, Any] = {
        "probation": probation,
        "cafcass": cafcass,
        "leeds": leeds,
        "york": york,
        "bristol": bristol,
        "ada": member(leeds, "Ada", "Nield", "Probation officer"),
        "bob": member(leeds, "Bob", "Crow", "Probation officer"),
        "cat": member(york, "Cat", "Tyler", "PSO"),
        "dan": member(bristol, "Dan", "Lyons", "Family court adviser"),
        "eve": member(
            leeds,
            "Eve",
            "Lapsed",
            "Probation officer",
            status=MembershipStatus.LAPSED,
            left_on=datetime.date(2026, 1, 31),
        ),
    }
    w["dispute"] = services.dispute_create(
        title="Pay 2026",
        summary="The employers' refusal to pay the 2026 pay award in full.",
        employers=[probation, cafcass],
        began_on=BEGAN_ON,
        by=None,
    )
    w["ballot"] = services.ballot_create(
        dispute=w["dispute"],
        title="Ballot for strike action",
        kind=BallotKind.STATUTORY,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[probation, cafcass],
        strike=True,
        scrutineer_name="Civica Election Services",
        return_address="Freepost RTKA-XYZA, Civica, London SE1 1AA",
        authorised_to_call_action="The General Secretary",
        by=None,
    )
    return w


@pytest.fixture
def official() -> Any:
    """A union official who can open the back office but is not HQ staff."""
    group, _created = Group.objects.get_or_create(name="Officials")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = UserFactory(first_name="Owen", last_name="Official")
    user.groups.add(group)
    return user


def frozen(world: dict[str, Any]) -> Ballot:
    services.ballot_electorate_freeze(ballot=world["ballot"], on=FREEZE_ON, by=None)
    return world["ballot"]


def prepared(world: dict[str, Any]) -> list[BallotNotice]:
    frozen(world)
    return services.ballot_notices_prepare(ballot=world["ballot"], by=None)


def notice_to(world: dict[str, Any], employer: str) -> BallotNotice:
    return BallotNotice.objects.get(ballot=world["ballot"], employer=world[employer])


def url(name: str, *args: Any) -> str:
    return reverse(name, args=[a.pk if hasattr(a, "pk") else a for a in args])


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {
        name: [str(e) for e in field_errors]
        for name, field_errors in response.context[form].errors.items()
    }


# --- Who sees what ------------------------------------------------------------------------


def test_hq_staff_see_every_dispute_and_the_menu_item(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    home = client.get("/admin/")
    listing = client.get(url("backoffice_dispute_list"))

    assert "Industrial action" in home.text
    assert listing.status_code == 200
    assert list(listing.context["rows"]) == [world["dispute"]]
    assert "Pay 2026" in listing.text
    assert "Record a dispute" in listing.text


def test_hq_staff_without_a_second_factor_are_sent_to_set_one_up(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff, second_factor=False)

    response = client.get(url("backoffice_ballot_electorate", world["ballot"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_index"))
    assert not PersonalDataAccess.objects.exists()


def test_a_branch_secretary_gets_a_404_and_no_menu_item(
    sign_in: Any, branch_secretary: Any, world: dict[str, Any]
) -> None:
    client = sign_in(branch_secretary)

    assert "Industrial action" not in client.get("/admin/").text
    for route in (
        url("backoffice_dispute_list"),
        url("backoffice_dispute_create"),
        url("backoffice_dispute_detail", world["dispute"]),
        url("backoffice_ballot_detail", world["ballot"]),
        url("backoffice_ballot_electorate", world["ballot"]),
        url("backoffice_ballot_notices", world["ballot"]),
    ):
        assert client.get(route).status_code == 404, route
    assert (
        client.post(
            url("backoffice_ballot_electorate_freeze", world["ballot"]),
            {"on": "09/02/2026"},
        ).status_code
        == 404
    )
    assert not ElectorateEntry.objects.exists()


def test_an_official_sees_their_own_dispute_and_a_404_for_another(
    sign_in: Any, official: Any, world: dict[str, Any]
) -> None:
    theirs = services.dispute_create(
        title="Workload",
        summary="Caseloads above the agreed limit.",
        employers=[world["probation"]],
        began_on=BEGAN_ON,
        officials=[official],
        by=None,
    )
    client = sign_in(official)

    listing = client.get(url("backoffice_dispute_list"))

    assert "Industrial action" in client.get("/admin/").text
    assert list(listing.context["rows"]) == [theirs]
    assert listing.context["can_create"] is False
    assert client.get(url("backoffice_dispute_detail", theirs)).status_code == 200
    assert client.get(url("backoffice_dispute_edit", theirs)).status_code == 200
    assert client.get(url("backoffice_dispute_create")).status_code == 404
    other = world["dispute"]
    for route in (
        url("backoffice_dispute_detail", other),
        url("backoffice_dispute_edit", other),
        url("backoffice_ballot_create", other),
        url("backoffice_ballot_detail", world["ballot"]),
        url("backoffice_ballot_electorate", world["ballot"]),
        url("backoffice_ballot_elector_add", world["ballot"]),
        url("backoffice_ballot_notices", world["ballot"]),
    ):
        assert client.get(route).status_code == 404, route
    assert (
        client.post(
            url("backoffice_ballot_notices_prepare", world["ballot"])
        ).status_code
        == 404
    )
    assert (
        client.post(url("backoffice_ballot_open", world["ballot"])).status_code == 404
    )


def test_an_official_runs_the_ballot_of_their_own_dispute(
    sign_in: Any, official: Any, world: dict[str, Any]
) -> None:
    services.dispute_update(dispute=world["dispute"], officials=[official], by=None)
    client = sign_in(official)

    response = client.post(
        url("backoffice_ballot_electorate_freeze", world["ballot"]),
        {"on": "09/02/2026"},
    )

    assert response.status_code == 302
    assert Ballot.objects.get().electorate_frozen_by == official


# --- Disputes --------------------------------------------------------------------------------


def test_the_list_filters_by_status(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    settled = services.dispute_create(
        title="Car allowances",
        summary="Mileage rates.",
        employers=[world["cafcass"]],
        began_on=BEGAN_ON,
        by=None,
    )
    services.dispute_update(dispute=settled, status=DisputeStatus.SETTLED, by=None)
    client = sign_in(hq_staff)

    assert list(client.get(url("backoffice_dispute_list")).context["rows"]) == [
        settled,
        world["dispute"],
    ]
    only_open = client.get(url("backoffice_dispute_list"), {"status": "open"})
    assert list(only_open.context["rows"]) == [world["dispute"]]
    refused = client.get(url("backoffice_dispute_list"), {"status": "won"})
    assert refused.status_code == 400
    assert "Choose a status from the list." in refused.text
    assert "rows" not in refused.context


def test_hq_staff_record_a_dispute(sign_in: Any, hq_staff: Any, official: Any) -> None:
    probation = EmployerFactory(name="Probation Service")
    client = sign_in(hq_staff)

    form = client.get(url("backoffice_dispute_create"))
    response = client.post(
        url("backoffice_dispute_create"),
        {
            "title": "Pay 2026",
            "summary": "The pay award.",
            "began_on": "05/01/2026",
            "employers": [probation.pk],
            "officials": [official.pk],
        },
    )

    assert form.status_code == 200
    assert f'type="checkbox" name="employers" value="{probation.pk}"' in form.text
    assert f'type="checkbox" name="officials" value="{official.pk}"' in form.text
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("backoffice_dispute_detail", dispute)
    assert (dispute.title, dispute.began_on) == ("Pay 2026", BEGAN_ON)
    assert list(dispute.employers.all()) == [probation]
    assert list(dispute.officials.all()) == [official]
    event = DisputeEvent.objects.get()
    assert (event.kind, event.actor) == (DisputeEventKind.DISPUTE_CREATED, hq_staff)


def test_many_employers_are_one_list_to_choose_several_from(
    sign_in: Any, hq_staff: Any
) -> None:
    employers = [EmployerFactory(name=f"Trust {n:02}") for n in range(31)]

    form = sign_in(hq_staff).get(url("backoffice_dispute_create"))

    assert '<select name="employers"' in form.text
    assert "multiple" in form.text
    assert f'<option value="{employers[30].pk}">Trust 30</option>' in form.text
    assert "Hold Ctrl (Cmd on a Mac) to choose more than one." in form.text


def test_a_dispute_with_mistakes_is_refused_beside_each_field_keeping_what_was_typed(
    sign_in: Any, hq_staff: Any
) -> None:
    EmployerFactory(name="Probation Service")
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_dispute_create"),
        {"title": "Pay 2026 claim", "summary": "   ", "began_on": "31/02/2026"},
    )

    assert response.status_code == 400
    assert not Dispute.objects.exists()
    found = errors(response)
    assert set(found) == {"summary", "began_on", "employers"}
    assert found["employers"] == ["Choose at least one employer."]
    assert 'value="Pay 2026 claim"' in response.text
    assert 'value="31/02/2026"' in response.text
    assert 'id="id_began_on_error"' in response.text  # the message beside the field


def test_a_dispute_cannot_begin_after_today(sign_in: Any, hq_staff: Any) -> None:
    probation = EmployerFactory(name="Probation Service")
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_dispute_create"),
        {
            "title": "Pay",
            "summary": "Pay.",
            "began_on": "11/02/2026",
            "employers": [probation.pk],
        },
    )

    assert response.status_code == 400
    assert errors(response) == {
        "began_on": ["A dispute cannot begin after today: give the day it began."]
    }
    assert not Dispute.objects.exists()


def test_changing_a_dispute_calls_the_service_and_logs_the_change(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    dispute = world["dispute"]

    form = client.get(url("backoffice_dispute_edit", dispute))
    response = client.post(
        url("backoffice_dispute_edit", dispute),
        {
            "title": "Pay 2026 (renewed)",
            "summary": dispute.summary,
            "began_on": "05/01/2026",
            "status": "open",
            "employers": [world["probation"].pk, world["cafcass"].pk],
        },
    )
    page = client.get(url("backoffice_dispute_detail", dispute))

    assert 'value="Pay 2026"' in form.text
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.title == "Pay 2026 (renewed)"
    assert "Title: from “Pay 2026” to “Pay 2026 (renewed)”" in page.text


def test_an_employer_in_a_ballot_stays_in_the_dispute_with_the_services_message(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    dispute = world["dispute"]

    response = client.post(
        url("backoffice_dispute_edit", dispute),
        {
            "title": "Pay 2026",
            "summary": dispute.summary,
            "began_on": "05/01/2026",
            "status": "open",
            "employers": [world["probation"].pk],
        },
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "These employers are in a ballot over this dispute and stay in it: Cafcass."
    ]
    assert dispute.employers.count() == 2
    assert not DisputeEvent.objects.filter(kind=DisputeEventKind.DISPUTE_UPDATED)


def test_the_dispute_page_shows_its_ballots_and_its_log(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    frozen(world)
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_dispute_detail", world["dispute"]))

    assert page.status_code == 200
    assert list(page.context["ballots"]) == [world["ballot"]]
    titles = [entry.title for entry in page.context["log"]]
    assert titles == [
        "Electorate frozen: Ballot for strike action",
        "Ballot created: Ballot for strike action",
        "Dispute recorded",
    ]
    assert "As at 9 February 2026 (freeze 1): 4 in the electorate" in page.text
    assert "with Probation Service, Cafcass" in page.text or (
        "with Cafcass, Probation Service" in page.text
    )


# --- Creating a ballot ------------------------------------------------------------------------


def ballot_data(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "title": "Ballot for action short of a strike",
        "kind": "statutory",
        "action_short_of_strike": "on",
        "opening_on": "02/03/2026",
        "closing_on": "30/03/2026",
        "employers": [world["probation"].pk],
        "job_categories": "Probation officer",
        "workplaces": [world["leeds"].pk],
        "workplace_ballots": "aggregated",
        "exclude_arrears": "on",
        "arrears_grace_days": "14",
        "scrutineer_name": "Civica",
        "return_address": "Freepost, London SE1 1AA",
        "authorised_to_call_action": "The General Secretary",
        **changes,
    }


def test_hq_staff_create_a_statutory_ballot(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    form = client.get(url("backoffice_ballot_create", world["dispute"]))
    response = client.post(
        url("backoffice_ballot_create", world["dispute"]), ballot_data(world)
    )

    assert form.status_code == 200
    assert "Probation officer (3)" in form.text  # the categories as recorded
    ballot = Ballot.objects.exclude(pk=world["ballot"].pk).get()
    assert response["Location"] == url("backoffice_ballot_detail", ballot)
    assert (ballot.kind, ballot.asks_strike, ballot.asks_action_short_of_strike) == (
        BallotKind.STATUTORY,
        False,
        True,
    )
    assert (ballot.opening_on, ballot.closing_on) == (OPENING, CLOSING)
    assert list(ballot.employers.all()) == [world["probation"]]
    assert list(ballot.workplaces.all()) == [world["leeds"]]
    assert ballot.job_categories == ["Probation officer"]
    assert (ballot.exclude_arrears, ballot.arrears_grace_days) == (True, 14)
    assert ballot.questions.get().kind == "action_short_of_strike"


def test_a_consultative_ballot_asks_its_own_questions(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    client.post(
        url("backoffice_ballot_create", world["dispute"]),
        ballot_data(
            world,
            kind="consultative",
            action_short_of_strike="",
            questions="Do you accept the offer?\n\nShould we campaign?",
            return_address="",
            authorised_to_call_action="",
            exclude_arrears="",
        ),
    )

    ballot = Ballot.objects.get(kind=BallotKind.CONSULTATIVE)
    assert [q.text for q in ballot.questions.all()] == [
        "Do you accept the offer?",
        "Should we campaign?",
    ]
    assert ballot.exclude_arrears is False


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"closing_on": "01/03/2026"},
            {"closing_on": ["The ballot cannot close before it opens (2 March 2026)."]},
        ),
        (
            {"opening_on": "02/01/2026", "closing_on": "30/01/2026"},
            {
                "opening_on": [
                    "The ballot cannot open before the dispute began (5 January 2026)."
                ]
            },
        ),
        (
            {"opening_on": "2 Marhc 2026"},
            {"opening_on": None},
        ),
        (
            {"action_short_of_strike": ""},
            {
                "strike": [
                    "A statutory ballot asks about strike action, action short of a "
                    "strike, or both: tick one or both."
                ]
            },
        ),
        (
            {"questions": "Do you accept?"},
            {"questions": None},
        ),
        (
            {"kind": "consultative"},
            {"action_short_of_strike": None, "questions": None},
        ),
        (
            {"job_categories": "Probation Officer\nPSO"},
            {
                "job_categories": [
                    "No one at these employers is recorded in Probation Officer: type "
                    "the categories as the register records them."
                ]
            },
        ),
        (
            {"workplaces": []},
            {},
        ),
        (
            {"employers": [], "workplaces": []},
            {"employers": ["Choose at least one employer to ballot."]},
        ),
        (
            {"workplaces": ["bristol"]},
            {
                "workplaces": [
                    "These workplaces are not of an employer balloted: Bristol."
                ]
            },
        ),
        (
            {"return_address": "", "authorised_to_call_action": ""},
            {"return_address": None, "authorised_to_call_action": None},
        ),
        (
            {"arrears_grace_days": "-1"},
            {"arrears_grace_days": ["The days in arrears allowed cannot be negative."]},
        ),
    ],
)
def test_a_ballot_with_a_mistake_is_refused_beside_the_field_and_nothing_written(
    sign_in: Any,
    hq_staff: Any,
    world: dict[str, Any],
    changes: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    if changes.get("workplaces") == ["bristol"]:
        changes = {**changes, "workplaces": [world["bristol"].pk]}
    client = sign_in(hq_staff)
    events = DisputeEvent.objects.count()

    response = client.post(
        url("backoffice_ballot_create", world["dispute"]), ballot_data(world, **changes)
    )

    if not expected:  # a control: the same data without the mistake is accepted
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert Ballot.objects.count() == 1
    assert DisputeEvent.objects.count() == events
    found = errors(response)
    assert set(found) == set(expected)
    for name, messages in expected.items():
        if messages is not None:
            assert found[name] == messages
        assert f'id="id_{name}_error"' in response.text
    assert 'value="Ballot for action short of a strike"' in response.text


def test_the_2016_rules_need_the_types_of_action_and_when_it_is_expected(
    sign_in: Any, hq_staff: Any
) -> None:
    with time_machine.travel(noon(datetime.date(2025, 10, 1)), tick=False):
        employer = EmployerFactory(name="Probation Service")
        dispute = services.dispute_create(
            title="Pay 2025",
            summary="Pay.",
            employers=[employer],
            began_on=datetime.date(2025, 9, 1),
            by=None,
        )
        client = sign_in(hq_staff)

        response = client.post(
            url("backoffice_ballot_create", dispute),
            {
                "title": "Ballot",
                "kind": "statutory",
                "strike": "on",
                "action_short_of_strike": "on",
                "opening_on": "03/11/2025",
                "closing_on": "01/12/2025",
                "employers": [employer.pk],
                "workplace_ballots": "aggregated",
                "return_address": "Freepost",
                "authorised_to_call_action": "The General Secretary",
            },
        )

    assert response.status_code == 400
    assert set(errors(response)) == {
        "action_short_of_strike_types",
        "expected_action_period",
    }
    assert "under the Trade Union Act 2016 rules (TULRCA s.229(2D))" in response.text
    assert not Ballot.objects.exists()


def test_a_ballot_is_not_created_over_a_settled_dispute(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    services.dispute_update(
        dispute=world["dispute"], status=DisputeStatus.SETTLED, by=None
    )
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_ballot_create", world["dispute"]), ballot_data(world)
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This dispute is settled: no new ballot."
    ]
    assert Ballot.objects.count() == 1


# --- The ballot's page and its timetable ---------------------------------------------------------


def marked_days(response: Any) -> dict[datetime.date, list[str]]:
    found: dict[datetime.date, list[str]] = {}
    for month in response.context["calendar"].months:
        for week in month.weeks:
            for cell in week:
                if cell.dates:
                    found[cell.day] = [d.short for d in cell.dates]
    return found


def test_the_ballot_page_shows_the_rules_and_the_timetable_as_a_calendar(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_ballot_detail", world["ballot"]))

    assert page.status_code == 200
    assert "Employment Rights Act 2025, first stage" in page.text
    assert marked_days(page) == {
        NOTICE_BY: ["Notice of ballot by"],
        SAMPLE_BY: ["Sample paper by"],
        OPENING: ["Ballot opens"],
        CLOSING: ["Ballot closes"],
        MANDATE_ENDS: ["Mandate ends"],  # no extension under the 2025 rules
    }
    months = [m.first for m in page.context["calendar"].months]
    assert months == [
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2027, 3, 1),
    ]
    assert page.context["calendar"].months[2].after_gap
    # The list beside it, with the weekdays.
    for text in (
        "Monday 23 February 2026",
        "Friday 27 February 2026",
        "Monday 2 March 2026",
        "Monday 30 March 2026",
        "Monday 29 March 2027",
    ):
        assert text in page.text
    # An accessible grid: a table with a caption and headed columns, weeks from Monday.
    assert "<caption>February 2026</caption>" in page.text
    assert '<abbr title="Monday">Mon</abbr>' in page.text
    assert 'aria-current="date"' in page.text  # today, 10 February
    assert 'data-date="2026-02-23"' in page.text
    first_week = page.context["calendar"].months[0].weeks[0]
    assert [cell.day for cell in first_week][-1] == datetime.date(2026, 2, 1)  # Sunday
    voting = [
        cell.day
        for month in page.context["calendar"].months
        for week in month.weeks
        for cell in week
        if cell.voting
    ]
    assert (voting[0], voting[-1], len(voting)) == (OPENING, CLOSING, 29)
    assert page.context["calendar"].warnings == []


def test_the_2016_rules_show_the_mandate_if_extended() -> None:
    from tolpuddle.backoffice.disputes_support import ballot_calendar

    with time_machine.travel(noon(datetime.date(2025, 5, 1)), tick=False):
        employer = EmployerFactory()
        dispute = services.dispute_create(
            title="Pay",
            summary="Pay.",
            employers=[employer],
            began_on=datetime.date(2025, 4, 1),
            by=None,
        )
        ballot = services.ballot_create(
            dispute=dispute,
            title="Ballot",
            kind=BallotKind.STATUTORY,
            opening_on=datetime.date(2025, 6, 2),
            closing_on=datetime.date(2025, 6, 30),
            employers=[employer],
            strike=True,
            by=None,
        )
        timetable = ballot_calendar(ballot=ballot, today=datetime.date(2025, 5, 1))

    assert {d.key: d.day for d in timetable.dates} == {
        "notice": datetime.date(2025, 5, 26),
        "sample": datetime.date(2025, 5, 30),
        "opening": datetime.date(2025, 6, 2),
        "closing": datetime.date(2025, 6, 30),
        "mandate": datetime.date(2025, 12, 29),
        "extended": datetime.date(2026, 3, 29),
    }


@pytest.mark.parametrize(
    ("day", "warning"),
    [
        (
            datetime.date(2026, 2, 20),
            "The notice of ballot must reach every employer by Monday 23 February "
            "2026 (in 3 days).",
        ),
        (
            datetime.date(2026, 2, 24),
            "The last day for the notice of ballot was Monday 23 February 2026 and it "
            "has not been given to every employer: the ballot cannot open on Monday 2 "
            "March 2026. Hold a new ballot with a later opening day.",
        ),
        (
            datetime.date(2026, 3, 3),
            "The ballot was to open on Monday 2 March 2026 and is still being prepared.",
        ),
    ],
)
def test_the_timetable_warns_of_deadlines_close_or_missed(
    sign_in: Any,
    hq_staff: Any,
    world: dict[str, Any],
    day: datetime.date,
    warning: str,
) -> None:
    with time_machine.travel(noon(day), tick=False):
        page = sign_in(hq_staff).get(url("backoffice_ballot_detail", world["ballot"]))

    assert warning in page.context["calendar"].warnings
    assert warning in page.text


def test_the_warning_names_the_employers_still_to_be_given_notice(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    services.ballot_notice_record_given(
        notice=notice_to(world, "cafcass"), given_on=TODAY, by=None
    )

    with time_machine.travel(noon(datetime.date(2026, 2, 21)), tick=False):
        page = sign_in(hq_staff).get(url("backoffice_ballot_detail", world["ballot"]))

    assert (
        "The notice of ballot must reach Probation Service by Monday 23 February "
        "2026 (in 2 days)."
    ) in page.context["calendar"].warnings


# --- The electorate -----------------------------------------------------------------------------


def test_freezing_the_electorate_and_its_summary(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    ballot = world["ballot"]

    before = client.get(url("backoffice_ballot_electorate", ballot))
    response = client.post(
        url("backoffice_ballot_electorate_freeze", ballot), {"on": "09/02/2026"}
    )
    after = client.get(url("backoffice_ballot_electorate", ballot))

    assert "has not been frozen yet" in before.text
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert (ballot.electorate_on, ballot.electorate_version) == (FREEZE_ON, 1)
    assert ballot.electorate_frozen_by == hq_staff
    summary = after.context["electorate"]["summary"]
    assert (summary.included, summary.excluded) == (4, {"left_union": 1})
    assert "Excluded: had left the union (lapsed, resigned...)" in after.text
    assert [e.membership for e in after.context["rows"]] == [
        world[name] for name in ("ada", "bob", "cat", "dan")
    ]


def test_the_list_shows_each_person_in_plain_words_and_filters(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    frozen(world)
    client = sign_in(hq_staff)
    page = url("backoffice_ballot_electorate", world["ballot"])

    excluded = client.get(page, {"show": "excluded"})
    everyone = client.get(page, {"show": "all", "employer": world["cafcass"].pk})
    by_reason = client.get(page, {"reason": "left_union"})

    row = excluded.context["rows"][0]
    assert row.membership == world["eve"]
    for text in (
        "Eve Lapsed",
        world["eve"].membership_number,
        "Probation Service",
        "Leeds",
        "Probation officer",
        "No: had left the union (lapsed, resigned...)",
    ):
        assert text in excluded.text
    assert [e.membership for e in everyone.context["rows"]] == [world["dan"]]
    listed = client.get(page, {"show": "all"}).context["rows"]
    assert [e.membership for e in listed] == [  # the electorate, then near misses
        world[name] for name in ("ada", "bob", "cat", "dan", "eve")
    ]
    assert "1 considered, employed by Cafcass" in everyone.text
    assert [e.membership for e in by_reason.context["rows"]] == [world["eve"]]


def test_filtered_by_employer_the_list_shows_who_its_notice_counts_through_a_second_job(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    # Ada works at Leeds for the Probation Service and part-time for Cafcass too:
    # Cafcass's notice counts her, so its list shows her, with that job.
    EmploymentFactory(
        membership=world["ada"],
        employer=world["cafcass"],
        workplace=world["bristol"],
        job_category="Sessional worker",
        hours=8,
        started_on=datetime.date(2023, 5, 2),
    )
    frozen(world)
    client = sign_in(hq_staff)
    page = url("backoffice_ballot_electorate", world["ballot"])

    cafcass = client.get(page, {"employer": world["cafcass"].pk})
    probation = client.get(page, {"employer": world["probation"].pk})
    everyone = client.get(page)

    assert [e.membership for e in cafcass.context["rows"]] == [
        world["ada"],
        world["dan"],
    ]
    assert "2 in the electorate, employed by Cafcass" in cafcass.text
    assert [e.membership for e in probation.context["rows"]] == [
        world[name] for name in ("ada", "bob", "cat")
    ]
    ada = next(e for e in everyone.context["rows"] if e.membership == world["ada"])
    assert [(j.employer, j.workplace, j.job_category) for j in ada.jobs_elsewhere] == [
        (world["cafcass"], world["bristol"], "Sessional worker")
    ]
    assert "and Cafcass (second job)" in everyone.text
    assert "Sessional worker" in everyone.text
    assert everyone.context["electorate"]["summary"].included == 4  # one vote each


def test_a_filter_that_cannot_be_used_lists_nobody_and_logs_nothing(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    frozen(world)
    client = sign_in(hq_staff)

    response = client.get(
        url("backoffice_ballot_electorate", world["ballot"]),
        {"reason": "too_tall", "employer": "abc"},
    )

    assert response.status_code == 400
    assert set(errors(response, "filters")) == {"reason", "employer"}
    assert "rows" not in response.context
    assert not PersonalDataAccess.objects.exists()


def test_each_page_of_the_electorate_is_logged_as_a_look_at_personal_data(
    sign_in: Any, hq_staff: Any, world: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr("tolpuddle.backoffice.disputes.ENTRIES_PER_PAGE", 3)
    frozen(world)
    client = sign_in(hq_staff)
    page = url("backoffice_ballot_electorate", world["ballot"])

    client.get(page)
    second = client.get(page, {"show": "included", "page": "2"})

    assert [e.membership for e in second.context["rows"]] == [world["dan"]]
    assert 'href="?show=included&amp;page=1"' in second.text
    logged = list(PersonalDataAccess.objects.order_by("id"))
    assert [(a.user, a.membership, a.action) for a in logged] == [
        (hq_staff, None, "viewed"),
        (hq_staff, None, "viewed"),
    ]
    assert [a.detail for a in logged] == [
        {
            "list": "ballot electorate",
            "page": 1,
            "filters": {"ballot": str(world["ballot"].pk)},
            "rows": 3,
        },
        {
            "list": "ballot electorate",
            "page": 2,
            "filters": {"ballot": str(world["ballot"].pk), "show": "included"},
            "rows": 1,
        },
    ]


def test_a_freeze_date_to_come_is_refused_beside_the_field(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_ballot_electorate_freeze", world["ballot"]),
        {"on": "11/02/2026"},
    )

    assert response.status_code == 400
    assert errors(response, "freeze_form") == {
        "on": [
            "The register cannot say who will be a member on a day still to come: "
            "freeze as at today or an earlier day."
        ]
    }
    assert 'value="11/02/2026"' in response.text
    assert not ElectorateEntry.objects.exists()


def test_freezing_again_after_a_notice_is_refused_with_the_services_message(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    services.ballot_notice_record_given(
        notice=notice_to(world, "probation"), given_on=TODAY, by=None
    )
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_ballot_electorate", world["ballot"]))
    response = client.post(
        url("backoffice_ballot_electorate_freeze", world["ballot"]),
        {"on": "10/02/2026"},
    )

    assert page.context["can_freeze"] is False
    assert "Add a late joiner" in page.text
    assert response.status_code == 400
    assert response.context["freeze_form"].non_field_errors() == [
        "The notice of ballot was given to Probation Service on 10/02/2026 with the "
        "figures of this electorate: it cannot be frozen again. Add late joiners or "
        "mark leavers instead."
    ]
    assert "it cannot be frozen again" in response.text
    assert Ballot.objects.get().electorate_version == 1


def settled(world: dict[str, Any]) -> None:
    prepared(world)
    for notice in BallotNotice.objects.all():
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)


def test_a_late_joiner_is_added_in_two_steps(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    settled(world)
    fay = MembershipFactory(person=PersonFactory(first_name="Fay", last_name="Late"))
    job = EmploymentFactory(
        membership=fay,
        employer=world["probation"],
        workplace=world["york"],
        job_category="PSO",
        started_on=TODAY,
    )
    client = sign_in(hq_staff)
    add = url("backoffice_ballot_elector_add", world["ballot"])

    step_one = client.get(add)
    step_two = client.get(add, {"membership_number": fay.membership_number})
    response = client.post(
        add,
        {
            "membership_number": fay.membership_number,
            "employment": job.pk,
            "reason": "Started at York after the notice.",
        },
    )

    assert step_one.status_code == 200
    assert "PSO at Probation Service, York, since 10 February 2026" in step_two.text
    assert response.status_code == 302
    entry = ElectorateEntry.objects.get(membership=fay)
    assert (entry.included, entry.source, entry.added_on) == (True, "added", TODAY)
    looked = PersonalDataAccess.objects.get(membership=fay)
    assert looked.detail == {
        "page": "ballot late joiner form",
        "ballot": world["ballot"].pk,
    }
    electorate = client.get(url("backoffice_ballot_electorate", world["ballot"]))
    assert "Added on 10 February 2026: Started at York after the notice." in (
        electorate.text
    )


def test_a_late_joiner_with_mistakes_is_refused_beside_the_fields(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    settled(world)
    client = sign_in(hq_staff)
    add = url("backoffice_ballot_elector_add", world["ballot"])
    elsewhere = MembershipFactory()
    EmploymentFactory(membership=elsewhere)

    unknown = client.get(add, {"membership_number": "X999"})
    no_job = client.get(add, {"membership_number": elsewhere.membership_number})
    no_reason = client.post(
        add,
        {
            "membership_number": world["ada"].membership_number,
            "employment": world["ada"].employments.get().pk,
            "reason": " ",
        },
    )
    already = client.post(
        add,
        {
            "membership_number": world["ada"].membership_number,
            "employment": world["ada"].employments.get().pk,
            "reason": "Joined late.",
        },
    )

    assert unknown.status_code == 400
    assert errors(unknown, "number_form") == {
        "membership_number": ["No member has the number X999."]
    }
    assert 'value="X999"' in unknown.text
    assert no_job.status_code == 400
    assert "has no current job at an employer in this ballot" in no_job.text
    assert no_reason.status_code == 400
    assert errors(no_reason) == {
        "reason": ["Say why this member is added to the electorate."]
    }
    assert already.status_code == 400
    assert already.context["form"].non_field_errors() == [
        f"{world['ada']} is already in the electorate."
    ]
    assert not ElectorateEntry.objects.filter(source="added").exists()


def test_a_leaver_is_marked_and_mistakes_are_refused(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    settled(world)
    client = sign_in(hq_staff)
    leaver = url("backoffice_ballot_elector_leaver", world["ballot"])

    to_come = client.post(
        leaver,
        {
            "membership_number": world["bob"].membership_number,
            "left_on": "12/02/2026",
            "reason": "Resigned.",
        },
    )
    not_in = client.post(
        leaver,
        {
            "membership_number": world["eve"].membership_number,
            "left_on": "10/02/2026",
            "reason": "Resigned.",
        },
    )
    response = client.post(
        leaver,
        {
            "membership_number": world["bob"].membership_number,
            "left_on": "10/02/2026",
            "reason": "Resigned from the union.",
        },
    )

    assert to_come.status_code == 400
    assert errors(to_come) == {
        "left_on": ["A member cannot be marked as leaving after today."]
    }
    assert 'value="Resigned."' not in to_come.text  # a textarea keeps it as text
    assert "Resigned.</textarea>" in to_come.text
    assert not_in.status_code == 400
    assert not_in.context["form"].non_field_errors() == [
        f"{world['eve']} is not in this ballot's electorate."
    ]
    assert response.status_code == 302
    entry = ElectorateEntry.objects.get(membership=world["bob"])
    assert (entry.left_on, entry.left_reason) == (TODAY, "Resigned from the union.")


# --- Notices -------------------------------------------------------------------------------------


def test_preparing_the_notices_lists_each_employers_figures(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    frozen(world)
    client = sign_in(hq_staff)

    response = client.post(url("backoffice_ballot_notices_prepare", world["ballot"]))
    page = client.get(url("backoffice_ballot_notices", world["ballot"]))

    assert response.status_code == 302
    assert BallotNotice.objects.count() == 2
    rows = {row["notice"].employer.name: row["content"] for row in page.context["rows"]}
    assert rows["Probation Service"]["total"] == 3
    assert [
        (c["name"], c["count"]) for c in rows["Probation Service"]["categories"]
    ] == [
        ("PSO", 1),
        ("Probation officer", 2),
    ]
    assert [
        (c["name"], c["count"]) for c in rows["Probation Service"]["workplaces"]
    ] == [
        ("Leeds", 2),
        ("York", 1),
    ]
    assert rows["Cafcass"]["total"] == 1
    assert "Total number of employees concerned: <strong>3</strong>" in page.text
    assert "Monday 23 February 2026" in page.text


def test_notices_are_not_prepared_before_the_freeze(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).post(
        url("backoffice_ballot_notices_prepare", world["ballot"])
    )

    assert response.status_code == 400
    assert response.context["problems"] == [
        "Freeze the electorate first: the notice counts it."
    ]
    assert "Freeze the electorate first: the notice counts it." in response.text
    assert not BallotNotice.objects.exists()


def test_each_notice_downloads_as_pdf_and_text_and_the_sample_paper_as_pdf(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    notice = notice_to(world, "probation")
    client = sign_in(hq_staff)

    pdf = client.get(url("backoffice_ballot_notice_pdf", world["ballot"], notice))
    text = client.get(url("backoffice_ballot_notice_text", world["ballot"], notice))
    paper = client.get(
        url("backoffice_ballot_sample_paper_pdf", world["ballot"], notice)
    )

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="notice-of-ballot-{world["ballot"].pk}-probation-service.pdf"'
    )
    assert "Total number of employees concerned: 3" in pdf_text(pdf.content)
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text.content.decode() == notice.text
    assert paper["Content-Type"] == "application/pdf"
    assert "SAMPLE" in pdf_text(paper.content).upper()


def test_a_notice_of_another_ballot_is_a_404(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    other = services.ballot_create(
        dispute=world["dispute"],
        title="Another",
        kind=BallotKind.STATUTORY,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[world["probation"]],
        strike=True,
        by=None,
    )
    notice = notice_to(world, "probation")

    response = sign_in(hq_staff).get(url("backoffice_ballot_notice_pdf", other, notice))

    assert response.status_code == 404


def test_recording_the_notice_and_the_sample_paper_as_given(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    notice = notice_to(world, "probation")
    client = sign_in(hq_staff)

    given = client.post(
        url("backoffice_ballot_notice_given", world["ballot"], notice),
        {f"notice-{notice.pk}-given_on": "09/02/2026"},
    )
    sample = client.post(
        url("backoffice_ballot_sample_paper_given", world["ballot"], notice),
        {f"sample-{notice.pk}-given_on": "10/02/2026"},
    )
    page = client.get(url("backoffice_ballot_notices", world["ballot"]))

    assert (given.status_code, sample.status_code) == (302, 302)
    notice.refresh_from_db()
    assert (notice.given_on, notice.given_by) == (FREEZE_ON, hq_staff)
    assert (notice.sample_paper_given_on, notice.sample_paper_given_by) == (
        TODAY,
        hq_staff,
    )
    assert "Given on Monday 9 February 2026" in page.text
    assert "Given on Tuesday 10 February 2026" in page.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the day the employer received it."),
        ("30/02/2026", None),
        ("11/02/2026", "Record the day it was given, not a day to come."),
    ],
)
def test_a_day_given_that_cannot_be_used_is_refused_beside_the_field(
    sign_in: Any, hq_staff: Any, world: dict[str, Any], typed: str, message: str | None
) -> None:
    prepared(world)
    notice = notice_to(world, "probation")
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_ballot_notice_given", world["ballot"], notice),
        {f"notice-{notice.pk}-given_on": typed},
    )

    assert response.status_code == 400
    (row,) = [r for r in response.context["rows"] if r["notice"] == notice]
    found = {k: [str(e) for e in v] for k, v in row["notice_form"].errors.items()}
    assert set(found) == {"given_on"}
    if message:
        assert found["given_on"] == [message]
    assert f'id="id_notice-{notice.pk}-given_on_error"' in response.text
    assert f'value="{typed}"' in response.text or not typed
    notice.refresh_from_db()
    assert notice.given_on is None


def test_notices_are_listed_a_page_of_employers_at_a_time(
    sign_in: Any, hq_staff: Any, world: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr("tolpuddle.backoffice.disputes.NOTICES_PER_PAGE", 1)
    prepared(world)
    notice = notice_to(world, "probation")  # after Cafcass, by name
    client = sign_in(hq_staff)

    first = client.get(url("backoffice_ballot_notices", world["ballot"]))
    refused = client.post(
        url("backoffice_ballot_notice_given", world["ballot"], notice),
        {f"notice-{notice.pk}-given_on": "yesterday"},
    )

    assert [row["notice"].employer.name for row in first.context["rows"]] == ["Cafcass"]
    assert 'href="?page=2"' in first.text
    assert refused.status_code == 400
    assert refused.context["page"].number == 2  # the page of the form sent back
    assert [row["notice"] for row in refused.context["rows"]] == [notice]
    assert 'value="yesterday"' in refused.text


def test_a_sample_paper_missing_a_statement_is_refused_with_the_services_message(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    incomplete = services.ballot_create(
        dispute=world["dispute"],
        title="Incomplete",
        kind=BallotKind.STATUTORY,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[world["cafcass"]],
        strike=True,
        by=None,
    )
    services.ballot_electorate_freeze(ballot=incomplete, on=FREEZE_ON, by=None)
    (notice,) = services.ballot_notices_prepare(ballot=incomplete, by=None)
    client = sign_in(hq_staff)

    response = client.post(
        url("backoffice_ballot_sample_paper_given", incomplete, notice),
        {f"sample-{notice.pk}-given_on": "10/02/2026"},
    )

    assert response.status_code == 400
    assert "The voting paper is not complete" in response.text
    notice.refresh_from_db()
    assert notice.sample_paper_given_on is None


# --- Opening ---------------------------------------------------------------------------------------


def test_opening_before_the_opening_day_is_refused_with_the_services_reason(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).post(url("backoffice_ballot_open", world["ballot"]))

    assert response.status_code == 400
    assert response.context["open_problems"] == [
        "The ballot opens on 02/03/2026, as the notices say: not before."
    ]
    assert "The ballot cannot open" in response.text
    assert Ballot.objects.get().status == BallotStatus.DRAFT


def test_opening_with_a_late_notice_lists_every_problem(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    with time_machine.travel(noon(datetime.date(2026, 2, 25)), tick=False):
        services.ballot_notice_record_given(
            notice=notice_to(world, "probation"),
            given_on=datetime.date(2026, 2, 25),
            by=None,
        )
    with time_machine.travel(noon(OPENING), tick=False):
        response = sign_in(hq_staff).post(
            url("backoffice_ballot_open", world["ballot"])
        )

    assert response.status_code == 400
    problems = response.context["open_problems"]
    assert (
        "The notice to Probation Service was given on 25/02/2026, after the last day "
        "for it (23/02/2026, the seventh day before the opening day)."
    ) in problems
    assert "No notice of ballot was given to Cafcass." in problems
    assert "No sample voting paper was given to Cafcass." in problems
    for problem in problems:
        assert problem in response.text
    assert Ballot.objects.get().status == BallotStatus.DRAFT


def test_a_ballot_with_its_notices_in_time_opens(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    prepared(world)
    for notice in BallotNotice.objects.all():
        services.ballot_notice_record_given(notice=notice, given_on=TODAY, by=None)
        services.ballot_sample_paper_record_given(
            notice=notice, given_on=TODAY, by=None
        )
    with time_machine.travel(noon(OPENING), tick=False):
        client = sign_in(hq_staff)
        response = client.post(url("backoffice_ballot_open", world["ballot"]))
        page = client.get(url("backoffice_ballot_detail", world["ballot"]))

    assert response.status_code == 302
    assert Ballot.objects.get().status == BallotStatus.OPEN
    assert "Open for voting" in page.text
    assert "Open the ballot for voting" not in page.text


def test_a_consultative_ballot_has_no_notices_and_no_mandate(
    sign_in: Any, hq_staff: Any, world: dict[str, Any]
) -> None:
    ballot = services.ballot_create(
        dispute=world["dispute"],
        title="Consultation",
        kind=BallotKind.CONSULTATIVE,
        opening_on=OPENING,
        closing_on=CLOSING,
        employers=[world["probation"]],
        questions=["Do you accept the offer?"],
        by=None,
    )
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_ballot_detail", ballot))
    notices = client.get(url("backoffice_ballot_notices", ballot))

    assert marked_days(page) == {
        OPENING: ["Ballot opens"],
        CLOSING: ["Ballot closes"],
    }
    assert "A consultative ballot needs no notice to employers" in notices.text
    assert "Mandate" not in page.text
