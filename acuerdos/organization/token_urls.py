"""URLs of the personal API tokens page (namespace `tokens`, mounted at /cuenta/tokens/)."""

from django.urls import URLPattern, path

from acuerdos.organization import tokens

app_name = "tokens"

urlpatterns: list[URLPattern] = [
    path("", tokens.token_list, name="list"),
    path("<int:pk>/revocar/", tokens.token_revoke_view, name="revoke"),
]
