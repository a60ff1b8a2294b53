from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "acuerdos.progress"
    verbose_name = "Avances y evidencias"
