from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "acuerdos.organization"
    verbose_name = "Organización"
