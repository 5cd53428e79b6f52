"""The records, record and schema endpoints over HTTP, as clients call them."""

from __future__ import annotations

import csv
import gzip
import io
import time
from email.utils import parsedate_to_datetime

import openpyxl
import pytest

from tests.api.conftest import PROVINCES
from tests.conftest import PLUGINS
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def get(app, url, status=200, token=None, **params):
    headers = {"Authorization": token} if token else {}
    response = app.get(url, query_string=params or None, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def test_equality_in_and_range_filters(app, table):
    page = get(app, table.records_url, **{"จังหวัด": "เชียงใหม่"}).json
    assert page["total"] == 6
    assert {r["จังหวัด"] for r in page["records"]} == {"เชียงใหม่"}
    assert [f["id"] for f in page["fields"]][:2] == ["_id", "จังหวัด"]

    response = app.get(table.records_url, query_string=[("จังหวัด", "ภูเก็ต"), ("จังหวัด", "สงขลา"), ("ปี", "2566")])
    assert sorted(r["จังหวัด"] for r in response.json["records"]) == ["ภูเก็ต", "สงขลา"]

    bracket = get(app, table.records_url, **{"จังหวัด[in]": "ขอนแก่น", "ปี[gte]": "2564", "ปี[lt]": "2566"}).json
    assert sorted(r["ปี"] for r in bracket["records"]) == [2564, 2565]

    dates = get(app, table.records_url, **{"วันที่[gte]": "2023-01-01"}).json
    assert dates["total"] == 5 and all(r["วันที่"] >= "2023-01-01" for r in dates["records"])


def test_sort_fields_and_cursor_paging_visit_every_row_once(app, table):
    first = get(app, table.records_url, sort="-จำนวน", fields="จังหวัด,จำนวน", limit=3).json
    assert list(first["records"][0]) == ["จังหวัด", "จำนวน"]
    amounts = [r["จำนวน"] for r in first["records"]]
    assert amounts == sorted(amounts, reverse=True) and first["records"][0]["จังหวัด"] == PROVINCES[-1]

    seen, url, params = [], table.records_url, {"limit": 7, "ปี[gte]": 2562}
    page = get(app, url, **params).json
    while True:
        assert page["total"] == 25
        seen.extend(r["_id"] for r in page["records"])
        if not page["next"]:
            break
        assert page["next"].startswith("http://test.ckan.net/api/opendata/v1/")
        page = get(app, page["next"].replace("http://test.ckan.net", "")).json
    assert len(seen) == 25 and len(set(seen)) == 25 and seen == sorted(seen)

    # descending keyset and offset paging (another sort) also reach the end
    back = get(app, table.records_url, sort="-_id", limit=20).json
    rest = get(app, back["next"].replace("http://test.ckan.net", "")).json
    assert [r["_id"] for r in back["records"] + rest["records"]] == list(range(30, 0, -1))
    by_year = get(app, table.records_url, sort="ปี,จังหวัด", limit=25).json
    tail = get(app, by_year["next"].replace("http://test.ckan.net", "")).json
    assert len(tail["records"]) == 5 and tail["next"] is None


def test_one_record_and_the_schema(app, table):
    record = get(app, f"{table.records_url}/2").json
    assert record["_id"] == 2 and record["จังหวัด"] == PROVINCES[1]
    assert get(app, f"{table.records_url}/999", status=404).json["error"]["code"] == "not_found"
    assert get(app, f"{table.records_url}/abc", status=400).json["error"]["code"] == "bad_request"

    schema = get(app, f"/api/opendata/v1/resources/{table.resource_id}/schema").json
    by_id = {f["id"]: f for f in schema["fields"]}
    assert by_id["ปี"]["type"] == "int4"
    assert by_id["จำนวน"]["label"] == "จำนวนผู้สูงอายุ"
    assert by_id["จำนวน"]["info"]["label_en"] == "Elderly people"
    assert "_full_text" not in by_id


def test_csv_and_xlsx_neutralise_formulas(app, table):
    response = get(app, table.records_url, format="csv", sort="_id", limit=2)
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["_id", "จังหวัด", "ปี", "จำนวน", "วันที่", "หมายเหตุ"]
    assert lines[1][5] == '\'=HYPERLINK("http://evil")'
    assert response.headers["X-Total-Count"] == "30" and 'rel="next"' in response.headers["Link"]

    xlsx = get(app, table.records_url, format="xlsx", sort="_id", limit=2)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.cell(row=2, column=6).value == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=6).data_type == "s"
    assert sheet.cell(row=3, column=2).value == PROVINCES[1]


