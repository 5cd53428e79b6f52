"""OpenAPI 3.1 documents: typed from the data dictionary, valid, cached until the table changes."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.api.conftest import PROVINCES
from tests.conftest import PLUGINS
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def document(app, url, status=200, token=None):
    response = app.get(url, headers={"Authorization": token} if token else {})
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    return response


def record_schema(spec, resource_id):
    return spec["components"]["schemas"][f"Record_{resource_id.replace('-', '')}"]


def test_resource_document_is_typed_from_the_dictionary_and_valid(app, table):
    spec = document(app, f"/api/opendata/v1/resources/{table.resource_id}/openapi.json").json
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    props = record_schema(spec, table.resource_id)["properties"]
    assert props["ปี"]["type"] == ["integer", "null"]
    assert (props["ปี"]["minimum"], props["ปี"]["maximum"]) == (2561, 2566)
    assert props["จำนวน"]["type"] == ["number", "null"]
    assert props["จังหวัด"]["enum"][:5] == sorted(PROVINCES)
    assert props["จังหวัด"]["x-label-en"] == "Province" and props["จังหวัด"]["x-label-th"] == "จังหวัด"
    assert props["จังหวัด"]["description"] == "จังหวัด / Province"
    assert props["วันที่"]["format"] == "date" and props["วันที่"]["x-minimum"] == "2018-01-15"
    assert props["หมายเหตุ"]["examples"] and "enum" not in props["หมายเหตุ"]  # 30 distinct notes: no enum
    assert props["ปี"]["examples"] == [2561]
    path = spec["paths"][f"/api/opendata/v1/resources/{table.resource_id}/records"]["get"]
    names = {p["name"] for p in path["parameters"]}
    assert {"q", "sort", "fields", "limit", "cursor", "format", "จังหวัด", "ปี[gte]", "วันที่[lt]", "จังหวัด[in]"} <= names
    assert "_full_text" not in props and not any(n.startswith("_full_text") for n in names)


def test_document_is_cached_until_the_table_changes(app, table, sysadmin):
    url = f"/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    first = document(app, url)
    assert first.headers["X-Cache"] == "MISS"
    second = document(app, url)
    assert second.headers["X-Cache"] == "HIT" and second.get_data() == first.get_data()

    api_post(
        app,
        "datastore_upsert",
        sysadmin["token"],
        resource_id=table.resource_id,
        method="insert",
        records=[{"จังหวัด": "ตรัง", "ปี": 2567, "จำนวน": 1, "วันที่": "2024-05-01", "หมายเหตุ": "ใหม่"}],
        force=True,
    )
    third = document(app, url)
    assert third.headers["X-Cache"] == "MISS"
    props = record_schema(third.json, table.resource_id)["properties"]
    assert props["ปี"]["maximum"] == 2567 and "ตรัง" in props["จังหวัด"]["enum"]


def test_dataset_and_catalogue_documents(app, table, restricted, sysadmin):
    dataset_spec = document(app, "/dataset/elderly/openapi.json").json
    validate(dataset_spec)
    assert f"/api/opendata/v1/resources/{table.resource_id}/records" in dataset_spec["paths"]

    catalogue = document(app, "/api/opendata/v1/openapi.json").json
    validate(catalogue)
    paths = " ".join(catalogue["paths"])
    assert table.resource_id in paths
    assert restricted.resource_id not in paths  # classified data is never described to the public

    # whoever asks, the catalogue document is the public one
    as_admin = document(app, "/api/opendata/v1/openapi.json", token=sysadmin["token"]).json
    assert restricted.resource_id not in " ".join(as_admin["paths"])

    assert document(app, "/dataset/elderly-names/openapi.json", status=403).json["error"]["code"] == "forbidden"
    own = document(app, "/dataset/elderly-names/openapi.json", token=sysadmin["token"]).json
    validate(own)
    assert restricted.resource_id in " ".join(own["paths"])
