"""URLs of agreements and commitments (namespace `commitments`)."""

from django.urls import path

from acuerdos.commitments import bulk_views, views

app_name = "commitments"

urlpatterns = [
    path("acuerdos/", views.agreement_list, name="agreement_list"),
    path("acuerdos/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("acuerdos/nuevo/", views.agreement_create, name="agreement_create"),
    path("acuerdos/nuevo/folio/", views.agreement_folio_check, name="agreement_folio_check"),
    path("acuerdos/nuevo/area/", views.agreement_theme_area, name="agreement_theme_area"),
    path("acuerdos/<int:pk>/editar/", views.agreement_edit, name="agreement_edit"),
    path("acuerdos/<int:pk>/compromisos/nuevo/", views.commitment_add, name="commitment_add"),
    path("compromisos/<int:pk>/editar/", views.commitment_edit, name="commitment_edit"),
    path("compromisos/", bulk_views.commitment_list, name="commitment_list"),
    path("compromisos/masivo/", bulk_views.bulk_prepare, name="bulk_prepare"),
    path("compromisos/masivo/aplicar/", bulk_views.bulk_apply, name="bulk_apply"),
    path("compromisos/mios/", views.my_commitments, name="my_commitments"),
    path("compromisos/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("compromisos/<int:pk>/reprogramacion/", views.extension_request, name="extension_request"),
    path(
        "compromisos/<int:pk>/reprogramacion/resolver/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("compromisos/<int:pk>/cancelar/", views.commitment_cancel, name="commitment_cancel"),
]
