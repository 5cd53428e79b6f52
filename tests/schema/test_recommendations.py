"""What this catalogue recommends beyond GD Catalog (schema/recommendations.py).

A record with only the fields GD Catalog requires is accepted for each data
type, through package_create, package_update and package_patch; its
unmet recommendations are listed by the API action in Thai and English, and
shown on its page (one language per page) and in its edit form.
"""

from __future__ import annotations

import gettext
import pathlib
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from rdflib import Graph, Namespace

import ckanext.opendata_th
from ckanext.opendata_th.schema import recommendations
from tests.conftest import PLUGINS
from tests.factories import TYPE_FIELDS, dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

CATALOGUE = pathlib.Path(ckanext.opendata_th.__file__).parent / "i18n/th/LC_MESSAGES/ckanext-opendata_th.mo"
DCT = Namespace("http://purl.org/dc/terms/")

# What each data type lacks with only GD Catalog's required fields: code -> the empty fields.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "record": {"data_collect": ["data_collect"]},
    "statistical": {
        "statistical_years": ["first_year_of_data", "last_year_of_data"],
        "unit_of_measure": ["unit_of_measure"],
    },
    "gis": {
        "bounding_box": [
            "west_bound_longitude",
            "east_bound_longitude",
            "south_bound_latitude",
            "north_bound_latitude",
        ]
    },
    "multiple": {"data_collect": ["data_collect"]},
    "other": {"data_collect": ["data_collect"], "other_description": ["data_type_other"]},
}
THAI = {
    "data_collect": "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล",
    "statistical_years": "ปีข้อมูลที่เริ่มต้นจัดทำ",
    "unit_of_measure": "หน่วยวัด",
    "bounding_box": "ค่าพิกัดกรอบพื้นที่",
    "other_description": "ประเภทชุดข้อมูล",
}
ENGLISH = {
    "data_collect": "unit of data collection",
    "statistical_years": "first and the last year",
    "unit_of_measure": "unit of measure",
    "bounding_box": "four bounding coordinates",
    "other_description": '"Data type"',
}


def _minimal(name: str, data_type: str) -> dict[str, Any]:
    """Only what GD Catalog requires: the factory's dataset without its type's own fields."""
    full = dataset_dict(name=name, data_type=data_type)
    return {key: value for key, value in full.items() if key not in TYPE_FIELDS[data_type]}


