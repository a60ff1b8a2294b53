from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "acuerdos.audit"
    verbose_name = "Bitácora"
