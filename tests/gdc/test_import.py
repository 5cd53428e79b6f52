"""Importing GD Catalog workbooks: every sheet type, Thai values, B.E. dates,
rejected rows, re-imports and resources."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import pytest

from ckanext.opendata_th.gdc import importer, status
from tests.conftest import PLUGINS
from tests.gdc import workbook
from tests.gdc.conftest import Agency

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_redis", "with_request_context"),
]


def run(agency: Agency, content: bytes) -> dict[str, Any]:
    """Import `content` as the agency's editor, in this process; the final status."""
    import_id = importer.start(content, "test.xlsx", agency.org, agency.editor["name"], enqueue=False)
    importer.run_import(import_id)
    info = status.get(import_id)
    assert info is not None
    return info


def show(name: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": name})


def outcomes(info: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["sheet"], row["outcome"]) for row in info["rows"]]


def test_each_sheet_type_creates_datasets_with_codes(agency):
    info = run(agency, workbook.build({t: [row] for t, row in workbook.ROWS_BY_TYPE.items()}))

    assert info["state"] == "finished"
    assert (info["total"], info["done"], info["created"], info["rejected"]) == (5, 5, 5, 0), info["rows"]
    for data_type, row in workbook.ROWS_BY_TYPE.items():
        dataset = show(row["name"])
        assert dataset["data_type"] == data_type
        assert dataset["owner_org"] == agency.org["id"]
        assert dataset["data_category"] == "public"
        assert dataset["data_classification"] == "open"
        assert dataset["license_id"] == "cc-by"
        assert dataset["update_frequency_unit"] == "month"
        assert sorted(dataset["objective"]) == ["agency_mission", "public_service"]
        assert {tag["name"] for tag in dataset["tags"]} == {"ข้าว", "เกษตรกร"}


def test_imported_datasets_come_in_private_without_harvest_consent(agency):
    run(agency, workbook.build({"record": [workbook.RECORD_ROW]}))

    dataset = show("rice-farmers-register")
    assert dataset["private"] is True
    assert tk.asbool(dataset["allow_harvest"]) is False


def test_type_specific_values_are_mapped_to_codes(agency):
    run(agency, workbook.build({t: [row] for t, row in workbook.ROWS_BY_TYPE.items()}))

    record, stat, gis = show("rice-farmers-register"), show("elderly-population"), show("land-parcels")
    assert record["data_collect"] == "person"
    assert record["reference_data"] == "true"
    assert record["high_value_dataset"] == "false"
    assert sorted(stat["disaggregate"]) == ["age", "sex"]
    assert stat["official_statistics"] == "true"
    assert stat["unit_of_multiplier"] == "thousand"
    assert gis["equivalent_scale"] == "1_4000"
    assert float(gis["west_bound_longitude"]) == pytest.approx(97.3)
    other = show("interviews")
    assert other["data_type"] == "other"
    assert other["data_type_other"] == "ข้อมูลเสียงสัมภาษณ์"


def test_buddhist_era_dates_are_converted(agency):
    row = {**workbook.RECORD_ROW, "created_date": datetime.datetime(2565, 1, 31)}
    run(agency, workbook.build({"record": [row]}))

    dataset = show("rice-farmers-register")
    assert dataset["created_date"] == "2022-01-31"  # a date cell holding a B.E. year
    assert dataset["last_updated_date"] == "2024-03-15"  # the text 15/03/2567


def test_unknown_choice_goes_to_other_with_its_text(agency):
    row = {**workbook.RECORD_ROW, "geo_coverage": "ลุ่มน้ำ", "data_format": "CSV, แผ่นซีดี"}
    run(agency, workbook.build({"record": [row]}))

    dataset = show("rice-farmers-register")
    assert dataset["geo_coverage"] == "other"
    assert dataset["geo_coverage_other"] == "ลุ่มน้ำ"
    assert sorted(dataset["data_format"]) == ["csv", "other"]
    assert dataset["data_format_other"] == "แผ่นซีดี"


def test_a_bad_row_is_rejected_with_reasons_and_the_others_import(agency):
    bad = {**workbook.RECORD_ROW, "name": "bad-row", "maintainer_email": "not-an-email", "created_date": "31 ม.ค."}
    second = {**workbook.RECORD_ROW, "name": "second-row", "title": "แถวที่สอง"}
    info = run(agency, workbook.build({"record": [workbook.RECORD_ROW, bad, second]}))

    assert [row["outcome"] for row in info["rows"]] == ["created", "rejected", "created"]
    rejected = info["rows"][1]
    assert rejected["row"] == 7  # rows 6, 7, 8: the data officer's own row numbers
    assert rejected["name"] == "bad-row"
    assert any(
        "วันที่เริ่มต้นสร้าง" in reason and "ไม่ใช่วันที่ / " in reason and "is not a date" in reason
        for reason in rejected["reasons"]
    ), rejected["reasons"]
    with pytest.raises(tk.ObjectNotFound):
        show("bad-row")
    assert show("second-row")["title"] == "แถวที่สอง"