def _codes(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {item["code"]: item["fields"] for item in items}


def _page(app: Any, url: str, token: str | None = None) -> str:
    response = app.get(url, headers={"Authorization": token} if token else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("data_type", list(EXPECTED))
def test_a_gd_catalog_minimal_record_is_accepted_with_its_recommendations(data_type, app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    name = f"minimal-{data_type}"

    created = api_post(app, "package_create", token, **_minimal(name, data_type))["result"]
    assert created["data_type"] == data_type
    items = api_get(app, "opendata_th_dataset_recommendations", token, id=name)["result"]
    assert _codes(items) == EXPECTED[data_type]
    for item in items:
        assert THAI[item["code"]] in item["message"]["th"]
        assert ENGLISH[item["code"]] in item["message"]["en"]

    shown = api_get(app, "package_show", token, id=name)["result"]
    updated = api_post(app, "package_update", token, **{**shown, "notes": "ปรับปรุงคำอธิบาย"})["result"]
    assert updated["notes"] == "ปรับปรุงคำอธิบาย"
    patched = api_post(app, "package_patch", token, id=name, title="ชื่อใหม่")["result"]
    assert patched["title"] == "ชื่อใหม่"
    assert _codes(api_get(app, "opendata_th_dataset_recommendations", token, id=name)["result"]) == EXPECTED[data_type]


@pytest.mark.parametrize("data_type", list(EXPECTED))
def test_a_complete_record_meets_every_recommendation(data_type, app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api_post(app, "package_create", token, **dataset_dict(name=f"complete-{data_type}", data_type=data_type))
    assert api_get(app, "opendata_th_dataset_recommendations", token, id=f"complete-{data_type}")["result"] == []


# As in production (config/ckan.ini.template): Thai pages at /, English under /en/.
THAI_FIRST = [
    pytest.mark.ckan_config("ckan.locale_default", "th"),
    pytest.mark.ckan_config("ckan.locales_offered", "th en"),
]


@THAI_FIRST[0]
@THAI_FIRST[1]
def test_the_page_warns_in_thai_and_under_en_in_english(app, sysadmin_with_token):
    api_post(app, "package_create", sysadmin_with_token["token"], **_minimal("needs-unit", "record"))

    thai = _page(app, "/dataset/needs-unit")
    assert "opendata-th-recommendations" in thai
    assert "ชุดข้อมูลนี้ยังขาดคำอธิบายชุดข้อมูลที่แนะนำให้ระบุ" in thai
    assert "ควรระบุหน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล" in thai
    assert "Give the unit of data collection" not in thai

    english = _page(app, "/en/dataset/needs-unit")
    assert "This dataset lacks recommended metadata" in english
    assert "Give the unit of data collection" in english
    assert "ควรระบุหน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล" not in english


def test_a_complete_dataset_page_has_no_warning(app, sysadmin_with_token):
    api_post(app, "package_create", sysadmin_with_token["token"], **dataset_dict(name="complete", data_type="record"))
    assert "opendata-th-recommendations" not in _page(app, "/dataset/complete")


@THAI_FIRST[0]
@THAI_FIRST[1]
def test_the_edit_form_warns_under_the_field_without_an_error(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api_post(app, "package_create", token, **_minimal("form-record", "record"))

    page = _page(app, "/en/dataset/edit/form-record", token)
    field = page.split('name="data_collect"', 1)[1].split('class="odth-field"', 1)[0]
    assert "odth-recommendation" in field
    assert "Give the unit of data collection" in field
    assert "error-block" not in field


def test_a_value_outside_a_vocabulary_is_still_refused(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    response = api_post(
        app, "package_create", token, status=409, **_minimal("bad-unit", "record"), data_collect="ดาวอังคาร"
    )
    assert "ดาวอังคาร" in response["error"]["data_collect"][0]
    api_get(app, "package_show", token, status=404, id="bad-unit")


@THAI_FIRST[0]
@THAI_FIRST[1]
def test_a_field_of_another_data_type_is_kept_but_not_shown_nor_published(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]
    foreign = {"first_year_of_data": "2555", "last_year_of_data": "2560", "unit_of_measure": "หน่วยแปลก"}
    data = dataset_dict(name="kept", data_type="record", owner_org=agency["id"], **foreign)
    api_post(app, "package_create", token, **data)

    shown = api_get(app, "package_show", token, id="kept")["result"]
    assert (shown["first_year_of_data"], shown["unit_of_measure"]) == ("2555", "หน่วยแปลก")

    for url in ("/dataset/kept", "/en/dataset/kept"):
        page = _page(app, url)
        assert "opendata-th-field-unit_of_measure" not in page
        assert "หน่วยแปลก" not in page
    graph = Graph().parse(data=_page(app, "/dataset/kept.ttl"), format="turtle")
    assert list(graph.subject_objects(DCT.temporal)) == []
    assert "หน่วยแปลก" not in graph.serialize(format="turtle")


def test_a_dataset_hidden_from_the_caller_answers_not_found_like_package_show(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="doh", title="กรมอนามัย")["result"]
    hidden = {"data_category": "personal", "data_classification": "confidential", "private": True}
    api_post(app, "package_create", token, **{**_minimal("hidden", "record"), "owner_org": agency["id"], **hidden})

    unknown = api_get(app, "opendata_th_dataset_recommendations", status=404, id="no-such-dataset")
    refused = api_get(app, "opendata_th_dataset_recommendations", status=404, id="hidden")
    assert refused["error"]["message"].replace("hidden", "?") == unknown["error"]["message"].replace(
        "no-such-dataset", "?"
    )
    api_get(app, "package_show", status=404, id="hidden")
    own = api_get(app, "opendata_th_dataset_recommendations", token, id="hidden")["result"]
    assert _codes(own) == EXPECTED["record"]


def test_the_action_needs_an_id(app):
    with app.flask_app.test_request_context(), pytest.raises(tk.ValidationError):
        helpers.call_action("opendata_th_dataset_recommendations")


def test_every_recommendation_has_a_thai_message():
    with open(CATALOGUE, "rb") as compiled:  # compiled from parts/*.po at install
        thai = gettext.GNUTranslations(compiled)
    rules = recommendations.rules()
    assert {rule.code for rule in rules} == set(THAI)
    assert [rule.code for rule in rules if thai.gettext(rule.message) == rule.message] == []
    assert thai.gettext("This dataset lacks recommended metadata") != "This dataset lacks recommended metadata"
