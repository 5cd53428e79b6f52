"""Readers and whole-file type inference, on files written in code."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from ckanext.opendata_th.ingest import detect, readers
from ckanext.opendata_th.ingest.infer import ColumnProfile
from ckanext.opendata_th.ingest.readers import IngestError, Limits


def _write(tmp_path, data: bytes, name: str = "data") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _rows(sheet: readers.Sheet) -> list[list]:
    with sheet.open_rows() as rows:
        return [list(r) for r in rows]


def test_utf16_tsv_with_bom(tmp_path):
    path = _write(tmp_path, "จังหวัด\tจำนวน\nน่าน\t5\n".encode("utf-16"))
    (sheet,) = readers.open_sheets(path, readers.sniff_format(path, "tsv"), Limits())
    assert _rows(sheet) == [["จังหวัด", "จำนวน"], ["น่าน", "5"]]


def test_semicolon_csv_in_cp874_with_quoted_newline(tmp_path):
    text = 'ชื่อ;หมายเหตุ\r\n“ก”;"บรรทัดแรก\r\nบรรทัดสอง"\r\n'
    path = _write(tmp_path, text.encode("cp874"))
    (sheet,) = readers.open_sheets(path, "csv", Limits())
    size = len(text.encode("cp874"))
    assert sheet.meta == {"encoding": "cp874", "delimiter": ";", "size": size, "path": path}
    assert _rows(sheet)[1] == ["“ก”", "บรรทัดแรก\r\nบรรทัดสอง"]


def test_xlsx_every_sheet_native_values(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "ปี 2564"
    book.active.append(["รหัส", "มูลค่า"])
    book.active.append(["01", 1.5])
    book.create_sheet("ปี 2565").append(["x"])
    data = io.BytesIO()
    book.save(data)
    path = _write(tmp_path, data.getvalue())
    assert readers.sniff_format(path, "csv") == "xlsx"  # the bytes win over a wrong declared format
    sheets = readers.open_sheets(path, "xlsx", Limits())
    assert [s.name for s in sheets] == ["ปี 2564", "ปี 2565"]
    assert _rows(sheets[0]) == [["รหัส", "มูลค่า"], ["01", 1.5]]


def test_json_array_of_objects(tmp_path):
    records = [{"จังหวัด": "ตาก", "จำนวน": 3}, {"จังหวัด": "ตราด", "อื่น": {"a": 1}}]
    path = _write(tmp_path, json.dumps(records, ensure_ascii=False).encode())
    (sheet,) = readers.open_sheets(path, readers.sniff_format(path, None), Limits())
    assert _rows(sheet) == [["จังหวัด", "จำนวน", "อื่น"], ["ตาก", 3, None], ["ตราด", None, '{"a": 1}']]
    bad = _write(tmp_path, b'{"not": "a list"}', "bad.json")
    with pytest.raises(IngestError):
        readers.open_sheets(bad, "json", Limits())


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    path = _write(tmp_path, data.getvalue())
    with pytest.raises(IngestError, match="zip bomb"):
        readers.open_sheets(path, readers.sniff_format(path, None), Limits())


def test_truncated_workbook_and_binary_file_fail_clearly(tmp_path):
    book = openpyxl.Workbook()
    data = io.BytesIO()
    book.save(data)
    path = _write(tmp_path, data.getvalue()[:300])
    with pytest.raises(IngestError):
        readers.open_sheets(path, readers.sniff_format(path, None), Limits())
    binary = _write(tmp_path, bytes(range(256)) * 50, "b.csv")
    with pytest.raises(IngestError, match=r"binary|encoding"):
        readers.open_sheets(binary, "csv", Limits())


def test_enormous_line_fails_without_filling_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_CHARS", 1000)
    path = _write(tmp_path, b"a,b\n" + b"x" * 5000 + b"\n")
    (sheet,) = readers.open_sheets(path, "csv", Limits())
    with pytest.raises(IngestError, match="longer"):
        _rows(sheet)


def test_a_late_value_turns_a_column_into_text():
    profile = ColumnProfile()
    for row in range(1, 3001):
        profile.add(str(row), row)
    assert profile.pg_type() == "int4"
    profile.add("ไม่ทราบ", 3001)
    assert profile.pg_type() == "text"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1", "2.5"], "numeric"),
        (["1", "3000000000"], "int8"),
        (["15/03/2564", "15/03/2564 10:00"], "timestamp"),
        (["ใช่", "ไม่ใช่", "-"], "bool"),
        (["-", ""], "text"),
        (["10110", "01000"], "text"),
    ],
)
def test_column_types(cells, expected):
    profile = ColumnProfile()
    for row, cell in enumerate(cells, start=1):
        profile.add(cell, row)
    assert profile.pg_type() == expected


def test_layout_of_a_json_like_single_column():
    assert detect.find_layout([["ชื่อ"], ["ก"], ["ข"]]) == detect.Layout(0, 1, 1)


# --- ODS (calamine) and the budgets of workbooks ---------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods(rows_xml: str, doctype: str = "") -> bytes:
    """An ODS file with one table "data" made of `rows_xml` (table:table-row elements)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="data">{rows_xml}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    return out.getvalue()


