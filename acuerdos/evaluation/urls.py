"""Dashboards (tableros) and the cut-off calendar. Inicio (`/`, named `dashboard`) is the
national dashboard; it is routed in the root URLconf because its name is a contract."""

from __future__ import annotations

import datetime as dt

from django.urls import path, register_converter

from acuerdos.evaluation import views

app_name = "evaluation"


class IsoDateConverter:
    """`2026-10-31` in a path; an impossible date (2026-02-30) is no match, hence a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("tablero/region/<str:code>/", views.board_region, name="board_region"),
    path("tablero/unidad/<str:code>/", views.board_unit, name="board_unit"),
    path("tablero/lineas/", views.board_themes, name="board_themes"),
    path("tablero/areas/", views.board_areas, name="board_areas"),
    path("cortes/", views.cutoff_list, name="cutoffs"),
    path("cortes/agregar/", views.cutoff_add, name="cutoff_add"),
    path("cortes/mensuales/", views.cutoff_add_monthly, name="cutoff_add_monthly"),
    path("cortes/<isodate:date>/cerrar/", views.cutoff_close, name="cutoff_close"),
    path("cortes/<isodate:date>/quitar/", views.cutoff_remove, name="cutoff_remove"),
]
