"""The downloadable template: canonical columns, instructions, drop-down lists; filled in, it
imports."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from acuerdos.commitments.imports import ImportFile, agreements_import, template_build
from acuerdos.commitments.imports.headers import AGREEMENT_FIELDS, MILESTONE_FIELDS
from acuerdos.commitments.models import Commitment, TargetKind

pytestmark = pytest.mark.django_db


def _template(kind="agreements"):
    buffer = io.BytesIO()
    template_build(buffer, kind=kind)
    return buffer.getvalue()


def test_it_has_the_canonical_columns_instructions_and_lists(catalog):
    workbook = openpyxl.load_workbook(io.BytesIO(_template()))
    assert workbook.sheetnames == ["Acuerdos", "Hitos", "Instrucciones", "Listas"]
    sheet = workbook["Acuerdos"]
    assert [c.value for c in sheet[1]] == [f.label for f in AGREEMENT_FIELDS]
    assert [c.value for c in workbook["Hitos"][1]] == [f.label for f in MILESTONE_FIELDS]
    assert sheet.freeze_panes == "A2"
    assert workbook["Listas"].sheet_state == "hidden"
    lists = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    responsible = lists["F2"]
    assert responsible.type == "list"
    assert responsible.formula1 == "Listas!$A$2:$A$61"
    assert lists["D2"].formula1.startswith("Listas!$B$2")
    assert lists["O2"].formula1.startswith("Listas!$D$2")
    assert lists["I2"].type == "date"
    units = [c.value for c in workbook["Listas"]["A"][1:]]
    assert "Querétaro" in units and "HE CMN La Raza" in units
    instructions = " ".join(
        str(c.value) for row in workbook["Instrucciones"].iter_rows() for c in row if c.value
    )
    assert "Todas las OOAD de la región" in instructions
    assert "30 de junio de 2026" in instructions


def test_it_imports_a_filled_in_template(meeting):
    workbook = openpyxl.load_workbook(io.BytesIO(_template()))
    sheet = workbook["Acuerdos"]
    sheet.append(
        [
            "RR8-CEN-2026-0001",
            "Reducir la espera en urgencias.",
            None,
            "Atención médica",
            None,
            "Querétaro, Puebla",
            None,
            None,
            dt.datetime(2026, 9, 30),
        ]
    )
    workbook["Hitos"].append(["RR8-CEN-2026-0001", "Puebla", "Diagnóstico", "30/06/2026", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = agreements_import(file=ImportFile("plantilla.xlsx", buffer.getvalue()), meeting=meeting)
    assert plan.ok, plan.errors
    assert plan.warnings == []
    assert dict(Commitment.objects.values_list("responsible_unit__code", "target_kind")) == {
        "OOAD-QRO": TargetKind.PERCENT,
        "OOAD-PUE": TargetKind.MILESTONES,
    }


def test_it_builds_the_progress_template(catalog):
    workbook = openpyxl.load_workbook(io.BytesIO(_template("progress")))
    assert workbook.sheetnames == ["Avances", "Instrucciones", "Listas"]
    assert [c.value for c in workbook["Avances"][1]][:4] == [
        "Folio",
        "Unidad",
        "Fecha de avance",
        "Porcentaje de avance",
    ]


def test_it_writes_the_template_from_the_command_line(catalog, tmp_path, capsys):
    path = tmp_path / "plantilla.xlsx"
    call_command("export_template", str(path))
    assert "Plantilla escrita" in capsys.readouterr().out
    assert openpyxl.load_workbook(path).sheetnames[0] == "Acuerdos"
