from django.urls import path

from tolpuddle.members import views

app_name = "members"
urlpatterns = [
    path("", views.my_membership, name="my_membership"),
    path("details/", views.my_details, name="my_details"),
    path("resign/", views.my_resignation, name="my_resignation"),
    path("card.pdf", views.my_card_pdf, name="my_card_pdf"),
]
