"""GD Catalog workbooks built in code, as agency data officers fill them in.

Headers are the Thai labels (with GD Catalog's "*" on some), row 3 is left
empty as in GD Catalog's own template, row 5 is an example row that must
be skipped, and values are Thai display values with B.E. dates.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from ckanext.opendata_th.gdc import template

# Record-type row as GD Catalog users write it: Thai display values, B.E. dates.
RECORD_ROW: dict[str, Any] = {
    "name": "rice-farmers-register",
    "data_type": "ข้อมูลระเบียน",
    "title": "ทะเบียนเกษตรกรผู้ปลูกข้าว",
    "maintainer": "กลุ่มงานทะเบียน",
    "maintainer_email": "register@example.go.th",
    "tag_string": "ข้าว, เกษตรกร",
    "notes": "ทะเบียนเกษตรกรผู้ปลูกข้าวรายแปลง",
    "objective": "พันธกิจหน่วยงาน, เพื่อการให้บริการประชาชน",
    "update_frequency_unit": "เดือน",
    "update_frequency_interval": 1,
    "geo_coverage": "ตำบล",
    "data_source": "กรมส่งเสริมการเกษตร",
    "data_format": "CSV, XLS",
    "data_category": "ข้อมูลสาธารณะ",
    "data_classification": "เปิดเผย",
    "license_id": "Creative Commons Attributions",
    "data_language": "ไทย",
    "data_collect": "บุคคล",
    "created_date": "2565-01-31",
    "last_updated_date": "15/03/2567",
    "high_value_dataset": "ไม่ใช่",
    "reference_data": "ใช่",
}

STAT_ROW: dict[str, Any] = {
    **{k: v for k, v in RECORD_ROW.items() if k not in {"data_collect", "created_date", "high_value_dataset"}},
    "name": "elderly-population",
    "data_type": "ข้อมูลสถิติ",
    "title": "จำนวนผู้สูงอายุ",
    "first_year_of_data": 2560,
    "last_year_of_data": 2567,
    "unit_of_measure": "คน",
    "unit_of_multiplier": "พัน",
    "disaggregate": "เพศ, อายุ/กลุ่มอายุ",
    "official_statistics": "ใช่",
}
STAT_ROW.pop("reference_data")

GIS_ROW: dict[str, Any] = {
    **{
        k: v for k, v in STAT_ROW.items() if not k.endswith("_of_data") and k not in {"unit_of_measure", "disaggregate"}
    },
    "name": "land-parcels",
    "data_type": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "title": "แปลงที่ดิน",
    "geographic_data_set": "ชั้นข้อมูลแปลงที่ดิน",
    "equivalent_scale": "1:4,000",
    "west_bound_longitude": 97.3,
    "east_bound_longitude": 105.7,
    "south_bound_latitude": 5.6,
    "north_bound_latitude": 20.5,
}
for _key in ("unit_of_multiplier", "official_statistics"):
    GIS_ROW.pop(_key)

MULTI_ROW: dict[str, Any] = {
    **RECORD_ROW,
    "name": "households",
    "data_type": "ข้อมูลหลากหลายประเภท",
    "title": "ครัวเรือน",
    "data_collect": "ครัวเรือน/ครอบครัว",
}
OTHER_ROW: dict[str, Any] = {
    **RECORD_ROW,
    "name": "interviews",
    "data_type": "ข้อมูลเสียงสัมภาษณ์",
    "title": "เสียงสัมภาษณ์",
    "data_collect": "ไม่มี",
}

ROWS_BY_TYPE = {
    "record": RECORD_ROW,
    "statistical": STAT_ROW,
    "gis": GIS_ROW,
    "multiple": MULTI_ROW,
    "other": OTHER_ROW,
}


def _headers(columns: list[template.Column]) -> dict[str, str]:
    headers = {}
    for column in columns:
        required = column.field is not None and column.field.get("required")
        headers[column.key] = column.header() + ("*" if required else "")
    return headers


def sheet_rows(ws: Any, headers: dict[str, str], rows: list[dict[str, Any]]) -> None:
    keys = list(headers)
    ws.append(["แบบฟอร์มคำอธิบายชุดข้อมูล"])
    ws.append(["กรุณากรอกข้อมูลตั้งแต่แถวที่ 6"])
    ws.append([])
    ws.append([headers[key] for key in keys])
    ws.append(["ตัวอย่าง"] * len(keys))  # the example row: never imported
    for row in rows:
        ws.append([row.get(key) for key in keys])


def build(meta: dict[str, list[dict[str, Any]]], resources: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    """A workbook with metadata rows (and resource rows) per data type code."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    instructions = workbook.create_sheet("คำอธิบาย")
    instructions.append(["This sheet is not a template sheet and is ignored."])
    for data_type, rows in meta.items():
        ws = workbook.create_sheet(template.meta_sheet(data_type))
        sheet_rows(ws, _headers(template.dataset_columns(data_type)), rows)
    for data_type, rows in (resources or {}).items():
        ws = workbook.create_sheet(template.resource_sheet(data_type))
        sheet_rows(ws, _headers(template.resource_columns(data_type)), rows)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
