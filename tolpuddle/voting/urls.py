from django.urls import path

from tolpuddle.voting import views

app_name = "voting"
urlpatterns = [
    path("my/votes/", views.my_polls, name="my_polls"),
    path("my/votes/<int:poll_id>/", views.my_vote, name="my_vote"),
    path("vote/<int:poll_id>/", views.vote_with_code, name="vote_with_code"),
    path("vote/<int:poll_id>/receipts/", views.poll_receipts, name="poll_receipts"),
]
