from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "acuerdos.reporting"
    verbose_name = "Informes"

    def ready(self) -> None:
        # Evaluation must not import reporting (dependencies point evaluation ← reporting), so
        # it announces a closed cut-off with a signal and reporting queues the reports.
        from acuerdos.evaluation.signals import cutoff_closed
        from acuerdos.reporting.tasks import on_cutoff_closed

        cutoff_closed.connect(on_cutoff_closed, dispatch_uid="reporting.on_cutoff_closed")
