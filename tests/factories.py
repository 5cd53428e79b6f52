"""Valid metadata for tests.

`dataset_dict()` is the one place tests get a dataset that satisfies the
metadata standard; when the schema requires more, only this changes.
"""

from __future__ import annotations

from typing import Any

# Fields every data type requires (schema/dataset.yaml).
_COMMON: dict[str, Any] = {
    "title": "ชุดข้อมูลทดสอบ",
    "notes": "ชุดข้อมูลสำหรับการทดสอบ",
    "maintainer": "กลุ่มงานสถิติ",
    "maintainer_email": "stat@example.go.th",
    "objective": ["agency_mission"],
    "update_frequency_unit": "year",
    "update_frequency_interval": "1",
    "geo_coverage": "country",
    "data_source": "สำนักงานทดสอบ",
    "data_format": ["csv"],
    "license_id": "cc-by",
    "data_category": "public",
    "data_classification": "open",
    "private": False,
}

# What each data type adds (its required fields).
TYPE_FIELDS: dict[str, dict[str, Any]] = {
    "record": {"data_collect": "person"},
    "statistical": {"first_year_of_data": "2560", "last_year_of_data": "2567", "unit_of_measure": "คน"},
    "gis": {
        "west_bound_longitude": "97.3",
        "east_bound_longitude": "105.7",
        "south_bound_latitude": "5.6",
        "north_bound_latitude": "20.5",
    },
    "multiple": {"data_collect": "household"},
    "other": {"data_collect": "none", "data_type_other": "ข้อมูลเสียงสัมภาษณ์"},
}


def dataset_dict(**overrides: Any) -> dict[str, Any]:
    """A public, open dataset that passes validation: statistical unless
    `data_type` says otherwise, with the required fields of that type.

    It carries one tag unless `tags` or `tag_string` is given.
    """
    data_type = overrides.get("data_type", "statistical")
    data: dict[str, Any] = {**_COMMON, "data_type": data_type, **TYPE_FIELDS.get(data_type, {})}
    if "tags" not in overrides and "tag_string" not in overrides:
        data["tags"] = [{"name": "ทดสอบ"}]
    data.update(overrides)
    return data
