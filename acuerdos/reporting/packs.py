"""The follow-up meeting pack of a region: per unit, its open, overdue and at-risk commitments
with their history (progress reports and extensions), ready for the next regional meeting.

Two kinds: on demand (a coordinator asks for it: today's figures, through the evaluation
engine's `today` source, a new pack each time) and at a cut-off (made when the cut-off closes,
with every region's informes: the figures of its frozen snapshot and the history up to its
date, stored once per region and delivered to the coordinators like the other informes).
Either is read in a constant number of queries: the evaluated rows, the commitments' names,
the reports and the extensions of the region.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils import timezone

from acuerdos.audit import services as audit
from acuerdos.commitments.models import Commitment, ExtensionRequest, ExtensionStatus
from acuerdos.core.dates import long_date, next_midnight, today
from acuerdos.core.exports import neutralise
from acuerdos.evaluation.boards import in_region
from acuerdos.evaluation.charts import count_text, percent_text, semaforo_bar
from acuerdos.evaluation.engine import evaluated_rows
from acuerdos.evaluation.models import CutOff, Snapshot
from acuerdos.evaluation.rules import SEMAFORO, STATUS_LABELS, STATUS_ORDER, Status, shown
from acuerdos.organization.models import Region, Unit
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.reporting import documents
from acuerdos.reporting.models import Audience, Report, ReportFormat

OPEN = (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK)


@dataclass
class PackLine:
    """One open commitment of the pack, with its history."""

    commitment_id: int
    folio: str
    agreement: str
    status: Status
    due_date: dt.date
    original_due_date: dt.date
    progress: Fraction
    expected: Fraction
    overdue_days: int
    stale: bool
    reports: list[tuple[dt.date, dt.date | None, str, Fraction]] = field(default_factory=list)
    extensions: list[tuple[dt.date, dt.date, str, dt.date | None]] = field(default_factory=list)


@dataclass
class PackUnit:
    unit_id: int
    code: str
    name: str
    lines: list[PackLine]

    def count(self, status: Status) -> int:
        return sum(1 for line in self.lines if line.status == status)


@dataclass
class PackContent:
    region: Region
    as_of: dt.date
    units: list[PackUnit]
    cutoff: CutOff | None = None


def pack_content(
    region: Region, as_of: dt.date | None = None, cutoff: CutOff | None = None
) -> PackContent:
    """The open commitments of the region's meetings, per responsible unit, with history:
    today's (or at `as_of`), or as the closed `cutoff` froze them, with the history up to it."""
    if cutoff is not None:
        day = cutoff.date
        evaluated = [
            row
            for row in evaluated_rows(source="snapshot", as_of=day, cutoff_id=cutoff.pk)
            if row["region_id"] == region.pk
        ]
    else:
        day = as_of or today()
        evaluated = list(evaluated_rows(source="today", as_of=day, visible=in_region(region)))
    rows = [row for row in evaluated if row["status"] in OPEN]
    ids = [row["cid"] for row in rows]
    info = {
        c["pk"]: c
        for c in Commitment.objects.filter(pk__in=ids).values(
            "pk", "agreement__folio", "agreement__text", "due_date"
        )
    }
    sent = ProgressReport.objects.filter(commitment_id__in=ids).exclude(state=ReportState.DRAFT)
    asked = ExtensionRequest.objects.filter(commitment_id__in=ids)
    waiting: set[int] = set()
    if cutoff is not None:  # the history as it stood at the cut-off
        sent = sent.filter(submitted_on__lte=day)
        asked = asked.filter(created_at__lt=next_midnight(day))
        # Decided after the cut-off: still waiting then (the dashboards' rule).
        waiting = set(sent.undecided_at(day).values_list("pk", flat=True))
    reports: dict[int, list[tuple[dt.date, dt.date | None, str, Fraction]]] = defaultdict(list)
    for pk, cid, as_of_, submitted, state, num, den in sent.order_by("as_of", "pk").values_list(
        "pk", "commitment_id", "as_of", "submitted_on", "state", "progress_num", "progress_den"
    ):
        if pk in waiting:
            state = ReportState.SUBMITTED
        reports[cid].append((as_of_, submitted, str(ReportState(state).label), Fraction(num, den)))
    extensions: dict[int, list[tuple[dt.date, dt.date, str, dt.date | None]]] = defaultdict(list)
    for ext in asked.order_by("created_at", "pk"):
        status, decided_on = ext.get_status_display(), ext.decided_on
        if cutoff is not None and decided_on is not None and decided_on > day:
            status, decided_on = str(ExtensionStatus.PENDING.label), None  # decided later
        extensions[ext.commitment_id].append(
            (ext.previous_due_date, ext.new_due_date, status, decided_on)
        )
    units = {u.pk: u for u in Unit.objects.filter(pk__in={row["unit_id"] for row in rows})}
    grouped: dict[int, list[PackLine]] = defaultdict(list)
    for row in rows:
        cid = row["cid"]
        grouped[row["unit_id"]].append(
            PackLine(
                commitment_id=cid,
                folio=info[cid]["agreement__folio"],
                agreement=info[cid]["agreement__text"],
                status=Status(row["status"]),
                due_date=_date(row["d"]),
                original_due_date=info[cid]["due_date"],
                progress=Fraction(int(row["pn"]), int(row["pd"])),
                expected=Fraction(int(row["e_num"]), int(row["e_den"])),
                overdue_days=int(row["overdue_days"] or 0),
                stale=bool(row["stale"]),
                reports=reports.get(cid, []),
                extensions=extensions.get(cid, []),
            )
        )
    order = {Status.OVERDUE: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2}
    pack_units = [
        PackUnit(
            unit_id=unit_id,
            code=units[unit_id].code,
            name=units[unit_id].name,
            lines=sorted(lines, key=lambda x: (order[x.status], -x.overdue_days, x.folio)),
        )
        for unit_id, lines in grouped.items()
    ]
    pack_units.sort(key=lambda u: (-u.count(Status.OVERDUE), u.code))
    return PackContent(region=region, as_of=day, units=pack_units, cutoff=cutoff)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def pack_html(pack: PackContent) -> str:
    short = documents.short_date
    totals = dict.fromkeys(STATUS_ORDER, 0)
    for unit in pack.units:
        for line in unit.lines:
            totals[line.status] += 1
    units = []
    for unit in pack.units:
        units.append(
            {
                "code": unit.code,
                "name": unit.name,
                "summary": ", ".join(
                    f"{count_text(unit.count(s))} {STATUS_LABELS[s].lower()}"
                    for s in (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK)
                ),
                "lines": [
                    {
                        "folio": line.folio,
                        "text": documents._clip(line.agreement, 160),
                        "status": STATUS_LABELS[line.status],
                        "colour": SEMAFORO[line.status],
                        "due": short(line.due_date),
                        "original": short(line.original_due_date)
                        if line.original_due_date != line.due_date
                        else "",
                        "days": count_text(line.overdue_days) if line.overdue_days else "",
                        "progress": percent_text(line.progress),
                        "expected": percent_text(line.expected),
                        "reports": "; ".join(
                            f"{short(r[0])}: {percent_text(r[3])} ({r[2].lower()})"
                            for r in line.reports[-4:]
                        )
                        or "Sin reportes enviados",
                        "extensions": "; ".join(
                            f"{short(e[0])} → {short(e[1])} ({e[2].lower()})"
                            for e in line.extensions
                        ),
                    }
                    for line in unit.lines
                ],
            }
        )
    return get_template("reporting/pack.html").render(
        {
            "region": pack.region,
            "as_of_label": f"{'con corte ' if pack.cutoff else ''}al {long_date(pack.as_of)}",
            "units": units,
            "totals": [
                {"colour": SEMAFORO[s], "n": count_text(totals[s]), "label": STATUS_LABELS[s]}
                for s in (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK)
            ],
            "bar": semaforo_bar(
                totals, chart_id="pack-bar", title="Compromisos abiertos", compact=True
            ),
            "generated": f"{timezone.localtime():%d/%m/%Y a las %H:%M} h",
        }
    )


