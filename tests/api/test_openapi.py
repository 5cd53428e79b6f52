"""OpenAPI 3.1 documents: typed from the data dictionary, valid, cached until the table changes."""

from __future__ import annotations

import json

import jsonschema
import pytest
from openapi_spec_validator import validate

from ckanext.opendata_th.api import fast, usage
from ckanext.opendata_th.ingest import status as ingest_status
from tests.api.conftest import PROVINCES, make_table
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
    assert (props["ปี"]["x-minimum"], props["ปี"]["x-maximum"]) == (2561, 2566)
    assert not {"minimum", "maximum", "enum"} & (set(props["ปี"]) | set(props["จังหวัด"]))
    assert props["จำนวน"]["type"] == ["number", "null"]
    assert props["จังหวัด"]["x-common-values"] == sorted(PROVINCES)
    assert props["จังหวัด"]["x-label-en"] == "Province" and props["จังหวัด"]["x-label-th"] == "จังหวัด"
    assert props["จังหวัด"]["description"] == "จังหวัด / Province"
    assert props["วันที่"]["format"] == "date" and props["วันที่"]["x-minimum"] == "2018-01-15"
    assert props["หมายเหตุ"]["examples"] and "x-common-values" not in props["หมายเหตุ"]  # 30 distinct notes
    assert props["ปี"]["examples"] == [2561]
    path = spec["paths"][f"/api/opendata/v1/resources/{table.resource_id}/records"]["get"]
    names = {p["name"] for p in path["parameters"]}
    assert {"q", "sort", "fields", "limit", "cursor", "format", "จังหวัด", "ปี[gte]", "วันที่[lt]", "จังหวัด[in]"} <= names
    assert "_full_text" not in props and not any(n.startswith("_full_text") for n in names)


def test_rows_added_after_the_document_still_validate_against_it(app, table, sysadmin):
    url = f"/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    schema = record_schema(document(app, url).json, table.resource_id)
    newer = {"_id": 31, "จังหวัด": "ตรัง", "ปี": 2570, "จำนวน": -1.5, "วันที่": "2030-01-01", "หมายเหตุ": "ใหม่"}

    jsonschema.Draft202012Validator(schema).validate(newer)
    api_post(
        app,
        "datastore_upsert",
        sysadmin["token"],
        resource_id=table.resource_id,
        method="insert",
        records=[{k: v for k, v in newer.items() if k != "_id"}],
        force=True,
    )
    served = document(app, table.records_url + "?ปี=2570").json["records"]
    assert len(served) == 1
    jsonschema.Draft202012Validator(schema).validate(served[0])


def test_filter_parameters_are_typed_and_described_in_both_languages(app, table):
    spec = document(app, f"/api/opendata/v1/resources/{table.resource_id}/openapi.json").json
    path = spec["paths"][f"/api/opendata/v1/resources/{table.resource_id}/records"]["get"]
    params = {p["name"]: p for p in path["parameters"]}

    assert params["วันที่[gte]"]["schema"] == {"type": "string", "format": "date"}
    assert params["ปี[lt]"]["schema"] == {"type": "integer"}
    described = params["วันที่[gte]"]["description"]
    assert described.startswith("วันที่สำรวจ: มากกว่าหรือเท่ากับ") and "Survey date: greater than or equal to" in described
    assert "2567-03-15" in described  # B.E. dates are accepted, and said to be


def test_personal_columns_list_no_values(app, sysadmin, agency):
    personal = make_table(
        app,
        sysadmin["token"],
        agency,
        "officers",
        fields=[{"id": "ชื่อ-นามสกุล", "type": "text"}, {"id": "ตำแหน่ง", "type": "text"}],
        records=[{"ชื่อ-นามสกุล": f"นาย ก{n}", "ตำแหน่ง": "นักวิชาการ"} for n in range(3)],
    )
    spec = document(app, f"/api/opendata/v1/resources/{personal.resource_id}/openapi.json").json
    props = record_schema(spec, personal.resource_id)["properties"]

    assert props["ตำแหน่ง"]["x-common-values"] == ["นักวิชาการ"]
    assert "x-common-values" not in props["ชื่อ-นามสกุล"] and "examples" not in props["ชื่อ-นามสกุล"]
    assert "นาย ก" not in json.dumps(spec, ensure_ascii=False)


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
    assert props["ปี"]["x-maximum"] == 2567 and "ตรัง" in props["จังหวัด"]["x-common-values"]


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

    assert document(app, "/dataset/elderly-names/openapi.json", status=404).json["error"]["code"] == "not_found"
    own = document(app, "/dataset/elderly-names/openapi.json", token=sysadmin["token"]).json
    validate(own)
    assert restricted.resource_id in " ".join(own["paths"])


