from django.urls import path

from tolpuddle.members import views

app_name = "members"
urlpatterns = [
    path("", views.my_membership, name="my_membership"),
    path("details/", views.my_details, name="my_details"),
    path("resign/", views.my_resignation, name="my_resignation"),
    path("jobs/new/", views.my_job_new, name="my_job_new"),
    path("jobs/<int:pk>/change/", views.my_job_change, name="my_job_change"),
    path("jobs/<int:pk>/end/", views.my_job_end, name="my_job_end"),
    path("card.pdf", views.my_card_pdf, name="my_card_pdf"),
]
