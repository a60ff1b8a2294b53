"""Files as they arrive: limits and zip bombs refused before any XML is parsed, encodings,
separators, merged cells and DOCX tables."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest

from acuerdos.commitments.imports import files as limits
from acuerdos.commitments.imports.files import FileRefused, ImportFile, detect_kind
from acuerdos.commitments.imports.readers import decode_text, read_csv, read_docx, read_tables

from .helpers import HEADERS, xlsx_bytes


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the central directory so that `member` declares `size` unpacked bytes."""
    patched = bytearray(data)
    position = patched.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        name = bytes(patched[position + 46 : position + 46 + name_length]).decode()
        if name == member:
            struct.pack_into("<I", patched, position + 24, size)
        position = patched.find(b"PK\x01\x02", position + 46)
    return bytes(patched)


@pytest.fixture
def no_xml_parsing(monkeypatch):
    """Fail the test if any XML of the package is ever parsed (the XLSX reader's expat
    parser, or openpyxl)."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr("acuerdos.commitments.imports.xlsx.safe_parser", refuse)


def test_it_refuses_a_real_zip_bomb_quickly_without_parsing_it(no_xml_parsing):
    # 100 MB of sheet XML that deflates to a few hundred kilobytes.
    buffer = io.BytesIO()
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' * 16_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b"<worksheet><sheetData>")
            for _ in range(100):
                member.write(row)
            member.write(b"</sheetData></worksheet>")
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(FileRefused, match="se rechazó sin abrirlo"):
        read_tables(ImportFile("bomba.xlsx", data))
    assert time.perf_counter() - started < 2


def test_it_refuses_a_member_that_declares_a_huge_size(no_xml_parsing):
    data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<w/>" * 100})
    bomb = _declare_size(data, "xl/worksheets/sheet1.xml", 3_000_000_000)
    with pytest.raises(FileRefused, match="se descomprime a 2861 MB"):
        detect_kind(ImportFile("bomba.xlsx", bomb))


def test_it_refuses_members_whose_total_is_too_big(no_xml_parsing, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 10_000)
    data = _zip(
        {"xl/workbook.xml": b"<workbook/>", **{f"xl/m{i}.xml": b"a" * 3000 for i in range(5)}}
    )
    with pytest.raises(FileRefused, match="descomprimido ocupa más de"):
        read_tables(ImportFile("grande.xlsx", data))


def test_it_refuses_a_package_with_too_many_members(no_xml_parsing):
    data = _zip({"xl/workbook.xml": b"<workbook/>", **{f"xl/x{i}.xml": b"" for i in range(1001)}})
    with pytest.raises(FileRefused, match="contiene 1002 archivos internos"):
        read_tables(ImportFile("muchos.xlsx", data))


def test_it_refuses_a_file_over_20_mb_before_reading_it(tmp_path):
    path = tmp_path / "enorme.csv"
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(FileRefused, match="el límite es 20 MB"):
        ImportFile.from_path(path)
    with pytest.raises(FileRefused, match="demasiado grande"):
        ImportFile.from_stream(io.BytesIO(b"x" * (limits.MAX_FILE_BYTES + 1)), "enorme.csv")


def test_it_refuses_more_than_50000_rows(monkeypatch):
    monkeypatch.setattr("acuerdos.commitments.imports.readers.MAX_ROWS", 10)
    monkeypatch.setattr("acuerdos.commitments.imports.readers.ROW_SLACK", 2)
    text = "\n".join(f"{i},b" for i in range(20)).encode()
    with pytest.raises(FileRefused, match="más de 10 filas"):
        read_tables(ImportFile("filas.csv", text))
    data = xlsx_bytes([[i, "b"] for i in range(20)])
    with pytest.raises(FileRefused, match="más de 10 filas"):
        read_tables(ImportFile("filas.xlsx", data))


def test_it_refuses_xml_with_entities_in_a_docx():
    document = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document '
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&b;</w:document>'
    )
    data = _zip({"word/document.xml": document})
    with pytest.raises(FileRefused, match="no es seguro"):
        read_tables(ImportFile("entidades.docx", data))


def test_it_detects_the_kind_from_the_content_not_the_name():
    assert detect_kind(ImportFile("datos.csv", xlsx_bytes([["a"]]))) == "xlsx"
    assert detect_kind(ImportFile("libro.xlsx", b"Folio,Acuerdo\n")) == "csv"
    with pytest.raises(FileRefused, match="vacío"):
        detect_kind(ImportFile("vacio.csv", b""))
    with pytest.raises(FileRefused, match=r"\.ods"):
        detect_kind(ImportFile("libro.ods", _zip({"content.xml": b"<x/>", "mimetype": b"x"})))
    with pytest.raises(FileRefused, match="no es una hoja de cálculo"):
        detect_kind(ImportFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Michoacán;Querétaro".encode(), "Michoacán;Querétaro"),
        (b"\xef\xbb\xbf" + "Michoacán".encode(), "Michoacán"),
        ("Michoacán — año".encode("cp1252"), "Michoacán — año"),
        ("Michoacán".encode("utf-16"), "Michoacán"),
    ],
)
def test_it_decodes_utf8_bom_windows_1252_and_utf16(data, expected):
    assert decode_text(data) == expected


def test_it_sniffs_the_separator_by_the_header_it_finds():
    text = (
        "Reporte;de;acuerdos\nFolio;Acuerdo, con coma;Responsable;Fecha compromiso\n1;a, b;Qro;x\n"
    )
    table = read_csv(ImportFile("a.csv", text.encode()))
    assert table.rows[1].cells == ["Folio", "Acuerdo, con coma", "Responsable", "Fecha compromiso"]
    comma = 'Folio,Acuerdo,Responsable\n1,"texto; con punto y coma",Qro\n'
    assert read_csv(ImportFile("b.csv", comma.encode())).rows[1].cells[1] == (
        "texto; con punto y coma"
    )


def test_it_reads_percent_formatted_cells_as_the_person_sees_them():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Avance", 0.85])
    sheet["B1"].number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (table,) = read_tables(ImportFile("p.xlsx", buffer.getvalue()))
    assert table.rows[0].cells[1] == 85


def test_it_numbers_rows_as_the_spreadsheet_does_and_skips_blank_ones():
    data = xlsx_bytes([["Título"], [], [], HEADERS, [], ["x", "y"]])
    (table,) = read_tables(ImportFile("a.xlsx", data))
    assert [row.number for row in table.rows] == [1, 4, 6]


def test_it_reads_docx_merged_cells():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(text, props=""):
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [
        cell("Folio") + cell("Acuerdo") + cell("Responsable"),
        cell("1", '<w:vMerge w:val="restart"/>')
        + cell("Texto", '<w:vMerge w:val="restart"/>')
        + cell("Querétaro"),
        cell("", "<w:vMerge/>") + cell("", "<w:vMerge/>") + cell("Hidalgo"),
        cell("Título de sección", '<w:gridSpan w:val="3"/>'),
        '<w:trPr><w:gridBefore w:val="1"/></w:trPr>' + cell("Otro") + cell("Puebla"),
    ]
    body = "".join(f"<w:tr>{r}</w:tr>" for r in rows)
    document = f"<w:document {w}><w:body><w:tbl>{body}</w:tbl></w:body></w:document>"
    (table,) = read_docx(ImportFile("m.docx", _zip({"word/document.xml": document.encode()})))
    assert [r.cells for r in table.rows] == [
        ["Folio", "Acuerdo", "Responsable"],
        ["1", "Texto", "Querétaro"],
        ["1", "Texto", "Hidalgo"],
        ["Título de sección"],
        [None, "Otro", "Puebla"],
    ]


def test_it_says_when_a_docx_has_no_tables():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = f"<w:document {w}><w:body><w:p/></w:body></w:document>".encode()
    with pytest.raises(FileRefused, match="no contiene tablas"):
        read_tables(ImportFile("m.docx", _zip({"word/document.xml": document})))
