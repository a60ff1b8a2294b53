from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "acuerdos.demo"
    verbose_name = "Datos de demostración"
