from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.commitments.imports import FileRefused, ImportFile, agreements_import
from acuerdos.commitments.imports.report import write_plan
from acuerdos.core.errors import DomainError
from acuerdos.meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Importa los acuerdos de una reunión desde XLSX, CSV o las tablas de una minuta DOCX. "
        "Con cualquier error no guarda nada y lista cada error por fila y columna."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Ruta del archivo .xlsx, .csv o .docx")
        parser.add_argument("--meeting", required=True, help="Clave de la reunión, p. ej. RR8-CEN")
        parser.add_argument(
            "--dry-run", action="store_true", help="Sólo revisar y mostrar qué se importaría"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        meeting = Meeting.objects.filter(code=options["meeting"].strip()).first()
        if meeting is None:
            raise CommandError(f"No existe la reunión con clave «{options['meeting']}».")
        try:
            file = ImportFile.from_path(options["file"])
            plan = agreements_import(file=file, meeting=meeting, dry_run=options["dry_run"])
        except (FileRefused, DomainError) as exc:
            raise CommandError(exc.message) from exc
        write_plan(self, plan)
