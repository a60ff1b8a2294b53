"""What `generate_reports` does, so that the command stays a two-line wrapper."""

from __future__ import annotations

import time
from pathlib import Path

from acuerdos.core.dates import long_date, parse_iso_date
from acuerdos.evaluation.models import CutOff
from acuerdos.organization.models import Region


def generate_from_command(
    *, cutoff: str | None, pack: str | None, out: Path | None, deliver: bool
) -> list[str]:
    """Run the generation asked on the command line; returns the lines to print. Raises
    ValueError with a Spanish message for a wrong argument."""
    from acuerdos.reporting.packs import cutoff_packs_generate, meeting_pack_generate
    from acuerdos.reporting.services import reports_generate

    if not cutoff and not pack:
        raise ValueError("Indique --cutoff AAAA-MM-DD o --pack CLAVE_DE_REGIÓN.")
    lines: list[str] = []
    if pack:
        region = Region.objects.filter(code__iexact=pack).first()
        if region is None:
            codes = ", ".join(Region.objects.order_by("code").values_list("code", flat=True))
            raise ValueError(f"Región desconocida «{pack}». Claves: {codes}.")
        pdf, xlsx = meeting_pack_generate(region=region, actor=None, out_dir=out, source="command")
        lines.append(
            f"Paquete de la reunión de seguimiento de {region.name}: "
            f"{pdf.file.name}, {xlsx.file.name}"
        )
    if cutoff:
        try:
            day = parse_iso_date(cutoff)
        except ValueError as exc:
            raise ValueError(f"Fecha inválida «{cutoff}»: use AAAA-MM-DD.") from exc
        found = CutOff.objects.filter(date=day).first()
        if found is None or not found.is_closed:
            raise ValueError(
                f"El corte al {long_date(day)} no está cerrado: ciérrelo con close_cutoff {day}."
            )
        started = time.perf_counter()
        results = reports_generate(cutoff=found, out_dir=out, deliver=deliver, source="command")
        packs = cutoff_packs_generate(cutoff=found, out_dir=out, deliver=deliver, source="command")
        made = sum(1 for r in results if r.created)
        lines.append(
            f"Informes con corte al {long_date(day)}: {len(results)} destinatarios, "
            f"{made} generados ahora, {len(results) - made} ya existían; "
            f"{len(packs)} {'paquete' if len(packs) == 1 else 'paquetes'} de reunión de "
            "seguimiento, uno por región "
            f"({time.perf_counter() - started:.1f} s)."
        )
        if out is not None:
            lines.append(f"Copias en {out}.")
    return lines
