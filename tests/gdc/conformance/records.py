"""GD Catalog records for the conformance suite, built from gdc/versions.yaml.

For every data type, GD Catalog version (2.1, 2.2.4) and completeness
(minimal: only what that version requires; complete: every field the data
type's form shows) one record, shaped as GD Catalog's `package_show`
returns it: Thai display values, "True"/"False" flags, B.E. years of data,
ISO dates, tags as dicts, GD Catalog's own field names.  Plus the real
records of `../shared/corpora/gdc_records/records.jsonl`, read at test time.

`workbook_row` and `workbook_resources` turn a record into the spreadsheet
rows a data officer types into GD Catalog's template for the same dataset.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.resources
import json
import re
import uuid
from typing import Any

import yaml

from ckanext.opendata_th import vocab
from tests import outside

DATA_TYPES = ("record", "statistical", "gis", "multiple", "other")
VERSIONS = ("2.1", "2.2.4")
LEVELS = ("minimal", "complete")
SHARED_RECORDS = outside.gdc_records()
OTHER = "อื่นๆ"  # GD Catalog's "other" choice; its text goes in <field>_other


def spec() -> dict[str, Any]:
    """gdc/versions.yaml: what each GD Catalog version requires and allows."""
    text = (importlib.resources.files("ckanext.opendata_th.gdc") / "versions.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


SPEC = spec()


def allowed(version: str, field: str) -> list[str]:
    """The values GD Catalog `version` offers for `field` (resource_<field> uses <field>'s list)."""
    lists = {**SPEC["lists"], **SPEC["versions"][version]["lists"]}
    return list(lists[field.removeprefix("resource_")])


def data_type_value(data_type: str) -> str:
    """GD Catalog's stored value for one of this catalogue's data type codes."""
    terms = vocab.get("data_type")
    return next(value for value in SPEC["lists"]["data_type"] if terms.code_for(value) == data_type)


def belongs(field: str, data_type: str, resource: bool = False) -> bool:
    types = SPEC["resource_data_types" if resource else "data_types"].get(field)
    return types is None or data_type in types


@dataclasses.dataclass(frozen=True)
class Case:
    key: str  # e.g. "gis-2.2.4-complete" or "real-covid-19-daily"
    data_type: str  # this catalogue's code
    record: dict[str, Any]  # as GD Catalog's package_show returns it


def _pick(version: str, field: str, index: int, count: int = 1) -> list[str]:
    """`count` values of the list, starting at `index`, never อื่นๆ (which needs its text)."""
    values = [value for value in allowed(version, field) if value != OTHER]
    return [values[(index + step) % len(values)] for step in range(count)]


def _minimal(data_type: str, version: str, index: int) -> dict[str, Any]:
    name = f"gdc-{version.replace('.', '')}-{data_type}-minimal"
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
        "name": name,
        "type": "dataset",
        "state": "active",
        "private": False,
        "metadata_modified": "2024-06-01T09:00:00.000000",
        "data_type": data_type_value(data_type),
        "title": f"ชุดข้อมูลทดสอบ {data_type} GD Catalog {version} แบบขั้นต่ำ",
        "maintainer": "กลุ่มงานข้อมูล",
        "maintainer_email": "data@agency.example.go.th",
        "tags": [{"name": "ทดสอบ"}, {"name": f"gdc-{version}"}],
        "notes": f"ระเบียนที่มีเฉพาะช่องที่ GD Catalog {version} บังคับ",
        "objective": _pick(version, "objective", index),
        "update_frequency_unit": _pick(version, "update_frequency_unit", index + 1)[0],
        "geo_coverage": _pick(version, "geo_coverage", index + 4)[0],
        "data_source": "กรมทดสอบระบบ",
        "data_format": _pick(version, "data_format", index),
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": _pick(version, "license_id", index)[0],
    }


def _type_fields(data_type: str, version: str, index: int) -> dict[str, Any]:
    """Every type-specific field of `data_type`, filled as its GD Catalog form would be."""
    fields: dict[str, Any] = {
        "data_support": _pick(version, "data_support", index + 1)[0],
        "data_collect": _pick(version, "data_collect", index + 1)[0],
        "created_date": "2022-01-31",
        "high_value_dataset": "False",
        "reference_data": "True",
        "first_year_of_data": "2560",
        "last_year_of_data": "2567",
        "disaggregate": _pick(version, "disaggregate", 1, 2),
        "unit_of_measure": "คน",
        "unit_of_multiplier": "พัน",
        "calculation_method": "ผลรวมรายจังหวัด",
        "standard": "มาตรฐานสถิติ สสช.",
        "official_statistics": "True",
        "data_release_calendar": "2025-01-06",
        "geographic_data_set": _pick(version, "geographic_data_set", index)[0],
        "equivalent_scale": "1:50,000",
        "west_bound_longitude": "97.3",
        "east_bound_longitude": "105.7",
        "north_bound_longitude": "20.5",  # GD Catalog's name; it holds a latitude
        "south_bound_longitude": "5.6",
        "positional_accuracy": "5 เมตร",
        "reference_period": "2566",
        "data_release_date": "2024-05-01",
    }
    if data_type == "other":
        fields["data_type_other"] = "ข้อมูลเสียงสัมภาษณ์"
    return {key: value for key, value in fields.items() if belongs(key, data_type)}


