"""Wagtail's sidebar, kept for a short while for each user.

Wagtail builds the sidebar on every admin page: each menu item asks the permission
policies (pages, collections, snippets, settings) whether to show itself, and the
whole menu is packed as JSON for the sidebar's script. On a million-member register
that was 20-25 ms of every page of the members list, more than the list's own
queries. What it builds depends only on who is asking, so it is kept in the cache
per user for ``SIDEBAR_SECONDS``, keyed by:

- the user, the day and the language;
- what the user may see in the register (their ``RegisterScope``, from the
  positions they hold and their groups), so that taking up or ending a position
  shows at the next page;
- a generation number that any change to groups, permissions, users or their
  Wagtail profiles moves on (``sidebar_forget``), as does a decision on an
  application (the menu shows how many wait).

The menu only holds links: every view checks access again on each request, so a
menu a few seconds out of date (on another web process, with the default per-process
cache) shows or hides a link, never anyone's data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.users.models import UserProfile

from tolpuddle.core.cache import generation_current, generation_forget
from tolpuddle.core.models import User
from tolpuddle.members import selectors

SIDEBAR_SECONDS = 30
GENERATION_KEY = "backoffice:sidebar:generation"

_build_sidebar = wagtailadmin_tags.sidebar_props


def sidebar_forget() -> None:
    """Rebuild everyone's sidebar at their next page (once the change commits)."""
    generation_forget(GENERATION_KEY)


def _key(user: User) -> str:
    generation = generation_current(GENERATION_KEY)
    scope = selectors.register_scope_for(user=user)
    who = repr(
        (user.pk, timezone.localdate(), get_language(), scope, user.get_username())
    )
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"backoffice:sidebar:{generation}:{digest}"


@wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")  # type: ignore[untyped-decorator]
def sidebar_props(context: Any) -> SafeString:
    """Wagtail's own ``{% sidebar_props %}``, taken from the cache when it can be."""
    user = context["request"].user
    if not isinstance(user, User) or not user.is_authenticated:
        return mark_safe(str(_build_sidebar(context)))  # noqa: S308 - Wagtail's own
    key = _key(user)
    props: str | None = cache.get(key)
    if props is None:
        props = str(_build_sidebar(context))
        cache.set(key, props, SIDEBAR_SECONDS)
    # Wagtail's json_script output, escaped for a <script> element when built.
    return mark_safe(props)  # noqa: S308


def _changed(**kwargs: Any) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # every sign-in saves this; the sidebar does not show it
    sidebar_forget()


for _model in (User, Group, Permission, UserProfile):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"sidebar-{_model}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"sidebar-d-{_model}")
for _model in (GroupPagePermission, GroupCollectionPermission):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"sidebar-{_model}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"sidebar-d-{_model}")
for _through in (
    User.groups.through,
    User.user_permissions.through,
    Group.permissions.through,
):
    m2m_changed.connect(_changed, sender=_through, dispatch_uid=f"sidebar-{_through}")
