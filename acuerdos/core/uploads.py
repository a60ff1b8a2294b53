"""Uploaded files (evidence, minutas): accepted by what they contain, never by their name or the
browser's word.

Accepted: PDF, PNG/JPEG/GIF/WebP images (re-encoded, so that anything appended to them is
dropped), Word/Excel/PowerPoint (OOXML without macros, and the 97-2003 formats). Refused: SVG,
HTML, executables, archives and anything else. Files are stored under a random name through
Django's storage API (local disk or S3), and a failed write leaves no partial file behind.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from acuerdos.core.errors import DomainError

logger = logging.getLogger(__name__)

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# A decompression bomb must not exhaust memory while an image is re-encoded.
MAX_IMAGE_PIXELS = 60_000_000

OOXML_KINDS = {
    "word/": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/png", "png"),  # re-encoded as PNG
    "WEBP": ("image/png", "png"),  # re-encoded as PNG
}
ACCEPTED_HINT = "PDF, imágenes (PNG, JPG), Word, Excel o PowerPoint"


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: the bytes to store and what they are."""

    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def refuse(name: str, reason: str) -> DomainError:
    """The Spanish refusal of an uploaded file, naming it."""
    return DomainError(f"No se aceptó «{name}»: {reason}")


def sha256(content: bytes) -> str:
    """The SHA-256 of a file's bytes, as stored beside it."""
    return hashlib.sha256(content).hexdigest()


def clean_name(original_name: str, default: str) -> str:
    """The file name without any path the browser sent, at most 200 characters."""
    return (original_name or default).replace("\\", "/").rsplit("/", 1)[-1][:200]


def read_limited(stream: IO[bytes], name: str, limit: int) -> bytes:
    """At most `limit` bytes of the upload; a longer one is refused without reading it all."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise refuse(
            name, f"pesa más de {filesizeformat(limit)}, el máximo permitido. Redúzcalo o divídalo."
        )
    return data


def _ooxml(data: bytes, name: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise refuse(name, "el archivo comprimido está dañado.") from exc
    if "[Content_Types].xml" not in names:
        raise refuse(name, f"los archivos comprimidos no se aceptan; adjunte {ACCEPTED_HINT}.")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse(name, "contiene macros. Guárdelo sin macros (.docx, .xlsx o .pptx).")
    for prefix, kind in OOXML_KINDS.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    raise refuse(name, f"no es un documento de Office reconocido; adjunte {ACCEPTED_HINT}.")


def _reencode_image(data: bytes, name: str) -> tuple[bytes, str, str]:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            content_type, extension = IMAGE_FORMATS[image_format]
            out = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
            else:
                converted = (
                    image
                    if image.mode in ("RGB", "RGBA", "L", "LA", "P")
                    else image.convert("RGBA")
                )
                converted.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, KeyError, Image.DecompressionBombError) as exc:
        raise refuse(name, "la imagen está dañada o no es de un formato aceptado.") from exc
    return out.getvalue(), content_type, extension


def detect(data: bytes, name: str) -> tuple[bytes, str, str]:
    """Identify the file from its bytes: (bytes to store, content type, extension)."""
    head = data[:1024].lstrip()
    lowered = head.lower()
    if (
        lowered.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html", b"<script"))
        or b"<svg" in lowered
    ):
        raise refuse(name, "los archivos SVG, HTML o XML no se aceptan como evidencia.")
    if data.startswith(b"%PDF-"):
        return data, "application/pdf", "pdf"
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return _reencode_image(data, name)
    if data.startswith(b"PK\x03\x04"):
        content_type, extension = _ooxml(data, name)
        return data, content_type, extension
    if data.startswith(OLE2_MAGIC):
        return data, "application/x-ole-storage", "ole"
    if data.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        raise refuse(name, "los programas ejecutables no se aceptan como evidencia.")
    raise refuse(name, f"el tipo de archivo no se reconoce. Adjunte {ACCEPTED_HINT}.")


_LEGACY_OFFICE = {".doc": "doc", ".xls": "xls", ".ppt": "ppt"}
_LEGACY_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


def check_upload(stream: IO[bytes], original_name: str) -> CheckedFile:
    """Run every check on an uploaded file and return what to store, or raise DomainError."""
    name = clean_name(original_name, "archivo")
    data = read_limited(stream, name, int(settings.ACUERDOS["EVIDENCE_MAX_BYTES"]))
    if not data:
        raise refuse(name, "el archivo está vacío.")
    content, content_type, extension = detect(data, name)
    if extension == "ole":
        # 97-2003 Office documents share one container; the name only picks the label.
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in _LEGACY_OFFICE:
            raise refuse(name, f"el tipo de archivo no se reconoce. Adjunte {ACCEPTED_HINT}.")
        extension = _LEGACY_OFFICE[suffix]
        content_type = _LEGACY_TYPES[extension]
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=sha256(content),
        original_name=name,
    )


def store(checked: CheckedFile, *, folder: str = "evidencias", what: str = "la evidencia") -> str:
    """Write the file under a random name in `folder`; on any storage error remove what was
    written and say so about `what` (e.g. "la minuta")."""
    name = f"{folder}/{uuid.uuid4().hex}.{checked.extension}"
    try:
        saved = default_storage.save(name, ContentFile(checked.content))
    except Exception as exc:
        discard(name)
        logger.exception("upload storage failed (%s)", folder)
        raise DomainError(
            f"No se pudo guardar {what} por un problema de almacenamiento. "
            "No se guardó nada; intente de nuevo en unos minutos."
        ) from exc
    return saved


def discard(name: str) -> None:
    """Remove a stored file, ignoring a file that is already gone."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except Exception:
        logger.exception("could not remove an uploaded file after a failed write")
