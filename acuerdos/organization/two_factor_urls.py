"""URLs of the TOTP second factor (namespace `two_factor`, mounted under /accounts/)."""

from django.urls import URLPattern, path

from acuerdos.organization import two_factor_views as views

app_name = "two_factor"

urlpatterns: list[URLPattern] = [
    path("segundo-factor/", views.manage, name="manage"),
    path("segundo-factor/codigos/", views.recovery_codes, name="recovery_codes"),
    path("segundo-factor/codigos/nuevos/", views.regenerate, name="regenerate"),
    path("segundo-factor/desactivar/", views.disable, name="disable"),
    path("verificar/", views.verify, name="verify"),
]
