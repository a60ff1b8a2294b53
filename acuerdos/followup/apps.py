from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "acuerdos.followup"
    verbose_name = "Revisiones de seguimiento"
