"""URLs of the organisation pages (namespace `organization`); the password pages live under
`accounts/` in the root URLconf."""

from django.urls import path

from acuerdos.organization import views

app_name = "organization"

urlpatterns = [
    path("personas/", views.people_list, name="people"),
    path("personas/invitar/", views.person_invite, name="person_invite"),
    path("personas/<int:pk>/", views.person_detail, name="person_detail"),
    path("personas/<int:pk>/nombre/", views.person_rename, name="person_rename"),
    path("personas/<int:pk>/correo/", views.person_email_change, name="person_email_change"),
    path(
        "personas/<int:pk>/segundo-factor/restablecer/",
        views.person_two_factor_reset,
        name="person_two_factor_reset",
    ),
    path("personas/<int:pk>/roles/", views.person_membership_add, name="person_membership_add"),
    path(
        "personas/<int:pk>/roles/<int:membership_pk>/retirar/",
        views.person_membership_end,
        name="person_membership_end",
    ),
    path(
        "personas/<int:pk>/reenviar-invitacion/",
        views.person_invitation_resend,
        name="person_invitation_resend",
    ),
    path("personas/<int:pk>/desactivar/", views.person_deactivate, name="person_deactivate"),
    path("personas/<int:pk>/reactivar/", views.person_reactivate, name="person_reactivate"),
]
