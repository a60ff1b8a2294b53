from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import parse_iso_date
from acuerdos.meetings.models import MeetingKind
from acuerdos.meetings.services import meeting_save, region_by_name


def _date(value: str) -> Any:
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise CommandError(f"Fecha inválida «{value}»: use el formato AAAA-MM-DD.") from exc


class Command(BaseCommand):
    help = "Crea una reunión o, con la misma clave, la actualiza."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="Clave estable, p. ej. RR8-CEN")
        parser.add_argument("--name", required=True)
        parser.add_argument("--region", required=True, help="Norte|Occidente|Sureste|Centro")
        parser.add_argument("--kind", required=True, choices=MeetingKind.values)
        parser.add_argument("--start", required=True, help="AAAA-MM-DD")
        parser.add_argument("--end", required=True, help="AAAA-MM-DD")
        parser.add_argument("--venue", default="")
        parser.add_argument("--round", dest="round_name", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            meeting, created = meeting_save(
                code=options["code"].strip(),
                name=options["name"].strip(),
                region=region_by_name(options["region"]),
                kind=options["kind"],
                start_date=_date(options["start"]),
                end_date=_date(options["end"]),
                venue=options["venue"].strip(),
                round_name=(options["round_name"] or "").strip() or None,
                source="command",
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        verb = "Creada" if created else "Actualizada"
        self.stdout.write(self.style.SUCCESS(f"{verb} la reunión {meeting.code}: {meeting.name}"))
