"""The back office's mandate and notices of industrial action (s.234A) screens.

Most tests hold a strike ballot under the first stage of the Employment Rights Act
2025 (``disputes.tests.ballots``): closing Monday 11 January 2027, the result
declared and given to the employer on Tuesday 12 January, a 12-month mandate to
Monday 10 January 2028, 10 days' notice of action and no extension. The clock stands
at noon on the day of the result.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission

from tolpuddle.backoffice.tests.test_disputes import errors, pdf_text, url
from tolpuddle.disputes import services
from tolpuddle.disputes.models import (
    ActionNotice,
    DisputeEvent,
    DisputeEventKind,
    MandateExtension,
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
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DECLARED = ERA_DECLARED
LAST_DAY = datetime.date(2028, 1, 10)
# A ballot under the Trade Union Act 2016: 6 months, 9 by agreement.
OPENING_2016, CLOSING_2016 = datetime.date(2025, 6, 2), datetime.date(2025, 6, 30)
LAST_DAY_2016 = datetime.date(2025, 12, 29)
EXTENDED_2016 = datetime.date(2026, 3, 29)


def _uk(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def mandate(time_machine: Any) -> dict[str, Any]:
    """Two members at Leeds, one at York who has since left; a strike mandate."""
    dispute, employer, (leeds, york) = place(workplaces=("Leeds", "York"))
    member_at(leeds, job_category="Probation officer")
    member_at(leeds, job_category="Probation services officer")
    leaver = member_at(york)
    ballot = held_ballot(time_machine, dispute=dispute)
    services.ballot_electorate_mark_leaver(
        ballot=ballot, membership=leaver, left_on=DECLARED, reason="Resigned", by=None
    )
    declared(ballot)
    time_machine.move_to(noon(DECLARED))
    return {"ballot": ballot, "employer": employer, "dispute": dispute}


@pytest.fixture
def mandate_2016(time_machine: Any) -> dict[str, Any]:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(
        time_machine, dispute=dispute, opening=OPENING_2016, closing=CLOSING_2016
    )
    declared(ballot, on=CLOSING_2016 + DAY)
    return {"ballot": ballot, "employer": employer, "dispute": dispute}


def prepared(w: dict[str, Any], **changes: Any) -> ActionNotice:
    arguments: dict[str, Any] = {
        "continuous": False,
        "days": [DECLARED + 10 * DAY, DECLARED + 12 * DAY],
    } | changes
    return services.action_notice_prepare(
        ballot=w["ballot"], employer=w["employer"], by=None, **arguments
    )


def notice_data(w: dict[str, Any], **changes: str) -> dict[str, str]:
    return {
        "employer": str(w["employer"].pk),
        "pattern": "discontinuous",
        "start_on": "",
        "days": "22/01/2027\n24/01/2027",
    } | changes


def nothing_written() -> None:
    assert not ActionNotice.objects.exists()
    assert not MandateExtension.objects.exists()
    assert not DisputeEvent.objects.filter(
        kind__in=[
            DisputeEventKind.ACTION_NOTICE_PREPARED,
            DisputeEventKind.ACTION_NOTICE_GIVEN,
            DisputeEventKind.MANDATE_EXTENDED,
        ]
    ).exists()


def problems(response: Any) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


# --- The mandate ---------------------------------------------------------------------------


def test_the_mandate_page_gives_the_last_day_and_links_to_the_strike_days(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    ballot = mandate["ballot"]
    client = sign_in(hq_staff)

    response = client.get(url("backoffice_ballot_mandate", ballot))

    assert response.status_code == 200
    state = response.context["state"]
    assert (state.has_mandate, state.expires_on, state.extendable_to) == (
        True,
        LAST_DAY,
        None,
    )
    text = response.text
    assert "Monday 10 January 2028" in text
    assert f"{(LAST_DAY - DECLARED).days + 1} days left" in text
    assert "Not possible under the" in text
    assert "Received today, it allows action from Friday 22 January 2027" in text
    assert url("action_ballots") in text
    assert url("action_period_new", ballot) in text
    assert url("backoffice_action_notice_prepare", ballot) in text
    assert url("backoffice_ballot_mandate_extend", ballot) not in text
    [row] = response.context["rows"]
    assert (row["employer"], row["prepared"], row["given"]) == (
        mandate["employer"],
        0,
        0,
    )
    detail = client.get(url("backoffice_ballot_detail", ballot)).text
    assert url("backoffice_ballot_mandate", ballot) in detail
    assert "Mandate and action" in detail


def test_before_a_result_the_mandate_page_says_so(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    dispute, _employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute)

    response = sign_in(hq_staff).get(url("backoffice_ballot_mandate", ballot))

    assert response.status_code == 200
    assert "No result has been recorded for this ballot yet" in response.text
    assert url("backoffice_action_notice_prepare", ballot) not in response.text


def test_a_2016_act_mandate_is_extended_by_agreement_to_9_months(
    sign_in: Any, hq_staff: Any, mandate_2016: dict[str, Any]
) -> None:
    ballot, employer = mandate_2016["ballot"], mandate_2016["employer"]
    client = sign_in(hq_staff)
    page = client.get(url("backoffice_ballot_mandate", ballot))
    assert "its last day would then be Sunday 29 March 2026" in page.text
    assert url("backoffice_ballot_mandate_extend", ballot) in page.text
    form = client.get(
        url("backoffice_ballot_mandate_extend", ballot) + f"?employer={employer.pk}"
    )
    assert form.status_code == 200
    assert "Sunday 29 March 2026" in form.text

    response = client.post(
        url("backoffice_ballot_mandate_extend", ballot),
        {
            "employer": employer.pk,
            "agreed_on": _uk(CLOSING_2016 + DAY),
            "note": "Agreed in writing.",
        },
    )

    assert response.status_code == 302
    extension = MandateExtension.objects.get()
    assert (extension.expires_on, extension.note, extension.recorded_by) == (
        EXTENDED_2016,
        "Agreed in writing.",
        hq_staff,
    )
    page = client.get(url("backoffice_ballot_mandate", ballot))
    assert "29 March 2026 (extended by agreement on 1 July 2025)" in page.text
    log = client.get(url("backoffice_dispute_detail", mandate_2016["dispute"])).text
    assert (
        "Agreed by Probation Service on 1 July 2025: the mandate&#x27;s last day for "
        "its employees moves from 29 December 2025 to 29 March 2026"
    ) in log

    again = client.post(
        url("backoffice_ballot_mandate_extend", ballot),
        {"employer": employer.pk, "agreed_on": _uk(CLOSING_2016 + DAY)},
    )
    assert again.status_code == 400
    assert problems(again) == [
        "The mandate was already extended for Probation Service."
    ]
    assert MandateExtension.objects.count() == 1


def test_an_extension_the_rules_do_not_allow_is_refused_and_nothing_written(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    route = url("backoffice_ballot_mandate_extend", mandate["ballot"])
    assert "cannot be extended by agreement" in client.get(route).text

    response = client.post(
        route, {"employer": mandate["employer"].pk, "agreed_on": _uk(DECLARED)}
    )

    assert response.status_code == 400
    [problem] = problems(response)
    assert "a mandate cannot be extended by agreement" in problem
    assert problem in response.text
    nothing_written()


def test_an_extension_after_the_mandate_ended_or_with_mistakes_is_refused(
    sign_in: Any, hq_staff: Any, mandate_2016: dict[str, Any], time_machine: Any
) -> None:
    time_machine.move_to(noon(LAST_DAY_2016 + 3 * DAY))
    client = sign_in(hq_staff)
    route = url("backoffice_ballot_mandate_extend", mandate_2016["ballot"])

    ended = client.post(
        route,
        {
            "employer": mandate_2016["employer"].pk,
            "agreed_on": _uk(LAST_DAY_2016 + DAY),
        },
    )
    mistakes = client.post(route, {"employer": "", "agreed_on": "01/01/2030"})

    assert ended.status_code == 400
    assert problems(ended) == [
        "The mandate ended on Monday 29 December 2025: it cannot be extended after "
        "it has ended."
    ]
    assert errors(mistakes) == {
        "employer": ["Choose the employer that agreed to the extension."],
        "agreed_on": ["Record the day it was agreed, not a day to come."],
    }
    nothing_written()


# --- Notices of industrial action ---------------------------------------------------------------


def test_a_notice_is_prepared_given_and_downloaded(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    ballot = mandate["ballot"]
    client = sign_in(hq_staff)
    form = client.get(url("backoffice_action_notice_prepare", ballot))
    assert form.status_code == 200
    assert (
        "If the employer receives the notice today, Tuesday 12 January 2027, the "
        "first day of action may be <strong>Friday 22 January 2027</strong> at the "
        "earliest"
    ) in form.text
    assert "action" not in form.context["form"].fields  # one action has a mandate

    response = client.post(
        url("backoffice_action_notice_prepare", ballot), notice_data(mandate)
    )

    assert response.status_code == 302
    notice = ActionNotice.objects.get()
    assert response["Location"] == url(
        "backoffice_action_notice_detail", ballot, notice
    )
    assert (notice.action, notice.continuous, notice.prepared_by) == (
        "strike",
        False,
        hq_staff,
    )
    assert notice.days == ["2027-01-22", "2027-01-24"]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert (
        "must receive it by <strong>Tuesday 12 January 2027</strong>: 10 days\N{RIGHT SINGLE QUOTATION MARK} notice"
    ) in detail.text
    assert "NOTICE OF INDUSTRIAL ACTION" in detail.text
    assert "Sunday 24 January 2027" in detail.text

    given = client.post(
        url("backoffice_action_notice_given", ballot, notice),
        {"given-given_on": _uk(DECLARED)},
    )

    assert given.status_code == 302
    notice.refresh_from_db()
    assert (notice.given_on, notice.notice_days, notice.given_by) == (
        DECLARED,
        10,
        hq_staff,
    )
    listing = client.get(url("backoffice_action_notice_list", ballot))
    assert listing.status_code == 200
    assert list(listing.context["rows"]) == [notice]
    assert (
        "12 January 2027 (10 days\N{RIGHT SINGLE QUOTATION MARK} notice needed)"
        in listing.text
    )
    pdf = client.get(url("backoffice_action_notice_pdf", ballot, notice))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    for statement in (
        "Notice of industrial action",
        "section 234A",
        "The industrial action is intended to be discontinuous.",
        "Friday 22 January 2027",
        "Sunday 24 January 2027",
        "The action on each of these dates is a strike.",
        "Total number of affected employees: 2",
        "Probation services officer",
        "Leeds",
        "as accurate as is reasonably practicable",
    ):
        assert statement in text, statement
    assert "York" not in text  # the member there has left
    plain = client.get(url("backoffice_action_notice_text", ballot, notice))
    assert plain["Content-Type"] == "text/plain; charset=utf-8"
    assert plain.content.decode() == notice.text
    log = client.get(url("backoffice_dispute_detail", mandate["dispute"])).text
    assert (
        "To Probation Service: strike action, on 2 days, from 22 January 2027 to 24 "
        "January 2027"
    ) in log
    assert "2 affected employees" in log
    assert (
        "To Probation Service on 12 January 2027, 10 days before the first day of "
        "action, 22 January 2027: 10 days&#x27; notice needed"
    ) in log


def test_a_notice_given_early_says_how_long_before_the_action_it_was_given(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    """The employer had 13 days' notice; the 10 the law asks for are what it
    needed, not what it had."""
    ballot = mandate["ballot"]
    notice = prepared(mandate, days=[DECLARED + 13 * DAY])
    client = sign_in(hq_staff)

    given = client.post(
        url("backoffice_action_notice_given", ballot, notice),
        {"given-given_on": _uk(DECLARED)},
    )

    assert given.status_code == 302
    detail = client.get(given["Location"])
    assert (
        "13 days before the first day of action, Monday 25 January 2027: it needed "
        "10 days\N{RIGHT SINGLE QUOTATION MARK} notice."
    ) in detail.text
    log = client.get(url("backoffice_dispute_detail", mandate["dispute"])).text
    assert (
        "To Probation Service on 12 January 2027, 13 days before the first day of "
        "action, 25 January 2027: 10 days&#x27; notice needed"
    ) in log


def test_a_continuous_notice_names_the_day_it_begins(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).post(
        url("backoffice_action_notice_prepare", mandate["ballot"]),
        notice_data(mandate, pattern="continuous", start_on="25/01/2027", days=""),
    )

    assert response.status_code == 302
    notice = ActionNotice.objects.get()
    assert (notice.continuous, notice.start_on) == (True, datetime.date(2027, 1, 25))
    assert "intended to be continuous" in notice.text


def test_a_notice_that_would_be_late_is_refused_and_nothing_written(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).post(
        url("backoffice_action_notice_prepare", mandate["ballot"]),
        notice_data(mandate, days="21/01/2027"),
    )

    assert response.status_code == 400
    [problem] = problems(response)
    assert problem.startswith("The notice would be late")
    assert "10 days' notice" in problem
    assert "Friday 22 January 2027 at the earliest" in problem
    nothing_written()


def test_action_after_the_mandate_s_last_day_is_refused_and_nothing_written(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).post(
        url("backoffice_action_notice_prepare", mandate["ballot"]),
        notice_data(mandate, days="22/01/2027\n11/01/2028"),
    )

    assert response.status_code == 400
    [problem] = problems(response)
    assert "after the last day of the mandate, Monday 10 January 2028" in problem
    nothing_written()


def test_no_notice_once_the_mandate_has_expired(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any], time_machine: Any
) -> None:
    time_machine.move_to(noon(LAST_DAY + DAY))
    client = sign_in(hq_staff)

    page = client.get(url("backoffice_ballot_mandate", mandate["ballot"]))
    response = client.post(
        url("backoffice_action_notice_prepare", mandate["ballot"]),
        notice_data(mandate, days="01/03/2028"),
    )

    assert "the mandate has ended" in page.text
    assert url("backoffice_action_notice_prepare", mandate["ballot"]) not in page.text
    assert response.status_code == 400
    [problem] = problems(response)
    assert "after the last day of the mandate" in problem
    nothing_written()


def test_no_notice_without_a_mandate_or_before_a_result(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute)
    client = sign_in(hq_staff)
    w = {"ballot": ballot, "employer": employer}

    before = client.post(
        url("backoffice_action_notice_prepare", ballot), notice_data(w)
    )
    declared(ballot, yes=1, no=2)
    time_machine.move_to(noon(DECLARED))
    form = client.get(url("backoffice_action_notice_prepare", ballot))
    lost = client.post(url("backoffice_action_notice_prepare", ballot), notice_data(w))

    assert before.status_code == 400
    assert "No result has been recorded for this ballot." in problems(before)[0]
    assert "The Yes answers (1) were fewer than the No answers (2)" in form.text
    assert lost.status_code == 400
    assert "gives no mandate" in problems(lost)[0]
    nothing_written()


def test_a_notice_with_mistakes_is_refused_beside_each_field(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)
    route = url("backoffice_action_notice_prepare", mandate["ballot"])

    continuous = client.post(
        route, notice_data(mandate, pattern="continuous", days="22/01/2027")
    )
    bad_day = client.post(route, notice_data(mandate, days="22/01/2027\n31/02/2027"))
    past = client.post(route, notice_data(mandate, days="11/01/2027"))
    nothing = client.post(route, {})

    assert errors(continuous) == {
        "start_on": ["Enter the day continuous action is to begin."],
        "days": [
            "Continuous action is given by the day it begins: leave the days empty, "
            "or choose discontinuous."
        ],
    }
    [message] = errors(bad_day)["days"]
    assert message.startswith("“31/02/2027” is not a day")
    assert errors(past) == {"days": ["A day of action cannot be in the past."]}
    assert set(errors(nothing)) == {"employer", "pattern"}
    assert "There is a problem" in nothing.text
    nothing_written()


def test_a_notice_given_too_late_is_refused_and_stays_not_given(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any], time_machine: Any
) -> None:
    notice = prepared(mandate)
    time_machine.move_to(noon(DECLARED + 3 * DAY))
    client = sign_in(hq_staff)
    detail = client.get(
        url("backoffice_action_notice_detail", mandate["ballot"], notice)
    )
    assert "this notice can no longer be given in time" in detail.text

    response = client.post(
        url("backoffice_action_notice_given", mandate["ballot"], notice),
        {"given-given_on": _uk(DECLARED + 3 * DAY)},
    )

    assert response.status_code == 400
    [problem] = problems(response)
    assert "would be late" in problem
    assert "Monday 25 January 2027 at the earliest" in problem
    notice.refresh_from_db()
    assert notice.given_on is None
    assert not DisputeEvent.objects.filter(
        kind=DisputeEventKind.ACTION_NOTICE_GIVEN
    ).exists()


def test_the_notice_form_asks_which_action_when_both_have_a_mandate(
    sign_in: Any, hq_staff: Any, time_machine: Any
) -> None:
    dispute, employer, (leeds,) = place()
    member_at(leeds)
    ballot = held_ballot(time_machine, dispute=dispute, action_short_of_strike=True)
    one = services.QuestionFigures
    services.ballot_result_record(
        ballot=ballot,
        declared_on=DECLARED,
        by=None,
        entitled=3,
        questions={1: one(yes=3, no=0, spoiled=0), 2: one(yes=3, no=0, spoiled=0)},
    )
    time_machine.move_to(noon(DECLARED))
    client = sign_in(hq_staff)
    w = {"ballot": ballot, "employer": employer}

    unsaid = client.post(
        url("backoffice_action_notice_prepare", ballot), notice_data(w)
    )
    said = client.post(
        url("backoffice_action_notice_prepare", ballot),
        notice_data(w, action="action_short_of_strike"),
    )

    assert errors(unsaid) == {"action": ["Choose the action this notice is for."]}
    assert said.status_code == 302
    assert ActionNotice.objects.get().action == "action_short_of_strike"


# --- Who may see and do what -------------------------------------------------------------


def routes(w: dict[str, Any], notice: ActionNotice) -> list[tuple[str, str]]:
    ballot = w["ballot"]
    return [
        ("get", url("backoffice_ballot_mandate", ballot)),
        ("get", url("backoffice_ballot_mandate_extend", ballot)),
        ("post", url("backoffice_ballot_mandate_extend", ballot)),
        ("get", url("backoffice_action_notice_list", ballot)),
        ("get", url("backoffice_action_notice_prepare", ballot)),
        ("post", url("backoffice_action_notice_prepare", ballot)),
        ("get", url("backoffice_action_notice_detail", ballot, notice)),
        ("post", url("backoffice_action_notice_given", ballot, notice)),
        ("get", url("backoffice_action_notice_pdf", ballot, notice)),
        ("get", url("backoffice_action_notice_text", ballot, notice)),
    ]


@pytest.fixture
def official() -> Any:
    """Someone who can open the back office: not HQ staff, no dispute of their own."""
    group, _created = Group.objects.get_or_create(name="Officials")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = UserFactory(first_name="Owen", last_name="Official")
    user.groups.add(group)
    return user


def test_those_outside_the_ballot_get_a_404_and_nothing_is_written(
    sign_in: Any, branch_secretary: Any, official: Any, mandate: dict[str, Any]
) -> None:
    notice = prepared(mandate)
    data = notice_data(mandate) | {"agreed_on": _uk(DECLARED)}
    for user in (branch_secretary, official):
        client = sign_in(user)
        for method, route in routes(mandate, notice):
            response = getattr(client, method)(route, data)
            assert response.status_code == 404, (user, route)
    assert ActionNotice.objects.get() == notice
    assert notice.given_on is None


def test_those_who_see_every_dispute_but_do_not_run_them_only_look(
    sign_in: Any, official: Any, mandate: dict[str, Any]
) -> None:
    official.user_permissions.add(Permission.objects.get(codename="view_all_disputes"))
    notice = prepared(mandate)
    client = sign_in(official)

    found = {
        (method, route): getattr(client, method)(route, {}).status_code
        for method, route in routes(mandate, notice)
    }

    ballot = mandate["ballot"]
    changes = {
        url("backoffice_ballot_mandate_extend", ballot),
        url("backoffice_action_notice_prepare", ballot),
        url("backoffice_action_notice_given", ballot, notice),
    }
    assert found == {
        (method, route): 404 if route in changes else 200
        for method, route in routes(mandate, notice)
    }
    page = client.get(url("backoffice_ballot_mandate", ballot)).text
    assert url("backoffice_action_notice_prepare", ballot) not in page


def test_a_dispute_s_official_runs_its_notices(
    sign_in: Any, official: Any, mandate: dict[str, Any]
) -> None:
    services.dispute_update(dispute=mandate["dispute"], officials=[official], by=None)
    client = sign_in(official)

    response = client.post(
        url("backoffice_action_notice_prepare", mandate["ballot"]),
        notice_data(mandate),
    )

    assert response.status_code == 302
    assert ActionNotice.objects.get().prepared_by == official


def test_a_notice_of_another_ballot_is_a_404(
    sign_in: Any, hq_staff: Any, mandate: dict[str, Any], time_machine: Any
) -> None:
    notice = prepared(mandate)
    dispute, _employer, (leeds,) = place(employer_name="Cafcass")
    member_at(leeds)
    other = held_ballot(time_machine, dispute=dispute)
    client = sign_in(hq_staff)

    for name in (
        "backoffice_action_notice_detail",
        "backoffice_action_notice_pdf",
        "backoffice_action_notice_text",
    ):
        assert client.get(url(name, other, notice)).status_code == 404, name
    assert (
        client.post(
            url("backoffice_action_notice_given", other, notice),
            {"given-given_on": _uk(DECLARED)},
        ).status_code
        == 404
    )
