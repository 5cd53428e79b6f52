"""The PDPA guard holds on every DataStore read, SQL included."""

from __future__ import annotations

import io
import uuid

import ckan.lib.jobs as ckan_jobs
import pytest

from ckanext.opendata_th.ingest import pdpa
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]


def _citizen_id(first12: str) -> str:
    check = next(d for d in "0123456789" if pdpa.is_citizen_id(first12 + d))
    return first12 + check


def _select_all(resource_id: str) -> str:
    return f'SELECT * FROM "{uuid.UUID(resource_id)}"'  # noqa: S608  (a checked UUID, the API's input is SQL)


def test_search_sql_cannot_read_a_table_held_for_pdpa_review(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="pdpa-held", owner_org=agency["id"]))["result"]
    rows = [f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')}" for i in range(5)]
    csv = ("ชื่อ,เลขประจำตัวประชาชน\n" + "\n".join(rows)).encode()
    form = {"upload": (io.BytesIO(csv), "p.csv"), "package_id": dataset["id"], "name": "p"}
    resource = app.post("/api/3/action/resource_create", data=form, headers={"Authorization": token}).json["result"]
    ckan_jobs.Worker(["default"]).work(burst=True)
    assert (
        api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]["pdpa_state"]
        == "pending"
    )

    sql = _select_all(resource["id"])
    refused = api_get(app, "datastore_search_sql", None, status=403, sql=sql)
    assert "PDPA" in refused["error"]["message"]
    assert len(api_get(app, "datastore_search_sql", token, sql=sql)["result"]["records"]) == 5
