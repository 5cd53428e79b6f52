"""GD Catalog records are accepted as they are (issue 14): the shared real
record, flags in every spelling, empty strings, 1.x keys and uploads that
live on the record's own catalogue; through the API, the spreadsheet import
and the harvest mapping alike (`gdc.compat`)."""

from __future__ import annotations

import copy
import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.opendata_th.gdc import compat, importer, status
from ckanext.opendata_th.governance import publishing
from ckanext.opendata_th.harvest import mapping
from tests import outside
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.gdc import workbook
from tests.gdc.conftest import Agency

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_request_context"),
]

RECORDS = outside.gdc_records()
# Keys that belong to the catalogue the record came from, not to the record.
_REMOTE_ONLY = ("id", "owner_org", "organization", "groups", "creator_user_id", "relationships_as_object")


def real_record() -> dict[str, Any]:
    """data.go.th's covid-19-daily, as its public API returned it (GD Catalog 2.x)."""
    with RECORDS.open(encoding="utf-8") as lines:
        return json.loads(next(line for line in lines if '"covid-19-daily"' in line))


def as_posted(record: dict[str, Any], agency: Agency) -> dict[str, Any]:
    """The record sent to this catalogue's package_create by its agency."""
    posted = {key: value for key, value in copy.deepcopy(record).items() if key not in _REMOTE_ONLY}
    posted["owner_org"] = agency.org["id"]
    for resource in posted["resources"]:
        resource.pop("id")
        resource.pop("package_id")
    return posted


def create(agency: Agency, **data: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", {"user": agency.editor["name"]}, **data)


def extras_of(dataset: dict[str, Any]) -> dict[str, Any]:
    return {extra["key"]: extra["value"] for extra in dataset.get("extras", [])}


# --- the real record ------------------------------------------------------------------


def test_the_real_record_is_accepted_by_package_create_with_codes_stored(agency):
    record = real_record()

    created = create(agency, **as_posted(record, agency))

    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["name"] == "covid-19-daily"
    assert shown["private"] is False  # public data, classification defaulted to open: stays public
    assert (shown["data_category"], shown["data_classification"]) == ("public", "open")
    assert shown["data_type"] == "record"
    assert shown["geo_coverage"] == "country"
    assert shown["high_value_dataset"] == "true"
    assert (shown["update_frequency_unit"], shown["update_frequency_interval"]) == ("day", "1")
    assert shown["data_language"] == ["th"]
    assert publishing.DEFAULTED_CLASSIFICATION in extras_of(shown)
    # 1.x keys: the 2.x fields were given, so the old keys stay as extras (nothing lost)
    assert extras_of(shown)["height_value_dataset"] == "1"
    assert extras_of(shown)["maintain_frequent"] == "รายวัน"
    assert len(shown["resources"]) == len(record["resources"])


def test_the_real_records_uploads_keep_their_data_go_th_urls_with_a_note(agency):
    record = real_record()

    created = create(agency, **as_posted(record, agency))

    for original, stored in zip(record["resources"], created["resources"], strict=True):
        assert stored["url"] == original["url"]
        assert stored["url_type"] in ("", None)
        if original["url_type"] == "upload":
            assert "data.go.th" in stored["url"]
            assert " / " in stored[compat.MIGRATION_NOTE]  # Thai and English
        else:
            assert compat.MIGRATION_NOTE not in stored


# --- flags ------------------------------------------------------------------------------


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("1", "true"),
        ("0", "false"),
        ("True", "true"),
        ("False", "false"),
        ("true", "true"),
        ("false", "false"),
        ("ใช่", "true"),
        ("ไม่ใช่", "false"),
        (True, "true"),
        (False, "false"),
    ],
)
def test_every_flag_spelling_is_stored_as_its_code(given, code, sysadmin):
    created = helpers.call_action(
        "package_create",
        {"user": sysadmin["name"]},
        **dataset_dict(name="flags", data_type="record", high_value_dataset=given, reference_data=given),
    )

    shown = helpers.call_action("package_show", id=created["id"])
    assert (shown["high_value_dataset"], shown["reference_data"]) == (code, code)


# --- empty strings ------------------------------------------------------------------


def test_empty_strings_mean_not_given(agency):
    created = create(
        agency,
        **dataset_dict(
            name="empties",
            owner_org=agency.org["id"],
            data_type="record",
            data_collect="person",
            data_support="",
            data_language="",
            first_year_of_data="",
            last_updated_date="",
            high_value_dataset="",
        ),
    )

    shown = helpers.call_action("package_show", id=created["id"])
    for field in ("data_support", "first_year_of_data", "last_updated_date", "high_value_dataset"):
        assert not shown.get(field), field
    assert shown["data_collect"] == "person"


