"""Exports of the lists (PRODUCT.md §4.8): the same filters and scope as the screens, streamed,
safe to open, semáforo colours, and one audit event per download."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.core.exports import SEMAFORO_FILLS
from acuerdos.organization.models import Theme, Unit, User
from acuerdos.organization.scope import scope_for
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.services import ReportInput, report_submit, report_validate
from acuerdos.progress.tests.helpers import PDF, upload
from conftest import PERSONAS

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC)
SIGNED = [p for p in PERSONAS if p != "anonymous"]
LISTS = ["agreements", "commitments", "reports", "my_commitments"]


@pytest.fixture(autouse=True)
def frozen_today():
    """Statuses depend on the date: 15 June 2026 (before the world's due date, 30 Sep)."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def reported(world, settings, tmp_path):
    """The own commitment fulfilled (validated 100 %), the foreign one with a report waiting,
    and an agreement of another region and area that none of the unit personas may see."""
    settings.MEDIA_ROOT = tmp_path
    own = report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("100"), narrative="Listo."),
        uploads=[upload(PDF, "acta.pdf")],
    )
    report_validate(report=own, actor=world.users["validator"])
    report_submit(
        commitment=world.foreign_commitment,
        actor=world.users["other_liaison"],
        data=ReportInput(
            as_of=dt.date(2026, 6, 12), percent=Decimal("10"), narrative="=cmd|' /C calc'!A0"
        ),
        uploads=[upload(PDF, "oficio.pdf")],
    )
    outsider = AgreementFactory(
        meeting=world.meeting, folio="TST-OCC-2026-0009", theme=Theme.objects.get(code="DIG")
    )
    CommitmentFactory(agreement=outsider, responsible_unit=Unit.objects.get(code="OOAD-JAL"))
    return world


def download(client, name, file_format, query=""):
    response = client.get(reverse(f"exports:{name}", args=[file_format]) + query)
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so that Excel reads the accents
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert isinstance(response, FileResponse)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def xlsx_rows(sheet) -> list[dict[str, object]]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


def expected(user: User, name: str) -> set[tuple[str, ...]]:
    """What each list may hold for the user, straight from `visible_to(user)`."""
    if name == "agreements":
        return {(a.folio,) for a in Agreement.objects.visible_to(user)}
    if name == "commitments":
        return {
            (c.agreement.folio, c.responsible_unit.code)
            for c in Commitment.objects.visible_to(user).select_related("agreement")
        }
    if name == "reports":
        return {
            (r.commitment.agreement.folio, r.commitment.responsible_unit.code, r.as_of.isoformat())
            for r in ProgressReport.objects.visible_to(user).exclude(state=ReportState.DRAFT)
        }
    units = scope_for(user).unit_ids
    visible = Commitment.objects.visible_to(user).select_related("agreement", "responsible_unit")
    mine = set(visible.reportable_by(user)) | set(visible.filter(co_responsible_units__in=units))
    return {(c.agreement.folio, c.responsible_unit.code) for c in mine}


def keys(name: str, row: dict[str, object]) -> tuple[str, ...]:
    if name == "agreements":
        return (str(row["Folio"]),)
    if name == "reports":
        as_of = row["Fecha del avance"]
        day = as_of.date().isoformat() if isinstance(as_of, dt.datetime) else str(as_of)
        return (str(row["Folio"]), str(row["Clave de la unidad"]), day)
    return (str(row["Folio"]), str(row["Clave de la unidad"]))


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", SIGNED)
def test_it_never_exports_a_row_outside_the_personas_scope(reported, clients, persona, name):
    user = reported.users[persona]
    allowed = expected(user, name)
    from_csv = [keys(name, row) for row in csv_rows(download(clients[persona], name, "csv"))]
    from_xlsx = [
        keys(name, row) for row in xlsx_rows(xlsx_sheet(download(clients[persona], name, "xlsx")))
    ]
    assert set(from_csv) == allowed
    assert sorted(from_xlsx) == sorted(from_csv)
    assert len(from_csv) == len(set(from_csv))  # no row repeated by a join
    assert ("TST-OCC-2026-0009",) not in {row[:1] for row in from_csv} or persona in (
        "coordinator",
        "viewer",
    )


def test_it_exports_what_each_unit_persona_sees(reported, clients):
    folios = {row["Folio"] for row in csv_rows(download(clients["liaison"], "agreements", "csv"))}
    assert folios == {"TST-CEN-2026-0001", "TST-CEN-2026-0003"}
    rows = csv_rows(download(clients["validator"], "commitments", "csv"))
    assert [(r["Folio"], r["Clave de la unidad"]) for r in rows] == [
        ("TST-CEN-2026-0001", "OOAD-QRO")
    ]
    mine = csv_rows(download(clients["liaison"], "my_commitments", "csv"))
    assert [(r["Folio"], r["Relación de su unidad"]) for r in mine] == [
        ("TST-CEN-2026-0001", "Responsable"),
        ("TST-CEN-2026-0003", "Corresponsable"),
    ]
    assert csv_rows(download(clients["coordinator"], "my_commitments", "csv")) == []


