"""Root URLconf. Contract paths (PRODUCT.md §5): /, /accounts/login/, /api/v1/, /api/schema/,
/api/docs/, /transparencia/, /health/, /ready/."""

from django.contrib import admin
from django.urls import include, path

from acuerdos.core import health

admin.site.site_header = "Acuerdos IMSS · Administración"
admin.site.site_title = "Acuerdos IMSS"
admin.site.index_title = "Catálogos y usuarios"

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/", include("acuerdos.api_urls")),
]
