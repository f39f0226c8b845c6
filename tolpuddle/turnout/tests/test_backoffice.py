"""The back office's turnout pages: who sees whose electors (404 outside scope),
what they can mark, and the access log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tolpuddle.members.models import PersonalDataAccess
from tolpuddle.members.tests.factories import (
    BranchFactory,
    UserFactory,
    WorkplaceFactory,
)
from tolpuddle.turnout import services
from tolpuddle.turnout.models import (
    SaidVotedVia,
    TurnoutCall,
    TurnoutEvent,
    TurnoutReport,
)
from tolpuddle.turnout.tests.factories import (
    back_office_staff,
    ballot_open,
    elector,
    hq_staff,
    rep_of,
    secretary_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One ballot over two workplaces of one employer and two branches."""
    ballot = ballot_open()
    employer = ballot.employers.get()
    north_office, south_office = (
        WorkplaceFactory(employer=employer, name="North Office"),
        WorkplaceFactory(employer=employer, name="South Office"),
    )
    north, south = BranchFactory(name="North"), BranchFactory(name="South")
    return {
        "ballot": ballot,
        "north office": north_office,
        "north": north,
        "ada": elector(ballot, workplace=north_office, branch=north, last_name="Ashby"),
        "bob": elector(ballot, workplace=north_office, branch=south, last_name="Bowes"),
        "cat": elector(ballot, workplace=south_office, branch=north, last_name="Catt"),
        "dan": elector(ballot, workplace=south_office, branch=south, last_name="Dunne"),
    }


def electors_url(world, **query):
    url = reverse("turnout_electors", args=[world["ballot"].pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def elector_url(world, name, view="turnout_elector"):
    return reverse(view, args=[world["ballot"].pk, world[name].membership_id])


def listed(client, world, **query):
    page = client.get(electors_url(world, **query)).content.decode()
    return {name for name in ("Ashby", "Bowes", "Catt", "Dunne") if name in page}


def test_a_workplace_rep_sees_only_the_electors_at_their_workplace(sign_in, world):
    client = sign_in(rep_of(world["north office"]))

    assert listed(client, world, show="all") == {"Ashby", "Bowes"}
    assert client.get(elector_url(world, "ada")).status_code == 200
    assert client.get(elector_url(world, "cat")).status_code == 404


def test_a_branch_officer_sees_only_the_electors_of_their_branch(sign_in, world):
    client = sign_in(secretary_of(world["north"]))

    assert listed(client, world, show="all") == {"Ashby", "Catt"}
    assert client.get(elector_url(world, "bob")).status_code == 404


def test_hq_sees_every_elector(sign_in, world):
    client = sign_in(hq_staff())

    assert listed(client, world, show="all") == {"Ashby", "Bowes", "Catt", "Dunne"}


def test_a_rep_of_a_workplace_not_balloted_gets_404_for_the_ballot(sign_in, world):
    client = sign_in(rep_of(WorkplaceFactory()))

    assert client.get(electors_url(world)).status_code == 404
    assert client.get(elector_url(world, "ada")).status_code == 404
    ballots = client.get(reverse("turnout_ballots")).content.decode()
    assert "No ballot open for voting has electors you look after" in ballots


def test_marking_and_calling_outside_ones_scope_is_a_404_and_writes_nothing(
    sign_in, world
):
    client = sign_in(rep_of(world["north office"]))

    marked = client.post(
        elector_url(world, "dan", "turnout_elector_mark"), {"status": "voted"}
    )
    called = client.post(
        elector_url(world, "dan", "turnout_elector_call"), {"outcome": "spoke"}
    )

    assert marked.status_code == called.status_code == 404
    assert not TurnoutReport.objects.exists()
    assert not TurnoutCall.objects.exists()


def test_someone_with_no_office_gets_404_for_the_list_of_ballots(sign_in):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))

    assert sign_in(user).get(reverse("turnout_ballots")).status_code == 404


def test_reps_and_staff_who_see_nobody_cannot_open_the_dashboard(sign_in, world):
    for user in (rep_of(world["north office"]), back_office_staff()):
        client = sign_in(user)
        assert (
            client.get(
                reverse("turnout_dashboard", args=[world["ballot"].pk])
            ).status_code
            == 404
        )


