"""Column ids: Thai kept, 63 bytes, unique, stable."""

from __future__ import annotations

from ckanext.opendata_th.ingest.columns import MAX_BYTES, column_ids, label


def test_thai_headers_are_kept_exactly():
    assert column_ids(["จังหวัด", "อำเภอ", "จำนวน (คน)"]) == ["จังหวัด", "อำเภอ", "จำนวน (คน)"]


def test_long_thai_headers_fit_63_bytes_are_unique_and_stable():
    prefix = "จำนวนผู้สูงอายุที่ได้รับเบี้ยยังชีพจำแนกตามจังหวัด"
    headers = [prefix + " ปีงบประมาณ 2564", prefix + " ปีงบประมาณ 2565"]
    ids = column_ids(headers)
    assert all(len(i.encode("utf-8")) <= MAX_BYTES for i in ids)
    assert len(set(ids)) == 2
    assert ids == column_ids(headers)
    assert all(i.startswith("จำนวนผู้สูงอาย") for i in ids)
    # cut on character boundaries: the id decodes and re-encodes cleanly
    assert all(i.encode("utf-8").decode("utf-8") == i for i in ids)


def test_blank_duplicate_reserved_and_invalid_headers():
    ids = column_ids(["", "ปี", "ปี", "_id", '"quoted"', None, "a\nb"])
    assert ids == ["column_1", "ปี", "ปี_2", "id", "'quoted'", "column_6", "a b"]
    assert len(set(ids)) == len(ids)


def test_label_is_one_line():
    assert label("จำนวน\n(คน)") == "จำนวน (คน)"
