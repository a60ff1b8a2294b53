"""URLs of the exports (namespace `exports`, under /exportar/): `<list>/<xlsx|csv>/?<filters>`."""

from django.urls import path, register_converter

from acuerdos.exports import views


class FormatConverter:
    """`xlsx` or `csv`; anything else is not an export (404)."""

    regex = "xlsx|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "formato")

app_name = "exports"

urlpatterns = [
    path("acuerdos/<formato:file_format>/", views.agreements, name="agreements"),
    path("compromisos/<formato:file_format>/", views.commitments, name="commitments"),
    path("avances/<formato:file_format>/", views.reports, name="reports"),
    path("mis-compromisos/<formato:file_format>/", views.my_commitments, name="my_commitments"),
    path("por-validar/<formato:file_format>/", views.review_queue, name="review_queue"),
    path("bitacora/<formato:file_format>/", views.audit_log, name="audit_log"),
]
