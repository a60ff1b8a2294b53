"""URLs of the audit trail (namespace `audit`)."""

from django.urls import path

from acuerdos.audit import views

app_name = "audit"

urlpatterns = [
    path("bitacora/", views.audit_log, name="log"),
]
