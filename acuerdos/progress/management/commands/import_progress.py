from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.commitments.imports import FileRefused, ImportFile
from acuerdos.commitments.imports.report import write_plan
from acuerdos.core.errors import DomainError
from acuerdos.organization.models import User
from acuerdos.organization.scope import scope_for
from acuerdos.progress.imports import default_import_user, progress_import


class Command(BaseCommand):
    help = (
        "Importa el historial de reportes de avance (folio, unidad, fecha de avance, "
        "porcentaje o valor, narrativa, estado). Con cualquier error no guarda nada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Ruta del archivo .xlsx, .csv o .docx")
        parser.add_argument(
            "--user",
            default=None,
            help="Correo de quien importa (autor de los reportes); por omisión, la primera "
            "persona activa de la coordinación central",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Sólo revisar y mostrar qué se importaría"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["user"]:
            actor = User.objects.filter(
                email__iexact=options["user"].strip(), is_active=True
            ).first()
            if actor is None:
                raise CommandError(
                    f"No hay ninguna persona activa con el correo «{options['user']}»."
                )
        else:
            actor = default_import_user()
            if actor is None:
                raise CommandError(
                    "No hay ninguna persona activa con rol de coordinación central: indique "
                    "quién importa con --user CORREO."
                )
        if not scope_for(actor).is_coordinator:
            raise CommandError(
                f"{actor.email} no tiene rol de coordinación central: sólo la coordinación "
                "importa el historial de avances."
            )
        try:
            file = ImportFile.from_path(options["file"])
            plan = progress_import(file=file, actor=actor, dry_run=options["dry_run"])
        except (FileRefused, DomainError) as exc:
            raise CommandError(exc.message) from exc
        write_plan(self, plan)
