"""The docs page, its links, and its generated examples run against a real HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ckanext.opendata_th.api import examples, openapi
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def test_docs_page_shows_real_columns_values_and_examples(app, table):
    page = app.get("/dataset/elderly/api")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Province", "Survey date", "กรุงเทพมหานคร", "2561 – 2566", "api-try", "RemoteCKAN", "fromJSON"):
        assert text in html, text
    assert f"/api/opendata/v1/resources/{table.resource_id}/records?%E0%B8%88" in html  # the real column, encoded
    assert 'q: "jones"' not in html

    thai = app.get("/th/dataset/elderly/api").get_data(as_text=True)
    assert "ทดลองเรียกใช้" in thai and "ตัวอย่างโค้ด" in thai


def test_dataset_and_resource_pages_link_to_the_docs(app, table):
    dataset_page = app.get("/dataset/elderly").get_data(as_text=True)
    assert 'href="/dataset/elderly/api"' in dataset_page
    assert "/dataset/elderly/openapi.json" in dataset_page
    resource_page = app.get(f"/dataset/elderly/resource/{table.resource_id}").get_data(as_text=True)
    assert 'href="/dataset/elderly/api"' in resource_page


def test_docs_of_a_restricted_dataset_are_for_its_agency(app, restricted, sysadmin):
    assert app.get("/dataset/elderly-names/api").status_code == 404  # it does not exist for them
    own = app.get("/dataset/elderly-names/api", headers={"Authorization": sysadmin["token"]})
    assert own.status_code == 200 and restricted.resource_id in own.get_data(as_text=True)


def test_dcat_data_service_points_at_the_spec_and_docs(app, table):
    turtle = app.get("/dataset/elderly.ttl").get_data(as_text=True)
    assert f"/api/opendata/v1/resources/{table.resource_id}/openapi.json" in turtle
    assert "/dataset/elderly/api" in turtle


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_generated_examples_run_against_the_live_app(app, table, live_server):
    columns = [c for c in app.get(f"/api/opendata/v1/resources/{table.resource_id}/schema").json["fields"]]
    code = examples.build(table.resource_id, columns, openapi.column_stats(table.resource_id, columns), live_server)

    # curl: the command line as shown, through a shell
    page = json.loads(_run(["bash", "-c", code["curl"]]))
    assert page["total"] == 6 and {r["จังหวัด"] for r in page["records"]} == {"กรุงเทพมหานคร"}
    assert len(page["records"]) == examples.LIMIT

    # Python with requests, and with ckanapi (the action API)
    out = _run([sys.executable, "-c", code["python"]])
    assert out.splitlines()[0] == "6 records" and out.count("กรุงเทพมหานคร") == 5
    out = _run([sys.executable, "-c", code["ckanapi"]])
    assert out.count("'จังหวัด': 'กรุงเทพมหานคร'") == 5


def test_ckanapi_reads_records_through_the_action_api(app, table, live_server):
    from ckanapi import RemoteCKAN

    site = RemoteCKAN(live_server)
    result = site.action.datastore_search(resource_id=table.resource_id, filters={"ปี": 2566}, sort="_id")
    assert result["total"] == 5 and [r["ปี"] for r in result["records"]] == [2566] * 5
    ours = app.get(table.records_url, query_string={"ปี": "2566"}).json
    assert [r["_id"] for r in ours["records"]] == [r["_id"] for r in result["records"]]
