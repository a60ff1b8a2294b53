"""Minuta files: PDF or Word (.docx), accepted by what they contain, never by their name.

The checks are the uploads' (`core/uploads.py`, shared with evidence files): read at most the
size limit, recognise the bytes, refuse macros, store under a random name, and leave no partial
file when storage fails; a minuta is further limited to PDF and .docx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.conf import settings

from acuerdos.core import uploads
from acuerdos.core.uploads import CheckedFile

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
ACCEPT = ".pdf,.docx"
NOT_A_MINUTA = "la minuta debe ser PDF o Word (.docx)."


@dataclass
class MinutaUpload:
    """A minuta file as the service sees it: a readable stream and the name it came with."""

    stream: IO[bytes]
    name: str


def max_bytes() -> int:
    """The same limit as evidence files (settings.ACUERDOS["EVIDENCE_MAX_BYTES"])."""
    config = getattr(settings, "ACUERDOS", {}) or {}
    return int(config.get("MINUTA_MAX_BYTES", config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)))


def check(upload: MinutaUpload) -> CheckedFile:
    """Run every check on an uploaded minuta and return what to store, or raise DomainError."""
    name = uploads.clean_name(upload.name, "minuta")
    data = uploads.read_limited(upload.stream, name, max_bytes())
    if not data:
        raise uploads.refuse(name, "el archivo está vacío.")
    if not data.startswith((b"%PDF-", b"PK\x03\x04")):
        raise uploads.refuse(name, NOT_A_MINUTA)
    content, content_type, extension = uploads.detect(data, name)
    if extension not in ("pdf", "docx"):
        raise uploads.refuse(name, NOT_A_MINUTA)
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=uploads.sha256(content),
        original_name=name,
    )


def store(checked: CheckedFile) -> str:
    """Write the minuta under a random name; on a storage error remove what was written."""
    return uploads.store(checked, folder="minutas", what="la minuta")


discard = uploads.discard
