from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from tolpuddle.members import selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "union_name": settings.TOLPUDDLE_UNION_NAME,
        "member_count": selectors.membership_count_in_good_standing(),
    }
    return TemplateResponse(request, "core/home.html", context)