def _complete(data_type: str, version: str, index: int) -> dict[str, Any]:
    record = _minimal(data_type, version, index)
    name = record["name"].replace("-minimal", "-complete")
    record.update(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
        name=name,
        title=record["title"].replace("แบบขั้นต่ำ", "แบบครบทุกช่อง"),
        notes=f"ระเบียนที่กรอกทุกช่องของแบบฟอร์ม GD Catalog {version}",
        allow_harvest="True",
        update_frequency_interval="1",
        objective=[*_pick(version, "objective", index, 2), OTHER],
        objective_other="แผนพัฒนาจังหวัด",
        geo_coverage=OTHER,
        geo_coverage_other="ลุ่มน้ำเจ้าพระยา",
        data_language=["ไทย", "อังกฤษ"],
        accessible_condition="ใช้ได้โดยอ้างอิงแหล่งที่มา",
        url="https://agency.example.go.th/data",
        last_updated_date="2024-03-15",
        resources=[
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/resource")),
                "name": "ไฟล์ข้อมูล",
                "description": "ข้อมูลทั้งชุด",
                "url": f"https://agency.example.go.th/files/{name}.csv",
                "format": "CSV",
            }
        ],
    )
    if version == "2.2.4":
        record["data_classification"] = "เปิดเผย"
    record.update(_type_fields(data_type, version, index))
    return record


def generated() -> list[Case]:
    cases = []
    for index, data_type in enumerate(DATA_TYPES):
        for version in VERSIONS:
            for level, build in (("minimal", _minimal), ("complete", _complete)):
                record = build(data_type, version, index)
                cases.append(Case(f"{data_type}-{version}-{level}", data_type, record))
    return cases


def real() -> list[Case]:
    """The real records in ../shared (each line one record as a live GD Catalog returned it)."""
    assert SHARED_RECORDS.exists(), outside.report(outside.missing())
    terms = vocab.get("data_type")
    cases = []
    for line in SHARED_RECORDS.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            data_type = terms.code_for(record["data_type"]) or "other"
            cases.append(Case(f"real-{record['name']}", data_type, record))
    return cases


def refused() -> list[Case]:
    """Records GD Catalog itself refuses: no title (its form), a category outside its list (2.1's server)."""
    base = _minimal("record", "2.1", 0)
    no_title = {**copy.deepcopy(base), "name": "gdc-refused-no-title", "title": ""}
    no_title["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, no_title["name"]))
    bad_category = {**copy.deepcopy(base), "name": "gdc-refused-category", "data_category": "ข้อมูลลับเฉพาะกิจ"}
    bad_category["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, bad_category["name"]))
    return [Case("refused-no-title", "record", no_title), Case("refused-category", "record", bad_category)]


# --- the same dataset as a data officer types it into GD Catalog's template ------


def _be_date(value: str) -> str:
    """GD Catalog's template takes B.E. dates: 2024-03-15 -> 2567-03-15."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}).*", value)
    return f"{int(match.group(1)) + 543}-{match.group(2)}-{match.group(3)}" if match else value


def _cell(record: dict[str, Any], field: str) -> Any:
    value = record.get(field)
    other = str(record.get(f"{field}_other") or "")
    if isinstance(value, list):
        return ", ".join(other if (item == OTHER and other) else str(item) for item in value)
    if value == OTHER and other:
        return other
    if isinstance(value, str) and field.endswith(("_date", "_calendar")):
        return _be_date(value)
    return value


_FLAGS = {"True": "ใช่", "False": "ไม่ใช่", "1": "ใช่", "0": "ไม่ใช่"}


def workbook_row(record: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """The template row for `record`: its values under this catalogue's column keys."""
    renamed = {ours: theirs for theirs, ours in SPEC["renamed"].items()}
    row: dict[str, Any] = {}
    for column in columns:
        source = renamed.get(column, column)
        if column == "tag_string":
            row[column] = ", ".join(tag["name"] for tag in record.get("tags") or [])
        elif column == "data_type" and record.get("data_type_other"):
            row[column] = record["data_type_other"]  # the other type is written as its own name
        elif column in ("high_value_dataset", "reference_data", "official_statistics") and record.get(source):
            row[column] = _FLAGS.get(str(record[source]), record[source])
        elif record.get(source) not in (None, "", []):
            row[column] = _cell(record, source)
    return row


def workbook_resources(record: dict[str, Any], columns: list[str], link_key: str) -> list[dict[str, Any]]:
    rows = []
    for resource in record.get("resources") or []:
        row = {column: resource[column] for column in columns if resource.get(column) not in (None, "", [])}
        row[link_key] = record["name"]
        rows.append(row)
    return rows
