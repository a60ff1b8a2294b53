from django.urls import path

from acuerdos.progress import views

app_name = "progress"

urlpatterns = [
    path("avances/<int:pk>/", views.report_detail, name="report_detail"),
    path("evidencias/<int:pk>/descargar/", views.evidence_download, name="evidence_download"),
]
