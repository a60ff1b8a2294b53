"""URLs of the reporting app (namespace `reporting`)."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "reporting"

urlpatterns: list[URLPattern] = []
