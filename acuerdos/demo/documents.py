"""The contents of the demo evidence files: small but real PDF documents and PNG photographs.

A PDF is written by hand (one page, Helvetica in WinAnsi encoding, so Spanish accents show) in
microseconds; a photograph is a simple scene drawn with Pillow and a caption. Both depend only
on their title and subtitle, so equal evidence keys give byte-identical files (and one SHA-256).
The texts say that the document is demo data.
"""

from __future__ import annotations

import hashlib
import io
import textwrap
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

INSTITUTE = "INSTITUTO MEXICANO DEL SEGURO SOCIAL"
DEMO_NOTICE = (
    "Documento de demostración generado por Acuerdos con datos ficticios; no tiene validez oficial."
)
PHOTO_SIZE = (480, 320)


def pdf_document(title: str, subtitle: str, body: Sequence[str] = ()) -> bytes:
    """A one-page PDF with the Institute's name, a title, a subtitle and a few paragraphs."""
    lines: list[tuple[str, int, str]] = [("F2", 10, INSTITUTE), ("F1", 9, "Acuerdos · 8ª Ronda")]
    lines.append(("F1", 8, ""))
    lines += [("F2", 16, part) for part in _wrap(title, 56)]
    lines.append(("F1", 12, subtitle))
    lines.append(("F1", 8, ""))
    paragraphs = [*body, DEMO_NOTICE]
    for paragraph in paragraphs:
        lines += [("F1", 11, part) for part in _wrap(paragraph, 88)]
        lines.append(("F1", 6, ""))
    lines += [
        ("F1", 24, ""),
        ("F1", 11, "Elaboró: Enlace de seguimiento de la unidad"),
        ("F1", 11, "Vo. Bo.: Titular de la unidad"),
    ]
    ops = ["BT", "72 740 Td"]
    for font, size, text in lines:
        ops.append(f"0 -{round(size * 1.45)} Td")
        if text:
            ops.append(f"/{font} {size} Tf")
            ops.append(f"({_pdf_escape(text)}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title <" + _pdf_text(title) + b"> /Producer (Acuerdos) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body_bytes in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body_bytes + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 7 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


@cache
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Lines of at most `width` characters (titles and paragraphs repeat: wrap each once)."""
    return tuple(textwrap.wrap(text, width))


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf_text(text: str) -> bytes:
    """A PDF text string in UTF-16BE (hex, with its byte-order mark): any character works."""
    return ("FEFF" + text.encode("utf-16-be").hex().upper()).encode()


def png_photo(title: str, subtitle: str) -> bytes:
    """A small photograph-like PNG: a scene chosen by the title and a caption band."""
    digest = hashlib.sha256(f"{title}|{subtitle}".encode()).digest()
    width, height = PHOTO_SIZE
    sky = (150 + digest[0] % 70, 180 + digest[1] % 60, 205 + digest[2] % 50)
    image = Image.new("RGB", PHOTO_SIZE, sky)
    draw = ImageDraw.Draw(image)
    ground = height - 90
    draw.rectangle((0, ground, width, height), fill=(120 + digest[3] % 40, 110, 95))
    lowered = title.lower()
    if any(word in lowered for word in ("obra", "fachada", "almacén")):
        _building(draw, digest, ground)
    elif any(word in lowered for word in ("equipo", "captura", "sistema")):
        _device(draw, digest, ground)
    else:
        _room(draw, digest, ground)
    draw.rectangle((0, height - 56, width, height), fill=(20, 60, 50))
    draw.text((12, height - 50), title[:52], fill=(255, 255, 255), font=_font(16))
    draw.text((12, height - 26), subtitle[:64], fill=(210, 225, 220), font=_font(12))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _building(draw: ImageDraw.ImageDraw, digest: bytes, ground: int) -> None:
    left = 40 + digest[4] % 60
    top = 60 + digest[5] % 40
    draw.rectangle((left, top, left + 260, ground), fill=(225, 220, 205), outline=(90, 90, 90))
    for row in range(top + 15, ground - 30, 38):
        for column in range(left + 18, left + 240, 48):
            draw.rectangle((column, row, column + 26, row + 22), fill=(70, 110, 140))
    crane = left + 300
    draw.line((crane, ground, crane, 30), fill=(230, 170, 30), width=6)
    draw.line((crane - 120, 40, crane + 40, 40), fill=(230, 170, 30), width=5)


def _device(draw: ImageDraw.ImageDraw, digest: bytes, ground: int) -> None:
    left = 110 + digest[6] % 60
    draw.rectangle((left, 70, left + 220, ground - 10), fill=(235, 238, 240), outline=(60, 60, 60))
    draw.rectangle((left + 20, 90, left + 200, 180), fill=(30, 40, 60))
    for index in range(5):
        bar = 20 + (digest[7 + index] % 60)
        x = left + 35 + index * 32
        draw.rectangle((x, 170 - bar, x + 20, 170), fill=(90, 200, 150))


def _room(draw: ImageDraw.ImageDraw, digest: bytes, ground: int) -> None:
    draw.rectangle((20, 40, 460, ground), fill=(240, 235, 220), outline=(120, 110, 100))
    for index in range(6):
        x = 50 + index * 68
        top = ground - 60 - digest[8 + index] % 20
        draw.rectangle((x, top, x + 44, ground - 10), fill=(40 + index * 25, 90, 150))
        draw.ellipse((x + 10, top - 34, x + 34, top - 10), fill=(200, 160, 120))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)
