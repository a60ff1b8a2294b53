"""URLs of meetings (namespace `meetings`)."""

from django.urls import path

from acuerdos.meetings import views

app_name = "meetings"

urlpatterns = [
    path("reuniones/", views.meeting_list, name="list"),
    path("reuniones/<int:pk>/", views.meeting_detail, name="detail"),
]