def test_an_empty_string_does_not_stop_a_client_clearing_a_ckan_column(agency):
    created = create(agency, **dataset_dict(name="author", owner_org=agency.org["id"], author="ผู้จัดทำ"))

    updated = helpers.call_action("package_patch", {"user": agency.editor["name"]}, id=created["id"], author="")

    assert not updated["author"]


def test_normalising_drops_only_empty_gdc_fields():
    data = {"data_collect": "", "first_year_of_data": None, "title": "", "private": "", "unit_of_measure": " "}

    assert compat.normalised(data) == {"title": "", "private": ""}


# --- 1.x keys ---------------------------------------------------------------------------


def test_1x_keys_move_to_their_2x_fields_when_the_record_lacks_them(agency):
    data = dataset_dict(name="legacy", owner_org=agency.org["id"], data_type="record", data_collect="person")
    for field in ("update_frequency_unit", "update_frequency_interval"):
        data.pop(field)
    data["extras"] = [
        {"key": "height_value_dataset", "value": "1"},
        {"key": "maintain_frequent", "value": "รายเดือน"},
        {"key": "access_detail", "value": "ติดต่อหน่วยงาน"},
    ]

    shown = helpers.call_action("package_show", id=create(agency, **data)["id"])

    assert shown["high_value_dataset"] == "true"
    assert (shown["update_frequency_unit"], shown["update_frequency_interval"]) == ("month", "1")
    extras = extras_of(shown)
    assert "height_value_dataset" not in extras and "maintain_frequent" not in extras
    assert extras["access_detail"] == "ติดต่อหน่วยงาน"  # no 2.x field of the same meaning: kept


def test_a_1x_frequency_without_a_2x_equivalent_stays_an_extra():
    normalised = compat.normalised({"maintain_frequent": "2 ครั้ง/เดือน", "access_detail": ""})

    assert "update_frequency_unit" not in normalised
    assert normalised["extras"] == [{"key": "maintain_frequent", "value": "2 ครั้ง/เดือน"}]


def test_a_mapped_top_level_1x_key_adds_no_empty_extras():
    assert compat.normalised({"height_value_dataset": "1"}) == {"high_value_dataset": "1"}


def test_normalising_twice_changes_nothing():
    record = real_record()

    once = compat.normalised(record)

    assert compat.normalised(once) == once


# --- uploads --------------------------------------------------------------------------


def test_an_upload_from_another_catalogue_becomes_a_link_with_a_note(agency):
    url = "https://catalog.agency.example.go.th/dataset/x/resource/y/download/data.csv"
    data = dataset_dict(name="migrated", owner_org=agency.org["id"])
    data["resources"] = [{"name": "ข้อมูล", "url": url, "url_type": "upload", "format": "CSV"}]

    resource = create(agency, **data)["resources"][0]

    assert resource["url"] == url
    assert not resource.get("url_type")
    assert "ไฟล์" in resource[compat.MIGRATION_NOTE] and "uploaded" in resource[compat.MIGRATION_NOTE]


def test_an_upload_on_this_site_is_left_alone():
    here = "http://test.ckan.net/dataset/x/resource/y/download/data.csv"
    data = {"resources": [{"url": here, "url_type": "upload"}, {"url": "data.csv", "url_type": "upload"}]}

    assert compat.normalised(data)["resources"] == data["resources"]


# --- the other two paths reuse it ---------------------------------------------------------


def test_the_harvest_mapping_normalises_and_defaults_before_its_scope(agency):
    central = mapping.central_dict(real_record())

    assert central["data_classification"] == "open"
    assert central["high_value_dataset"] == "true"
    assert all(not resource.get("url_type") for resource in central["resources"])
    upload = next(r for r in central["resources"] if "download/confirmed-cases.csv" in r["url"])
    assert compat.MIGRATION_NOTE in upload
    assert {extra["key"] for extra in central["extras"]} >= {"maintain_frequent", publishing.DEFAULTED_CLASSIFICATION}


@pytest.mark.usefixtures("clean_redis")
def test_a_spreadsheet_row_without_classification_and_with_empty_cells_is_imported(agency):
    row = {**workbook.RECORD_ROW, "data_classification": "", "data_support": "", "created_date": ""}
    import_id = importer.start(workbook.build({"record": [row]}), "t.xlsx", agency.org, agency.editor["name"], False)

    importer.run_import(import_id)

    info = status.get(import_id)
    assert info is not None and info["created"] == 1, info["rows"]
    shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": row["name"]})
    assert shown["data_classification"] == "open"
    assert publishing.DEFAULTED_CLASSIFICATION in extras_of(shown)
