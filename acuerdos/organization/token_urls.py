"""URLs of the personal API tokens page (namespace `tokens`)."""

from django.urls import URLPattern

app_name = "tokens"

urlpatterns: list[URLPattern] = []
