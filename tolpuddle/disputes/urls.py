"""The member portal's pages of the disputes a member is balloted in (results,
mandate, days of action). /my/ballots/ is the turnout app's (voting reminders)."""

from django.urls import path

from tolpuddle.disputes import views

app_name = "disputes"
urlpatterns = [
    path("my/disputes/", views.my_ballots, name="my_ballots"),
    path("my/disputes/<int:ballot_id>/", views.my_ballot, name="my_ballot"),
]
