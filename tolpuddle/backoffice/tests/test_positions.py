"""The positions list in the back office: who holds which office."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tolpuddle.members.models import PersonalDataAccess, Role
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

pytestmark = pytest.mark.django_db

LIST = "/admin/positions/"


def holder(branch: Any, first: str, last: str) -> Any:
    return MembershipFactory(
        branch=branch, person=PersonFactory(first_name=first, last_name=last)
    )


@pytest.fixture
def offices(branches: tuple[Any, Any]) -> dict[str, Any]:
    """Positions in North and South: current, ended and not yet begun."""
    north, south = branches
    depot = WorkplaceFactory(name="Depot", employer=EmployerFactory(name="City Bus"))
    today = timezone.localdate()
    ada = holder(north, "Ada", "Lovelace")
    bob = holder(north, "Bob", "Crow")
    cat = holder(south, "Cat", "Smith")
    return {
        "north chair": hold(ada, "branch-chair", branch=north),
        "north rep": hold(bob, "workplace-rep", workplace=depot),
        "north old treasurer": hold(
            bob,
            "branch-treasurer",
            branch=north,
            ended_on=datetime.date(2022, 3, 31),
        ),
        "north future": hold_from(ada, "branch-treasurer", north, today),
        "south chair": hold(cat, "branch-chair", branch=south),
    }


def hold_from(membership: Any, slug: str, branch: Any, today: datetime.date) -> Any:
    position = hold(membership, slug, branch=branch)
    position.started_on = today + datetime.timedelta(days=30)
    position.save()
    return position


def listed(response: Any) -> list[Any]:
    return list(response.context["rows"])


# --- Who sees what -------------------------------------------------------------------


def test_hq_staff_see_every_current_position_and_the_menu_item(
    sign_in: Any, hq_staff: Any, offices: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(listed(response)) == {
        offices["north chair"],
        offices["north rep"],
        offices["south chair"],
    }
    assert f'"url": "{LIST}"' in client.get(reverse("wagtailadmin_home")).text


def test_a_secretary_sees_their_branchs_positions_only(
    sign_in: Any, branch_secretary: Any, offices: dict[str, Any]
) -> None:
    client = sign_in(branch_secretary)
    own = branch_secretary.person.membership.positions.get()

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(listed(response)) == {
        own,
        offices["north chair"],
        offices["north rep"],
    }
    assert "Cat Smith" not in response.text
    assert f'"url": "{LIST}"' in client.get(reverse("wagtailadmin_home")).text


def test_a_rep_sees_the_positions_in_their_own_branch(
    sign_in: Any, workplace_rep: Any, offices: dict[str, Any]
) -> None:
    response = sign_in(workplace_rep).get(LIST)

    assert response.status_code == 200
    assert offices["north chair"] in listed(response)
    assert offices["south chair"] not in listed(response)


def test_someone_who_sees_no_members_gets_a_404_and_no_menu_item(
    sign_in: Any, branches: tuple[Any, Any], offices: dict[str, Any]
) -> None:
    """A national role opens the back office but shows no branch's members."""
    north, _south = branches
    user, membership = member_with_sign_in(north)
    hold(membership, "national-executive-member")
    client = sign_in(user)

    assert client.get(LIST).status_code == 404
    assert f'"url": "{LIST}"' not in client.get(reverse("wagtailadmin_home")).text


def test_a_member_with_no_office_is_sent_away(
    sign_in: Any, branches: tuple[Any, Any], offices: dict[str, Any]
) -> None:
    north, _south = branches
    user, _membership = member_with_sign_in(north)

    response = sign_in(user).get(LIST)

    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


# --- What each row shows -------------------------------------------------------------


def test_each_row_links_the_holder_and_shows_the_role_place_and_term(
    sign_in: Any, hq_staff: Any, offices: dict[str, Any]
) -> None:
    page = sign_in(hq_staff).get(LIST).text
    rep = offices["north rep"]

    assert f'href="{reverse("backoffice_member", args=[rep.membership_id])}"' in page
    assert "Bob Crow" in page
    assert "Workplace rep" in page
    assert "Depot (City Bus)" in page
    assert "branch: North" in page
    assert "1 January 2020" in page
    assert "Open" in page
    assert reverse("backoffice_members") in page


def test_the_list_is_ordered_by_branch_then_role_then_name(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any]
) -> None:
    north, south = branches
    in_south = hold(holder(south, "Ann", "Able"), "branch-chair", branch=south)
    zed = hold(holder(north, "Zed", "Zephyr"), "branch-chair", branch=north)
    amy = hold(holder(north, "Amy", "Young"), "branch-chair", branch=north)
    rep = hold(
        holder(north, "Al", "Aardvark"), "workplace-rep", workplace=WorkplaceFactory()
    )
    secretary = hold(holder(north, "Bo", "Best"), "branch-secretary", branch=north)
    nowhere = hold(holder(None, "No", "Branch"), "national-executive-member")

    rows = listed(sign_in(hq_staff).get(LIST))

    assert rows == [amy, zed, secretary, rep, in_south, nowhere]