def test_it_applies_the_same_filters_as_the_list(reported, clients):
    client = clients["coordinator"]
    rows = csv_rows(download(client, "agreements", "csv", "?q=0002"))
    assert [r["Folio"] for r in rows] == ["TST-CEN-2026-0002"]
    hgo = Unit.objects.get(code="OOAD-HGO")
    rows = csv_rows(download(client, "commitments", "csv", f"?unit={hgo.pk}"))
    assert {r["Clave de la unidad"] for r in rows} == {"OOAD-HGO"}
    assert {r["Folio"] for r in rows} == {"TST-CEN-2026-0002", "TST-CEN-2026-0003"}
    rows = csv_rows(download(client, "reports", "csv", f"?unit={hgo.pk}"))
    assert [(r["Folio"], r["Estado del reporte"]) for r in rows] == [
        ("TST-CEN-2026-0002", "Enviado")
    ]
    # A filter that does not validate is left out, as the list leaves it out.
    rows = csv_rows(download(client, "agreements", "csv", "?due_from=31/02/2026"))
    assert len(rows) == 4


def _list_rows(client, query: str) -> list[tuple[str, str]]:
    """The (folio, unit code) of every row of the Compromisos list under `query`."""
    response = client.get(reverse("commitments:commitment_list") + query)
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 1
    return [
        (c.agreement.folio, c.responsible_unit.code) for c in response.context["page"].object_list
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?status=fulfilled",
        "?status=at_risk",
        "?status=on_track",
        "?status=overdue",
        "?status=not_started",
        "?status=cancelled",
        "?status=at_risk&q=0002",
        "?status=no-such-status",  # does not validate: left out by the list and the files alike
        "",
    ],
)
@pytest.mark.parametrize("persona", ["coordinator", "liaison", "other_liaison", "validator"])
def test_it_exports_exactly_the_rows_of_the_list_filtered_by_semaforo(
    reported, clients, query, persona
):
    CommitmentFactory(
        agreement=reported.own,
        responsible_unit=Unit.objects.get(code="OOAD-HGO"),
        start_date=dt.date(2026, 7, 1),
        due_date=dt.date(2026, 12, 31),
    )
    client = clients[persona]
    shown = _list_rows(client, query)
    in_csv = [
        (r["Folio"], r["Clave de la unidad"])
        for r in csv_rows(download(client, "commitments", "csv", query))
    ]
    in_xlsx = [
        (str(r["Folio"]), str(r["Clave de la unidad"]))
        for r in xlsx_rows(xlsx_sheet(download(client, "commitments", "xlsx", query)))
    ]
    assert in_csv == shown
    assert in_xlsx == shown


def test_the_semaforo_filter_narrows_the_export(reported, clients):
    client = clients["coordinator"]
    everything = csv_rows(download(client, "commitments", "csv"))
    fulfilled = csv_rows(download(client, "commitments", "csv", "?status=fulfilled"))
    assert len(fulfilled) < len(everything)
    assert [(r["Folio"], r["Clave de la unidad"]) for r in fulfilled] == [
        ("TST-CEN-2026-0001", "OOAD-QRO")
    ]
    status_header = next(h for h in fulfilled[0] if h.startswith("Estado al"))
    assert {r[status_header] for r in fulfilled} == {"Cumplido"}
    event = AuditEvent.objects.filter(action="export.downloaded").latest("pk")
    assert event.context["filters"]["status"] == "fulfilled"
    assert event.context["rows"] == 1


def test_it_writes_statuses_with_the_semaforo_and_dates_as_dates(reported, clients):
    sheet = xlsx_sheet(download(clients["coordinator"], "commitments", "xlsx"))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    rows = xlsx_rows(sheet)
    status_header = next(h for h in rows[0] if str(h).startswith("Estado al"))
    assert status_header == "Estado al 15/06/2026"
    by_folio = {row["Folio"]: row for row in rows}
    own = by_folio["TST-CEN-2026-0001"]
    assert own[status_header] == "Cumplido"
    assert own["Avance validado (%)"] == 100
    assert by_folio["TST-CEN-2026-0002"][status_header] == "En riesgo"
    assert isinstance(own["Fecha compromiso original"], dt.datetime)
    assert own["Fecha compromiso original"].date() == dt.date(2026, 9, 30)
    fills = {}
    status_column = list(rows[0]).index(status_header) + 1
    for row in sheet.iter_rows(min_row=2):
        cell = row[status_column - 1]
        assert cell.number_format == "General"
        fills[cell.value] = cell.fill.fgColor.rgb
    assert fills["Cumplido"].endswith(SEMAFORO_FILLS["azul"].lstrip("#"))
    assert fills["En riesgo"].endswith(SEMAFORO_FILLS["amarillo"].lstrip("#"))
    date_cell = next(sheet.iter_rows(min_row=2))[list(rows[0]).index("Fecha de inicio")]
    assert date_cell.is_date
    assert date_cell.number_format == "dd/mm/yyyy"


