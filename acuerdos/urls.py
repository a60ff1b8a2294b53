"""Root URLconf. Contract paths (PRODUCT.md §5): /, /accounts/login/, /api/v1/, /api/schema/,
/api/docs/, /transparencia/, /health/, /ready/.

Every named route here must have a row in `acuerdos/core/tests/test_permission_matrix.py`,
which fails when one is missing.
"""

from django.contrib import admin
from django.urls import include, path

from acuerdos.core import health
from acuerdos.core import views as core_views
from acuerdos.evaluation import views as evaluation_views
from acuerdos.organization import views as organization_views

admin.site.site_header = "Acuerdos IMSS · Administración"
admin.site.site_title = "Acuerdos IMSS"
admin.site.index_title = "Catálogos y usuarios"

accounts = [
    path("login/", organization_views.LoginView.as_view(), name="login"),
    path("logout/", organization_views.LogoutView.as_view(), name="logout"),
    path(
        "contrasena/olvide/",
        organization_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "contrasena/olvide/enviado/",
        organization_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "contrasena/nueva/<uidb64>/<token>/",
        organization_views.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitacion/<uidb64>/<token>/",
        organization_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("accounts/", include(accounts)),
    path("accounts/", include("acuerdos.organization.two_factor_urls")),
    path("cuenta/tokens/", include("acuerdos.organization.token_urls")),
    path("transparencia/", include("acuerdos.portal.urls")),
    path("aviso-de-privacidad/", core_views.privacy_notice, name="privacy_notice"),
    path("", evaluation_views.dashboard, name="dashboard"),
    path("", include("acuerdos.evaluation.urls")),
    path("", include("acuerdos.commitments.urls")),
    path("", include("acuerdos.meetings.urls")),
    path("", include("acuerdos.organization.urls")),
    path("", include("acuerdos.progress.urls")),
    path("", include("acuerdos.notifications.urls")),
    path("", include("acuerdos.audit.urls")),
    path("", include("acuerdos.followup.urls")),
    path("", include("acuerdos.reporting.urls")),
    path("importar/", include("acuerdos.commitments.import_urls")),
    path("exportar/", include("acuerdos.exports.urls")),
    path("api/", include("acuerdos.api_urls")),
    path("admin/", admin.site.urls),
]
