"""`python manage.py send_reminders [--date YYYY-MM-DD]`: the day's reminders and digests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import parse_iso_date, today
from acuerdos.notifications.digest import daily_notifications


class Command(BaseCommand):
    help = "Crea los recordatorios del día y envía el resumen diario por correo (idempotente)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Fecha AAAA-MM-DD (por omisión, hoy).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_iso_date(options["date"]) if options["date"] else today()
        except ValueError as error:
            raise CommandError(f"Fecha inválida: {options['date']} (use AAAA-MM-DD)") from error
        result = daily_notifications(on=on)
        self.stdout.write(
            f"{on.isoformat()}: {result.reminders} recordatorios nuevos; "
            f"{result.digest.emails} correos de resumen con {result.digest.notifications} avisos; "
            f"{result.digest.skipped} avisos sin correo por preferencia."
        )
