from django.urls import path

from tolpuddle.turnout import views

app_name = "turnout"
urlpatterns = [
    path("", views.my_ballots, name="my_ballots"),
    path("<int:ballot_id>/", views.my_ballot, name="my_ballot"),
    path("<int:ballot_id>/link/<str:token>/", views.voted_link, name="voted_link"),
]
