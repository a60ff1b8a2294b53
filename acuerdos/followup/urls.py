"""URLs of the followup app (namespace `followup`)."""

from django.urls import path

from acuerdos.followup import views

app_name = "followup"

urlpatterns = [
    path("reuniones/<int:pk>/revision/", views.review, name="review"),
    path(
        "reuniones/<int:pk>/revision/<int:agreement_pk>/",
        views.decide,
        name="decide",
    ),
]
