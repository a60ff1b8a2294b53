from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "acuerdos.reporting"
    verbose_name = "Informes"
