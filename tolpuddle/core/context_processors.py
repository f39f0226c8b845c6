from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The union's name, and whether the back office link belongs in the header."""
    user = getattr(request, "user", None)
    return {
        "union_name": settings.TOLPUDDLE_UNION_NAME,
        "can_use_back_office": bool(
            user is not None
            and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
        ),
    }