def test_a_validation_error_is_reported_in_thai_and_english(agency):
    bad = {**workbook.RECORD_ROW, "maintainer_email": "not-an-email"}
    info = run(agency, workbook.build({"record": [bad]}))

    (row,) = info["rows"]
    assert row["outcome"] == "rejected"
    assert any(reason.startswith("อีเมลผู้ติดต่อ / Contact email:") for reason in row["reasons"]), row["reasons"]


def test_a_row_without_a_name_is_rejected(agency):
    info = run(agency, workbook.build({"record": [{**workbook.RECORD_ROW, "name": None}]}))

    (row,) = info["rows"]
    assert row["outcome"] == "rejected"
    assert "name" in row["reasons"][0]


def test_a_re_import_updates_instead_of_duplicating(agency):
    run(agency, workbook.build({"record": [workbook.RECORD_ROW]}))
    changed = {**workbook.RECORD_ROW, "title": "ทะเบียนเกษตรกร (ปรับปรุง)", "geo_coverage": "จังหวัด"}

    info = run(agency, workbook.build({"record": [changed]}))

    assert outcomes(info) == [("Temp2_Meta_Record", "updated")]
    found = tk.get_action("package_search")({"ignore_auth": True}, {"q": "*:*", "include_private": True})
    assert found["count"] == 1
    dataset = show("rice-farmers-register")
    assert dataset["title"] == "ทะเบียนเกษตรกร (ปรับปรุง)"
    assert dataset["geo_coverage"] == "province"


def test_a_name_held_by_another_agency_is_rejected(agency):
    from ckan.tests import factories as ckan_factories

    from tests.factories import dataset_dict

    other = ckan_factories.Organization()
    tk.get_action("package_create")(
        {"ignore_auth": True, "user": agency.sysadmin["name"]},
        dataset_dict(name="rice-farmers-register", owner_org=other["id"]),
    )

    info = run(agency, workbook.build({"record": [workbook.RECORD_ROW]}))

    assert info["rows"][0]["outcome"] == "rejected"
    assert show("rice-farmers-register")["owner_org"] == other["id"]


RESOURCES = [
    {
        "dataset_name": "rice-farmers-register",
        "name": "ทะเบียน 2566",
        "url": "https://example.go.th/2566.csv",
        "format": "CSV",
        "resource_created_date": "2566-01-01",
        "resource_data_collect": "บุคคล",
    },
    # linked by the dataset's title rather than its name
    {
        "dataset_name": "ทะเบียนเกษตรกรผู้ปลูกข้าว",
        "name": "ทะเบียน 2567",
        "url": "https://example.go.th/2567.csv",
        "format": "CSV",
    },
    {"dataset_name": "no-such-dataset", "name": "หลงทาง", "url": "https://example.go.th/x.csv"},
]


def test_resource_sheet_attaches_resources_to_their_datasets(agency):
    info = run(agency, workbook.build({"record": [workbook.RECORD_ROW]}, {"record": RESOURCES}))

    assert [row["outcome"] for row in info["rows"]] == ["created", "created", "created", "rejected"]
    resources = {r["name"]: r for r in show("rice-farmers-register")["resources"]}
    assert set(resources) == {"ทะเบียน 2566", "ทะเบียน 2567"}
    assert resources["ทะเบียน 2566"]["resource_created_date"] == "2023-01-01"
    assert resources["ทะเบียน 2566"]["resource_data_collect"] == "person"
    assert "no-such-dataset" in info["rows"][3]["reasons"][0]


def test_re_importing_resources_updates_them(agency):
    run(agency, workbook.build({"record": [workbook.RECORD_ROW]}, {"record": RESOURCES[:2]}))
    moved = [{**RESOURCES[0], "url": "https://example.go.th/new-2566.csv"}, RESOURCES[1]]

    info = run(agency, workbook.build({"record": [workbook.RECORD_ROW]}, {"record": moved}))

    assert [row["outcome"] for row in info["rows"]] == ["updated", "updated", "updated"]
    resources = {r["name"]: r for r in show("rice-farmers-register")["resources"]}
    assert len(show("rice-farmers-register")["resources"]) == 2
    assert resources["ทะเบียน 2566"]["url"] == "https://example.go.th/new-2566.csv"


def test_resources_of_a_rejected_dataset_are_rejected(agency):
    bad = {**workbook.RECORD_ROW, "maintainer_email": "not-an-email"}
    info = run(agency, workbook.build({"record": [bad]}, {"record": RESOURCES[:1]}))

    assert [row["outcome"] for row in info["rows"]] == ["rejected", "rejected"]


def test_columns_not_in_the_template_are_reported(agency):
    content = workbook.build({"record": [workbook.RECORD_ROW]})
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    book["Temp2_Meta_Record"].cell(row=4, column=40, value="คอลัมน์แปลก")
    output = io.BytesIO()
    book.save(output)

    info = run(agency, output.getvalue())

    assert info["created"] == 1
    assert any("คอลัมน์แปลก" in warning for warning in info["warnings"])


def test_a_file_that_is_not_a_workbook_is_refused_before_queueing(agency):
    from ckanext.opendata_th.gdc import reader

    with pytest.raises(reader.WorkbookError):
        importer.start(b"not a spreadsheet", "x.xlsx", agency.org, agency.editor["name"], enqueue=False)
