from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from tolpuddle.members import selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "union_name": settings.TOLPUDDLE_UNION_NAME,
        # Counting a million members on every visit to the public page is waste;
        # a count up to five minutes old is as good.
        "member_count": cache.get_or_set(
            "home:member_count", selectors.membership_count_in_good_standing, 300
        ),
    }
    return TemplateResponse(request, "core/home.html", context)
