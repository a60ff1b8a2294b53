"""`compliance --as-of YYYY-MM-DD --by unit|region|theme|area|meeting [--format table|csv|json]`"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import parse_iso_date
from acuerdos.evaluation.rules import STATUS_ORDER
from acuerdos.evaluation.selectors import COMPLIANCE_BY, basis_for, compliance_payload


class Command(BaseCommand):
    help = "Nivel de cumplimiento, avance promedio y oportunidad por grupo a una fecha."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="AAAA-MM-DD")
        parser.add_argument("--by", required=True, choices=COMPLIANCE_BY)
        parser.add_argument("--format", default="table", choices=("table", "csv", "json"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = parse_iso_date(options["as_of"])
        except ValueError as exc:
            raise CommandError(f"Fecha inválida «{options['as_of']}»: use AAAA-MM-DD.") from exc
        basis = basis_for(as_of=as_of)
        payload = compliance_payload(None, basis=basis, by=options["by"])
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        groups = payload["groups"]
        columns = ["code", "name", "total", *(s.value for s in STATUS_ORDER)]
        columns += ["compliance_level", "average_progress", "timeliness"]
        flat = [
            [
                g["code"],
                g["name"],
                g["total"],
                *g["counts"].values(),
                g["compliance_level"],
                g["average_progress"],
                g["timeliness"],
            ]
            for g in groups
        ]
        if fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(columns)
            writer.writerows([["" if v is None else v for v in row] for row in flat])
            return
        headers = [
            "Clave",
            "Grupo",
            "Total",
            "En tiempo",
            "En riesgo",
            "Vencidos",
            "Cumplidos",
            "Cancelados",
            "Cumplimiento",
            "Avance",
            "Oportunidad",
        ]
        text = [[("n/a" if v is None else str(v)) for v in row] for row in flat]
        text = [[row[0], row[1][:48], *row[2:]] for row in text]
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *text, strict=False)]
        self.stdout.write(f"Cifras {basis.label} ({basis.source})")
        for row in [headers, *text]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
