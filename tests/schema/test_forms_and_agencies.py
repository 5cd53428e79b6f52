"""The dataset and resource forms show the fields of the data type; the agency schema."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _page(app, url, token):
    response = app.get(url, headers={"Authorization": token})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_dataset_form_marks_each_field_with_its_data_types(app, sysadmin_with_token):
    page = _page(app, "/dataset/new", sysadmin_with_token["token"])

    assert 'data-odth-types="statistical"' in page  # e.g. first_year_of_data
    assert 'data-odth-types="record multiple other"' in page
    assert 'data-odth-other-of="objective"' in page
    assert "data-odth-types" in page.split('name="first_year_of_data"')[0].rsplit("odth-field", 1)[1]
    assert "ข้อมูลภูมิสารสนเทศเชิงพื้นที่" in page or "Geospatial (GIS) data" in page


def test_the_resource_form_shows_only_the_fields_of_the_dataset_type(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api_post(app, "package_create", token, **dataset_dict(name="stats", data_type="statistical"))

    page = _page(app, "/dataset/stats/resource/new", token)

    assert 'name="resource_first_year_of_data"' in page
    assert 'name="resource_geographic_data_set"' not in page
    assert 'name="resource_data_collect"' not in page


def test_an_agency_has_code_ministry_type_and_contacts(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(
        app,
        "organization_create",
        token,
        name="dopa",
        title="กรมการปกครอง",
        agency_code="15008",
        ministry="กระทรวงมหาดไทย",
        agency_type="Central government",
        email="contact@dopa.example.go.th",
        telephone="02 000 0000",
    )["result"]

    assert (agency["ministry"], agency["agency_type"]) == ("moi", "central")
    assert agency["agency_code"] == "15008"


def test_an_agency_type_other_needs_its_description(app, sysadmin_with_token):
    response = api_post(
        app, "organization_create", sysadmin_with_token["token"], status=409, name="other-agency", agency_type="อื่นๆ"
    )
    assert " / " in response["error"]["agency_type_other"][0]


def test_agencies_are_listed_by_ministry(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api_post(app, "organization_create", token, name="dopa", title="กรมการปกครอง", ministry="moi")
    api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ", ministry="mdes")

    index = _page(app, "/organization/", token)
    by_ministry = _page(app, "/organization/?ministry=moi", token)

    assert "ministry=moi" in index and "ministry=mdes" in index
    assert "กรมการปกครอง" in by_ministry
    assert "สำนักงานสถิติแห่งชาติ" not in by_ministry


def test_agencies_by_ministry_helper(sysadmin):
    from ckanext.opendata_th.schema.template_helpers import opendata_th_agencies_by_ministry

    helpers.call_action("organization_create", {"user": sysadmin["name"]}, name="agency-a", ministry="moph")
    helpers.call_action("organization_create", {"user": sysadmin["name"]}, name="agency-b")

    groups = opendata_th_agencies_by_ministry()
    assert [(group["code"], [a["name"] for a in group["agencies"]]) for group in groups] == [
        ("moph", ["agency-a"]),
        ("none", ["agency-b"]),
    ]
