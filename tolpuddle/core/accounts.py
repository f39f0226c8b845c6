"""How allauth behaves here: where people land after signing in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff and officers to the back office, members to their membership, and
        anyone else (a sign-in not yet linked to a member) to the home page."""
        user = request.user
        if not user.is_authenticated:
            return reverse("home")
        if user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        if hasattr(user, "person"):
            return reverse("members:my_membership")
        return reverse("home")
