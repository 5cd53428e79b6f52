"""The GD Catalog dataset schema, enforced by the server (action API and HTTP)."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from tests.conftest import PLUGINS
from tests.factories import TYPE_FIELDS, dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DATA_TYPES = ["record", "statistical", "gis", "multiple", "other"]


@pytest.fixture(autouse=True)
def _request(app, request):
    """Action calls inside a request, as in the web app, so messages are translated.

    (Not around the HTTP tests: their client makes its own requests.)
    """
    if request.cls is TestHttp:
        yield
        return
    with app.flask_app.test_request_context():
        yield


def _create(sysadmin: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", {"user": sysadmin["name"]}, **dataset_dict(**fields))


def _errors(sysadmin: dict[str, Any], action: str = "package_create", **fields: Any) -> dict[str, Any]:
    """The validation errors of `action`, after checking nothing was saved."""
    data = dataset_dict(**fields) if action == "package_create" else fields
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(action, {"user": sysadmin["name"]}, **data)
    if action == "package_create":
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("package_show", id=data["name"])
    return error.value.error_dict


def _recommended(dataset_id: str) -> dict[str, list[str]]:
    """code -> fields of the dataset's unmet recommendations (dataset fields only)."""
    codes: dict[str, list[str]] = {}
    for item in helpers.call_action("opendata_th_dataset_recommendations", id=dataset_id):
        if "resource_id" not in item:
            codes.setdefault(item["code"], []).extend(item["fields"])
    return codes


def _is_bilingual(message: str) -> bool:
    thai, _, english = message.partition(" / ")
    return bool(english) and any("\u0e00" <= char <= "\u0e7f" for char in thai)


@pytest.mark.parametrize("data_type", DATA_TYPES)
def test_each_data_type_is_created_and_read_back_with_its_fields(data_type, sysadmin):
    dataset = _create(sysadmin, name=f"dataset-{data_type}", data_type=data_type)

    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["data_type"] == data_type
    assert shown["objective"] == ["agency_mission"]
    assert shown["data_format"] == ["csv"]
    for field, value in TYPE_FIELDS[data_type].items():
        assert str(shown[field]) == str(float(value) if "bound" in field else value)


def test_gd_catalog_thai_values_are_accepted_and_stored_as_codes(sysadmin):
    dataset = _create(
        sysadmin,
        name="from-gd-catalog",
        data_type="ข้อมูลสถิติ",
        data_category="ข้อมูลสาธารณะ",
        data_classification="เปิดเผย",
        objective=["ยุทธศาสตร์ชาติ", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)"],
        update_frequency_unit="ปี",
        geo_coverage="ภาค",
        data_format=["CSV", "XLS"],
        data_language="ไทย",
        license_id="Open Data Common",
        unit_of_multiplier="ล้าน",
        disaggregate=["เพศ", "อายุ/กลุ่มอายุ"],
        official_statistics="True",
        first_year_of_data="2560",
        last_year_of_data="2567",
        unit_of_measure="ล้านบาท",
    )

    assert dataset["data_type"] == "statistical"
    assert (dataset["data_category"], dataset["data_classification"]) == ("public", "open")
    assert dataset["objective"] == ["national_strategy", "level3_plan"]
    assert (dataset["update_frequency_unit"], dataset["geo_coverage"]) == ("year", "region")
    assert dataset["data_format"] == ["csv", "xls"]
    assert dataset["data_language"] == ["th"]
    assert dataset["license_id"] == "odc-by"
    assert dataset["license_title"] == "Open Data Commons Attribution License"
    assert (dataset["unit_of_multiplier"], dataset["official_statistics"]) == ("million", "true")
    assert dataset["disaggregate"] == ["sex", "age"]


def test_english_labels_and_uris_are_accepted_too(sysadmin):
    dataset = _create(
        sysadmin,
        name="by-uri",
        update_frequency_unit="http://publications.europa.eu/resource/authority/frequency/MONTHLY",
        data_language=["http://publications.europa.eu/resource/authority/language/ENG", "Thai"],
        geo_coverage="Province",
    )
    assert dataset["update_frequency_unit"] == "month"
    assert dataset["data_language"] == ["th", "en"]
    assert dataset["geo_coverage"] == "province"


