from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "acuerdos.evaluation"
    verbose_name = "Evaluación y cortes"
