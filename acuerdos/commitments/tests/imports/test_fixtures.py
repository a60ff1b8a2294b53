"""Files saved by a real spreadsheet program (LibreOffice 7.4; sources and script in fixtures/):
an XLSX with a title row, merged cells, a formula, a total row and a milestones sheet; the same
sheet as CSV in Windows-1252 with `;`; and a DOCX minuta whose agreements are its second table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from acuerdos.commitments.imports import agreements_import
from acuerdos.commitments.models import Agreement, Commitment, TargetKind

from .helpers import fixture

pytestmark = pytest.mark.django_db


def _commitments():
    return {
        (c.agreement.folio, c.responsible_unit.code): c
        for c in Commitment.objects.select_related("agreement", "responsible_unit")
    }


def test_it_imports_the_libreoffice_xlsx(meeting):
    plan = agreements_import(file=fixture("acuerdos_centro.xlsx"), meeting=meeting)
    assert plan.ok, plan.errors
    assert plan.file_kind == "xlsx"
    assert plan.summary() == (
        "Se importaron 3 acuerdos con 7 compromisos y 5 hitos en la reunión RR8-CEN."
    )
    assert [(w.row, w.message[:22]) for w in plan.warnings] == [
        (7, "Se omitió la fila porq"),
        (9, "Se omitió la fila de t"),
    ]
    found = _commitments()
    assert sorted(found) == [
        ("RR8-CEN-2026-0001", "OOAD-CDMXN"),
        ("RR8-CEN-2026-0001", "OOAD-HGO"),
        ("RR8-CEN-2026-0001", "OOAD-QRO"),
        ("RR8-CEN-2026-0002", "OOAD-PUE"),
        ("RR8-CEN-2026-0002", "UMAE-CMNSXXI-HE"),
        ("RR8-CEN-2026-0003", "OOAD-MEXO"),
        ("RR8-CEN-2026-0003", "OOAD-TLAX"),
    ]
    surgery = found[("RR8-CEN-2026-0001", "OOAD-QRO")]
    # Meta is the formula =G4-25: its cached value, never evaluated here.
    assert (surgery.target_kind, surgery.baseline, surgery.target_value) == (
        TargetKind.INDICATOR,
        Decimal("45"),
        Decimal("20"),
    )
    assert surgery.due_date == dt.date(2026, 9, 30)
    assert list(surgery.co_responsible_units.values_list("code", flat=True)) == ["OOAD-MICH"]
    # Folio, text, theme and goal merged over rows 5–6 apply to both rows.
    assert found[("RR8-CEN-2026-0002", "UMAE-CMNSXXI-HE")].due_date == dt.date(2026, 7, 31)
    supply = Agreement.objects.get(folio="RR8-CEN-2026-0002")
    assert (supply.theme.code, supply.validating_area.code) == ("ABA", "DA")
    assert supply.deliverable == "Surtimiento completo de recetas"
    assert found[("RR8-CEN-2026-0002", "OOAD-PUE")].due_date == dt.date(2026, 6, 30)
    tlax = found[("RR8-CEN-2026-0003", "OOAD-TLAX")]
    assert tlax.target_kind == TargetKind.MILESTONES
    assert list(tlax.milestones.values_list("name", "due_date", "weight")) == [
        ("Diagnóstico de infraestructura", dt.date(2026, 6, 30), Decimal("1.00")),
        ("Capacitación del personal", dt.date(2026, 9, 30), Decimal("2.00")),
        ("Arranque en UMF piloto", dt.date(2026, 11, 30), Decimal("1.00")),
    ]
    assert found[("RR8-CEN-2026-0003", "OOAD-MEXO")].milestones.count() == 2
    again = agreements_import(file=fixture("acuerdos_centro.xlsx"), meeting=meeting)
    assert [a.status for a in again.agreements] == ["unchanged"] * 3


def test_it_imports_the_libreoffice_csv_in_windows_1252(meeting):
    file = fixture("acuerdos_centro_cp1252.csv")
    assert "Michoacán".encode("cp1252") in file.data
    assert b";" in file.data
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert plan.file_kind == "csv"
    found = _commitments()
    assert len(found) == 7
    # The merged rows lost their merge in CSV: the continuation row still joins its agreement.
    assert ("RR8-CEN-2026-0002", "UMAE-CMNSXXI-HE") in found
    assert list(
        found[("RR8-CEN-2026-0001", "OOAD-HGO")].co_responsible_units.values_list("code", flat=True)
    ) == ["OOAD-MICH"]
    assert Agreement.objects.get(folio="RR8-CEN-2026-0001").text.startswith(
        "Reducir el tiempo de espera para cirugía"
    )


def test_it_imports_the_same_agreements_from_the_csv_and_the_xlsx_of_a_sheet(meeting):
    agreements_import(file=fixture("acuerdos_centro.xlsx"), meeting=meeting)
    plan = agreements_import(file=fixture("acuerdos_centro_cp1252.csv"), meeting=meeting)
    # The CSV has no milestones sheet: milestones are not compared, the rest is the same.
    assert plan.ok, plan.errors
    assert [a.status for a in plan.agreements] == ["unchanged"] * 3


def test_it_imports_the_tables_of_a_docx_minuta(meeting):
    plan = agreements_import(file=fixture("minuta_centro.docx"), meeting=meeting)
    assert plan.ok, plan.errors
    assert plan.file_kind == "docx"
    assert [w.table for w in plan.warnings] == ["Tabla 2"]
    found = _commitments()
    assert sorted(found) == [
        ("RR8-CEN-2026-0011", "OOAD-QRO"),
        ("RR8-CEN-2026-0012", "OOAD-CDMXS"),
        ("RR8-CEN-2026-0012", "OOAD-HGO"),
        ("RR8-CEN-2026-0013", "UMAE-CMNR-HE"),
        ("RR8-CEN-2026-0013", "UMAE-CMNR-HG"),
    ]
    dignity = Agreement.objects.get(folio="RR8-CEN-2026-0011")
    assert dignity.text == (
        "Fortalecer el trato digno en los servicios de urgencias\n"
        "con módulos de orientación al derechohabiente."
    )
    assert dignity.theme.code == "TD"
    staff = Agreement.objects.get(folio="RR8-CEN-2026-0012")
    assert staff.theme.code == "PER"  # vertically merged cell
    assert found[("RR8-CEN-2026-0012", "OOAD-CDMXS")].due_date == dt.date(2026, 9, 30)
    assert found[("RR8-CEN-2026-0013", "UMAE-CMNR-HE")].due_date == dt.date(2026, 12, 15)
