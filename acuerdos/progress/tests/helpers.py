"""Small real files for evidence tests, made in memory."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from acuerdos.progress.services import Upload

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(width: int = 40, height: int = 30, *, trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (35, 91, 78)).save(out, format="PNG")
    return out.getvalue() + trailer


def docx(*, with_macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return out.getvalue()


def upload(content: bytes, name: str) -> Upload:
    return Upload(stream=io.BytesIO(content), name=name)
