"""URLs of the notifications inbox (namespace `notifications`)."""

from django.urls import path

from acuerdos.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notificaciones/", views.inbox, name="inbox"),
    path("notificaciones/<int:pk>/", views.notification_open, name="open"),
    path("notificaciones/marcar-leidas/", views.mark_all_read, name="mark_all_read"),
    path("notificaciones/preferencias/", views.preferences, name="preferences"),
    path("notificaciones/trabajos/", views.worker_status, name="worker_status"),
    path(
        "notificaciones/correos/<int:pk>/reintentar/",
        views.email_retry_view,
        name="email_retry",
    ),
]
