"""HQ staff (the "Membership staff" group) run disputes, ballots, turnout and days of
action: the group holds those apps' permissions from a migration."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tolpuddle.disputes import selectors
from tolpuddle.disputes.tests.factories import DisputeFactory
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_hq_staff_hold_the_industrial_action_permissions() -> None:
    user = UserFactory(is_staff=True)
    assert not user.has_perm("disputes.view_all_disputes")
    user.groups.add(Group.objects.get(name="Membership staff"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per object

    for permission in (
        "disputes.view_all_disputes",
        "disputes.manage_disputes",
        "turnout.manage_turnout",
        "action.manage_action",
    ):
        assert user.has_perm(permission), permission


def test_hq_staff_see_every_dispute_and_others_none() -> None:
    disputes = [DisputeFactory(), DisputeFactory()]
    hq = UserFactory(is_staff=True)
    hq.groups.add(Group.objects.get(name="Membership staff"))
    someone = UserFactory()

    assert set(selectors.disputes_visible_to(user=hq)) == set(disputes)
    assert not selectors.disputes_visible_to(user=someone).exists()
