"""Tables loaded by the ingest job: Thai full text through `q`, and the PDPA hold on every endpoint."""

from __future__ import annotations

import io

import ckan.lib.jobs as ckan_jobs
import pytest

from ckanext.opendata_th.ingest import pdpa
from tests.conftest import PLUGINS
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]


def _citizen_id(first12: str) -> str:
    return first12 + next(d for d in "0123456789" if pdpa.is_citizen_id(first12 + d))


def _load(app, token: str, dataset_id: str, text: str) -> str:
    form = {"upload": (io.BytesIO(text.encode()), "t.csv"), "package_id": dataset_id, "name": "t"}
    response = app.post("/api/3/action/resource_create", data=form, headers={"Authorization": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    ckan_jobs.Worker(["default"]).work(burst=True)
    resource_id: str = response.json["result"]["id"]
    return resource_id


@pytest.fixture
def dataset(app, sysadmin, agency):
    from tests.factories import dataset_dict

    return api_post(app, "package_create", sysadmin["token"], **dataset_dict(name="loaded", owner_org=agency["id"]))[
        "result"
    ]


def test_thai_words_inside_unspaced_cells_are_found(app, sysadmin, dataset):
    rid = _load(
        app,
        sysadmin["token"],
        dataset["id"],
        "จังหวัด,หมายเหตุ\nเชียงใหม่,จำนวนผู้สูงอายุเพิ่มขึ้น\nขอนแก่น,ไม่มีข้อมูล\nภูเก็ต,นักท่องเที่ยว\n",
    )
    page = app.get(f"/api/opendata/v1/resources/{rid}/records", query_string={"q": "ผู้สูงอายุ"}).json
    assert [r["จังหวัด"] for r in page["records"]] == ["เชียงใหม่"] and page["total"] == 1
    assert app.get(f"/api/opendata/v1/resources/{rid}/records", query_string={"q": "สูง"}).json["total"] == 0


def test_a_table_held_for_pdpa_review_is_closed_on_every_endpoint(app, sysadmin, dataset):
    rows = "\n".join(f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')}" for i in range(5))
    rid = _load(app, sysadmin["token"], dataset["id"], "ชื่อ,เลขประจำตัวประชาชน\n" + rows + "\n")
    base = f"/api/opendata/v1/resources/{rid}"
    for path in ("/records", "/records/1", "/schema", "/openapi.json"):
        response = app.get(base + path)
        assert response.status_code == 403, path
        assert "ผู้รับ" not in response.get_data(as_text=True)
    assert rid not in app.get("/dataset/loaded/openapi.json").get_data(as_text=True)
    assert rid not in app.get("/api/opendata/v1/openapi.json").get_data(as_text=True)
    assert rid not in app.get("/dataset/loaded/api").get_data(as_text=True)
    # the agency (here a sysadmin) reviews it through the same endpoints
    own = app.get(base + "/records", headers={"Authorization": sysadmin["token"]})
    assert own.status_code == 200 and own.json["total"] == 5
