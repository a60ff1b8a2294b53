from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "acuerdos.meetings"
    verbose_name = "Reuniones"
