"""`close_cutoff YYYY-MM-DD`: freeze the figures of a cut-off (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import long_date, parse_iso_date
from acuerdos.core.errors import DomainError
from acuerdos.evaluation.services import cutoff_close


class Command(BaseCommand):
    help = "Cierra el corte de la fecha dada: congela un renglón por compromiso."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("date", help="AAAA-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            date = parse_iso_date(options["date"])
        except ValueError as exc:
            raise CommandError(f"Fecha inválida «{options['date']}»: use AAAA-MM-DD.") from exc
        try:
            cutoff, closed_now = cutoff_close(date=date, source="command")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if closed_now:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Corte al {long_date(date)} cerrado: {cutoff.snapshot_rows:,} compromisos "
                    "congelados."
                )
            )
        else:
            self.stdout.write(
                f"El corte al {long_date(date)} ya estaba cerrado; no se cambió nada."
            )
