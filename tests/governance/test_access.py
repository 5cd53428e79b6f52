"""Members-only access to datasets that are not open: every read path, every kind of outsider.

Each endpoint is asked by people outside the agency (anonymous, a
logged-in user, another agency's admin, a collaborator the agency added)
and by people inside it (member, editor, admin) and a sysadmin.  Outsiders
must get 403 or 404, insiders 200 (302 where CKAN redirects to a link).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from ckan import model
from ckan.lib import search

from tests.conftest import PLUGINS
from tests.governance.conftest import INSIDERS, OUTSIDERS, Agency, create_dataset, restricted_dataset
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"{PLUGINS} image_view"),
    pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", "true"),
    pytest.mark.ckan_config("ckan.auth.allow_collaborators_to_change_owner_org", "false"),
    pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

CSV = b"province,count\nChiang Mai,1\n"


def _select(*resource_ids: str) -> str:
    """The SQL text datastore_search_sql receives: the API's input is SQL itself.

    The table names are CKAN's resource UUIDs, checked as such before use.
    """
    tables = [f'"{uuid.UUID(resource_id)}"' for resource_id in resource_ids]
    if len(tables) == 1:
        return f"SELECT * FROM {tables[0]}"  # noqa: S608
    return f"SELECT a.province FROM {tables[0]} a JOIN {tables[1]} b ON a.province = b.province"  # noqa: S608


def _headers(agency: Agency, who: str) -> dict[str, str]:
    token = agency.token(who)
    return {"Authorization": token} if token else {}


def _prepare(app: Any, agency: Agency, dataset: dict[str, Any]) -> dict[str, Any]:
    """Give the dataset a linked resource with a DataStore table and a view, and an uploaded file."""
    editor = agency.token("editor")
    linked = api_post(
        app, "resource_create", editor, package_id=dataset["id"], name="ผู้ป่วย", url="http://example.org/p.csv"
    )["result"]
    api_post(
        app,
        "datastore_create",
        editor,
        resource_id=linked["id"],
        force=True,
        fields=[{"id": "province", "type": "text"}, {"id": "count", "type": "int"}],
        records=[{"province": "Chiang Mai", "count": 1}],
    )
    view = api_post(app, "resource_view_create", editor, resource_id=linked["id"], title="ภาพ", view_type="image_view")[
        "result"
    ]
    response = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": "แฟ้ม", "upload": (io.BytesIO(CSV), "patients.csv")},
        headers={"Authorization": editor},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    uploaded = response.json["result"]
    api_post(
        app,
        "package_collaborator_create",
        agency.token("admin"),
        id=dataset["id"],
        user_id=agency.users["collaborator"]["id"],
        capacity="editor",
    )
    return {"dataset": dataset, "resource": linked, "view": view, "upload": uploaded}


@pytest.fixture
def restricted(app: Any, agency: Agency) -> dict[str, Any]:
    return _prepare(app, agency, restricted_dataset(app, agency, name="patients"))


def _api(action: str, **params: Callable[[dict[str, Any]], Any]) -> Callable[..., int]:
    def fetch(app: Any, headers: dict[str, str], things: dict[str, Any]) -> int:
        query = {key: make(things) for key, make in params.items()}
        return app.get(f"/api/3/action/{action}", query_string=query, headers=headers).status_code

    return fetch


def _page(url: Callable[[dict[str, Any]], str]) -> Callable[..., int]:
    def fetch(app: Any, headers: dict[str, str], things: dict[str, Any]) -> int:
        return app.get(url(things), headers=headers, follow_redirects=False).status_code

    return fetch


ENDPOINTS: dict[str, Callable[..., int]] = {
    "package_show": _api("package_show", id=lambda t: t["dataset"]["id"]),
    "resource_show": _api("resource_show", id=lambda t: t["resource"]["id"]),
    "resource_view_list": _api("resource_view_list", id=lambda t: t["resource"]["id"]),
    "resource_view_show": _api("resource_view_show", id=lambda t: t["view"]["id"]),
    "package_activity_list": _api("package_activity_list", id=lambda t: t["dataset"]["id"]),
    "datastore_search": _api("datastore_search", resource_id=lambda t: t["resource"]["id"]),
    "datastore_info": _api("datastore_info", id=lambda t: t["resource"]["id"]),
    "datastore_search_sql": _api("datastore_search_sql", sql=lambda t: _select(t["resource"]["id"])),
    "dataset page": _page(lambda t: f"/dataset/{t['dataset']['name']}"),
    "resource page": _page(lambda t: f"/dataset/{t['dataset']['id']}/resource/{t['resource']['id']}"),
    "resource view page": _page(
        lambda t: f"/dataset/{t['dataset']['id']}/resource/{t['resource']['id']}/view/{t['view']['id']}"
    ),
    "linked download": _page(lambda t: f"/dataset/{t['dataset']['id']}/resource/{t['resource']['id']}/download"),
    "uploaded file download": _page(
        lambda t: f"/dataset/{t['dataset']['id']}/resource/{t['upload']['id']}/download/patients.csv"
    ),
    "datastore dump": _page(lambda t: f"/datastore/dump/{t['resource']['id']}"),
}


def _statuses(app: Any, agency: Agency, things: dict[str, Any], fetch: Callable[..., int]) -> dict[str, int]:
    return {who: fetch(app, _headers(agency, who), things) for who in OUTSIDERS + INSIDERS}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_only_the_agency_reaches_a_restricted_dataset(app, agency, restricted, endpoint):
    statuses = _statuses(app, agency, restricted, ENDPOINTS[endpoint])

    assert {who: statuses[who] for who in OUTSIDERS} == {
        who: statuses[who] if statuses[who] in (403, 404) else "leaked" for who in OUTSIDERS
    }, statuses
    assert all(statuses[who] in (200, 302) for who in INSIDERS), statuses


def _dcat_statuses(app: Any, agency: Agency, things: dict[str, Any]) -> dict[str, int]:
    return _statuses(app, agency, things, _page(lambda t: f"/dataset/{t['dataset']['name']}.ttl"))


def test_dcat_never_describes_a_restricted_dataset(app, agency, restricted):
    """DCAT is the public face of the catalogue: not even members get a restricted dataset there."""
    statuses = _dcat_statuses(app, agency, restricted)
    assert all(status in (403, 404) for status in statuses.values()), statuses


def test_uploaded_file_is_served_to_the_agency(app, agency, restricted):
    url = f"/dataset/{restricted['dataset']['id']}/resource/{restricted['upload']['id']}/download/patients.csv"
    response = app.get(url, headers=_headers(agency, "member"))
    assert response.status_code == 200
    assert response.get_data() == CSV


def test_datastore_dump_serves_the_agency(app, agency, restricted):
    response = app.get(f"/datastore/dump/{restricted['resource']['id']}", headers=_headers(agency, "member"))
    assert "Chiang Mai" in response.get_data(as_text=True)


def _search_count(app: Any, agency: Agency, who: str, **params: Any) -> int:
    return api_get(app, "package_search", agency.token(who), include_private="true", **params)["result"]["count"]


def test_search_returns_a_restricted_dataset_to_the_agency_only(app, agency, restricted):
    counts = {who: _search_count(app, agency, who, q="name:patients") for who in OUTSIDERS + INSIDERS}
    assert counts == {**dict.fromkeys(OUTSIDERS, 0), **dict.fromkeys(INSIDERS, 1)}


def test_activity_of_a_restricted_dataset_is_shown_to_the_agency_only(app, agency, restricted):
    def mentions(who: str, action: str, **params: Any) -> bool:
        activities = api_get(app, action, agency.token(who), **params)["result"]
        return any(activity["object_id"] == restricted["dataset"]["id"] for activity in activities)

    everyone = OUTSIDERS + INSIDERS
    recent = {who: mentions(who, "recently_changed_packages_activity_list") for who in everyone}
    assert recent == {**dict.fromkeys(OUTSIDERS, False), **dict.fromkeys(INSIDERS, True)}
    assert not any(mentions(who, "organization_activity_list", id="moph") for who in OUTSIDERS)


def test_refusals_explain_themselves_in_thai_and_english(app, agency, restricted):
    # Reading or writing it, an outsider learns nothing (404, tests/security/test_existence.py).
    api_get(app, "package_show", agency.token("outsider"), status=404, id="patients")
    api_post(app, "package_patch", agency.token("outsider"), status=404, id="patients", notes="x")


def test_outside_collaborator_cannot_edit_or_read_back_through_an_update(app, agency, restricted):
    token = agency.token("collaborator")
    api_post(app, "package_patch", token, status=404, id=restricted["dataset"]["id"], notes="x")
    api_post(app, "resource_patch", token, status=404, id=restricted["resource"]["id"], name="x")
    api_post(app, "datastore_upsert", token, status=404, resource_id=restricted["resource"]["id"], records=[])


def test_a_restricted_dataset_made_public_outside_the_actions_stays_members_only(app, agency, restricted):
    """Defence in depth: access follows the classification, not the `private` flag."""
    package = model.Package.get(restricted["dataset"]["id"])
    package.private = False
    model.Session.commit()
    search.rebuild(package.id)

    assert _search_count(app, agency, "anonymous", q="name:patients") == 0
    assert _search_count(app, agency, "member", q="name:patients") == 1
    for endpoint in ("package_show", "resource_show", "datastore_search", "uploaded file download"):
        statuses = _statuses(app, agency, restricted, ENDPOINTS[endpoint])
        assert all(statuses[who] in (403, 404) for who in OUTSIDERS), (endpoint, statuses)
        assert all(statuses[who] in (200, 302) for who in INSIDERS), (endpoint, statuses)
    assert all(status in (403, 404) for status in _dcat_statuses(app, agency, restricted).values())
    for listing in ("/catalog.ttl", "/api/3/action/current_package_list_with_resources"):
        response = app.get(listing)
        assert response.status_code == 200, listing
        assert restricted["dataset"]["id"] not in response.get_data(as_text=True), listing


@pytest.mark.ckan_config("ckan.auth.reveal_private_datasets", "true")
def test_revealing_private_datasets_reveals_nothing_of_a_restricted_one(app, agency, restricted):
    page = app.get(f"/dataset/{restricted['dataset']['name']}", headers=_headers(agency, "outsider"))
    assert page.status_code == 404  # it does not exist for them
    assert "ผู้ป่วย" not in page.get_data(as_text=True)


def test_open_datasets_stay_open_to_everyone(app, agency):
    things = _prepare(app, agency, create_dataset(app, agency, name="open-data"))
    for endpoint in ("package_show", "resource_show", "datastore_search", "datastore dump", "uploaded file download"):
        statuses = _statuses(app, agency, things, ENDPOINTS[endpoint])
        assert all(status in (200, 302) for status in statuses.values()), (endpoint, statuses)
    assert _search_count(app, agency, "anonymous", q="name:open-data") == 1


def test_search_sql_across_an_open_and_a_restricted_table_is_refused(app, agency, restricted):
    open_things = _prepare(app, agency, create_dataset(app, agency, name="open-data"))
    sql = _select(open_things["resource"]["id"], restricted["resource"]["id"])
    api_get(app, "datastore_search_sql", agency.token("outsider"), status=403, sql=sql)
    assert api_get(app, "datastore_search_sql", agency.token("member"), sql=sql)["result"]["records"]


def test_package_search_facets_do_not_count_restricted_datasets_for_outsiders(app, agency, restricted):
    result = api_get(
        app,
        "package_search",
        agency.token("outsider"),
        include_private="true",
        **{"facet.field": json.dumps(["organization"])},
    )["result"]
    assert result["search_facets"].get("organization", {}).get("items", []) == []