def test_an_unknown_choice_is_rejected_bilingually_and_nothing_is_saved(sysadmin):
    errors = _errors(sysadmin, name="bad-choice", geo_coverage="ดาวอังคาร", data_format=["CSV", "Punch cards"])

    assert "ดาวอังคาร" in errors["geo_coverage"][0]
    assert "Punch cards" in errors["data_format"][0]
    assert all(_is_bilingual(message) for message in errors["geo_coverage"] + errors["data_format"])


@pytest.mark.parametrize(
    ("data_type", "field", "code"),
    [
        ("statistical", "first_year_of_data", "statistical_years"),
        ("statistical", "unit_of_measure", "unit_of_measure"),
        ("gis", "west_bound_longitude", "bounding_box"),
        ("record", "data_collect", "data_collect"),
        ("multiple", "data_collect", "data_collect"),
        ("other", "data_type_other", "other_description"),
    ],
)
def test_fields_this_catalogue_asks_of_the_data_type_are_recommendations_not_errors(data_type, field, code, sysadmin):
    # GD Catalog requires none of them: the dataset is saved and the gap is a recommendation.
    dataset = _create(sysadmin, name="incomplete", data_type=data_type, **{field: ""})

    assert field not in helpers.call_action("package_show", id=dataset["id"])
    assert field in _recommended(dataset["id"])[code]


@pytest.mark.parametrize("field", ["title", "maintainer", "notes", "objective", "data_format", "license_id"])
def test_fields_every_type_requires(field, sysadmin):
    errors = _errors(sysadmin, name="incomplete", **{field: [] if field in ("objective", "data_format") else ""})
    assert field in errors
    assert _is_bilingual(errors[field][0])


def test_a_dataset_needs_a_tag(sysadmin):
    data = dataset_dict(name="no-tags")
    del data["tags"]
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("package_create", {"user": sysadmin["name"]}, **data)
    assert _is_bilingual(error.value.error_dict["tag_string"][0])


@pytest.mark.parametrize(
    ("data_type", "foreign"),
    [
        ("record", {"first_year_of_data": "2567"}),
        ("statistical", {"data_collect": "person"}),
        ("statistical", {"west_bound_longitude": "100"}),
        ("gis", {"official_statistics": "true"}),
        ("multiple", {"geographic_data_set": "forest"}),
    ],
)
def test_fields_of_another_data_type_are_kept_as_gd_catalog_keeps_them(data_type, foreign, sysadmin):
    dataset = _create(sysadmin, name="wrong-type", data_type=data_type, **foreign)

    ((field, value),) = foreign.items()
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert str(shown[field]) == str(float(value) if "bound" in field else value)
    assert _recommended(dataset["id"]) == {}  # they count for nothing


def test_fields_of_another_data_type_still_obey_their_vocabulary(sysadmin):
    errors = _errors(sysadmin, name="wrong-type-bad", data_type="statistical", data_collect="ดาวอังคาร")
    assert "ดาวอังคาร" in errors["data_collect"][0]
    assert _is_bilingual(errors["data_collect"][0])


def test_resource_fields_of_another_data_type_are_kept(sysadmin):
    resource = {"name": "ตาราง", "url": "http://example.com/a.csv", "resource_geographic_data_set": "forest"}
    dataset = _create(sysadmin, name="wrong-resource", data_type="statistical", resources=[resource])

    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["resources"][0]["resource_geographic_data_set"] == "forest"


def test_resource_fields_of_the_type_are_stored_as_codes(sysadmin):
    dataset = _create(sysadmin, name="with-resource")
    resource = helpers.call_action(
        "resource_create",
        {"user": sysadmin["name"]},
        package_id=dataset["id"],
        name="ตาราง",
        url="http://example.com/a.csv",
        resource_unit_of_multiplier="พัน",
        resource_disaggregate=["เพศ"],
        resource_first_year_of_data="2566",
        resource_last_year_of_data="2567",
        resource_data_release_calendar="01/01/2568",
    )
    assert resource["resource_unit_of_multiplier"] == "thousand"
    assert resource["resource_disaggregate"] == ["sex"]
    assert resource["resource_data_release_calendar"] == "2025-01-01"

    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "resource_create",
            {"user": sysadmin["name"]},
            package_id=dataset["id"],
            name="แผนที่",
            resource_equivalent_scale="1:3",
        )
    assert "1:3" in error.value.error_dict["resource_equivalent_scale"][0]


