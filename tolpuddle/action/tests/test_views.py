"""The action pages: the member's days of action and "did you take part?" in the
portal; calling a period, picket lines and the participation counts in the back
office. Bad input gets a message and writes nothing; anything out of scope is a 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tolpuddle.action import services
from tolpuddle.action.models import ActionEvent, ActionPeriod, Participation, PicketLine
from tolpuddle.action.tests.factories import (
    TODAY,
    at,
    ballot_closed,
    elector,
    organiser,
    period_called,
)
from tolpuddle.members.models import PersonalDataAccess
from tolpuddle.members.tests.factories import (
    BranchFactory,
    MembershipFactory,
    UserFactory,
    WorkplaceFactory,
)
from tolpuddle.turnout.tests.factories import back_office_staff, rep_of

pytestmark = pytest.mark.django_db

MY_ACTION = reverse("action:my_action")


@pytest.fixture
def strike():
    ballot = ballot_closed(title="Pay ballot 2026")
    north = WorkplaceFactory(employer=ballot.employers.get(), name="North")
    south = WorkplaceFactory(employer=ballot.employers.get(), name="South")
    member = UserFactory()
    entry = elector(ballot, workplace=north, user=member)
    elector(ballot, workplace=south)
    past = period_called(ballot, workplaces=[north], description="All out at North")
    return {
        "ballot": ballot,
        "north": north,
        "south": south,
        "member": member,
        "entry": entry,
        "past": past,
    }


def participation_url(period):
    return reverse("action:my_participation", kwargs={"period_id": period.pk})


def test_the_member_sees_the_action_that_calls_them_out(client, strike):
    period_called(
        strike["ballot"], workplaces=[strike["south"]], description="South only"
    )
    client.force_login(strike["member"])

    page = client.get(MY_ACTION).content.decode()

    assert "All out at North" in page
    assert "South only" not in page
    assert "Did you take part?" in page


def test_the_member_tells_us_and_can_correct_it(client, strike):
    client.force_login(strike["member"])

    first = client.post(participation_url(strike["past"]), {"took_part": "did_not"})
    second = client.post(participation_url(strike["past"]), {"took_part": "took_part"})

    assert first.status_code == second.status_code == 302
    assert Participation.objects.get().took_part is True
    assert "You told us you took part" in client.get(MY_ACTION).content.decode()


def test_no_answer_gets_a_message_and_writes_nothing(client, strike):
    client.force_login(strike["member"])

    response = client.post(participation_url(strike["past"]), {"took_part": "maybe"})

    assert response.status_code == 400
    assert "Say whether you took part" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_period_still_to_come_has_no_form_and_refuses_a_report(client, strike):
    coming = period_called(
        strike["ballot"],
        starts_at=at(TODAY + datetime.timedelta(days=3)),
        workplaces=[strike["north"]],
    )
    client.force_login(strike["member"])

    response = client.post(participation_url(coming), {"took_part": "took_part"})

    assert response.status_code == 400
    assert "once it has begun" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_period_that_does_not_call_the_member_out_is_a_404(client, strike):
    south_only = period_called(strike["ballot"], workplaces=[strike["south"]])
    client.force_login(strike["member"])

    response = client.post(participation_url(south_only), {"took_part": "took_part"})

    assert response.status_code == 404
    assert not Participation.objects.exists()


# --- The back office --------------------------------------------------------------------


def period_form(strike, **change):
    return {
        "kind": "strike",
        "starts_on": "08/02/2027",
        "starts_time": "12:00",
        "ends_on": "09/02/2027",
        "ends_time": "12:00",
        "workplaces": [strike["north"].pk],
        **change,
    }


def test_staff_call_a_period_from_noon_to_noon(sign_in, strike):
    client = sign_in(organiser())

    response = client.post(
        reverse("action_period_new", args=[strike["ballot"].pk]), period_form(strike)
    )

    assert response.status_code == 302
    period = ActionPeriod.objects.latest("id")
    assert (period.starts_at, period.ends_at) == (
        at(datetime.date(2027, 2, 8)),
        at(datetime.date(2027, 2, 9)),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_on": "31/02/2027"}, "31/02/2027"),
        ({"starts_time": "noon"}, "Give the time as hours and minutes"),
        ({"workplaces": []}, "Call out at least one branch or workplace"),
        ({"workplaces": ["99999"]}, "Choose workplaces from the list"),
        ({"kind": "sit-in"}, "Choose strike or action short of a strike"),
        ({"ends_on": "11/01/2028"}, "ends on Monday 10 January 2028"),
        ({"starts_on": "11/01/2027"}, "Action cannot begin before the result"),
    ],
)
def test_a_bad_period_gets_a_message_and_writes_nothing(
    sign_in, strike, change, message
):
    client = sign_in(organiser())
    before = ActionPeriod.objects.count()

    response = client.post(
        reverse("action_period_new", args=[strike["ballot"].pk]),
        period_form(strike, **change),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ActionPeriod.objects.count() == before
    assert ActionEvent.objects.filter(kind="period_called").count() == before


def test_only_staff_of_the_dispute_can_call_action(sign_in, strike):
    url = reverse("action_period_new", args=[strike["ballot"].pk])
    for user in (back_office_staff(), rep_of(strike["north"])):
        client = sign_in(user)
        assert client.get(url).status_code == 404
        assert client.post(url, period_form(strike)).status_code == 404
        assert (
            client.get(reverse("action_period", args=[strike["past"].pk])).status_code
            == 404
        )
    assert ActionPeriod.objects.count() == 1


def test_the_period_page_counts_participation_and_logs_the_supervisors_shown(
    sign_in, strike
):
    period = period_called(
        strike["ballot"],
        starts_at=at(TODAY + datetime.timedelta(days=2)),
        workplaces=[strike["north"]],
    )
    services.picket_line_add(
        period=period,
        workplace=strike["north"],
        supervisor=MembershipFactory(),
        supervisor_contact="07911 123456",
        by=None,
    )
    services.participation_report(
        membership=strike["entry"].membership, period=strike["past"], took_part=True
    )
    user = organiser()
    client = sign_in(user)

    past = client.get(
        reverse("action_period", args=[strike["past"].pk])
    ).content.decode()
    coming = client.get(reverse("action_period", args=[period.pk])).content.decode()

    assert "1 took part, 0 did not (1 told us)" in past
    assert "+447911123456" in coming
    assert [a.detail["rows"] for a in PersonalDataAccess.objects.filter(user=user)] == [
        1
    ]


def test_a_picket_line_form_with_a_bad_number_gets_a_message(sign_in, strike):
    period = period_called(
        strike["ballot"],
        starts_at=at(TODAY + datetime.timedelta(days=2)),
        workplaces=[strike["north"]],
    )
    client = sign_in(organiser())
    url = reverse("action_picket_line_new", args=[period.pk])

    unknown = client.post(
        url,
        {
            "workplace": strike["north"].pk,
            "supervisor": "nobody",
            "supervisor_contact": "07911 123456",
        },
    )
    bad_phone = client.post(
        url,
        {
            "workplace": strike["north"].pk,
            "supervisor": MembershipFactory().membership_number,
            "supervisor_contact": "12",
        },
    )

    assert unknown.status_code == bad_phone.status_code == 400
    assert "No member has the number" in unknown.content.decode()
    assert (
        "supervisor&#x27;s phone" in bad_phone.content.decode()
        or "supervisor's phone" in bad_phone.content.decode()
    )
    assert not PicketLine.objects.exists()


def test_literature_files_are_for_staff_and_the_branches_they_went_to(
    sign_in, client, strike, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tolpuddle.turnout.tests.factories import secretary_of

    settings.MEDIA_ROOT = tmp_path
    branch, other = BranchFactory(), BranchFactory()
    literature = services.literature_send(
        period=strike["past"],
        title="Leaflet",
        file=SimpleUploadedFile("leaflet.txt", b"Picket at 7am"),
        branches=[branch],
        by=None,
    )
    url = reverse("action_literature_file", args=[literature.pk])

    assert (
        b"".join(sign_in(secretary_of(branch)).get(url).streaming_content)
        == b"Picket at 7am"
    )
    assert sign_in(secretary_of(other)).get(url).status_code == 404
    assert sign_in(organiser()).get(url).status_code == 200
