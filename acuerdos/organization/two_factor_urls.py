"""URLs of the TOTP second factor (namespace `two_factor`, mounted under /accounts/)."""

from django.urls import URLPattern

app_name = "two_factor"

urlpatterns: list[URLPattern] = []