def test_a_resource_needs_a_name(sysadmin):
    dataset = _create(sysadmin, name="unnamed-resource")
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"], url="http://example.com/a.csv"
        )
    assert _is_bilingual(error.value.error_dict["name"][0])


class TestOther:
    def test_other_without_its_description_is_saved_and_recommended(self, sysadmin):
        dataset = _create(sysadmin, name="other-empty", objective=["อื่นๆ"], geo_coverage="other")

        assert (dataset["objective"], dataset["geo_coverage"]) == (["other"], "other")
        items = helpers.call_action("opendata_th_dataset_recommendations", id=dataset["id"])
        assert [item["fields"] for item in items] == [["objective_other"], ["geo_coverage_other"]]
        assert items[0]["message"] == {
            "th": 'ควรระบุรายละเอียดของ "อื่นๆ" ที่เลือกใน "วัตถุประสงค์"',
            "en": 'Describe the "other" choice of "Objective"',
        }

    def test_other_is_stored_with_its_description(self, sysadmin):
        dataset = _create(sysadmin, name="other-given", objective=["law", "other"], objective_other="แผนของจังหวัด")
        assert dataset["objective"] == ["law", "other"]
        assert dataset["objective_other"] == "แผนของจังหวัด"

    def test_a_description_without_other_is_dropped(self, sysadmin):
        dataset = _create(sysadmin, name="other-dropped", geo_coverage="country", geo_coverage_other="ดาวอังคาร")
        assert "geo_coverage_other" not in helpers.call_action("package_show", id=dataset["id"])

    def test_other_data_type_and_licence(self, sysadmin):
        dataset = _create(sysadmin, name="other-type", data_type="other", data_type_other="", license_id="อื่นๆ")
        fields = {field for item in _recommended(dataset["id"]).values() for field in item}
        assert {"data_type_other", "license_id_other"} <= fields


class TestDatesAndYears:
    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("15/03/2567", "2024-03-15"),
            ("2024-03-15", "2024-03-15"),
            ("๑๕/๐๓/๒๕๖๗", "2024-03-15"),
            ("1/1/2024", "2024-01-01"),
        ],
    )
    def test_iso_and_buddhist_era_dates(self, given, stored, sysadmin):
        dataset = _create(sysadmin, name="dated", last_updated_date=given, data_release_calendar=given)
        assert dataset["last_updated_date"] == stored
        assert dataset["data_release_calendar"] == stored

    @pytest.mark.parametrize("given", ["31/02/2567", "next week", "2567"])
    def test_bad_dates_are_rejected(self, given, sysadmin):
        errors = _errors(sysadmin, name="bad-date", last_updated_date=given)
        assert _is_bilingual(errors["last_updated_date"][0])

    @pytest.mark.parametrize(
        ("given", "stored"), [("2567", "2567"), ("พ.ศ. 2560", "2560"), (2017, "2560"), ("๒๕๖๗", "2567")]
    )
    def test_buddhist_era_years(self, given, stored, sysadmin):
        dataset = _create(sysadmin, name="years", first_year_of_data=given, last_year_of_data="2567")
        assert dataset["first_year_of_data"] == stored

    @pytest.mark.parametrize("given", ["67", "2300", "3000", "ปีนี้"])
    def test_bad_years_are_rejected(self, given, sysadmin):
        errors = _errors(sysadmin, name="bad-year", first_year_of_data=given)
        assert _is_bilingual(errors["first_year_of_data"][0])

    def test_first_year_after_last_year_is_rejected(self, sysadmin):
        errors = _errors(sysadmin, name="reversed", first_year_of_data="2567", last_year_of_data="2560")
        assert "2567" in errors["last_year_of_data"][0]


