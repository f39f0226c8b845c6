"""The member portal's industrial action: the disputes and ballots a member is in
(/my/disputes/) and each ballot's one page (/my/disputes/<ballot>/: how to vote,
the turnout buttons, the result, the mandate, the days of action). The old
/my/ballots/ addresses (the turnout app's) redirect here."""

from django.urls import path

from tolpuddle.disputes import views

app_name = "disputes"
urlpatterns = [
    path("my/disputes/", views.my_ballots, name="my_ballots"),
    path("my/disputes/<int:ballot_id>/", views.my_ballot, name="my_ballot"),
]