def pack_xlsx(pack: PackContent) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#10312B", "text_wrap": True}
    )
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    pct = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet("Compromisos abiertos")
    columns = (
        ("Clave unidad", 12), ("Unidad responsable", 30), ("Folio", 18), ("Acuerdo", 60),
        ("Estado", 12), ("Fecha compromiso vigente", 14), ("Fecha compromiso original", 14),
        ("Días de atraso", 10), ("Avance validado (%)", 12), ("Avance esperado (%)", 12),
        ("Sin reporte reciente", 10), ("Reportes enviados", 10), ("Reprogramaciones", 10),
    )  # fmt: skip
    for col, (text, width) in enumerate(columns):
        sheet.write_string(0, col, text, head)
        sheet.set_column(col, col, width)
    history = book.add_worksheet("Historial")
    hist_cols = ("Folio", "Unidad", "Tipo", "Fecha", "Detalle", "Estado")
    for col, text in enumerate(hist_cols):
        history.write_string(0, col, text, head)
        history.set_column(col, col, 40 if col == 4 else 16)
    row = hist = 0
    for unit in pack.units:
        for line in unit.lines:
            row += 1
            sheet.write_string(row, 0, neutralise(unit.code))
            sheet.write_string(row, 1, neutralise(unit.name))
            sheet.write_string(row, 2, neutralise(line.folio))
            sheet.write_string(row, 3, neutralise(documents._clip(line.agreement, 500)))
            sheet.write_string(row, 4, STATUS_LABELS[line.status])
            sheet.write_datetime(row, 5, dt.datetime.combine(line.due_date, dt.time()), date)
            sheet.write_datetime(
                row, 6, dt.datetime.combine(line.original_due_date, dt.time()), date
            )
            sheet.write_number(row, 7, line.overdue_days)
            sheet.write_number(row, 8, float(shown(line.progress) or 0), pct)
            sheet.write_number(row, 9, float(shown(line.expected) or 0), pct)
            sheet.write_string(row, 10, "Sí" if line.stale else "No")
            sheet.write_number(row, 11, len(line.reports))
            sheet.write_number(row, 12, len(line.extensions))
            for as_of, _submitted, state, value in line.reports:
                hist += 1
                history.write_string(hist, 0, neutralise(line.folio))
                history.write_string(hist, 1, neutralise(unit.code))
                history.write_string(hist, 2, "Reporte de avance")
                history.write_datetime(hist, 3, dt.datetime.combine(as_of, dt.time()), date)
                history.write_string(hist, 4, percent_text(value))
                history.write_string(hist, 5, state)
            for previous, new, state, _decided in line.extensions:
                hist += 1
                history.write_string(hist, 0, neutralise(line.folio))
                history.write_string(hist, 1, neutralise(unit.code))
                history.write_string(hist, 2, "Reprogramación")
                history.write_datetime(hist, 3, dt.datetime.combine(new, dt.time()), date)
                history.write_string(
                    hist, 4, f"{documents.short_date(previous)} → {documents.short_date(new)}"
                )
                history.write_string(hist, 5, state)
    for ws, last_col, last_row in (
        (sheet, len(columns) - 1, row),
        (history, len(hist_cols) - 1, hist),
    ):
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, last_row), last_col)
    book.close()
    return buffer.getvalue()


