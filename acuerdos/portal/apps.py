from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "acuerdos.portal"
    verbose_name = "Portal de transparencia"
