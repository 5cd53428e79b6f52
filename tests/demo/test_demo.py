"""The demo catalogue loads once and a second load adds nothing."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import pytest
from ckan.tests import helpers

from ckanext.opendata_th.demo import load_catalogue
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DEMO = "ckanext.opendata_th.demo:catalogue.yaml"


@pytest.mark.usefixtures("with_test_worker", "clean_redis")
def test_demo_catalogue_loads_agencies_datasets_and_datastore_tables(sysadmin):
    report = load_catalogue(DEMO, sysadmin["name"])
    jobs.Worker(["default"]).work(burst=True)  # the ingest jobs the uploads queued

    agencies = helpers.call_action("organization_list")
    search = helpers.call_action("package_search", q="*:*", rows=100)
    assert len(agencies) >= 3
    assert search["count"] >= 10
    assert len(report.created) == len(agencies) + search["count"]
    with_csv = [d for d in search["results"] if d["resources"]]
    assert len(with_csv) >= 5
    for dataset in with_csv:
        assert all(resource["datastore_active"] for resource in dataset["resources"])

    hvds = helpers.call_action("package_search", fq="high_value_dataset:true", rows=100)["results"]
    assert len({category for d in hvds for category in d["hvd_category"]}) >= 3
    assert any(r["datastore_active"] for d in hvds for r in d["resources"])

    elderly = helpers.call_action("package_show", id="elderly-population-by-province")
    table = helpers.call_action("datastore_search", resource_id=elderly["resources"][0]["id"])
    assert {"จังหวัด", "รวม"} <= {field["id"] for field in table["fields"]}
    assert table["total"] == 5


@pytest.mark.usefixtures("with_test_worker", "clean_redis")
def test_the_excel_exported_tis620_file_loads_as_typed_thai_data(sysadmin):
    load_catalogue(DEMO, sysadmin["name"])
    jobs.Worker(["default"]).work(burst=True)

    dataset = helpers.call_action("package_show", id="consumer-complaints-by-category")
    monthly = next(r for r in dataset["resources"] if "TIS-620" in r["name"])
    table = helpers.call_action("datastore_search", resource_id=monthly["id"], sort="_id")
    types = {field["id"]: field["type"] for field in table["fields"]}

    assert types["เดือน"] == "date"
    assert types["จำนวนเรื่อง"].startswith("int")
    assert table["total"] == 6  # title rows and the footer note are not data
    first = table["records"][0]
    assert first["เดือน"].startswith("2023-10-01")
    assert first["ประเภทสินค้าและบริการ"] == "อสังหาริมทรัพย์"
    assert first["จำนวนเรื่อง"] == 1205
    assert table["records"][2]["จำนวนเรื่อง"] is None  # "–" is a null marker


def test_loading_the_demo_again_creates_nothing(sysadmin):
    load_catalogue(DEMO, sysadmin["name"])
    before = helpers.call_action("package_search", q="*:*", rows=100)

    again = load_catalogue(DEMO, sysadmin["name"])

    after = helpers.call_action("package_search", q="*:*", rows=100)
    assert again.created == []
    assert after["count"] == before["count"]
    assert sum(len(d["resources"]) for d in after["results"]) == sum(len(d["resources"]) for d in before["results"])
