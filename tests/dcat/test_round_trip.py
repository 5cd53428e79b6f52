"""CKAN -> DCAT -> CKAN: what our profile publishes, parsed back with
`euro_dcat_ap_3 opendata_th` (as a DCAT harvester would), loses nothing DCAT
can carry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from ckanext.dcat.processors import RDFParser

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post
from tests.hvd import catalogue

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

RESOURCES = [
    {"name": "ตารางข้อมูล", "url": "http://data.example.go.th/table.csv", "format": "CSV"},
    {"name": "Data (JSON)", "url": "http://data.example.go.th/table.json", "format": "JSON"},
]

# Fields DCAT carries, for every data type; the type's own (years, bounds) are added per case.
CARRIED = (
    "title",
    "notes",
    "update_frequency_unit",
    "update_frequency_interval",
    "data_language",
    "license_id",
    "maintainer",
    "maintainer_email",
    "data_source",
    "last_updated_date",
    "data_category",
    "data_classification",
    "high_value_dataset",
    "hvd_category",
)
BY_TYPE = {
    "statistical": ("first_year_of_data", "last_year_of_data"),
    "gis": ("west_bound_longitude", "east_bound_longitude", "south_bound_latitude", "north_bound_latitude"),
}


def _create(app: Any, data_type: str) -> dict[str, Any]:
    sysadmin = ckan_factories.SysadminWithToken()
    agency = ckan_factories.Organization(
        name="nso", title="สำนักงานสถิติแห่งชาติ", users=[{"name": sysadmin["name"], "capacity": "admin"}]
    )
    fields = dataset_dict(
        owner_org=agency["id"],
        name=f"round-trip-{data_type}",
        data_type=data_type,
        title="ข้อมูลประชากรรายจังหวัด",
        notes="จำนวนประชากรจากการทะเบียนราษฎร (population by province)",
        tags=[{"name": "ประชากร"}, {"name": "population"}],
        data_language=["th", "en"],
        update_frequency_unit="month",
        last_updated_date=datetime.date(2024, 3, 15).isoformat(),
        high_value_dataset="true",
        hvd_category=["statistics", "geospatial"],
        applicable_legislation=[catalogue.EU_REGULATION, "https://www.ratchakitcha.soc.go.th/eli/act/2562/data"],
        resources=RESOURCES,
    )
    created = api_post(app, "package_create", sysadmin["token"], **fields)["result"]
    return api_post(app, "package_show", sysadmin["token"], id=created["id"])["result"]


def _parse(app: Any, name: str) -> dict[str, Any]:
    response = app.get(f"/dataset/{name}.ttl")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    parser = RDFParser(profiles=["euro_dcat_ap_3", "opendata_th"])
    parser.parse(response.get_data(as_text=True), _format="turtle")
    (parsed,) = parser.datasets()
    return parsed


@pytest.mark.parametrize("data_type", ["statistical", "gis"])
def test_nothing_dcat_carries_is_lost(app, data_type):
    original = _create(app, data_type)
    parsed = _parse(app, original["name"])
    for field in CARRIED + BY_TYPE[data_type]:
        assert parsed.get(field) == original.get(field), field
    assert {tag["name"] for tag in parsed["tags"]} == {"ประชากร", "population"}
    assert sorted(parsed["applicable_legislation"]) == sorted(original["applicable_legislation"])
    # RDF has no order: compare the distributions as a set.
    assert {(r["url"], r["format"]) for r in parsed["resources"]} == {(r["url"], r["format"]) for r in RESOURCES}


def test_gis_bounding_box_comes_back_as_spatial(app):
    original = _create(app, "gis")
    parsed = _parse(app, original["name"])
    assert parsed["spatial"]
    assert (
        parsed["west_bound_longitude"],
        parsed["south_bound_latitude"],
        parsed["east_bound_longitude"],
        parsed["north_bound_latitude"],
    ) == ("97.3", "5.6", "105.7", "20.5")


def test_default_legislation_is_published_and_parsed(app):
    """An HVD without its own legislation gets the site default, and keeps it on the way back."""
    original = _create(app, "statistical")
    token = ckan_factories.SysadminWithToken()["token"]
    api_post(app, "package_patch", token, id=original["id"], applicable_legislation=[])
    parsed = _parse(app, original["name"])
    assert parsed["applicable_legislation"] == [catalogue.EU_REGULATION]
    assert parsed["hvd_category"] == original["hvd_category"]
