"""Reports of a closed cut-off on a small world with data: every audience generated, the PDF
text and the XLSX figures equal to `compliance --as-of` for the same group, idempotent,
immutable, delivered."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from acuerdos.evaluation.tests.boards_data import CUTOFF, NOW, add_report, build_graded, grow
from acuerdos.notifications.models import Notification, OutgoingEmail
from acuerdos.organization.models import Region, Unit
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.reporting.models import (
    Audience,
    DeliveryChannel,
    Report,
    ReportDelivery,
    ReportFormat,
)
from acuerdos.reporting.selectors import cutoff_contents
from acuerdos.reporting.services import reports_generate

pytestmark = pytest.mark.django_db

LEVELS = (
    ("Nivel de cumplimiento", "compliance_level"),
    ("Avance promedio", "average_progress"),
    ("Oportunidad del reporte", "timeliness"),
)
COUNTS = (
    ("Compromisos en tiempo", "on_track"),
    ("Compromisos en riesgo", "at_risk"),
    ("Compromisos vencidos", "overdue"),
    ("Compromisos cumplidos", "fulfilled"),
    ("Compromisos cancelados", "cancelled"),
)


@pytest.fixture
def closed(world: Any) -> Any:
    """The graded world of the dashboard tests, grown by a few agreements (Querétaro and two
    other units each), with the cut-off of 30 jun 2026 closed."""
    grow(world.meeting, 3, world.users["liaison"])
    return build_graded(world)


@pytest.fixture
def generated(closed: Any) -> list[Any]:
    with time_machine.travel(NOW, tick=False):
        return reports_generate(cutoff=closed.cutoff)


def compliance(by: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    args = ("--as-of", CUTOFF.isoformat(), "--by", by, "--format", "json")
    call_command("compliance", *args, stdout=out)
    return {group["code"]: group for group in json.loads(out.getvalue())["groups"]}


def expected_for(kind: str, code: str) -> dict[str, Any]:
    if kind == Audience.NATION:
        regions = list(compliance("region").values())
        cutoff = Report.objects.get(audience=kind, format=ReportFormat.PDF).cutoff
        assert cutoff is not None
        national = cutoff_contents(cutoff, only=[(kind, None)])[0]
        figures = national.figures()
        # The nation is the sum of its regions: the counts must add up.
        for _label, status in COUNTS:
            assert figures["counts"][status] == sum(r["counts"][status] for r in regions)
        return figures
    by = {"unit": "unit", "area": "area", "region": "region"}[kind]
    return compliance(by)[code]


def shown(value: float | None) -> str:
    return "n/a" if value is None else f"{Decimal(str(value)):.1f} %"


def pdf_text(report: Report) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    with report.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def figure_in(text: str, label: str) -> str:
    found = re.findall(rf"^\s*{re.escape(label)}\s{{2,}}(n/a|[\d,.]+(?:\s%)?)\s*$", text, re.M)
    assert found, f"«{label}» not found in the PDF text"
    assert len(set(found)) == 1, found
    return str(found[0]).replace("\u00a0", " ")


AUDIENCES = [
    (Audience.UNIT, "OOAD-QRO"),
    (Audience.AREA, "DPM"),
    (Audience.REGION, "REG-CENTRO"),
    (Audience.NATION, "NACIONAL"),
]


def test_it_generates_a_pdf_and_an_xlsx_for_every_audience(generated: list[Any]) -> None:
    kinds = {(g.pdf.audience, g.pdf.audience_code) for g in generated}
    for kind, code in AUDIENCES:
        assert (kind, code) in kinds
    assert (Audience.UNIT, "OOAD-HGO") in kinds
    assert (Audience.AREA, "DA") in kinds
    assert Report.objects.filter(format=ReportFormat.PDF).count() == len(generated)
    assert Report.objects.filter(format=ReportFormat.XLSX).count() == len(generated)
    for report in Report.objects.all():
        with report.file.open("rb") as handle:
            data = handle.read()
        import hashlib

        assert hashlib.sha256(data).hexdigest() == report.sha256
        assert len(data) == report.size


def test_it_prints_in_the_pdf_the_levels_of_compliance_as_of(generated: list[Any]) -> None:
    """One report of each audience kind (generating them is the slow part: once for all)."""
    for kind, code in AUDIENCES:
        check_pdf(kind, code)


def check_pdf(kind: str, code: str) -> None:
    report = Report.objects.get(audience=kind, audience_code=code, format=ReportFormat.PDF)
    text = pdf_text(report)
    expected = expected_for(kind, code)
    assert "Instituto Mexicano del Seguro Social · Dirección de Operación y Evaluación" in text
    assert "con corte al 30 de junio de 2026" in text
    assert re.search(r"Página 1 de \d+", text)
    for label, key in LEVELS:
        assert figure_in(text, label).replace(" ", " ") == shown(expected[key]), label
    for label, status in COUNTS:
        assert int(figure_in(text, label).replace(",", "")) == expected["counts"][status], label
    assert int(figure_in(text, "Compromisos evaluados").replace(",", "")) == expected["total"]
    assert report.figures["compliance_level"] == expected["compliance_level"]
    assert report.figures["counts"] == expected["counts"]


def test_it_writes_the_same_figures_in_the_xlsx(generated: list[Any]) -> None:
    for kind, code in AUDIENCES:
        check_xlsx(kind, code)


def check_xlsx(kind: str, code: str) -> None:
    report = Report.objects.get(audience=kind, audience_code=code, format=ReportFormat.XLSX)
    with report.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    summary = {
        row[0]: row[1]
        for row in book["Resumen"].iter_rows(min_row=1, max_col=2, values_only=True)
        if row[0]
    }
    expected = expected_for(kind, code)
    for label, key in (
        ("Nivel de cumplimiento (%)", "compliance_level"),
        ("Avance promedio (%)", "average_progress"),
        ("Oportunidad del reporte (%)", "timeliness"),
    ):
        value = summary[label]
        assert (None if value == "n/a" else value) == expected[key], label
    assert summary["Total de compromisos evaluados"] == expected["total"]
    for label, status in (
        ("En tiempo", "on_track"),
        ("En riesgo", "at_risk"),
        ("Vencido", "overdue"),
        ("Cumplido", "fulfilled"),
        ("Cancelado", "cancelled"),
    ):
        assert summary[label] == expected["counts"][status], label
    rows = list(book["Compromisos"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(expected["counts"].values())
    assert all(isinstance(row[8], dt.datetime) for row in rows)  # dates as dates


def test_it_is_idempotent_and_immutable(closed: Any, generated: list[Any]) -> None:
    before = {r.pk: (r.sha256, r.figures) for r in Report.objects.all()}
    deliveries = ReportDelivery.objects.count()
    emails = OutgoingEmail.objects.count()
    with time_machine.travel(NOW, tick=False):
        again = reports_generate(cutoff=closed.cutoff)
    assert not any(g.created for g in again)
    assert {r.pk: (r.sha256, r.figures) for r in Report.objects.all()} == before
    assert ReportDelivery.objects.count() == deliveries
    assert OutgoingEmail.objects.count() == emails


def test_it_draws_the_same_figures_again_after_later_reports(
    closed: Any, generated: list[Any]
) -> None:
    world = closed.world
    add_report(
        world.foreign_commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 7, 14),
        percent=100,
        submitted_on=dt.date(2026, 7, 14),
        validated_on=dt.date(2026, 7, 15),
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        redrawn = {
            (c.audience.kind, c.audience.key): c.figures() for c in cutoff_contents(closed.cutoff)
        }
    for report in Report.objects.filter(format=ReportFormat.PDF):
        assert redrawn[(report.audience, report.audience_key)] == report.figures


def test_it_delivers_each_report_to_its_audience(world: Any, generated: list[Any]) -> None:
    users = world.users
    qro = Report.objects.get(audience=Audience.UNIT, audience_code="OOAD-QRO", format="pdf")
    dpm = Report.objects.get(audience=Audience.AREA, audience_code="DPM", format="pdf")
    nation = Report.objects.get(audience=Audience.NATION, format="pdf")

    def people(report: Report, channel: str) -> set[str]:
        return set(
            ReportDelivery.objects.filter(report=report, channel=channel).values_list(
                "user__email", flat=True
            )
        )

    for channel in (DeliveryChannel.EMAIL, DeliveryChannel.INBOX):
        assert people(qro, channel) == {users["liaison"].email, users["head"].email}
        assert people(dpm, channel) == {users["validator"].email}
        assert people(nation, channel) == {users["coordinator"].email}
    email = ReportDelivery.objects.get(report=qro, user=users["liaison"], channel="email").email
    assert email is not None
    assert email.to == users["liaison"].email
    assert "con corte al 30 de junio de 2026" in email.subject
    assert email.attachments == [[qro.file_name, qro.file.name, "application/pdf"]]
    assert Notification.objects.filter(recipient=users["head"], kind="report.published").exists()
    assert not ReportDelivery.objects.filter(user=users["viewer"]).exists()


def test_it_generates_the_reports_when_a_cutoff_closes(
    world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from acuerdos.evaluation.services import cutoff_close

    settings.REPORTS_ON_CUTOFF_CLOSE = True

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        refresh_inputs()
        cutoff, _ = cutoff_close(date=CUTOFF, actor=world.users["coordinator"])
    audiences = set(Report.objects.filter(cutoff=cutoff).values_list("audience", flat=True))
    assert audiences == {
        Audience.UNIT,
        Audience.AREA,
        Audience.REGION,
        Audience.NATION,
        Audience.MEETING_PACK,  # each region's follow-up meeting pack, with the informes
    }
    regions = set(
        Report.objects.filter(cutoff=cutoff, audience=Audience.REGION).values_list(
            "audience_key", flat=True
        )
    )
    packs = Report.objects.filter(cutoff=cutoff, audience=Audience.MEETING_PACK)
    assert set(packs.values_list("audience_key", flat=True)) == regions
    assert packs.count() == 2 * len(regions)  # a PDF and an XLSX per region


def test_it_generates_reports_and_a_pack_from_the_command(closed: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(
            "generate_reports", "--cutoff", CUTOFF.isoformat(), "--out", str(tmp_path), stdout=out
        )
        call_command("generate_reports", "--pack", "REG-CENTRO", "--out", str(tmp_path), stdout=out)
    assert "Informes con corte al 30 de junio de 2026" in out.getvalue()
    names = {p.name for p in tmp_path.iterdir()}
    assert "informe-ooad-qro-2026-06-30.pdf" in names
    assert "informe-nacional-2026-06-30.xlsx" in names
    assert "paquete-reg-centro-2026-07-15.pdf" in names  # on demand: today's
    assert "paquete-reg-centro-2026-06-30.xlsx" in names  # the cut-off's, with its informes
    assert "1 paquete de reunión de seguimiento, uno por región" in out.getvalue()
    pack = Report.objects.get(audience=Audience.MEETING_PACK, cutoff=None, format="pdf")
    text = pdf_text(pack)
    assert "Paquete de la reunión de seguimiento" in text
    assert "TST-CEN-2026-0002" in text  # Hidalgo's overdue commitment is on the agenda
    assert pack.audience_key == Region.objects.get(code="REG-CENTRO").pk


def test_it_refuses_an_open_cutoff(world: Any) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no está cerrado"):
        call_command("generate_reports", "--cutoff", "2026-05-31")


def test_it_lists_unit_reports_only_for_units_that_had_commitments(generated: list[Any]) -> None:
    units = set(
        Report.objects.filter(audience=Audience.UNIT).values_list("audience_key", flat=True)
    )
    assert Unit.objects.get(code="OOAD-QRO").pk in units
    assert Unit.objects.get(code="OOAD-JAL").pk not in units


def test_it_keeps_one_report_when_two_workers_store_the_same_audience(
    closed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers that both found nothing stored: the second insert loses to the unique
    constraint, drops its file and returns the first report."""
    from django.core.files.storage import default_storage

    from acuerdos.reporting import services

    qro = Unit.objects.get(code="OOAD-QRO")
    content = cutoff_contents(closed.cutoff, only=[(Audience.UNIT, qro.pk)])[0]
    first, created = services.report_store(content=content, fmt="pdf", data=b"%PDF-1 uno")
    assert created
    real = services._existing
    calls = iter([None])
    monkeypatch.setattr(services, "_existing", lambda *a: next(calls, None) or real(*a))
    second, created = services.report_store(content=content, fmt="pdf", data=b"%PDF-1 dos")
    assert not created
    assert second.pk == first.pk
    assert Report.objects.filter(audience=Audience.UNIT, audience_key=qro.pk).count() == 1
    import hashlib

    loser = f"unit-{qro.pk}-{hashlib.sha256(b'%PDF-1 dos').hexdigest()[:16]}"
    stored = default_storage.listdir(f"informes/{CUTOFF:%Y-%m-%d}")[1]
    assert not [name for name in stored if name.startswith(loser)]
    assert default_storage.exists(first.file.name)
