"""Evidence files are judged by their content; refused files leave nothing behind."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from acuerdos.core import uploads as evidence
from acuerdos.core.errors import DomainError
from acuerdos.progress.tests.helpers import PDF, docx, png


def check(content: bytes, name: str):
    return evidence.check_upload(io.BytesIO(content), name)


def test_it_accepts_a_pdf_by_its_content():
    checked = check(PDF, "informe.PDF")
    assert (checked.content_type, checked.extension) == ("application/pdf", "pdf")
    assert len(checked.sha256) == 64


def test_it_ignores_the_name_when_the_content_is_a_pdf():
    assert check(PDF, "foto.jpg").extension == "pdf"


def test_it_reencodes_images_dropping_anything_appended():
    payload = b"<script>alert(1)</script>"
    checked = check(png(trailer=payload), "foto.png")
    assert checked.content_type == "image/png"
    assert payload not in checked.content
    assert checked.content.startswith(b"\x89PNG")


def test_it_accepts_office_documents_without_macros():
    assert check(docx(), "minuta.docx").extension == "docx"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "reporte.pdf", "ejecutables"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "avance.docx", "ejecutables"),
        (b"<html><script>alert(1)</script></html>", "evidencia.pdf", "SVG, HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "a.png", "SVG"),
        (b"", "vacio.pdf", "vacío"),
        (docx(with_macros=True), "macro.docx", "macros"),
        (b"just some text", "notas.txt", "no se reconoce"),
        (b"\x89PNG\r\n\x1a\nbroken", "rota.png", "dañada"),
    ],
)
def test_it_refuses_dangerous_or_unknown_files_in_spanish(content, name, message):
    with pytest.raises(DomainError) as error:
        check(content, name)
    assert message in error.value.message
    assert name in error.value.message


@override_settings(ACUERDOS={"EVIDENCE_MAX_BYTES": 1000})
def test_it_refuses_an_oversized_file_without_reading_it_all():
    stream = io.BytesIO(PDF + b"0" * 5000)
    with pytest.raises(DomainError, match="máximo permitido"):
        evidence.check_upload(stream, "grande.pdf")
    assert stream.tell() == 1001


def test_it_leaves_no_partial_file_when_storage_fails(monkeypatch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    checked = check(PDF, "informe.pdf")

    def failing_save(name, content, max_length=None):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", failing_save)
    with pytest.raises(DomainError, match="almacenamiento"):
        evidence.store(checked)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
