from allauth.account import views as account_views
from django.conf import settings
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from tolpuddle.core import views as core_views
from tolpuddle.members import views as members_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sign-in/", account_views.login, name="login"),
    path("sign-out/", account_views.logout, name="logout"),
    path("account/", include("allauth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("my/", include("tolpuddle.members.urls")),
    path("my/ballots/", include("tolpuddle.turnout.urls")),
    path("my/action/", include("tolpuddle.action.urls")),
    path("", include("tolpuddle.voting.urls")),
    path("", include("tolpuddle.disputes.urls")),
    path("join/", members_views.join, name="join"),
    path("join/thank-you/", members_views.join_thanks, name="join_thanks"),
    path(
        "workplaces/options/",
        members_views.workplace_options,
        name="workplace_options",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