def _stored_pack(cutoff: CutOff, region: Region) -> tuple[Report, Report] | None:
    """The PDF and XLSX of a region's pack at a cut-off, if they are stored (both or none)."""
    found = {
        r.format: r
        for r in Report.objects.filter(
            cutoff=cutoff, audience=Audience.MEETING_PACK, audience_key=region.pk
        )
    }
    if ReportFormat.PDF in found and ReportFormat.XLSX in found:
        return found[ReportFormat.PDF], found[ReportFormat.XLSX]
    return None


def _copy_out(out_dir: Path, reports: tuple[Report, Report]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for report in reports:
        with report.file.open("rb") as handle:
            (out_dir / report.file_name).write_bytes(handle.read())


def meeting_pack_generate(
    *,
    region: Region,
    actor: Any,
    cutoff: CutOff | None = None,
    out_dir: Path | None = None,
    source: str = "worker",
) -> tuple[Report, Report]:
    """Generate and store a region's follow-up meeting pack (PDF and XLSX), audited.

    On demand (no `cutoff`) each generation is a new pack: the commitments as they stand today.
    At a closed cut-off the pack is stored once: if it is already stored (or another worker
    stores it first) that one is returned and nothing is drawn or kept twice."""
    if cutoff is not None:
        existing = _stored_pack(cutoff, region)
        if existing is not None:
            if out_dir is not None:
                _copy_out(out_dir, existing)
            return existing
    pack = pack_content(region, cutoff=cutoff)
    files = {
        ReportFormat.PDF: documents.render_pdf(pack_html(pack)),
        ReportFormat.XLSX: pack_xlsx(pack),
    }
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    bundle = f"paquete-{region.pk}-corte-{cutoff.pk}" if cutoff else f"paquete-{region.pk}-{stamp}"
    stored: list[str] = []
    made: dict[str, Report] = {}
    try:
        for fmt, data in files.items():
            digest = hashlib.sha256(data).hexdigest()
            name = f"informes/paquetes/{region.code.lower()}-{stamp}-{digest[:12]}.{fmt}"
            stored.append(default_storage.save(name, ContentFile(data)))
        with transaction.atomic():
            for (fmt, data), name in zip(files.items(), stored, strict=True):
                report = Report(
                    cutoff=cutoff,
                    as_of=pack.as_of,
                    audience=Audience.MEETING_PACK,
                    audience_key=region.pk,
                    audience_code=region.code,
                    audience_name=region.name,
                    format=fmt,
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                    generated_by=actor if getattr(actor, "pk", None) else None,
                    bundle=bundle,
                    figures={
                        "units": len(pack.units),
                        "open": sum(len(u.lines) for u in pack.units),
                        "overdue": sum(u.count(Status.OVERDUE) for u in pack.units),
                        "at_risk": sum(u.count(Status.AT_RISK) for u in pack.units),
                    },
                )
                report.file.name = name
                report.full_clean(validate_constraints=False)
                report.save()
                audit.record(
                    actor=actor,
                    action="report.pack_generated",
                    target=report,
                    context={"region": region.code, "format": fmt, "sha256": report.sha256},
                    source=source,
                )
                made[fmt] = report
    except IntegrityError:
        # Another worker stored this cut-off's pack first: keep theirs, drop our files.
        for name in stored:
            default_storage.delete(name)
        found = _stored_pack(cutoff, region) if cutoff is not None else None
        if found is None:
            raise
        made = {ReportFormat.PDF: found[0], ReportFormat.XLSX: found[1]}
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    if out_dir is not None:
        _copy_out(out_dir, (made[ReportFormat.PDF], made[ReportFormat.XLSX]))
    return made[ReportFormat.PDF], made[ReportFormat.XLSX]


def cutoff_regions(cutoff: CutOff) -> list[Region]:
    """The regions with commitments at a closed cut-off (those that get a pack)."""
    keys = Snapshot.objects.filter(cutoff=cutoff).values("region_id")
    return list(Region.objects.filter(pk__in=keys).order_by("code"))


def cutoff_packs_generate(
    *,
    cutoff: CutOff,
    regions: Sequence[int] | None = None,
    deliver: bool = True,
    out_dir: Path | None = None,
    source: str = "worker",
) -> list[tuple[Report, Report]]:
    """Each region's follow-up meeting pack of a closed cut-off (or only of the given regions'
    ids): stored once and delivered to the coordinators by e-mail and the Informes inbox, like
    the other informes. Idempotent: running it again draws and delivers nothing twice."""
    from acuerdos.reporting.services import report_deliver

    chosen = cutoff_regions(cutoff)
    if regions is not None:
        chosen = [region for region in chosen if region.pk in set(regions)]
    made = []
    for region in chosen:
        pdf, xlsx = meeting_pack_generate(
            region=region, actor=None, cutoff=cutoff, out_dir=out_dir, source=source
        )
        if deliver:
            report_deliver(pdf=pdf, xlsx=xlsx)
        made.append((pdf, xlsx))
    return made
