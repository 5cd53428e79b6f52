"""After a real load (upload -> ingest job -> DataStore): a data preview on the resource page
through datastore_search, and the "has API" facet without a manual re-index."""

from __future__ import annotations

import io
import json
from typing import Any

import ckan.lib.jobs as ckan_jobs
import pytest
from bs4 import BeautifulSoup
from ckan.logic import NotAuthorized, NotFound

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS + " datatables_view"),
    pytest.mark.ckan_config("ckan.views.default_views", "datatables_view"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

CSV = "จังหวัด,จำนวนผู้สูงอายุ\nเชียงใหม่,350000\nขอนแก่น,280000\nภูเก็ต,61000\n"


@pytest.fixture
def token(sysadmin_with_token: dict[str, Any]) -> str:
    return str(sysadmin_with_token["token"])


@pytest.fixture
def agency(app: Any, token: str) -> dict[str, Any]:
    return api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]


def _dataset(app: Any, token: str, agency: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    return api_post(app, "package_create", token, **dataset_dict(name=name, owner_org=agency["id"], **fields))["result"]


def _load(app: Any, token: str, dataset_id: str, text: str = CSV) -> str:
    """Upload a CSV as a new resource and run the ingest job the upload queued."""
    form = {"upload": (io.BytesIO(text.encode()), "elderly.csv"), "package_id": dataset_id, "name": "ผู้สูงอายุ"}
    response = app.post("/api/3/action/resource_create", data=form, headers={"Authorization": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    ckan_jobs.Worker(["default"]).work(burst=True)
    resource_id: str = response.json["result"]["id"]
    return resource_id


def _has_api(app: Any, token: str | None = None) -> list[str]:
    found = api_get(app, "package_search", token, fq="has_api:true", include_private=True)["result"]
    return [dataset["name"] for dataset in found["results"]]


def test_a_loaded_dataset_has_an_api_without_a_manual_reindex(app, token, agency):
    dataset = _dataset(app, token, agency, "elderly")
    assert _has_api(app) == []
    _load(app, token, dataset["id"])
    assert _has_api(app) == ["elderly"]
    facet = api_get(app, "package_search", facet="true", **{"facet.field": '["has_api"]'})["result"]
    assert facet["facets"]["has_api"] == {"true": 1}


def _csrf_headers(page_html: str) -> dict[str, str]:
    """The page's CSRF token as the datatables script sends it."""
    page = BeautifulSoup(page_html, "html.parser")
    field = page.select_one('meta[name="csrf_field_name"]')["content"]
    return {"X-CSRFToken": page.select_one(f'meta[name="{field}"]')["content"]}


def _preview_rows(app: Any, view_id: str, page_html: str, token: str | None = None, search: str = "") -> Any:
    """The first rows as the data preview asks for them (datatables' AJAX call), as the reader."""
    headers = _csrf_headers(page_html)
    if token:
        headers["Authorization"] = token
    form = {"draw": "1", "search[value]": search, "start": "0", "length": "10"}
    return app.post(f"/datatables/ajax/{view_id}", data=form, headers=headers)


def _view_of(app: Any, token: str, resource_id: str) -> dict[str, Any]:
    views = api_get(app, "resource_view_list", token, id=resource_id)["result"]
    assert [view["view_type"] for view in views] == ["datatables_view"]
    return views[0]


def test_the_resource_page_previews_the_first_rows_through_datastore_search(app, token, agency):
    dataset = _dataset(app, token, agency, "elderly")
    resource_id = _load(app, token, dataset["id"])
    view = _view_of(app, token, resource_id)

    page = app.get(f"/th/dataset/elderly/resource/{resource_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/view/{view['id']}" in html  # the view is embedded in the resource page
    soup = BeautifulSoup(html, "html.parser")
    tabs = [tab.text.strip() for tab in soup.select(".view-item")]
    assert tabs == ["ตาราง"]  # the view's tab in Thai, though a background job created it
    assert "เต็มจอ" in soup.select_one(".resource-view").text

    view_page = app.get(f"/dataset/elderly/resource/{resource_id}/view/{view['id']}")
    assert view_page.status_code == 200
    headings = [th.text.strip() for th in BeautifulSoup(view_page.get_data(as_text=True), "html.parser").select("th")]
    assert "จังหวัด" in headings and "จำนวนผู้สูงอายุ" in headings

    rows = _preview_rows(app, view["id"], view_page.get_data(as_text=True))
    assert rows.status_code == 200, rows.get_data(as_text=True)[:500]
    data = json.loads(rows.get_data(as_text=True))
    assert data["recordsTotal"] == 3
    assert [row["จังหวัด"] for row in data["data"]] == ["เชียงใหม่", "ขอนแก่น", "ภูเก็ต"]


def test_the_preview_search_box_finds_thai_words_and_their_beginnings(app, token, agency):
    dataset = _dataset(app, token, agency, "elderly")
    resource_id = _load(app, token, dataset["id"], CSV + "เชียงราย,190000\n")
    view = _view_of(app, token, resource_id)
    page = app.get(f"/dataset/elderly/resource/{resource_id}/view/{view['id']}").get_data(as_text=True)

    def found(search: str) -> list[str]:
        rows = _preview_rows(app, view["id"], page, search=search)
        assert rows.status_code == 200, rows.get_data(as_text=True)[:500]
        data = json.loads(rows.get_data(as_text=True))
        assert data["recordsTotal"] == 4
        return sorted(row["จังหวัด"] for row in data["data"])

    # CKAN's view alone turns Thai into "_" and finds nothing the reader meant
    assert found("ภูเก็ต") == ["ภูเก็ต"]
    assert found("เชียง") == ["เชียงราย", "เชียงใหม่"]
    assert found("เชียงใหม่") == ["เชียงใหม่"]
    assert found("") == sorted(["เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "เชียงราย"])


def test_a_second_load_does_not_add_a_second_view(app, token, agency):
    dataset = _dataset(app, token, agency, "elderly")
    resource_id = _load(app, token, dataset["id"])
    form = {"upload": (io.BytesIO((CSV + "ตรัง,90000\n").encode()), "elderly.csv"), "id": resource_id}
    response = app.post("/api/3/action/resource_patch", data=form, headers={"Authorization": token})
    assert response.status_code == 200
    ckan_jobs.Worker(["default"]).work(burst=True)
    assert api_get(app, "datastore_search", token, resource_id=resource_id)["result"]["total"] == 4
    _view_of(app, token, resource_id)


def test_a_classified_dataset_previews_nothing_to_a_visitor(app, token, agency):
    dataset = _dataset(
        app,
        token,
        agency,
        "elderly-register",
        data_category="personal",
        data_classification="confidential",
        private=True,
    )
    resource_id = _load(app, token, dataset["id"])
    view = _view_of(app, token, resource_id)
    assert _has_api(app) == []  # not even counted for a visitor

    for url in (
        f"/dataset/elderly-register/resource/{resource_id}",
        f"/dataset/elderly-register/resource/{resource_id}/view/{view['id']}",
    ):
        response = app.get(url)
        assert response.status_code in (403, 404), url
        assert "เชียงใหม่" not in response.get_data(as_text=True)
    home = app.get("/dataset/").get_data(as_text=True)
    try:
        rows = _preview_rows(app, view["id"], home)
    except (NotAuthorized, NotFound):
        pass  # datatables' view lookup finds no view it may show (governance: as for an unknown one)
    else:
        assert rows.status_code in (403, 404, 500)
        assert "เชียงใหม่" not in rows.get_data(as_text=True)

    # The agency (here a sysadmin) still previews its own data.
    own_page = app.get(
        f"/dataset/elderly-register/resource/{resource_id}/view/{view['id']}", headers={"Authorization": token}
    )
    own = _preview_rows(app, view["id"], own_page.get_data(as_text=True), token)
    assert own.status_code == 200 and json.loads(own.get_data(as_text=True))["recordsTotal"] == 3


def _citizen_id(first12: str) -> str:
    total = sum(int(digit) * (13 - position) for position, digit in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def test_personal_data_is_not_previewed_until_masked_and_then_only_masked(app, token, agency):
    dataset = _dataset(app, token, agency, "recipients")
    rows = "\n".join(f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')},{50 + i}" for i in range(3))
    resource_id = _load(app, token, dataset["id"], "ชื่อ,เลขประจำตัวประชาชน,อายุ\n" + rows + "\n")
    view = _view_of(app, token, resource_id)
    page = app.get(f"/dataset/recipients/resource/{resource_id}/view/{view['id']}").get_data(as_text=True)
    held = _preview_rows(app, view["id"], page)
    assert held.status_code == 403 and "ผู้รับ" not in held.get_data(as_text=True)

    api_post(app, "opendata_th_ingest_pdpa_decide", token, resource_id=resource_id, decision="mask")
    ckan_jobs.Worker(["default"]).work(burst=True)
    masked = json.loads(_preview_rows(app, view["id"], page).get_data(as_text=True))["data"]
    assert [row["อายุ"] for row in masked] == ["50", "51", "52"]  # what is not personal is shown as it is
    assert all("ผู้รับ" not in row["ชื่อ"] for row in masked)  # a name column is personal data too
    assert all(row["เลขประจำตัวประชาชน"].startswith("xxxxxxxxxx") for row in masked)
    assert _citizen_id("110170020340") not in str(masked)
