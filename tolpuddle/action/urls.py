from django.urls import path

from tolpuddle.action import views

app_name = "action"
urlpatterns = [
    path("", views.my_action, name="my_action"),
    path(
        "<int:period_id>/participation/",
        views.my_participation,
        name="my_participation",
    ),
]
