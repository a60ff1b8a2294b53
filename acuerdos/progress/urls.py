"""URLs of progress reports, evidence, the validation queue and comments (namespace `progress`)."""

from django.urls import path

from acuerdos.progress import views

app_name = "progress"

urlpatterns = [
    path("compromisos/<int:pk>/reportar/", views.report_create, name="report_create"),
    path("compromisos/<int:pk>/comentarios/", views.comment_create, name="comment_create"),
    path("avances/<int:pk>/", views.report_detail, name="report_detail"),
    path("avances/<int:pk>/editar/", views.report_edit, name="report_edit"),
    path("avances/<int:pk>/revisar/", views.report_review, name="report_review"),
    path("por-validar/", views.review_queue, name="review_queue"),
    path("evidencias/<int:pk>/descargar/", views.evidence_download, name="evidence_download"),
]