# --- Filters -------------------------------------------------------------------------


def test_filters_narrow_the_list(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any], offices: dict[str, Any]
) -> None:
    north, south = branches
    client = sign_in(hq_staff)
    chair = Role.objects.get(slug="branch-chair")

    assert set(listed(client.get(LIST, {"role": chair.pk}))) == {
        offices["north chair"],
        offices["south chair"],
    }
    # A workplace role counts under its holder's branch.
    assert set(listed(client.get(LIST, {"branch": north.pk}))) == {
        offices["north chair"],
        offices["north rep"],
    }
    assert listed(client.get(LIST, {"branch": south.pk, "role": chair.pk})) == [
        offices["south chair"]
    ]
    assert listed(client.get(LIST, {"held": "ended"})) == [
        offices["north old treasurer"]
    ]
    assert set(listed(client.get(LIST, {"held": "all"}))) == set(offices.values())
    assert set(listed(client.get(LIST, {"held": "current"}))) == set(
        listed(client.get(LIST))
    )


def test_a_secretary_filtering_by_another_branch_finds_nobody(
    sign_in: Any, branch_secretary: Any, branches: tuple[Any, Any], offices: Any
) -> None:
    _north, south = branches

    response = sign_in(branch_secretary).get(LIST, {"branch": south.pk})

    assert response.status_code == 200
    assert listed(response) == []
    assert "No positions match these filters." in response.text


@pytest.mark.parametrize(
    "case",
    [
        ({"branch": "abc"}, "branch", "Choose a branch from the list."),
        ({"branch": "999999"}, "branch", "Choose a branch from the list."),
        ({"role": "x"}, "role", "Choose a role from the list."),
        ({"held": "sometimes"}, "held", "Choose current, ended or all."),
    ],
)
def test_a_filter_that_cannot_be_used_is_refused_beside_the_field(
    sign_in: Any, hq_staff: Any, offices: Any, case: Any
) -> None:
    query, field, message = case
    response = sign_in(hq_staff).get(LIST, query)

    assert response.status_code == 400
    page = response.text
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert "There is a problem" in page
    assert "rows" not in response.context
    assert not PersonalDataAccess.objects.exists()


def test_what_was_typed_is_kept(sign_in: Any, hq_staff: Any, offices: Any) -> None:
    response = sign_in(hq_staff).get(LIST, {"branch": "abc", "held": "ended"})

    assert response.status_code == 400
    assert response.context["form"]["branch"].value() == "abc"
    assert '<option value="ended" selected>' in response.text


# --- Pages and the access log --------------------------------------------------------


def test_the_page_is_logged_as_one_access_with_its_filters(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any], offices: Any
) -> None:
    north, _south = branches

    sign_in(hq_staff).get(LIST, {"branch": north.pk})

    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.membership) == (
        hq_staff,
        "viewed",
        None,
    )
    assert access.detail == {
        "list": "positions",
        "page": 1,
        "filters": {"branch": str(north.pk)},
        "rows": 2,
    }


def test_an_empty_list_shows_nobody_and_is_not_logged(
    sign_in: Any, hq_staff: Any
) -> None:
    response = sign_in(hq_staff).get(LIST)

    assert response.status_code == 200
    assert "No positions." in response.text
    assert not PersonalDataAccess.objects.exists()


def test_pages_of_fifty_keep_the_filters(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any]
) -> None:
    north, _south = branches
    chair = Role.objects.get(slug="branch-chair")
    for i in range(51):
        hold(holder(north, "Member", f"N{i:03d}"), "branch-chair", branch=north)
    client = sign_in(hq_staff)

    first = client.get(LIST, {"role": chair.pk})
    second = client.get(LIST, {"role": chair.pk, "page": 2})

    assert len(listed(first)) == 50
    assert len(listed(second)) == 1
    assert f'href="?role={chair.pk}&amp;page=2"' in first.text
    assert "51 current positions matching these filters" in first.text


def test_a_page_takes_a_fixed_number_of_queries(
    sign_in: Any,
    hq_staff: Any,
    branches: tuple[Any, Any],
    django_assert_max_num_queries: Any,
) -> None:
    north, south = branches
    depot = WorkplaceFactory()
    for i in range(5):
        hold(holder(north, "A", f"N{i}"), "workplace-rep", workplace=depot)
        hold(holder(south, "B", f"S{i}"), "branch-chair", branch=south)
    client = sign_in(hq_staff)
    client.get(LIST)  # warm the session and permission caches

    with django_assert_max_num_queries(30) as captured:
        client.get(LIST)
    few = len(captured.captured_queries)

    for i in range(20):
        hold(holder(north, "C", f"M{i}"), "branch-chair", branch=north)
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    assert len(listed(response)) == 30
