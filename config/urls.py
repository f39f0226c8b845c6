from django.contrib.auth import views as auth_views
from django.urls import include, path

from tolpuddle.core import views as core_views
from tolpuddle.members import views as members_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("my/", include("tolpuddle.members.urls")),
    path("join/", members_views.join, name="join"),
    path("join/thank-you/", members_views.join_thanks, name="join_thanks"),
]
