from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "acuerdos.core"
    verbose_name = "Núcleo"
