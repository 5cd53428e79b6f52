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


# A Department of Land Transport-style sheet, of our own making: "ความจุกระบอกสูบ" and "รถใช้"
# are merged over their sub-headers, "ประเภทรถ" and "รวม" down over both header rows.
GROUPED = [
    ["จำนวนรถจดทะเบียนสะสม จำแนกตามความจุกระบอกสูบ ณ วันที่ 31 ธันวาคม 2566", "", "", "", "", "", ""],
    ["ประเภทรถ", "ความจุกระบอกสูบ", "", "", "", "รถใช้", "รวม"],
    ["", "ไม่เกิน 1,300 ซีซี", "1,301 - 1,500 ซีซี", "1,501 - 2,000 ซีซี", "2,001 ซีซีขึ้นไป", "เชื้อเพลิงไฟฟ้า", ""],
    ["รถยนต์นั่งส่วนบุคคลไม่เกิน 7 คน", "1,234,567", "2,345,678", "1,111,111", "222,222", "98,765", "5,012,343"],
    ["รถจักรยานยนต์", "21,000,000", "0", "0", "0", "123,456", "21,123,456"],
]
GROUPED_LABELS = [
    "ประเภทรถ",
    "ความจุกระบอกสูบ – ไม่เกิน 1,300 ซีซี",
    "ความจุกระบอกสูบ – 1,301 - 1,500 ซีซี",
    "ความจุกระบอกสูบ – 1,501 - 2,000 ซีซี",
    "ความจุกระบอกสูบ – 2,001 ซีซีขึ้นไป",
    "รถใช้ – เชื้อเพลิงไฟฟ้า",
    "รวม",
]


def test_grouped_headers_become_one_name_per_leaf_column():
    layout = detect.find_layout(GROUPED)

    assert layout is not None
    assert (layout.header_index, layout.header_rows, layout.data_index) == (1, 2, 3)
    assert detect.header_labels(GROUPED, layout) == GROUPED_LABELS
    assert [number for number, _cells in detect.table_rows(iter(GROUPED), layout)] == [4, 5]


def test_a_group_row_filling_few_cells_is_not_taken_for_a_title():
    sparse = [row[:4] for row in GROUPED]  # the group row has 2 of 4 cells: under the half of a data row's 4
    sparse[1] = ["ประเภทรถ", "ความจุกระบอกสูบ", "", ""]
    layout = detect.find_layout(sparse)

    assert layout is not None and (layout.header_index, layout.header_rows) == (1, 2)
    assert detect.header_labels(sparse, layout)[3] == "ความจุกระบอกสูบ – 1,501 - 2,000 ซีซี"


@pytest.mark.parametrize(
    "rows",
    [
        [["จังหวัด", "ปี", ""], ["เชียงใหม่", "2566", "x"], ["ลำปาง", "2565", "1"]],  # a data row of text
        [["จังหวัด", "จำนวน", ""], ["", "2565", "2566"], ["ลำปาง", "1", "2"]],  # years under a group: figures
        [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]],  # nothing left blank above
    ],
)
def test_a_first_data_row_is_not_taken_for_sub_headers(rows):
    layout = detect.find_layout(rows)

    assert layout is not None and layout.header_rows == 1
    assert detect.header_labels(rows, layout) == rows[0]


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        (["  รวม", None, 106020.0], True),
        (["", "รวมทั้งสิ้น", "5"], True),
        (["Grand  Total", "5"], True),
        (["ยอดรวม"], True),
        (["รวมพลังประชาชาติไทย", "5"], False),  # a party name that starts like a total
        ([65.0, "อื่น ๆ", 3.0], False),
        (["", "", "รวม"], False),  # a label beyond the first columns is a value
    ],
)
def test_a_total_row_is_told_by_its_label(cells, total):
    assert detect.is_total_row(cells) is total
