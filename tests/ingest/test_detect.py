"""Encodings, delimiters and table layout of real Thai files, built in code."""

from __future__ import annotations

import codecs
import io

import pytest

from ckanext.opendata_th.ingest import detect

THAI = "จังหวัด,อำเภอ,จำนวน\r\nเชียงใหม่,เมือง,1,234\r\n"
# Excel's Windows-874 punctuation: curly quotes, en dash, ellipsis: not in TIS-620 proper.
EXCEL_THAI = "ชื่อโครงการ,หมายเหตุ\r\n“ถนนสายใหม่”,ระยะที่ 1–2 …\r\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (THAI.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + THAI.encode("utf-8"), "utf-8-sig"),
        (THAI.encode("utf-16"), "utf-16"),
        (THAI.encode("tis-620"), "cp874"),
        (EXCEL_THAI.encode("cp874"), "cp874"),
        (("a,b\r\n" * 5000 + THAI).encode("cp874"), "cp874"),  # Thai only after 5,000 ASCII lines
        (("a,b\r\n" * 400_000 + THAI).encode("utf-8"), "utf-8"),
    ],
)
def test_encodings(data, expected):
    stream = io.BytesIO(data)
    encoding = detect.detect_encoding(stream)
    assert encoding == expected
    assert stream.tell() == 0
    assert "จังหวัด" in data.decode(encoding) or "“ถนนสายใหม่”" in data.decode(encoding)


def test_tis620_is_never_read_as_a_western_codepage():
    data = ("หน่วยงาน,ผู้รับผิดชอบ\r\n" * 3).encode("tis-620")
    assert detect.detect_encoding(io.BytesIO(data)) == "cp874"


def test_latin1_is_not_taken_for_thai():
    data = "name,city\r\nJosé,Zürich\r\nFrançois,Genève\r\n".encode("latin-1")
    assert detect.detect_encoding(io.BytesIO(data)) != "cp874"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_with_quoted_newlines(delimiter):
    rows = [["ชื่อ", "ที่อยู่", "จำนวน"], ["ก", '"บรรทัด 1\nบรรทัด 2, ต่อ; |"', "1"], ["ข", "x", "2"]]
    text = "รายงานประจำปี\n" + "\n".join(delimiter.join(r) for r in rows) + "\n"
    assert detect.sniff_delimiter(text) == delimiter


def test_layout_skips_title_rows_blank_rows_and_footers():
    rows = [
        ["ตารางที่ 1 จำนวนผู้สูงอายุ", "", "", ""],
        ["หน่วย: คน", "", "", ""],
        ["", "", "", ""],
        ["จังหวัด", "ชาย", "หญิง", "รวม"],
        ["เชียงใหม่", "1", "2", "3"],
        ["", "", "", ""],
        ["ลำพูน", "", "", ""],  # sparse, but a data row follows: kept
        ["ขอนแก่น", "4", "5", "9"],
        ["", "", "", ""],
        ["ที่มา: กรมกิจการผู้สูงอายุ", "", "", ""],
        ["หมายเหตุ: ข้อมูลเบื้องต้น", "", "", ""],
    ]
    layout = detect.find_layout(rows)
    assert layout is not None
    assert (layout.header_index, layout.width) == (3, 4)
    skipped: list[int] = []
    data = list(detect.table_rows(iter(rows), layout, skipped))
    assert [cells[0] for _, cells in data] == ["เชียงใหม่", "ลำพูน", "ขอนแก่น"]
    assert [number for number, _ in data] == [5, 7, 8]
    assert skipped == [10, 11]


def test_values_beyond_the_header_fail_with_the_row():
    rows = [["a", "b"], ["1", "2"], ["3", "4", "5"]]
    layout = detect.find_layout(rows[:2])
    with pytest.raises(detect.ExtraCellsError) as error:
        list(detect.table_rows(iter(rows), layout))
    assert error.value.row == 3
