"""The stack is real: PostgreSQL, Solr 9, Redis and the CKAN web app."""

from __future__ import annotations

import json

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import psycopg2
import pytest
import sqlalchemy as sa

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_status_show_lists_the_extension(app):
    result = api_get(app, "status_show")["result"]
    assert "opendata_th" in result["extensions"]
    assert result["ckan_version"] == "2.12.0"


def _create_agency_and_dataset(app, token):
    agency = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]
    dataset = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(
            name="elderly-by-province",
            title="จำนวนผู้สูงอายุจำแนกตามจังหวัด",
            owner_org=agency["id"],
            tags=[{"name": "ผู้สูงอายุ"}],
        ),
    )["result"]
    return agency, dataset


def test_dataset_created_over_the_api_is_found_by_solr_with_a_facet(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    _create_agency_and_dataset(app, token)
    api_post(app, "package_create", token, **dataset_dict(name="other", title="Other dataset"))

    result = api_get(
        app,
        "package_search",
        q="tags:ผู้สูงอายุ",
        **{"facet.field": json.dumps(["organization"])},
    )["result"]

    assert result["count"] == 1
    assert result["results"][0]["title"] == "จำนวนผู้สูงอายุจำแนกตามจังหวัด"
    assert result["search_facets"]["organization"]["items"][0]["name"] == "nso"
    assert result["search_facets"]["organization"]["items"][0]["count"] == 1


def test_dataset_page_is_served_over_http(app, sysadmin_with_token):
    _, dataset = _create_agency_and_dataset(app, sysadmin_with_token["token"])
    page = app.get(f"/dataset/{dataset['name']}")
    assert page.status_code == 200
    assert "จำนวนผู้สูงอายุจำแนกตามจังหวัด" in page.get_data(as_text=True)


def test_datastore_table_is_written_and_read(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    _, dataset = _create_agency_and_dataset(app, token)
    resource = api_post(app, "resource_create", token, package_id=dataset["id"], name="ตาราง", url="http://x/a.csv")
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource["result"]["id"],
        force=True,  # the resource has a URL, so the DataStore treats its table as derived
        fields=[{"id": "จังหวัด", "type": "text"}, {"id": "จำนวน", "type": "int"}],
        records=[{"จังหวัด": "เชียงใหม่", "จำนวน": 375000}, {"จังหวัด": "ขอนแก่น", "จำนวน": 330000}],
    )

    result = api_get(app, "datastore_search", resource_id=resource["result"]["id"], sort="จำนวน desc")["result"]

    assert [r["จังหวัด"] for r in result["records"]] == ["เชียงใหม่", "ขอนแก่น"]
    assert result["total"] == 2


def test_datastore_read_role_cannot_write():
    read_url = sa.engine.make_url(tk.config["ckan.datastore.read_url"])
    connection = psycopg2.connect(
        host=read_url.host,
        port=read_url.port,
        dbname=read_url.database,
        user=read_url.username,
        password=read_url.password,
    )
    try:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE read_role_must_not_create (id int)")
    finally:
        connection.close()


@pytest.mark.usefixtures("with_test_worker", "clean_redis")
def test_background_job_runs_through_the_redis_queue():
    job = jobs.enqueue(jobs.test_job, ["ping"], title="stack test")
    assert jobs.get_queue().count == 1

    jobs.Worker(["default"]).work(burst=True)

    assert jobs.job_from_id(job.id).get_status() == "finished"
    assert jobs.get_queue().count == 0
