"""A dataset page's schema.org JSON-LD (ckanext-dcat's `structured_data`,
profiles `schemaorg opendata_th`) carries the same facts as its DCAT."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _create(app: Any, data_type: str) -> dict[str, Any]:
    sysadmin = ckan_factories.SysadminWithToken()
    agency = ckan_factories.Organization(
        title="สำนักงานสถิติแห่งชาติ", users=[{"name": sysadmin["name"], "capacity": "admin"}]
    )
    fields = dataset_dict(
        owner_org=agency["id"],
        name=f"structured-{data_type}",
        data_type=data_type,
        title="ข้อมูลประชากรรายจังหวัด",
        notes="จำนวนประชากรจากการทะเบียนราษฎร",
        tags=[{"name": "ประชากร"}, {"name": "population"}],
        data_language=["th", "en"],
    )
    return api_post(app, "package_create", sysadmin["token"], **fields)["result"]


def _json_ld(app: Any, name: str) -> dict[str, Any]:
    response = app.get(f"/dataset/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    (script,) = SCRIPT.findall(response.get_data(as_text=True))
    graph = json.loads(script)["@graph"]
    (dataset,) = [node for node in graph if node.get("@type") == "schema:Dataset"]
    nodes = {node["@id"]: node for node in graph}
    return {"dataset": dataset, "nodes": nodes}


def _values(value: Any) -> list[Any]:
    """A JSON-LD value or list of values, each as its plain value."""
    items = value if isinstance(value, list) else [value]
    return [item.get("@value", item.get("@id")) if isinstance(item, dict) else item for item in items]


def test_dataset_page_json_ld_has_the_dcat_facts(app):
    original = _create(app, "statistical")
    ld = _json_ld(app, original["name"])
    dataset, nodes = ld["dataset"], ld["nodes"]
    assert _values(dataset["schema:name"]) == [original["title"]]
    assert _values(dataset["schema:description"]) == [original["notes"]]
    assert set(_values(dataset["schema:keywords"])) == {"ประชากร", "population"}
    assert _values(dataset["schema:license"]) == ["http://www.opendefinition.org/licenses/cc-by"]
    assert set(_values(dataset["schema:inLanguage"])) == {"th", "en"}
    assert _values(dataset["schema:temporalCoverage"]) == ["2017/2024"]  # 2560-2567 B.E.
    assert _values(dataset["schema:isAccessibleForFree"]) == [True]
    (publisher_id,) = _values(dataset["schema:publisher"])
    assert _values(nodes[publisher_id]["schema:name"]) == ["สำนักงานสถิติแห่งชาติ"]


def test_thai_text_is_language_tagged(app):
    original = _create(app, "statistical")
    dataset = _json_ld(app, original["name"])["dataset"]
    assert dataset["schema:name"] == {"@language": "th", "@value": original["title"]}


def test_gis_bounding_box_is_a_schema_org_box(app):
    original = _create(app, "gis")
    ld = _json_ld(app, original["name"])
    (place_id,) = _values(ld["dataset"]["schema:spatialCoverage"])
    (shape_id,) = _values(ld["nodes"][place_id]["schema:geo"])
    assert _values(ld["nodes"][shape_id]["schema:box"]) == ["5.6 97.3 20.5 105.7"]
    assert "schema:temporalCoverage" not in ld["dataset"]


def test_private_dataset_is_not_said_to_be_free(app):
    sysadmin = ckan_factories.SysadminWithToken()
    agency = ckan_factories.Organization(users=[{"name": sysadmin["name"], "capacity": "admin"}])
    fields = dataset_dict(owner_org=agency["id"], name="private-structured", private=True)
    api_post(app, "package_create", sysadmin["token"], **fields)
    response = app.get("/dataset/private-structured", headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200
    (script,) = SCRIPT.findall(response.get_data(as_text=True))
    (dataset,) = [node for node in json.loads(script)["@graph"] if node.get("@type") == "schema:Dataset"]
    assert _values(dataset["schema:isAccessibleForFree"]) == [False]
