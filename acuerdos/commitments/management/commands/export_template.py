from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from acuerdos.commitments.imports import template_build


class Command(BaseCommand):
    help = "Escribe la plantilla XLSX de importación (acuerdos o historial de avances)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Ruta del archivo .xlsx que se escribirá")
        parser.add_argument("--kind", choices=("agreements", "progress"), default="agreements")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        template_build(path, kind=options["kind"])
        self.stdout.write(self.style.SUCCESS(f"Plantilla escrita en {path}."))