def test_it_neutralises_formulas_in_csv_and_xlsx(reported, clients):
    agreement = reported.foreign
    agreement.text = '=HYPERLINK("http://malo","clic")'
    agreement.save()
    client = clients["coordinator"]
    rows = csv_rows(download(client, "agreements", "csv"))
    text = next(r["Acuerdo"] for r in rows if r["Folio"] == agreement.folio)
    assert text == '\'=HYPERLINK("http://malo","clic")'
    narratives = [r["Narrativa"] for r in csv_rows(download(client, "reports", "csv"))]
    assert "'=cmd|' /C calc'!A0" in narratives
    sheet = xlsx_sheet(download(client, "reports", "xlsx"))
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("Narrativa")] for row in sheet.iter_rows(min_row=2)]
    cmd = next(c for c in cells if c.value and "cmd" in c.value)
    assert cmd.data_type == "s"  # a string, never a formula
    assert cmd.value == "'=cmd|' /C calc'!A0"


def test_it_audits_every_download_with_the_list_filters_and_row_count(reported, clients):
    client = clients["viewer"]
    download(client, "agreements", "csv", "?q=0002")
    xlsx = download(client, "commitments", "xlsx", "?q=TST")
    xlsx_sheet(xlsx)
    events = list(AuditEvent.objects.filter(action="export.downloaded").order_by("id"))
    assert [e.context["list"] for e in events] == ["Acuerdos", "Compromisos"]
    assert events[0].context == {
        "list": "Acuerdos",
        "format": "CSV",
        "filters": {"q": "0002"},
        "rows": 1,
    }
    assert events[1].context["format"] == "XLSX"
    assert events[1].context["rows"] == 4
    assert {e.actor for e in events} == {reported.users["viewer"]}


def test_it_exports_the_validation_queue_with_its_filters(reported, clients):
    rows = csv_rows(download(clients["coordinator"], "review_queue", "csv"))
    assert [(r["Folio"], r["Días en espera"]) for r in rows] == [("TST-CEN-2026-0002", "0")]
    # The DPM validator decides on none of the waiting reports (the foreign one is DA's).
    assert csv_rows(download(clients["validator"], "review_queue", "csv")) == []
    assert clients["liaison"].get(reverse("exports:review_queue", args=["csv"])).status_code == 403


def test_it_exports_the_audit_log_with_its_filters(reported, clients):
    rows = csv_rows(download(clients["viewer"], "audit_log", "csv", "?action=progress.validated"))
    assert [r["Código de la acción"] for r in rows] == ["progress.validated"]
    assert rows[0]["Persona"] == str(reported.users["validator"])
    sheet = xlsx_sheet(download(clients["coordinator"], "audit_log", "xlsx"))
    first = next(sheet.iter_rows(min_row=2))
    assert first[0].is_date
    assert clients["validator"].get(reverse("exports:audit_log", args=["xlsx"])).status_code == 403


def test_it_streams_in_a_fixed_number_of_queries_whatever_the_rows(reported, clients):
    client = clients["coordinator"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(download(client, "commitments", "csv").streaming_content)
            xlsx_sheet(download(client, "commitments", "xlsx"))
        return len(captured)

    queries()  # warm-up: the session, the scope, the catalog caches
    few = queries()
    meeting = reported.meeting
    qro = Unit.objects.get(code="OOAD-QRO")
    for number in range(30):
        agreement = AgreementFactory(meeting=meeting, folio=f"TST-CEN-2026-9{number:03d}")
        CommitmentFactory(agreement=agreement, responsible_unit=qro)
    assert queries() == few


def test_it_offers_the_export_buttons_with_the_current_filters(reported, clients):
    html = clients["liaison"].get(reverse("commitments:agreement_list") + "?q=TST&page=1")
    text = html.content.decode()
    assert reverse("exports:agreements", args=["xlsx"]) + "?q=TST" in text
    assert reverse("exports:commitments", args=["csv"]) + "?q=TST" in text
    assert "Exportar Excel" in text
    assert "Exportar CSV" in text
    mine = clients["liaison"].get(reverse("commitments:my_commitments")).content.decode()
    assert reverse("exports:my_commitments", args=["xlsx"]) in mine


def test_it_offers_the_export_buttons_on_por_validar_and_the_bitacora(reported, clients):
    queue = clients["coordinator"].get(reverse("progress:review_queue") + "?page=1").content
    assert reverse("exports:review_queue", args=["xlsx"]).encode() in queue
    log = clients["viewer"].get(reverse("audit:log") + "?action=progress.validated").content
    assert (
        reverse("exports:audit_log", args=["csv"]) + "?action=progress.validated"
    ).encode() in log


@pytest.mark.parametrize("name", LISTS)
def test_it_exports_only_the_header_to_someone_without_a_role(reported, client, name):
    from acuerdos.organization.tests.factories import UserFactory

    client.force_login(UserFactory(email="sin.rol@imss.gob.mx"))
    assert csv_rows(download(client, name, "csv")) == []
    assert xlsx_rows(xlsx_sheet(download(client, name, "xlsx"))) == []
