"""Multi-factor sign-in before anyone sees other people's data."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Where other people's records are shown. Portal pages show only the member's own.
DEFAULT_PROTECTED_PREFIXES = ("/admin/",)


class StaffMultiFactorMiddleware:
    """A signed-in user without a second factor is sent to set one up before any page
    under the protected prefixes (the back office) is served. Staff and officers are
    the only people the back office lets in, so this is "MFA for every staff and
    officer account before they see other people's data"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(
            getattr(
                settings, "TOLPUDDLE_MFA_REQUIRED_PREFIXES", DEFAULT_PROTECTED_PREFIXES
            )
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(self.prefixes)
            and user.is_authenticated
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Set up two-factor sign-in before you use the back office: it holds "
                "other members' personal data.",
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_index')}?{query}")
        return self.get_response(request)
