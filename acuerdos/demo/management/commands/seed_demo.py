from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import parse_iso_date, today
from acuerdos.demo.logins import logins_table
from acuerdos.demo.services import DemoSeedError, SeedResult, demo_seed, earliest_as_of
from acuerdos.evaluation import rules


class Command(BaseCommand):
    help = (
        "Carga los datos de demostración de la 8ª Ronda de Reuniones Regionales 2026 "
        "(reuniones, acuerdos, compromisos, usuarios e historia de avance hasta --as-of) en una "
        "base de datos nueva."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="Multiplica los acuerdos (1).")
        parser.add_argument("--seed", type=int, default=1, help="Semilla aleatoria (1).")
        parser.add_argument("--as-of", dest="as_of", default=None, help="AAAA-MM-DD (hoy).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="No hace nada si ya existen acuerdos (para `make demo`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["as_of"]:
            try:
                as_of = parse_iso_date(options["as_of"])
            except ValueError as exc:
                raise CommandError(
                    f"Fecha --as-of inválida «{options['as_of']}»: use el formato AAAA-MM-DD."
                ) from exc
        else:
            as_of = max(today(), earliest_as_of())
        try:
            result = demo_seed(
                scale=options["scale"],
                seed=options["seed"],
                as_of=as_of,
                if_empty=options["if_empty"],
                log=self._progress,
            )
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write(
                "Ya existen acuerdos en la base de datos: no se cargaron datos de demostración "
                "(--if-empty)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Datos de demostración cargados en {result.seconds:.1f} s: "
                f"{len(result.meetings)} reuniones, {result.agreements:,} acuerdos, "
                f"{result.commitments:,} compromisos, "
                f"{result.users_created + result.liaisons_created} usuarios "
                f"(escala {result.scale}, semilla {result.seed}, corte al {as_of:%d/%m/%Y})."
            )
        )
        self.stdout.write(history_summary(result))
        self.stdout.write(logins_table())

    def _progress(self, line: str) -> None:
        """Show each meeting as it is written, also when the output goes to a pipe or a file
        (a seed at --scale 100 takes a while)."""
        self.stdout.write(line)
        self.stdout.flush()


def history_summary(result: SeedResult) -> str:
    """The history written and the national picture at the as-of date, in Spanish."""
    history = result.history
    states = history.reports
    extensions = history.extensions
    lines = [
        f"Historia de avance: {history.report_total:,} reportes "
        f"({states['validated']:,} validados, {states['submitted']:,} por validar, "
        f"{states['returned']:,} observados, {states['rejected']:,} rechazados, "
        f"{states['draft']:,} borradores); {history.evidence:,} evidencias en "
        f"{result.evidence_files:,} archivos; {sum(extensions.values()):,} reprogramaciones "
        f"({extensions['approved']:,} aprobadas, {extensions['denied']:,} negadas, "
        f"{extensions['pending']:,} pendientes); {history.cancellations:,} cancelaciones; "
        f"{history.comments:,} comentarios; {history.notifications:,} notificaciones."
    ]
    national = result.national
    if national is not None:
        counts = national.counts
        lines.append(
            f"Panorama nacional al {result.as_of:%d/%m/%Y}: "
            f"cumplimiento {_level(national.compliance_level)}, "
            f"avance promedio {_level(national.average_progress)}, "
            f"oportunidad del reporte {_level(national.timeliness)}; "
            + ", ".join(
                f"{rules.STATUS_LABELS[status].lower()} {counts[status]:,}"
                for status in rules.STATUS_ORDER
            )
            + "."
        )
    return "\n".join(lines)


def _level(value: Fraction | None) -> str:
    shown = rules.shown(value)
    return "n/a" if shown is None else f"{shown} %"
