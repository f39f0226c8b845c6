"""Who may see and change whom in the register: every role against every kind of
record, in one matrix, through the selectors every route fetches through."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from tolpuddle.core.models import AppendOnlyError
from tolpuddle.members import selectors, services
from tolpuddle.members.models import (
    AccessAction,
    Branch,
    MembershipStatus,
    PersonalDataAccess,
    Position,
    Role,
    RoleScope,
)
from tolpuddle.members.tests.factories import (
    BranchFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db


def member_with_sign_in(branch, **extra):
    user = UserFactory()
    membership = MembershipFactory(
        branch=branch, person=PersonFactory(user=user), **extra
    )
    return user, membership


def hold(membership, slug, *, branch=None, workplace=None, ended_on=None):
    return Position.objects.create(
        membership=membership,
        role=Role.objects.get(slug=slug),
        branch=branch,
        workplace=workplace,
        started_on=datetime.date(2020, 1, 1),
        ended_on=ended_on,
    )


@pytest.fixture
def world():
    north, south = BranchFactory(name="North"), BranchFactory(name="South")
    people = {}
    people["member"] = member_with_sign_in(north)
    people["rep"] = member_with_sign_in(north)
    hold(people["rep"][1], "workplace-rep", workplace=WorkplaceFactory())
    people["officer"] = member_with_sign_in(north)
    hold(people["officer"][1], "branch-secretary", branch=north)
    people["former officer"] = member_with_sign_in(north)
    hold(
        people["former officer"][1],
        "branch-secretary",
        branch=north,
        ended_on=datetime.date(2021, 1, 1),
    )
    people["lapsed rep"] = member_with_sign_in(
        north, status=MembershipStatus.LAPSED, left_on=datetime.date(2024, 1, 1)
    )
    hold(people["lapsed rep"][1], "workplace-rep", workplace=WorkplaceFactory())
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Membership staff"))
    people["hq staff"] = (staff, None)
    people["administrator"] = (UserFactory(is_superuser=True, is_staff=True), None)
    people["stranger"] = (UserFactory(), None)
    records = {
        "their own": None,  # filled per viewer
        "same branch": MembershipFactory(branch=north),
        "other branch": MembershipFactory(branch=south),
        "no branch": MembershipFactory(branch=None),
    }
    return people, records


SEES = {  # viewer: (their own, same branch, other branch, no branch)
    "member": (True, False, False, False),
    "rep": (True, True, False, False),
    "officer": (True, True, False, False),
    "former officer": (True, False, False, False),
    "lapsed rep": (True, False, False, False),
    "hq staff": (None, True, True, True),
    "administrator": (None, True, True, True),
    "stranger": (None, False, False, False),
}
CHANGES = {
    "member": (True, False, False, False),
    "rep": (True, False, False, False),
    "officer": (True, True, False, False),
    "former officer": (True, False, False, False),
    "lapsed rep": (True, False, False, False),
    "hq staff": (None, True, True, True),
    "administrator": (None, True, True, True),
    "stranger": (None, False, False, False),
}


@pytest.mark.parametrize("viewer", sorted(SEES))
def test_each_role_sees_and_changes_exactly_its_scope(world, viewer):
    people, records = world
    user, own = people[viewer]
    visible = selectors.memberships_visible_to(user=user)
    changeable = selectors.memberships_changeable_by(user=user)

    for label, expected_see, expected_change in zip(
        ["their own", "same branch", "other branch", "no branch"],
        SEES[viewer],
        CHANGES[viewer],
        strict=True,
    ):
        target = own if label == "their own" else records[label]
        if target is None:
            continue
        assert visible.filter(pk=target.pk).exists() is expected_see, (
            viewer,
            label,
            "see",
        )
        assert changeable.filter(pk=target.pk).exists() is expected_change, (
            viewer,
            label,
            "change",
        )


def test_someone_signed_out_sees_nobody(world):
    assert not selectors.memberships_visible_to(user=AnonymousUser()).exists()
    assert not selectors.memberships_changeable_by(user=AnonymousUser()).exists()


def test_an_officer_of_two_branches_sees_both_and_no_third():
    first, second, third = BranchFactory(), BranchFactory(), BranchFactory()
    user, own = member_with_sign_in(first)
    hold(own, "branch-chair", branch=first)
    hold(own, "branch-treasurer", branch=second)
    in_second, in_third = (
        MembershipFactory(branch=second),
        MembershipFactory(branch=third),
    )

    visible = selectors.memberships_visible_to(user=user)

    assert visible.filter(pk=in_second.pk).exists()
    assert not visible.filter(pk=in_third.pk).exists()


def test_an_officer_of_another_branch_still_sees_and_changes_their_own_record():
    home, office = BranchFactory(), BranchFactory()
    user, own = member_with_sign_in(home)
    hold(own, "branch-secretary", branch=office)
    neighbour, in_office = (
        MembershipFactory(branch=home),
        MembershipFactory(branch=office),
    )

    for scope in (
        selectors.memberships_visible_to(user=user),
        selectors.memberships_changeable_by(user=user),
    ):
        assert set(scope) == {own, in_office}
    assert neighbour not in selectors.memberships_visible_to(user=user)


def test_an_officer_in_their_own_branch_is_scoped_by_branch_alone():
    """Their own record is among their branch's, so the scope is a plain branch
    condition, which the branch index answers in membership-number order."""
    branch = BranchFactory()
    user, own = member_with_sign_in(branch)
    hold(own, "branch-secretary", branch=branch)

    visible = selectors.memberships_visible_to(user=user)

    assert own in visible
    assert " OR " not in str(visible.query)


def test_the_scope_is_read_once_for_a_user_object_and_again_when_forgotten(
    django_assert_num_queries,
):
    branch = BranchFactory()
    user, own = member_with_sign_in(branch)
    hold(own, "branch-secretary", branch=branch)
    first = selectors.register_scope_for(user=user)

    with django_assert_num_queries(0):
        for _ in range(5):
            assert selectors.register_scope_for(user=user) == first
            selectors.memberships_visible_to(user=user)

    hold(own, "workplace-rep", workplace=WorkplaceFactory())
    other = BranchFactory()
    hold(own, "branch-chair", branch=other)
    selectors.register_scope_forget(user=user)
    assert selectors.register_scope_for(user=user).see_branch_ids == {
        branch.pk,
        other.pk,
    }


def test_a_deactivated_sign_in_sees_nothing_not_even_its_own_record(world):
    people, _records = world
    user, own = people["officer"]
    user.is_active = False
    user.save()

    assert not selectors.memberships_visible_to(user=user).filter(pk=own.pk).exists()


def test_looking_at_someone_elses_record_is_logged_and_ones_own_is_not(world):
    people, records = world
    staff, _none = people["hq staff"]
    member_user, own = people["member"]

    services.personal_data_access_record(
        user=staff, membership=records["same branch"], action=AccessAction.VIEWED
    )
    services.personal_data_access_record(
        user=member_user, membership=own, action=AccessAction.VIEWED
    )
    services.personal_data_access_record(
        user=staff,
        action=AccessAction.EXPORTED,
        detail={"filters": {"branch": "North"}, "count": 3},
    )

    logged = list(selectors.accesses_to(membership=records["same branch"]))
    assert [(a.user, a.action) for a in logged] == [(staff, "viewed")]
    assert not selectors.accesses_to(membership=own).exists()
    export = PersonalDataAccess.objects.get(action="exported")
    assert export.detail == {"filters": {"branch": "North"}, "count": 3}


def test_the_access_log_cannot_be_changed_or_deleted(world):
    people, records = world
    entry = services.personal_data_access_record(
        user=people["hq staff"][0],
        membership=records["other branch"],
        action=AccessAction.VIEWED,
    )
    assert entry is not None

    entry.detail = {"hidden": True}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_membership_staff_group_exists_with_the_register_permissions():
    group = Group.objects.get(name="Membership staff")
    assert set(group.permissions.values_list("codename", flat=True)) >= {
        "view_all_memberships",
        "change_all_memberships",
    }


def test_a_sign_in_with_no_membership_and_no_group_has_an_empty_scope():
    assert selectors.register_scope_for(user=UserFactory()) == selectors.RegisterScope()


def test_a_members_history_cannot_be_changed_or_deleted():
    from tolpuddle.members.models import MembershipEvent

    event = MembershipEvent.objects.filter(membership=MembershipFactory()).first()
    assert event is not None

    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert MembershipEvent.objects.get(pk=event.pk).reason == ""


# --- Who may start and end positions ---------------------------------------------

CHANGES_POSITIONS = {  # viewer: (their own, same branch, other branch, no branch)
    "member": (False, False, False, False),
    "rep": (False, False, False, False),
    "officer": (True, True, False, False),
    "former officer": (False, False, False, False),
    "lapsed rep": (False, False, False, False),
    "hq staff": (None, True, True, True),
    "administrator": (None, True, True, True),
    "stranger": (None, False, False, False),
}


@pytest.mark.parametrize("viewer", sorted(CHANGES_POSITIONS))
def test_each_role_changes_positions_of_exactly_its_scope(world, viewer):
    people, records = world
    user, own = people[viewer]
    changeable = selectors.memberships_positions_changeable_by(user=user)

    for label, expected in zip(
        ["their own", "same branch", "other branch", "no branch"],
        CHANGES_POSITIONS[viewer],
        strict=True,
    ):
        target = own if label == "their own" else records[label]
        if target is None:
            continue
        assert changeable.filter(pk=target.pk).exists() is expected, (viewer, label)
        assert (
            selectors.membership_positions_changeable(user=user, membership=target)
            is expected
        ), (viewer, label)


def test_an_officer_of_another_branch_cannot_change_their_own_positions():
    home, office = BranchFactory(), BranchFactory()
    user, own = member_with_sign_in(home)
    hold(own, "branch-secretary", branch=office)
    in_office = MembershipFactory(branch=office)

    assert set(selectors.memberships_positions_changeable_by(user=user)) == {in_office}
    assert not selectors.membership_positions_changeable(user=user, membership=own)


@pytest.fixture
def positions_world():
    """A secretary of East, and positions of every kind held in East and West."""
    east, west = BranchFactory(name="East"), BranchFactory(name="West")
    secretary, own = member_with_sign_in(east)
    positions = {"their own": hold(own, "branch-secretary", branch=east)}
    in_east, in_west = (
        MembershipFactory(branch=east),
        MembershipFactory(branch=west),
    )
    positions |= {
        "east rep": hold(in_east, "workplace-rep", workplace=WorkplaceFactory()),
        "east chair": hold(in_east, "branch-chair", branch=east),
        "east member, west treasurer": hold(in_east, "branch-treasurer", branch=west),
        "east national": hold(in_east, "national-executive-member"),
        "west rep": hold(in_west, "workplace-rep", workplace=WorkplaceFactory()),
        "west chair": hold(in_west, "branch-chair", branch=west),
    }
    return secretary, positions


def test_a_branch_officer_ends_branch_roles_in_their_branch_and_workplace_roles(
    positions_world,
):
    secretary, positions = positions_world

    changeable = set(selectors.positions_changeable_by(user=secretary))

    assert changeable == {
        positions["their own"],
        positions["east rep"],
        positions["east chair"],
    }


def test_hq_staff_end_any_position_and_reps_and_members_none(world, positions_world):
    people, _records = world
    _secretary, positions = positions_world

    for viewer in ("hq staff", "administrator"):
        assert set(selectors.positions_changeable_by(user=people[viewer][0])) >= set(
            positions.values()
        )
    for viewer in ("member", "rep", "former officer", "lapsed rep", "stranger"):
        assert not selectors.positions_changeable_by(user=people[viewer][0]).exists()
    assert not selectors.positions_changeable_by(user=AnonymousUser()).exists()


def test_the_roles_and_branches_each_role_may_assign(world):
    people, _records = world
    north = people["officer"][1].branch
    every_role = set(Role.objects.values_list("slug", flat=True))

    hq = people["hq staff"][0]
    assert set(
        selectors.roles_assignable_by(user=hq).values_list("slug", flat=True)
    ) == (every_role)
    assert set(selectors.branches_assignable_by(user=hq)) == set(Branch.objects.all())

    officer = people["officer"][0]
    offered = set(
        selectors.roles_assignable_by(user=officer).values_list("slug", flat=True)
    )
    assert offered == set(
        Role.objects.exclude(scope=RoleScope.NATIONAL).values_list("slug", flat=True)
    )
    assert list(selectors.branches_assignable_by(user=officer)) == [north]

    for viewer in ("member", "rep", "former officer", "stranger"):
        user = people[viewer][0]
        assert not selectors.roles_assignable_by(user=user).exists(), viewer
        assert not selectors.branches_assignable_by(user=user).exists(), viewer


def test_roles_and_branches_offered_are_in_name_order(world):
    people, _records = world
    hq = people["hq staff"][0]

    names = list(selectors.roles_assignable_by(user=hq).values_list("name", flat=True))
    branches = list(
        selectors.branches_assignable_by(user=hq).values_list("name", flat=True)
    )

    assert names == sorted(names)
    assert branches == sorted(branches)


def test_each_role_sees_the_positions_of_the_members_it_sees(world, positions_world):
    people, _records = world
    secretary, positions = positions_world
    everyone = set(Position.objects.all())

    for viewer in ("hq staff", "administrator"):
        assert set(selectors.positions_visible_to(user=people[viewer][0])) == everyone
    assert set(selectors.positions_visible_to(user=secretary)) == {
        positions["their own"],
        positions["east rep"],
        positions["east chair"],
        positions["east member, west treasurer"],
        positions["east national"],
    }
    rep, rep_membership = people["rep"]
    assert set(selectors.positions_visible_to(user=rep)) == set(
        Position.objects.filter(membership__branch=rep_membership.branch)
    )
    member, own = people["member"]
    assert set(selectors.positions_visible_to(user=member)) == set(own.positions.all())
    assert not selectors.positions_visible_to(user=people["stranger"][0]).exists()
    assert not selectors.positions_visible_to(user=AnonymousUser()).exists()
