"""URLs of the reporting app (namespace `reporting`)."""

from django.urls import URLPattern, path

from acuerdos.reporting import views

app_name = "reporting"

urlpatterns: list[URLPattern] = [
    path("informes/", views.inbox, name="inbox"),
    path("informes/<int:pk>/descargar/", views.download, name="download"),
    path("informes/paquete/", views.pack_request, name="pack_request"),
]
