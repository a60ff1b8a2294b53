"""URLs of the organisation pages (namespace `organization`)."""

from django.urls import path

from acuerdos.organization import views

app_name = "organization"

urlpatterns = [
    path("personas/", views.people_list, name="people"),
]
