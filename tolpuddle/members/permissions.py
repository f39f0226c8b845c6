"""Permissions that come from the positions members hold.

Staff get theirs from groups (Django's ModelBackend, through allauth's backend). A
member holding a rep or branch officer position on the day may open the back
office, where the selectors then show them their own branch and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.db.models import Q
from django.utils import timezone

from tolpuddle.members.models import MembershipStatus, Position

ACCESS_ADMIN = "wagtailadmin.access_admin"
CACHE_ATTRIBUTE = "_tolpuddle_position_permissions"


def holds_office(user: Any) -> bool:
    """True when the user is an active member holding a current position."""
    today = timezone.localdate()
    return (
        Position.objects.filter(
            membership__person__user=user,
            membership__status=MembershipStatus.ACTIVE,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .exists()
    )


class PositionPermissionBackend(BaseBackend):
    """Grants back-office access to reps and officers; never authenticates anyone."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached: set[str] | None = getattr(user_obj, CACHE_ATTRIBUTE, None)
        if cached is None:
            cached = {ACCESS_ADMIN} if holds_office(user_obj) else set()
            setattr(user_obj, CACHE_ATTRIBUTE, cached)
        return cached

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        # The only permission this backend grants: any other is answered without
        # asking the database (an admin page checks dozens).
        if perm != ACCESS_ADMIN:
            return False
        return perm in self.get_all_permissions(user_obj, obj)
