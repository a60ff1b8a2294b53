"""`generate_reports --cutoff YYYY-MM-DD [--out DIR] [--pack REGION_CODE]`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.reporting.commands import generate_from_command


class Command(BaseCommand):
    help = (
        "Genera, guarda y entrega los informes (PDF y XLSX) de un corte cerrado, o el paquete "
        "de la reunión de seguimiento de una región."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cutoff", help="AAAA-MM-DD: un corte cerrado")
        parser.add_argument("--out", help="carpeta donde copiar los archivos")
        parser.add_argument("--pack", help="clave de la región: paquete de reunión de seguimiento")
        parser.add_argument("--no-deliver", action="store_true", help="no enviar ni notificar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = generate_from_command(
                cutoff=options["cutoff"],
                pack=options["pack"],
                out=Path(options["out"]) if options["out"] else None,
                deliver=not options["no_deliver"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
