"""URLs of the public transparency portal (namespace `portal`, mounted at /transparencia/)."""

from __future__ import annotations

import datetime as dt

from django.urls import URLPattern, path, register_converter

from acuerdos.portal import views

app_name = "portal"


class CutOffDateConverter:
    """`2026-10-31` in a download's name; an impossible date (2026-02-30) is no match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(CutOffDateConverter, "fechacorte")

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("datos/", views.data, name="data"),
    path("datos/<fechacorte:date>.csv", views.data_csv, name="data_csv"),
    path("datos/<fechacorte:date>.json", views.data_json, name="data_json"),
    path("datos/<fechacorte:date>-unidades.csv", views.data_units_csv, name="data_units_csv"),
]
