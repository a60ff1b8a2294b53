"""`compliance --as-of YYYY-MM-DD --by unit|region|theme|area|meeting [--format table|csv|json]`"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuerdos.core.dates import parse_iso_date
from acuerdos.evaluation.rules import STATUS_ORDER, shown
from acuerdos.evaluation.selectors import GroupRow, basis_for, figures_by

BY = ("unit", "region", "theme", "area", "meeting")


def _number(value: Any) -> float | None:
    rounded = shown(value)
    return None if rounded is None else float(rounded)


def as_dict(row: GroupRow) -> dict[str, Any]:
    """One group in the JSON shape of PRODUCT.md §5."""
    f = row.figures
    return {
        "code": row.code,
        "name": row.name,
        "total": f.total,
        "counts": {status.value: f.counts[status] for status in STATUS_ORDER},
        "compliance_level": _number(f.compliance_level),
        "average_progress": _number(f.average_progress),
        "timeliness": _number(f.timeliness),
    }


class Command(BaseCommand):
    help = "Nivel de cumplimiento, avance promedio y oportunidad por grupo a una fecha."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="AAAA-MM-DD")
        parser.add_argument("--by", required=True, choices=BY)
        parser.add_argument("--format", default="table", choices=("table", "csv", "json"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = parse_iso_date(options["as_of"])
        except ValueError as exc:
            raise CommandError(f"Fecha inválida «{options['as_of']}»: use AAAA-MM-DD.") from exc
        basis = basis_for(as_of=as_of)
        groups = [
            as_dict(row)
            for row in figures_by(None, by=options["by"], basis=basis)
            if row.figures.total > 0
        ]
        fmt = options["format"]
        if fmt == "json":
            payload = {"as_of": as_of.isoformat(), "by": options["by"], "groups": groups}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
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