def test_errors_are_bilingual_json(app, table):
    error = get(app, table.records_url, status=400, ไม่มีคอลัมน์นี้="1").json["error"]
    assert error["code"] == "bad_request"
    assert "ไม่มีคอลัมน์นี้" in error["message"]["en"]
    assert error["message"]["th"] != error["message"]["en"]

    for params in ({"limit": "0"}, {"limit": "x"}, {"cursor": "!!"}, {"format": "pdf"}, {"ปี[between]": "1"}):
        body = get(app, table.records_url, status=400, **params).json
        assert set(body["error"]["message"]) == {"th", "en"}, params
    assert get(app, table.records_url, status=400, ปี="สองพัน").json["error"]["code"] == "bad_request"
    nul = get(app, table.records_url, status=400, **{"จังหวัด[in]": "B}\x00"}).json["error"]["message"]
    assert nul["th"] == "คำขอมีอักขระ NUL ซึ่งไม่อนุญาต" and "NUL" in nul["en"]  # the request guard answers first
    missing = get(app, "/api/opendata/v1/resources/no-such-id/records", status=404).json
    assert missing["error"]["message"]["th"]


def test_http_caching_gzip_and_cors(app, table):
    first = get(app, table.records_url, limit=20)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert app.get(table.records_url, query_string={"limit": 20}, headers={"If-None-Match": etag}).status_code == 304
    assert (
        app.get(table.records_url, query_string={"limit": 20}, headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    assert app.get(table.records_url, query_string={"limit": 21}, headers={"If-None-Match": etag}).status_code == 200

    zipped = app.get(table.records_url, query_string={"limit": 20}, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()).decode() == first.get_data(as_text=True)

    preflight = app.options(
        table.records_url, headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code in (200, 204)
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]


def test_restricted_tables_need_an_agency_token(app, table, restricted, sysadmin):
    # to those who may not see it, a classified table does not exist (tests/security/test_existence.py)
    for path in ("", "/1"):
        body = get(app, restricted.records_url + path, status=404).json
        assert body["error"]["code"] == "not_found" and "records" not in body
    assert get(app, f"/api/opendata/v1/resources/{restricted.resource_id}/schema", status=404)
    assert get(app, f"/api/opendata/v1/resources/{restricted.resource_id}/openapi.json", status=404)
    assert get(app, restricted.records_url, token=sysadmin["token"]).json["total"] == 30


def test_last_modified_follows_the_table_data_not_the_metadata(app, table, sysadmin):
    first = get(app, table.records_url, limit=50)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    # an unchanged table answers 304 to either validator
    assert app.get(table.records_url, query_string={"limit": 50}, headers={"If-None-Match": etag}).status_code == 304
    assert (
        app.get(table.records_url, query_string={"limit": 50}, headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    time.sleep(1.1)  # HTTP dates count whole seconds
    # a metadata edit does not change the data, so not its date either
    api_post(app, "resource_patch", sysadmin["token"], id=table.resource_id, description="คำอธิบายใหม่")
    assert get(app, table.records_url, limit=50).headers["Last-Modified"] == modified

    api_post(
        app,
        "datastore_upsert",
        sysadmin["token"],
        resource_id=table.resource_id,
        method="update",
        records=[{"_id": 2, "หมายเหตุ": "แก้ไขแล้ว"}],
        force=True,
    )
    changed = get(app, table.records_url, limit=50)
    assert parsedate_to_datetime(changed.headers["Last-Modified"]) > parsedate_to_datetime(modified)
    assert changed.headers["ETag"] != etag
    assert changed.json["records"][1]["หมายเหตุ"] == "แก้ไขแล้ว"
    stale = app.get(table.records_url, query_string={"limit": 50}, headers={"If-Modified-Since": modified})
    assert stale.status_code == 200
    assert (
        app.get(
            table.records_url, query_string={"limit": 50}, headers={"If-None-Match": changed.headers["ETag"]}
        ).status_code
        == 304
    )

    time.sleep(1.1)
    api_post(
        app,
        "datastore_records_delete",
        sysadmin["token"],
        resource_id=table.resource_id,
        filters={"_id": 3},
        force=True,
    )
    schema = get(app, f"/api/opendata/v1/resources/{table.resource_id}/schema")
    assert parsedate_to_datetime(schema.headers["Last-Modified"]) > parsedate_to_datetime(
        changed.headers["Last-Modified"]
    )
