"""URLs of the public transparency portal (namespace `portal`, mounted at /transparencia/)."""

from django.urls import URLPattern

app_name = "portal"

urlpatterns: list[URLPattern] = []
