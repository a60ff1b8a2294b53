"""The uploaded file as the importers see it, and the limits checked before anything is parsed.

A spreadsheet import is the one place where a stranger's file is opened by the server, so the
checks run in this order and refuse early, in Spanish:

1. the size of the file (20 MB) before it is read into memory;
2. what it is, from its first bytes (never from its name): XLSX, DOCX, legacy XLS/DOC, or text;
3. for XLSX and DOCX (zip packages), the zip's own directory — the member count from the end
   record before Python builds its list, then the declared unpacked size of every member, their
   total and their compression ratio — before any XML is parsed. Python's `zipfile` never
   returns more bytes than a member declares (and checks the CRC), so the declared sizes bound
   what the XML parsers will see;
4. XML is parsed only through defusedxml (openpyxl uses it when it is installed).
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from acuerdos.core.errors import DomainError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 80
MAX_ZIP_MEMBERS = 1_000
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small members (styles, relationships) can compress far better than a sheet without harm.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

FileKind = Literal["xlsx", "docx", "csv"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


class FileRefused(DomainError):
    """The file as a whole cannot be imported (too big, not a spreadsheet, a zip bomb…)."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


@dataclass(frozen=True)
class ImportFile:
    """An uploaded file: its original name (only shown to people) and its bytes."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def from_path(cls, path: str | Path) -> ImportFile:
        """Read a file from disk, refusing it before reading if it is over the size limit."""
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise FileRefused(f"No se pudo abrir el archivo «{path}»: {exc.strerror}.") from exc
        if size > MAX_FILE_BYTES:
            raise FileRefused(_too_big(size))
        with path.open("rb") as handle:
            return cls.from_stream(handle, path.name)

    @classmethod
    def from_stream(cls, stream: IO[bytes], name: str) -> ImportFile:
        """Read an uploaded stream, never more than one byte past the size limit."""
        data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused(_too_big(None))
        return cls(name=name, data=data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def _too_big(size: int | None) -> str:
    shown = f" ({_megabytes(size)})" if size is not None else ""
    return (
        f"El archivo es demasiado grande{shown}: el límite es {_megabytes(MAX_FILE_BYTES)}. "
        "Divídalo en varios archivos o quite hojas e imágenes que no se importan."
    )


def detect_kind(file: ImportFile) -> FileKind:
    """What the file is, from its content. Legacy binary Office files are refused with advice."""
    if not file.data:
        raise FileRefused("El archivo está vacío.")
    if len(file.data) > MAX_FILE_BYTES:
        raise FileRefused(_too_big(len(file.data)))
    head = file.data[:8]
    if head.startswith(_OLE_MAGIC):
        raise FileRefused(
            "El archivo está en el formato antiguo de Office (.xls o .doc). Ábralo y guárdelo "
            "como libro de Excel (.xlsx) o documento de Word (.docx) e impórtelo de nuevo."
        )
    if head.startswith((_ZIP_MAGIC, b"PK\x05\x06")):
        names = set(checked_zip_names(file.data))
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            raise FileRefused(
                "El archivo parece de LibreOffice (.ods u .odt). Guárdelo como .xlsx, .csv o "
                ".docx e impórtelo de nuevo."
            )
        raise FileRefused(
            "El archivo comprimido no es un libro de Excel (.xlsx) ni un documento de Word (.docx)."
        )
    if b"\x00" in file.data[:4096] and not file.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            "El archivo no es una hoja de cálculo, un CSV ni un documento de Word. "
            "Use .xlsx, .csv o .docx."
        )
    return "csv"


def _zip_entry_count(data: bytes) -> int:
    """The member count written in the zip's end record, read without building the list."""
    tail_start = max(0, len(data) - (22 + 65_535))
    position = data.rfind(_EOCD, tail_start)
    if position < 0:
        raise FileRefused("El archivo está dañado: no se pudo leer como libro de Excel o Word.")
    (entries,) = struct.unpack_from("<H", data, position + 10)
    if entries == 0xFFFF:
        locator = data.rfind(_ZIP64_LOCATOR, max(0, position - 20), position)
        if locator >= 0:
            (offset,) = struct.unpack_from("<Q", data, locator + 8)
            if offset + 56 <= len(data) and data[offset : offset + 4] == _ZIP64_EOCD:
                (entries,) = struct.unpack_from("<Q", data, offset + 32)
    return int(entries)


def check_zip(infos: Iterable[zipfile.ZipInfo]) -> None:
    """Refuse a package whose members declare too much data or an implausible compression
    ratio (a zip bomb), before any of them is decompressed."""
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            raise FileRefused(
                _bomb(f"«{info.filename}» se descomprime a {_megabytes(info.file_size)}")
            )
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise FileRefused(_bomb(f"descomprimido ocupa más de {_megabytes(MAX_UNPACKED_BYTES)}"))
        if info.file_size >= RATIO_CHECK_FROM_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise FileRefused(_bomb(f"«{info.filename}» está comprimido {ratio:.0f} veces"))


def _bomb(detail: str) -> str:
    return (
        f"El archivo se rechazó sin abrirlo: {detail}, mucho más de lo que ocupa una hoja de "
        "cálculo real (podría ser un archivo malicioso). Si es legítimo, guárdelo de nuevo "
        "desde Excel o LibreOffice, o divídalo en archivos más pequeños."
    )


def checked_zip_names(data: bytes) -> list[str]:
    """The member names of a zip package whose directory passed every limit."""
    entries = _zip_entry_count(data)
    if entries > MAX_ZIP_MEMBERS:
        raise FileRefused(_bomb(f"contiene {entries} archivos internos"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise FileRefused(
            "El archivo está dañado: no se pudo leer como libro de Excel o Word."
        ) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileRefused(_bomb(f"contiene {len(infos)} archivos internos"))
    check_zip(infos)
    return [info.filename for info in infos]
