"""URLs of the import screen (namespace `imports`, under /importar/)."""

from django.urls import path, register_converter

from acuerdos.commitments import import_views as views


class Sha256Converter:
    """A file's SHA-256 in lowercase hex: anything else is not a staged file (404)."""

    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TemplateKindConverter:
    """`acuerdos` or `avances`: the two import templates."""

    regex = "acuerdos|avances"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Sha256Converter, "sha256")
register_converter(TemplateKindConverter, "plantilla")

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("acuerdos/", views.agreements_upload, name="agreements_upload"),
    path(
        "acuerdos/<int:meeting_pk>/<sha256:sha256>/",
        views.agreements_preview,
        name="agreements_preview",
    ),
    path(
        "acuerdos/<int:meeting_pk>/<sha256:sha256>/importar/",
        views.agreements_confirm,
        name="agreements_confirm",
    ),
    path("avances/", views.progress_upload, name="progress_upload"),
    path("avances/<sha256:sha256>/", views.progress_preview, name="progress_preview"),
    path("avances/<sha256:sha256>/importar/", views.progress_confirm, name="progress_confirm"),
    path("alias/", views.alias_add, name="alias_add"),
    path("plantilla/<plantilla:kind>/", views.template_download, name="template"),
]
