from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "acuerdos.notifications"
    verbose_name = "Notificaciones"
