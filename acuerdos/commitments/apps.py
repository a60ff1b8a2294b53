from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "acuerdos.commitments"
    verbose_name = "Acuerdos y compromisos"
