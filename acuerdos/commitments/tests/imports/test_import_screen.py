"""The import screen: upload → preview → confirm, for coordinators only (issue 6)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.imports import staging
from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.organization.models import Role, Unit, UnitAlias
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from acuerdos.progress.models import ProgressReport

from .helpers import HEADERS, xlsx_bytes

pytestmark = pytest.mark.django_db

DUE = dt.datetime(2026, 9, 30)
GOOD_ROWS = [
    ["Acuerdos de la 8ª Reunión Regional Centro"],
    HEADERS,
    ["RR8-CEN-2026-0001", "Abatir el rezago quirúrgico.", "Atención médica", "Querétaro", DUE],
    ["RR8-CEN-2026-0002", "Digitalizar el expediente.", "DIG", "Hidalgo, Puebla", DUE],
]
# Five kinds of error in five rows: unknown unit, impossible date, missing text, unknown theme,
# due date before the meeting (rows 4 to 8 as the spreadsheet numbers them).
BAD_ROWS = [
    ["Título del archivo"],
    HEADERS,
    ["RR8-CEN-2026-0001", "Abatir el rezago quirúrgico.", "Atención médica", "Querétaro", DUE],
    ["RR8-CEN-2026-0002", "Digitalizar el expediente.", "DIG", "Atlantis", DUE],
    ["RR8-CEN-2026-0003", "Ampliar horarios.", "Atención médica", "Puebla", "31/02/2026"],
    ["RR8-CEN-2026-0004", "", "Atención médica", "Puebla", DUE],
    ["RR8-CEN-2026-0005", "Medir la espera.", "Astronomía", "Puebla", DUE],
    [
        "RR8-CEN-2026-0006",
        "Abrir quirófanos.",
        "Atención médica",
        "Puebla",
        dt.datetime(2026, 3, 1),
    ],
]
EXPECTED_ERRORS = [
    ("4", "Responsable", "No se reconoce la unidad «Atlantis»"),
    ("5", "Fecha compromiso", "31/02/2026"),
    ("6", "Acuerdo", "Falta el texto del acuerdo"),
    ("7", "Línea de acción", "Astronomía"),
    ("8", "Fecha compromiso", "es anterior"),
]


@pytest.fixture(autouse=True)
def staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    return tmp_path / "staging"


@pytest.fixture
def coordinator(clients):
    return clients["coordinator"]


def upload(client: Client, meeting, rows, name="acuerdos.xlsx"):
    # openpyxl stamps the time into the file: the same rows give the same bytes only once.
    data = rows if isinstance(rows, bytes) else xlsx_bytes(rows)
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(
        reverse("imports:agreements_upload"), {"meeting": meeting.pk, "file": file}
    )
    return response, hashlib.sha256(data).hexdigest()


def preview(client: Client, meeting, sha):
    return client.get(reverse("imports:agreements_preview", args=[meeting.pk, sha]))


def confirm(client: Client, meeting, sha, expected_create, expected_unchanged=0):
    return client.post(
        reverse("imports:agreements_confirm", args=[meeting.pk, sha]),
        {"expected_create": expected_create, "expected_unchanged": expected_unchanged},
    )


def error_rows(html: str) -> list[tuple[str, str, str]]:
    """(row, column, message) of each row of the errors table."""
    found = []
    for row in re.findall(r"<tr>\s*<td class=\"[^\"]*ac-issue-row\">(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", '<td class="x">' + row, re.S)
        text = [
            re.sub(r"<[^>]+>", "", c).replace("&laquo;", "«").replace("&raquo;", "»") for c in cells
        ]
        found.append(tuple(" ".join(t.split()) for t in text))
    return found


def test_it_previews_every_error_by_row_and_column_and_writes_nothing(coordinator, meeting):
    response, sha = upload(coordinator, meeting, BAD_ROWS)
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:agreements_preview", args=[meeting.pk, sha])
    page = preview(coordinator, meeting, sha)
    assert page.status_code == 200
    html = page.content.decode()
    rows = error_rows(html)
    assert len(rows) == 5
    for (row, column, message), (want_row, want_column, fragment) in zip(
        rows, EXPECTED_ERRORS, strict=True
    ):
        assert row == f"Fila {want_row}"
        assert column == f"Columna «{want_column}»"
        assert fragment in message
    assert "No se importó nada: 5 errores" in html
    assert "Hoja «Acuerdos»" in html
    assert reverse("imports:agreements_confirm", args=[meeting.pk, sha]) not in html
    assert not Agreement.objects.filter(meeting=meeting).exists()
    # A forged confirmation of the file with errors writes nothing either.
    refused = confirm(coordinator, meeting, sha, expected_create=1)
    assert refused.status_code == 409
    assert not Agreement.objects.filter(meeting=meeting).exists()


def test_it_imports_the_fixed_file_on_confirmation_and_shows_what_was_written(
    coordinator, meeting, staging_dir, world
):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    page = preview(coordinator, meeting, sha)
    html = page.content.decode()
    assert "Se importarían 2 acuerdos con 3 compromisos" in html
    assert "Importar 2 acuerdos" in html
    assert 'name="expected_create" value="2"' in html
    assert not Agreement.objects.filter(meeting=meeting).exists()

    done = confirm(coordinator, meeting, sha, expected_create=2)
    assert done.status_code == 200
    text = done.content.decode()
    assert "Se importaron 2 acuerdos con 3 compromisos" in text
    first = Agreement.objects.get(folio="RR8-CEN-2026-0001")
    assert first.get_absolute_url() in text
    assert Commitment.objects.filter(agreement__meeting=meeting).count() == 3
    events = AuditEvent.objects.filter(action="agreement.imported")
    assert events.count() == 2
    assert {e.actor for e in events} == {world.users["coordinator"]}
    assert all(e.context["sha256"] == sha for e in events)
    # The staged copy is gone once imported: confirming again is refused, nothing doubles.
    assert not list(staging_dir.glob("*/*.bin"))
    again = confirm(coordinator, meeting, sha, expected_create=2)
    assert again.status_code == 410
    assert Agreement.objects.filter(meeting=meeting).count() == 2


def test_it_changes_nothing_when_the_same_file_is_imported_again(coordinator, meeting):
    data = xlsx_bytes(GOOD_ROWS)
    _, sha = upload(coordinator, meeting, data)
    confirm(coordinator, meeting, sha, expected_create=2)
    counts = (Agreement.objects.count(), Commitment.objects.count(), AuditEvent.objects.count())

    _, same = upload(coordinator, meeting, data)
    assert same == sha
    html = preview(coordinator, meeting, sha).content.decode()
    assert "Sin cambios" in html
    assert "No hay nada que importar" in html
    assert reverse("imports:agreements_confirm", args=[meeting.pk, sha]) not in html
    done = confirm(coordinator, meeting, sha, expected_create=0, expected_unchanged=2)
    assert done.status_code == 200
    assert "Sin cambios" in done.content.decode()
    assert (
        Agreement.objects.count(),
        Commitment.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


@pytest.mark.parametrize("persona", ["liaison", "head", "validator", "viewer", "other_liaison"])
def test_it_answers_403_to_everyone_but_coordinators(clients, meeting, persona, staging_dir):
    client = clients[persona]
    response, sha = upload(client, meeting, GOOD_ROWS)
    assert response.status_code == 403
    assert not staging_dir.exists() or not list(staging_dir.glob("*/*"))
    assert preview(client, meeting, sha).status_code == 403
    assert confirm(client, meeting, sha, expected_create=2).status_code == 403
    assert client.get(reverse("imports:start")).status_code == 403
    assert client.get(reverse("imports:template", args=["acuerdos"])).status_code == 403
    assert not Agreement.objects.filter(meeting=meeting).exists()


def test_it_refuses_a_forged_hash(coordinator, meeting):
    upload(coordinator, meeting, GOOD_ROWS)
    forged = hashlib.sha256(b"otro archivo").hexdigest()
    response = confirm(coordinator, meeting, forged, expected_create=2)
    assert response.status_code == 410
    assert "No se importó nada" in response.content.decode()
    assert not Agreement.objects.filter(meeting=meeting).exists()


def test_it_refuses_a_staged_file_whose_content_no_longer_matches_its_hash(
    coordinator, meeting, staging_dir
):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    (stored,) = staging_dir.glob(f"*/*{sha}.bin")
    stored.write_bytes(xlsx_bytes([HEADERS, ["RR8-CEN-2026-0009", "Otro", "AM", "Puebla", DUE]]))
    response = confirm(coordinator, meeting, sha, expected_create=2)
    assert response.status_code == 410
    assert "no coincide" in response.content.decode()
    assert not Agreement.objects.filter(meeting=meeting).exists()


def test_it_refuses_an_expired_preview(coordinator, meeting, staging_dir):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    (meta,) = staging_dir.glob(f"*/*{sha}.json")
    uploaded = json.loads(meta.read_text())
    uploaded["uploaded_at"] -= staging.STAGING_TTL.total_seconds() + 60
    meta.write_text(json.dumps(uploaded))
    assert preview(coordinator, meeting, sha).status_code == 410
    assert confirm(coordinator, meeting, sha, expected_create=2).status_code == 410
    assert not Agreement.objects.filter(meeting=meeting).exists()
    assert not list(staging_dir.glob("*/*.bin"))


def test_it_sweeps_expired_files_of_everyone_on_upload(coordinator, meeting, staging_dir):
    upload(coordinator, meeting, GOOD_ROWS)
    assert staging.staged_sweep() == 0
    later = dt.datetime.now().timestamp() + staging.STAGING_TTL.total_seconds() + 60
    assert staging.staged_sweep(now=later) == 1
    assert not list(staging_dir.glob("*/*"))


def test_it_refuses_a_file_staged_by_another_person_or_for_another_meeting(
    coordinator, meeting, world
):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    other = UserFactory(email="otra.coordinadora@imss.gob.mx")
    MembershipFactory(user=other, unit=Unit.objects.get(code="DOE"), role=Role.COORDINATOR)
    client = Client()
    client.force_login(other)
    assert preview(client, meeting, sha).status_code == 410
    assert confirm(client, meeting, sha, expected_create=2).status_code == 410
    # The same person, the same file, but the confirmation names another meeting.
    assert confirm(coordinator, world.meeting, sha, expected_create=2).status_code == 410
    assert not Agreement.objects.filter(folio__startswith="RR8-CEN").exists()


def test_it_shows_the_preview_again_when_the_plan_changed_since(coordinator, meeting):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    response = confirm(coordinator, meeting, sha, expected_create=5)
    assert response.status_code == 409
    assert "cambió desde que vio la vista previa" in response.content.decode()
    assert not Agreement.objects.filter(meeting=meeting).exists()


def test_it_checks_the_file_by_its_content_whatever_its_name(coordinator, meeting):
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 20
    file = SimpleUploadedFile("acuerdos.xlsx", data)
    response = coordinator.post(
        reverse("imports:agreements_upload"), {"meeting": meeting.pk, "file": file}
    )
    sha = hashlib.sha256(data).hexdigest()
    html = preview(coordinator, meeting, sha).content.decode()
    assert response.status_code == 302
    assert "no es una hoja de cálculo" in html
    assert "No se importó nada: 1 error" in html


def test_it_refuses_a_file_over_the_size_limit_in_the_form(coordinator, meeting, monkeypatch):
    from acuerdos.commitments import import_forms

    monkeypatch.setattr(import_forms, "MAX_FILE_BYTES", 1024)
    file = SimpleUploadedFile("grande.xlsx", b"x" * 2048)
    response = coordinator.post(
        reverse("imports:agreements_upload"), {"meeting": meeting.pk, "file": file}
    )
    assert response.status_code == 400
    assert "el límite es" in response.content.decode()


def test_it_requires_a_meeting_and_a_file(coordinator):
    response = coordinator.post(reverse("imports:agreements_upload"), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Elija la reunión en la que se firmaron los acuerdos." in html
    assert "Elija el archivo que quiere importar." in html


def test_it_registers_an_unknown_name_as_an_alias_and_previews_again(coordinator, meeting, world):
    rows = [HEADERS, ["RR8-CEN-2026-0001", "Abatir el rezago.", "AM", "Queretaro Centro", DUE]]
    _, sha = upload(coordinator, meeting, rows)
    html = preview(coordinator, meeting, sha).content.decode()
    assert "Unidades no reconocidas" in html
    assert "«Queretaro Centro»" in html
    qro = Unit.objects.get(code="OOAD-QRO")
    assert f'name="unit" value="{qro.pk}"' in html
    assert "Agregar como alias de Querétaro (OOAD-QRO)" in html

    response = coordinator.post(
        reverse("imports:alias_add"),
        {
            "alias": "Queretaro Centro",
            "unit": qro.pk,
            "kind": "agreements",
            "meeting": meeting.pk,
            "sha256": sha,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(
        reverse("imports:agreements_preview", args=[meeting.pk, sha])
    )
    text = response.content.decode()
    assert "quedó registrado como alias de Querétaro" in text
    assert "Unidades no reconocidas" not in text
    assert "Se importarían 1 acuerdo con 1 compromiso" in text
    assert UnitAlias.objects.get(alias="Queretaro Centro").unit == qro
    event = AuditEvent.objects.filter(action="unitalias.created").latest("id")
    assert event.actor == world.users["coordinator"]
    assert event.changes["alias"] == [None, "Queretaro Centro"]


def test_it_says_so_when_an_alias_names_another_unit(coordinator, meeting):
    UnitAlias.objects.create(unit=Unit.objects.get(code="OOAD-PUE"), alias="Queretaro Centro")
    rows = [HEADERS, ["RR8-CEN-2026-0001", "Abatir el rezago.", "AM", "Querétaro", DUE]]
    _, sha = upload(coordinator, meeting, rows)
    response = coordinator.post(
        reverse("imports:alias_add"),
        {
            "alias": "Queretaro Centro",
            "unit": Unit.objects.get(code="OOAD-QRO").pk,
            "kind": "agreements",
            "meeting": meeting.pk,
            "sha256": sha,
        },
        follow=True,
    )
    assert "ya es alias de" in response.content.decode()


def test_it_refuses_an_incomplete_alias_request(coordinator):
    response = coordinator.post(reverse("imports:alias_add"), {"alias": "x", "kind": "agreements"})
    assert response.status_code == 400


@pytest.mark.parametrize(("kind", "sheet"), [("acuerdos", "Acuerdos"), ("avances", "Avances")])
def test_it_downloads_the_template_of_each_kind(coordinator, kind, sheet):
    response = coordinator.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert sheet in workbook.sheetnames
    assert "Instrucciones" in workbook.sheetnames


def test_it_imports_progress_history_through_the_screen(coordinator, world, staging_dir):
    folio = world.own.folio
    rows = [
        ["Folio", "Unidad", "Fecha de avance", "Porcentaje de avance", "Narrativa", "Estado"],
        [folio, "Querétaro", dt.datetime(2026, 6, 30), 40, "Licitación publicada.", "Validado"],
        [folio, "Querétaro", dt.datetime(2026, 7, 31), 200, "Error de captura.", "Validado"],
    ]
    data = xlsx_bytes(rows, title="Avances")
    sha = hashlib.sha256(data).hexdigest()
    response = coordinator.post(
        reverse("imports:progress_upload"),
        {"file": SimpleUploadedFile("avances.xlsx", data)},
    )
    assert response["Location"] == reverse("imports:progress_preview", args=[sha])
    html = coordinator.get(response["Location"]).content.decode()
    assert error_rows(html)[0][:2] == ("Fila 3", "Columna «Porcentaje de avance»")
    assert not ProgressReport.objects.exists()

    fixed = xlsx_bytes(rows[:2], title="Avances")
    fixed_sha = hashlib.sha256(fixed).hexdigest()
    coordinator.post(
        reverse("imports:progress_upload"),
        {"file": SimpleUploadedFile("avances.xlsx", fixed)},
    )
    html = coordinator.get(reverse("imports:progress_preview", args=[fixed_sha])).content
    assert "Se importarían 1 reporte de avance" in html.decode()
    done = coordinator.post(
        reverse("imports:progress_confirm", args=[fixed_sha]),
        {"expected_create": 1, "expected_unchanged": 0},
    )
    assert done.status_code == 200
    assert "Se importaron 1 reporte de avance" in done.content.decode()
    report = ProgressReport.objects.get()
    assert report.imported
    assert report.author == world.users["coordinator"]
    assert AuditEvent.objects.filter(action="progress.imported").count() == 1


def test_it_keeps_the_staged_files_private_and_out_of_media(
    coordinator, meeting, staging_dir, settings
):
    _, sha = upload(coordinator, meeting, GOOD_ROWS)
    (stored,) = staging_dir.glob(f"*/*{sha}.bin")
    assert stored.stat().st_mode & 0o077 == 0
    assert stored.parent.stat().st_mode & 0o077 == 0
    meta = json.loads(stored.with_suffix(".json").read_text())
    assert meta["name"] == "acuerdos.xlsx"
    assert str(settings.MEDIA_ROOT) not in str(stored)
    # Nothing of the file travels in the session (only its hash in the address).
    assert all(len(str(value)) < 200 for value in coordinator.session.values())
