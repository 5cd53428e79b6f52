"""Exporting to the GD Catalog workbook, and importing the export back."""

from __future__ import annotations

import io
from typing import Any

import ckan.lib.search as search
import ckan.plugins.toolkit as tk
import openpyxl
import pytest
from ckan.tests import factories as ckan_factories

from ckanext.opendata_th.gdc import actions, importer, status, template
from tests.conftest import MIGRATED_PLUGINS, PLUGINS
from tests.factories import dataset_dict
from tests.gdc.conftest import Agency

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_redis", "with_request_context"),
]

TYPE_EXTRAS: dict[str, dict[str, Any]] = {
    "record": {"created_date": "2022-01-31", "high_value_dataset": "true", "data_support": "government"},
    "statistical": {"disaggregate": ["sex", "age"], "official_statistics": "true", "unit_of_multiplier": "thousand"},
    "gis": {"geographic_data_set": "cadastre", "equivalent_scale": "other", "equivalent_scale_other": "1:1,000"},
    "multiple": {"geo_coverage": "other", "geo_coverage_other": "ลุ่มน้ำเจ้าพระยา"},
    "other": {"data_language": ["th", "en"]},
}


def _create_catalogue(agency: Agency) -> None:
    context = {"user": agency.sysadmin["name"]}
    for data_type, extras in TYPE_EXTRAS.items():
        data = dataset_dict(
            name=f"export-{data_type}",
            title=f"ชุดข้อมูล {data_type}",
            data_type=data_type,
            owner_org=agency.org["id"],
            last_updated_date="2024-03-15",
            tags=[{"name": "ทดสอบ"}, {"name": "ส่งออก"}],
            resources=[{"name": "ไฟล์หลัก", "url": f"https://example.go.th/{data_type}.csv", "format": "CSV"}],
            **extras,
        )
        tk.get_action("package_create")(dict(context), data)


def _export(user: str, org: str | None) -> bytes:
    return actions.export_workbook({"user": user}, org)["content"]


def _sheet(content: bytes, name: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book[name].iter_rows(values_only=True))


# Keys a round trip must keep: everything the workbook carries.
_SKIP = {
    "id",
    "metadata_created",
    "metadata_modified",
    "revision_id",
    "state",
    "creator_user_id",
    "organization",
    "private",
    "allow_harvest",
    "num_resources",
    "num_tags",
    "resources",
    "tags",
    "groups",
    "relationships_as_object",
    "relationships_as_subject",
    "isopen",
    "license_title",
    "license_url",
    "type",
    "owner_org",
    "extras",
    "spatial",
    "url",
    "version",
    "author",
    "author_email",
}


def _metadata(dataset: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in dataset.items() if key not in _SKIP and value not in (None, "", [])}
    kept["tags"] = sorted(tag["name"] for tag in dataset["tags"])
    kept["resources"] = [(r["name"], r["url"], r["format"]) for r in dataset["resources"]]
    return kept


def test_export_writes_the_template_with_display_values(agency):
    _create_catalogue(agency)

    content = _export(agency.sysadmin["name"], agency.org["name"])

    rows = _sheet(content, "Temp2_Meta_Stat")
    header = rows[template.HEADER_ROW - 1]
    keys = rows[template.KEY_ROW - 1]
    (data,) = rows[template.FIRST_DATA_ROW - 1 :]
    value = dict(zip(keys, data, strict=False))
    assert "ชื่อชุดข้อมูล" in header
    assert value["name"] == "export-statistical"
    assert value["data_type"] == "ข้อมูลสถิติ"
    assert value["data_category"] == "ข้อมูลสาธารณะ"
    assert value["update_frequency_unit"] == "ปี"
    assert value["last_updated_date"] == "2567-03-15"  # B.E., as GD Catalog writes it
    assert value["official_statistics"] == "True" or value["official_statistics"] == "ใช่"
    resources = _sheet(content, "Temp3_Resource_Stat")[template.FIRST_DATA_ROW - 1 :]
    assert resources[0][0] == "export-statistical"


def test_formula_like_values_are_neutralised(agency):
    tk.get_action("package_create")(
        {"user": agency.sysadmin["name"]},
        dataset_dict(name="formula", owner_org=agency.org["id"], notes='=HYPERLINK("http://evil","x")'),
    )

    content = _export(agency.sysadmin["name"], None)

    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Temp2_Meta_Stat"]
    keys = [cell.value for cell in sheet[template.KEY_ROW]]
    cell = sheet.cell(row=template.FIRST_DATA_ROW, column=keys.index("notes") + 1)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil","x")'


def test_export_round_trips_into_a_clean_catalogue(agency, reset_db, migrate_db_for):
    _create_catalogue(agency)
    before = {
        name: _metadata(tk.get_action("package_show")({"ignore_auth": True}, {"id": name}))
        for name in (f"export-{t}" for t in TYPE_EXTRAS)
    }
    content = _export(agency.sysadmin["name"], agency.org["name"])

    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)
    search.clear_all()
    editor = ckan_factories.User()
    org = ckan_factories.Organization(name="oae", users=[{"name": editor["name"], "capacity": "editor"}])
    import_id = importer.start(content, "export.xlsx", org, editor["name"], enqueue=False)
    importer.run_import(import_id)

    info = status.get(import_id)
    assert info is not None and info["rejected"] == 0, info["rows"]
    assert (info["created"], info["warnings"]) == (10, [])
    for name, metadata in before.items():
        after = _metadata(tk.get_action("package_show")({"ignore_auth": True}, {"id": name}))
        assert after == metadata


def test_private_datasets_stay_out_of_exports_for_users_who_cannot_see_them(agency):
    tk.get_action("package_create")(
        {"user": agency.sysadmin["name"]},
        dataset_dict(
            name="secret-plan",
            owner_org=agency.org["id"],
            private=True,
            data_category="security",
            data_classification="secret",
        ),
    )
    other_org = ckan_factories.Organization(users=[{"name": agency.outsider["name"], "capacity": "admin"}])

    with pytest.raises(tk.NotAuthorized):
        _export(agency.outsider["name"], agency.org["name"])
    with pytest.raises(tk.NotAuthorized):
        _export(agency.outsider["name"], None)
    own = _export(agency.outsider["name"], other_org["name"])
    assert "secret-plan" not in str(_sheet(own, "Temp2_Meta_Stat"))
    assert "secret-plan" in str(_sheet(_export(agency.editor["name"], agency.org["name"]), "Temp2_Meta_Stat"))