class TestBoundingBox:
    def test_part_of_a_bbox_is_saved_without_a_polygon_and_recommended(self, sysadmin):
        dataset = _create(
            sysadmin,
            name="gis-part",
            data_type="gis",
            east_bound_longitude="",
            south_bound_latitude="",
            north_bound_latitude="",
        )
        assert float(dataset["west_bound_longitude"]) == 97.3
        assert "spatial" not in dataset
        fields = _recommended(dataset["id"])["bounding_box"]
        assert fields == ["east_bound_longitude", "south_bound_latitude", "north_bound_latitude"]

    def test_the_bbox_is_stored_as_geojson_in_spatial(self, sysadmin):
        dataset = _create(sysadmin, name="gis", data_type="gis")

        polygon = json.loads(dataset["spatial"])
        assert polygon["type"] == "Polygon"
        assert polygon["coordinates"][0][0] == [97.3, 5.6]
        assert polygon["coordinates"][0][2] == [105.7, 20.5]

    @pytest.mark.parametrize(
        ("field", "value"),
        [("west_bound_longitude", "-181"), ("east_bound_longitude", "ร้อย"), ("north_bound_latitude", "90.5")],
    )
    def test_coordinates_out_of_range_are_rejected(self, field, value, sysadmin):
        errors = _errors(sysadmin, name="gis-bad", data_type="gis", **{field: value})
        assert _is_bilingual(errors[field][0])

    def test_west_must_not_be_east_of_east_nor_south_north_of_north(self, sysadmin):
        errors = _errors(
            sysadmin,
            name="gis-swapped",
            data_type="gis",
            west_bound_longitude="105",
            east_bound_longitude="97",
            south_bound_latitude="20",
            north_bound_latitude="5",
        )
        assert "105" in errors["east_bound_longitude"][0]
        assert "20" in errors["north_bound_latitude"][0]


class TestUpdate:
    def test_update_keeps_the_rules(self, sysadmin):
        dataset = _create(sysadmin, name="to-update")
        context = {"user": sysadmin["name"]}

        with pytest.raises(tk.ValidationError) as error:
            helpers.call_action("package_patch", context, id=dataset["id"], data_type="record", data_collect="ดาว")
        assert "data_collect" in error.value.error_dict
        assert helpers.call_action("package_show", id=dataset["id"])["data_type"] == "statistical"

        # Another data type: the statistical values are kept (GD Catalog keeps them), record lacks data_collect.
        retyped = helpers.call_action("package_patch", context, id=dataset["id"], data_type="record")
        assert (retyped["data_type"], retyped["first_year_of_data"]) == ("record", "2560")
        assert _recommended(dataset["id"]) == {"data_collect": ["data_collect"]}

        patched = helpers.call_action(
            "package_patch",
            context,
            id=dataset["id"],
            data_type="ข้อมูลระเบียน",
            data_collect="บุคคล",
            first_year_of_data="",
            last_year_of_data="",
            unit_of_measure="",
        )
        assert (patched["data_type"], patched["data_collect"]) == ("record", "person")
        assert "first_year_of_data" not in patched

    def test_a_round_trip_of_package_show_validates(self, sysadmin):
        dataset = _create(sysadmin, name="round-trip", data_type="gis", data_language=["th", "en"])
        shown = helpers.call_action("package_show", id=dataset["id"])
        updated = helpers.call_action("package_update", {"user": sysadmin["name"]}, **shown)
        assert updated["data_language"] == ["th", "en"]
        assert updated["spatial"] == dataset["spatial"]


class TestHttp:
    @pytest.mark.parametrize("data_type", DATA_TYPES)
    def test_create_and_update_over_http(self, data_type, app, sysadmin_with_token):
        token = sysadmin_with_token["token"]
        created = api_post(app, "package_create", token, **dataset_dict(name=f"http-{data_type}", data_type=data_type))
        assert created["result"]["data_type"] == data_type

        updated = api_post(
            app, "package_patch", token, id=f"http-{data_type}", update_frequency_unit="เดือน", data_format=["JSON"]
        )["result"]
        assert (updated["update_frequency_unit"], updated["data_format"]) == ("month", ["json"])

    def test_errors_over_http_are_bilingual_and_nothing_is_saved(self, app, sysadmin_with_token):
        token = sysadmin_with_token["token"]
        response = api_post(
            app,
            "package_create",
            token,
            status=409,
            **dataset_dict(name="http-bad", data_type="record", first_year_of_data="ปีนี้", data_collect="ดาว"),
        )
        error = response["error"]
        assert error["__type"] == "Validation Error"
        assert _is_bilingual(error["first_year_of_data"][0])
        assert _is_bilingual(error["data_collect"][0])
        api_get(app, "package_show", token, status=404, id="http-bad")

    def test_licences_have_thai_titles(self, app):
        licences = {entry["id"]: entry for entry in api_get(app, "license_list")["result"]}
        assert licences["cc-by"]["title_th"] == "ครีเอทีฟคอมมอนส์ แสดงที่มา"
        assert licences["odc-by"]["url"]