def ods_cell(value: str | int) -> str:
    if isinstance(value, int):
        kind = f'office:value-type="float" office:value="{value}"'
    else:
        kind = 'office:value-type="string"'
    return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"


def test_an_ods_with_libreoffice_trailing_empty_rows_and_columns_reads(tmp_path):
    # LibreOffice ends a sheet with the rest of its 1,048,576 rows and 1,024 columns as empty repeats.
    empty_tail = '<table:table-cell table:number-columns-repeated="1022"/>'
    rows = (
        f"<table:table-row>{ods_cell('จังหวัด')}{ods_cell('จำนวน')}{empty_tail}</table:table-row>"
        f"<table:table-row>{ods_cell('น่าน')}{ods_cell(5)}{empty_tail}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = _write(tmp_path, ods(rows), "ok.ods")
    (sheet,) = readers.open_sheets(path, readers.sniff_format(path, None), Limits(max_sheet_cells=100))
    assert _rows(sheet) == [["จังหวัด", "จำนวน"], ["น่าน", 5.0]]


def test_an_ods_with_a_doctype_is_refused_as_damaged(tmp_path):
    data = ods("<table:table-row>" + ods_cell("&a;") + "</table:table-row>", '<!DOCTYPE x [<!ENTITY a "aaaa">]>')
    path = _write(tmp_path, data, "dtd.ods")
    with pytest.raises(IngestError) as caught:
        readers.open_sheets(path, "ods", Limits())
    assert caught.value.msgid == "The workbook is damaged or truncated"


def test_an_xlsx_workbook_still_reads_through_the_counted_archive(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "แรก"
    book.active.append(["จังหวัด", "จำนวน"])
    book.active.append(["น่าน", 5])
    book.create_sheet("สอง").append(["a", "b"])
    out = io.BytesIO()
    book.save(out)
    path = _write(tmp_path, out.getvalue(), "book.xlsx")
    limits = Limits(max_shared_strings_bytes=1 << 20, max_shared_strings=10, max_part_bytes=1 << 20)
    sheets = readers.open_sheets(path, "xlsx", limits)
    assert [s.name for s in sheets] == ["แรก", "สอง"]
    assert _rows(sheets[0]) == [["จังหวัด", "จำนวน"], ["น่าน", 5]]


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"a,b\r\n1,2\r\n3,\x004\r\n", 3), (b"a,b\n1,2\n", None), (b"\x00", 1)],
)
def test_nul_line_counts_lines_to_the_first_nul(data, line):
    assert detect.nul_line(io.BytesIO(data), "utf-8") == line
