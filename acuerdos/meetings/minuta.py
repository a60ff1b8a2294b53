"""Minuta files: accepted by what they contain (PDF or Word .docx), never by their name.

The same approach as evidence uploads (`progress/evidence.py`), kept here so that `meetings`
does not import an app above it: read at most the size limit, recognise the bytes, refuse
macros, store under a random name, and leave no partial file when storage fails.
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

from acuerdos.core.errors import DomainError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
ACCEPT = ".pdf,.docx"


@dataclass
class MinutaUpload:
    """A minuta file as the service sees it: a readable stream and the name it came with."""

    stream: IO[bytes]
    name: str


@dataclass(frozen=True)
class CheckedMinuta:
    """A minuta that passed the checks: the bytes to store and what they are."""

    content: bytes
    extension: str
    sha256: str
    original_name: str


def max_bytes() -> int:
    """The same limit as evidence files (settings.ACUERDOS["EVIDENCE_MAX_BYTES"])."""
    config = getattr(settings, "ACUERDOS", {}) or {}
    return int(config.get("MINUTA_MAX_BYTES", config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)))


def _refuse(name: str, reason: str) -> DomainError:
    return DomainError(f"No se aceptó «{name}»: {reason}")


def check(upload: MinutaUpload) -> CheckedMinuta:
    """Run every check on an uploaded minuta and return what to store, or raise DomainError."""
    name = (upload.name or "minuta").replace("\\", "/").rsplit("/", 1)[-1][:200]
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse(name, "pesa más del máximo permitido. Redúzcalo.")
    if not data:
        raise _refuse(name, "el archivo está vacío.")
    if data.startswith(b"%PDF-"):
        extension = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise _refuse(name, "el archivo está dañado.") from exc
        if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
            raise _refuse(name, "la minuta debe ser PDF o Word (.docx).")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise _refuse(name, "contiene macros. Guárdelo como .docx sin macros.")
        extension = "docx"
    else:
        raise _refuse(name, "la minuta debe ser PDF o Word (.docx).")
    return CheckedMinuta(
        content=data,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=name,
    )


def store(checked: CheckedMinuta) -> str:
    """Write the minuta under a random name; on a storage error remove what was written."""
    name = f"minutas/{uuid.uuid4().hex}.{checked.extension}"
    try:
        return default_storage.save(name, ContentFile(checked.content))
    except Exception as exc:
        discard(name)
        logger.exception("minuta storage failed")
        raise DomainError(
            "No se pudo guardar la minuta por un problema de almacenamiento. "
            "No se guardó nada; intente de nuevo en unos minutos."
        ) from exc


def discard(name: str) -> None:
    """Remove a stored file, ignoring one that is already gone."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except Exception:
        logger.exception("could not remove a minuta after a failed write")
