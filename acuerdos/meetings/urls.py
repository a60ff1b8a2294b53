"""URLs of meetings (namespace `meetings`)."""

from django.urls import path

from acuerdos.meetings import views

app_name = "meetings"

urlpatterns = [
    path("reuniones/", views.meeting_list, name="list"),
    path("reuniones/nueva/", views.meeting_create, name="create"),
    path("reuniones/<int:pk>/", views.meeting_detail, name="detail"),
    path("reuniones/<int:pk>/editar/", views.meeting_edit, name="edit"),
    path("reuniones/<int:pk>/minuta/", views.minuta_download, name="minuta"),
    path("rondas/", views.round_list, name="round_list"),
    path("rondas/nueva/", views.round_create, name="round_create"),
    path("rondas/<int:pk>/editar/", views.round_edit, name="round_edit"),
]
