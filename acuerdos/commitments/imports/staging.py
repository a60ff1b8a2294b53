"""The uploaded file kept between the preview and the confirmation of an import screen.

The import screen previews a file and, when the coordinator confirms, writes *exactly that file*.
The bytes therefore stay on the server between the two requests — never in the session cookie
(size, and a cookie is the client's), never under MEDIA_ROOT or the static files (nothing here
may ever be served by URL). They live in a private directory (0700, files 0600) keyed by the
user, the kind of import, the meeting and the file's SHA-256:

    <IMPORT_STAGING_DIR>/<user id>/<kind>-<meeting id or 0>-<sha256>.bin  (+ .json: name, time)

so that a confirmation can only name a file that the same person uploaded for the same kind and
meeting, and the content is hashed again before it is used (a file changed on disk, or a
forged hash, is refused). Staged files expire after `STAGING_TTL` and are swept on every upload;
a confirmed import deletes its file.

Several app servers must share `IMPORT_STAGING_DIR` (a volume mounted on all of them) or route a
person's requests to one server; by default it is a directory under the system's temp dir.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.conf import settings

from acuerdos.commitments.imports.files import ImportFile

StagedKind = Literal["agreements", "progress"]

STAGING_TTL = dt.timedelta(hours=2)
MAX_STAGED_PER_USER = 10
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
KINDS: tuple[StagedKind, ...] = ("agreements", "progress")


class StagedFileMissing(Exception):
    """The staged file does not exist for this person (never uploaded, expired, already
    imported) or its content no longer matches its hash."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


EXPIRED = (
    "La vista previa ya no está disponible: el archivo expiró (se guarda {hours} horas), ya se "
    "importó o no corresponde a su sesión. Cargue el archivo de nuevo para ver la vista previa."
)


def staging_root() -> Path:
    """The private directory of staged uploads (created 0700 on first use)."""
    configured = getattr(settings, "IMPORT_STAGING_DIR", None) or os.environ.get(
        "IMPORT_STAGING_DIR"
    )
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / "acuerdos-imports"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


@dataclass(frozen=True)
class StagedFile:
    """A staged upload: who, what kind, for which meeting, and its content."""

    user_id: int
    kind: StagedKind
    meeting_id: int | None
    sha256: str
    name: str
    uploaded_at: dt.datetime
    data: bytes

    @property
    def file(self) -> ImportFile:
        return ImportFile(name=self.name, data=self.data)

    @property
    def expires_at(self) -> dt.datetime:
        return self.uploaded_at + STAGING_TTL


def _user_dir(user_id: int) -> Path:
    directory = staging_root() / str(int(user_id))
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def _stem(kind: StagedKind, meeting_id: int | None, sha256: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    if not SHA256_PATTERN.match(sha256):
        raise StagedFileMissing(EXPIRED.format(hours=_ttl_hours()))
    return f"{kind}-{int(meeting_id or 0)}-{sha256}"


def _ttl_hours() -> int:
    return int(STAGING_TTL.total_seconds() // 3600)


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically (temporary file + rename) with owner-only permissions."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def staged_save(
    *, user: Any, kind: StagedKind, meeting_id: int | None, file: ImportFile
) -> StagedFile:
    """Keep an uploaded file for its preview and confirmation; returns what was staged.

    Expired files (everyone's) are swept first, and a person keeps at most
    `MAX_STAGED_PER_USER` files (the oldest go)."""
    staged_sweep()
    directory = _user_dir(user.pk)
    sha256 = file.sha256
    stem = _stem(kind, meeting_id, sha256)
    now = time.time()
    _write_private(directory / f"{stem}.bin", file.data)
    name = file.name[:255]
    meta = {"name": name, "uploaded_at": now}
    _write_private(directory / f"{stem}.json", json.dumps(meta).encode("utf-8"))
    staged = sorted(directory.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in staged[MAX_STAGED_PER_USER:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
    return StagedFile(
        user_id=user.pk,
        kind=kind,
        meeting_id=meeting_id,
        sha256=sha256,
        name=name,
        uploaded_at=dt.datetime.fromtimestamp(now, tz=dt.UTC),
        data=file.data,
    )


def staged_load(*, user: Any, kind: StagedKind, meeting_id: int | None, sha256: str) -> StagedFile:
    """The file this person staged for this kind and meeting, with its hash checked again.

    Raises StagedFileMissing (with a Spanish message) when it is absent, expired or altered."""
    missing = StagedFileMissing(EXPIRED.format(hours=_ttl_hours()))
    stem = _stem(kind, meeting_id, sha256)
    directory = staging_root() / str(int(user.pk))
    path, meta_path = directory / f"{stem}.bin", directory / f"{stem}.json"
    try:
        meta = json.loads(meta_path.read_bytes())
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        raise missing from exc
    uploaded_at = dt.datetime.fromtimestamp(float(meta.get("uploaded_at", 0)), tz=dt.UTC)
    if dt.datetime.now(tz=dt.UTC) - uploaded_at > STAGING_TTL:
        staged_discard(user=user, kind=kind, meeting_id=meeting_id, sha256=sha256)
        raise missing
    if hashlib.sha256(data).hexdigest() != sha256:
        staged_discard(user=user, kind=kind, meeting_id=meeting_id, sha256=sha256)
        raise StagedFileMissing(
            "El archivo guardado para la vista previa no coincide con el que usted revisó. "
            "No se importó nada: cargue el archivo de nuevo."
        )
    return StagedFile(
        user_id=user.pk,
        kind=kind,
        meeting_id=meeting_id,
        sha256=sha256,
        name=str(meta.get("name") or "archivo"),
        uploaded_at=uploaded_at,
        data=data,
    )


def staged_discard(*, user: Any, kind: StagedKind, meeting_id: int | None, sha256: str) -> None:
    """Forget a staged file (after it was imported, or when it expired)."""
    with contextlib.suppress(StagedFileMissing):
        stem = _stem(kind, meeting_id, sha256)
        directory = staging_root() / str(int(user.pk))
        (directory / f"{stem}.bin").unlink(missing_ok=True)
        (directory / f"{stem}.json").unlink(missing_ok=True)


def staged_sweep(*, now: float | None = None) -> int:
    """Delete every staged file older than `STAGING_TTL`; returns how many were deleted."""
    limit = (now if now is not None else time.time()) - STAGING_TTL.total_seconds()
    deleted = 0
    root = staging_root()
    for path in root.glob("*/*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()
                deleted += path.suffix == ".bin"
    return deleted