def test_a_plain_member_is_kept_out_of_the_back_office(client, world):
    user = UserFactory()
    elector(world["ballot"], workplace=world["north office"], user=user)
    client.force_login(user)

    response = client.get(electors_url(world))

    assert response.status_code == 302  # to set up a second factor, or to sign in
    assert "Ashby" not in response.content.decode()


def test_the_list_to_call_leaves_out_those_who_voted_or_asked_not_to_be_called(
    sign_in, world
):
    ballot = world["ballot"]
    services.turnout_voted_record(
        ballot=ballot,
        membership=world["ada"].membership,
        via=SaidVotedVia.LINK,
        by=None,
    )
    services.turnout_do_not_contact_set(
        ballot=ballot, membership=world["bob"].membership, by=None
    )
    client = sign_in(hq_staff())

    assert listed(client, world) == {"Catt", "Dunne"}
    assert listed(client, world, show="voted") == {"Ashby"}
    assert listed(client, world, show="not_voted") == {"Bowes", "Catt", "Dunne"}
    everyone = client.get(electors_url(world, show="all")).content.decode()
    assert "Asked not to be contacted about this ballot" in everyone
    assert "4 electors you look after: 1 has said they voted (25%)" in everyone


def test_a_member_who_asked_not_to_be_contacted_is_shown_so_without_a_call_form(
    sign_in, world
):
    ballot = world["ballot"]
    services.turnout_do_not_contact_set(
        ballot=ballot, membership=world["bob"].membership, by=None
    )
    client = sign_in(rep_of(world["north office"]))

    page = client.get(elector_url(world, "bob")).content.decode()
    posted = client.post(
        elector_url(world, "bob", "turnout_elector_call"), {"outcome": "spoke"}
    )

    assert "asked not to be contacted about this ballot" in page
    assert "Note a call" not in page
    assert world["bob"].membership.person.email not in page
    assert posted.status_code == 400
    assert "do not call them" in posted.content.decode()
    assert not TurnoutCall.objects.exists()


def test_a_rep_marks_an_elector_and_notes_a_call(sign_in, world):
    rep = rep_of(world["north office"])
    client = sign_in(rep)

    marked = client.post(
        elector_url(world, "ada", "turnout_elector_mark"),
        {"status": "exclude", "reason": "long_term_leave", "note": "Back in June"},
    )
    called = client.post(
        elector_url(world, "bob", "turnout_elector_call"),
        {"outcome": "left_message", "note": "Voicemail"},
    )

    assert marked.status_code == called.status_code == 302
    report = TurnoutReport.objects.get(membership=world["ada"].membership)
    assert (report.rep_status, report.rep_exclude_reason, report.rep_status_by) == (
        "exclude",
        "long_term_leave",
        rep,
    )
    assert TurnoutCall.objects.get().by == rep


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "exclude"}, "Say why they should be excluded"),
        (
            {"status": "voted", "reason": "left_union"},
            "Give a reason only when excluding",
        ),
        ({"status": "yes"}, "Choose what to mark them as from the list"),
        ({}, "Choose what to mark them as"),
    ],
)
def test_a_bad_mark_gets_a_message_and_writes_nothing(sign_in, world, data, message):
    client = sign_in(rep_of(world["north office"]))

    response = client.post(elector_url(world, "ada", "turnout_elector_mark"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TurnoutReport.objects.exists()
    assert not TurnoutEvent.objects.exists()


def test_a_bad_filter_gets_a_message(sign_in, world):
    client = sign_in(hq_staff())

    response = client.get(electors_url(world, show="everybody-who-voted-no"))

    assert response.status_code == 400
    assert "Choose who to show from the list" in response.content.decode()


def test_each_page_of_electors_and_each_elector_looked_at_is_logged(sign_in, world):
    rep = rep_of(world["north office"])
    client = sign_in(rep)

    client.get(electors_url(world, show="all"))
    client.get(elector_url(world, "ada"))
    client.get(elector_url(world, "cat"))  # out of scope: nothing shown, not logged

    logged = list(PersonalDataAccess.objects.filter(user=rep).order_by("id"))
    assert [(a.membership_id, a.detail.get("rows")) for a in logged] == [
        (None, 2),
        (world["ada"].membership_id, None),
    ]
    assert logged[0].detail["list"] == "turnout electors"