def _fast_answer(app, resource_id, token=None):
    """What the fast path answers for the resource's document (None: the ordinary view decides)."""
    url = f"/api/opendata/v1/resources/{resource_id}/openapi.json"
    headers = {"Authorization": token} if token else {}
    with app.flask_app.test_request_context(url, headers=headers):
        return fast.cached_public_document()


def test_cached_public_document_is_served_before_the_user_is_identified(app, table, restricted, sysadmin):
    url = f"/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    assert _fast_answer(app, table.resource_id) is None  # not cached yet: the view builds it
    built = document(app, url)
    assert built.headers["X-Cache"] == "MISS"

    answer = _fast_answer(app, table.resource_id, token=sysadmin["token"])
    assert answer is not None and answer.get_data() == built.get_data()  # the same document for every reader
    served = document(app, url)
    assert served.headers["X-Cache"] == "HIT" and served.get_data() == built.get_data()
    assert served.headers["Access-Control-Allow-Origin"] == "*" and served.headers["Cache-Control"].startswith("public")
    assert app.get(url, headers={"If-None-Match": served.headers["ETag"]}).status_code == 304

    # A table only the agency may read: cached for a sysadmin, never served by the fast path.
    own = document(app, f"/api/opendata/v1/resources/{restricted.resource_id}/openapi.json", token=sysadmin["token"])
    assert own.headers["X-Cache"] == "MISS"
    assert _fast_answer(app, restricted.resource_id) is None
    assert _fast_answer(app, restricted.resource_id, token=sysadmin["token"]) is None
    document(app, f"/api/opendata/v1/resources/{restricted.resource_id}/openapi.json", status=404)

    # Held for PDPA review after its document was cached: closed at once, open again once resolved.
    ingest_status.update(table.resource_id, pdpa_state=ingest_status.PDPA_PENDING)
    assert _fast_answer(app, table.resource_id) is None
    document(app, url, status=403)
    ingest_status.update(table.resource_id, pdpa_state=ingest_status.PDPA_RESOLVED)
    assert _fast_answer(app, table.resource_id) is not None

    # Made private after its document was cached: the anonymous decision follows at once.
    api_post(app, "package_patch", sysadmin["token"], id=table.dataset["id"], private=True)
    assert _fast_answer(app, table.resource_id) is None
    assert document(app, url, status=403).json["error"]["code"] == "forbidden"


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "2")
def test_the_fast_path_keeps_quotas_and_usage_counts(app, table):
    url = f"/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    assert document(app, url).headers["X-Cache"] == "MISS"
    hit = document(app, url)
    assert hit.headers["X-Cache"] == "HIT" and hit.headers["RateLimit-Remaining"] == "0"
    refused = document(app, url, status=429)
    assert refused.json["error"]["code"] == "rate_limited" and refused.headers["Retry-After"]
    assert usage.counts([table.resource_id])[table.resource_id]["openapi"] == 2


@pytest.mark.ckan_config("ckanext.opendata_th.api.catalogue_page_size", "2")
def test_catalogue_document_covers_every_page_and_is_cached_until_a_table_changes(app, sysadmin, agency):
    made = [make_table(app, sysadmin["token"], agency, f"elderly-{n}") for n in range(3)]  # 3 datasets, pages of 2
    url = "/api/opendata/v1/openapi.json"
    first = document(app, url)
    assert first.headers["X-Cache"] == "MISS"
    validate(first.json)
    paths = " ".join(first.json["paths"])
    assert all(table.resource_id in paths for table in made)
    assert document(app, url).headers["X-Cache"] == "HIT"

    api_post(
        app,
        "datastore_upsert",
        sysadmin["token"],
        resource_id=made[2].resource_id,
        method="update",
        records=[{"_id": 1, "จังหวัด": "ตรัง"}],
        force=True,
    )
    changed = document(app, url)
    assert changed.headers["X-Cache"] == "MISS"
    assert "ตรัง" in record_schema(changed.json, made[2].resource_id)["properties"]["จังหวัด"]["x-common-values"]
