"""Inventory entries (non-public metadata harvested with consent): for signed-in government users only.

A government user is anyone with a capacity in some agency (organization)
of the central catalogue, by default; anonymous visitors and registered
users outside every agency see nothing of an entry, on any road: search,
package_show, the dataset page, DCAT and the API room's endpoints.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action, changed_config

from ckanext.opendata_th.governance.inventory import VIEWER_ROLE_OPTION
from tests.factories import dataset_dict
from tests.harvest.conftest import CENTRAL_PLUGINS, AgencyCatalogue, Central, central_show
from tests.harvest.test_harvester import RESTRICTED, _by_guid
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the agency catalogue's host
    pytest.mark.usefixtures("with_plugins"),
]


def _search_ids(app: Any, token: str | None) -> set[str]:
    result = api_get(app, "package_search", token=token, q="*:*", include_private=True, rows=100)["result"]
    return {dataset["id"] for dataset in result["results"]}


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": token} if token else {}


def _government_user(app: Any) -> dict[str, Any]:
    """A plain member of another agency at the centre."""
    user = ckan_factories.UserWithToken()
    with app.flask_app.test_request_context():  # organization_show searches with the request's language (ui)
        ckan_factories.Organization(name="other-agency", users=[{"name": user["name"], "capacity": "member"}])
    return user


def _harvest_inventory(agency_catalogue: AgencyCatalogue, central: Central) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the open dataset, the inventory entry) as the central catalogue holds them."""
    org, token = agency_catalogue.new_agency()
    open_ds = agency_catalogue.dataset(org, title="ชุดข้อมูลเปิด")
    consented = agency_catalogue.dataset(org, **RESTRICTED, title="บัญชีข้อมูลภายใน", allow_harvest="true")
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    assert central.harvest(source["id"])["last_run"]["counts"]["created"] == 2
    held = _by_guid(source["id"])
    return central_show(held[open_ds["id"]].id), central_show(held[consented["id"]].id)


def _sees_nothing(app: Any, token: str | None, entry: dict[str, Any], full: dict[str, Any]) -> None:
    ids = _search_ids(app, token)
    assert full["id"] in ids and entry["id"] not in ids
    api_get(app, "package_show", token=token, status=404, id=entry["id"])  # it does not exist for them
    page = app.get(f"/dataset/{entry['name']}", headers=_headers(token))
    assert page.status_code in (403, 404) and entry["title"] not in page.get_data(as_text=True)
    for path in (f"/dataset/{entry['id']}.ttl", f"/dataset/{entry['id']}/openapi.json", f"/dataset/{entry['id']}/api"):
        response = app.get(path, headers=_headers(token))
        assert response.status_code in (403, 404), path
        assert entry["title"] not in response.get_data(as_text=True), path


def test_government_users_see_inventory_entries_others_never(
    agency_catalogue: AgencyCatalogue, central: Central, app: Any
):
    full, entry = _harvest_inventory(agency_catalogue, central)
    government = _government_user(app)
    assert entry["private"] is True and entry["resources"] == []

    # a member of another agency finds it, reads it and sees its page, without data
    assert entry["id"] in _search_ids(app, government["token"])
    shown = api_get(app, "package_show", token=government["token"], id=entry["id"])["result"]
    assert shown["title"] == "บัญชีข้อมูลภายใน" and shown["resources"] == [] and not shown.get("url")
    page = app.get(f"/dataset/{entry['name']}", headers=_headers(government["token"]))
    assert page.status_code == 200 and "บัญชีข้อมูลภายใน" in page.get_data(as_text=True)
    # ... but may not change it, and DCAT never carries it, whoever asks
    api_post(app, "package_patch", token=government["token"], status=403, id=entry["id"], title="x")
    for token in (government["token"], central.sysadmin["token"]):
        catalogue = app.get("/catalog.ttl", headers=_headers(token)).get_data(as_text=True)
        assert full["id"] in catalogue and entry["id"] not in catalogue
        assert app.get(f"/dataset/{entry['id']}.ttl", headers=_headers(token)).status_code == 404

    # a registered user outside every agency, and an anonymous visitor: nothing, anywhere
    for token in (central.outsider["token"], None):
        _sees_nothing(app, token, entry, full)


def test_only_inventory_entries_are_opened_and_the_role_is_configurable(
    agency_catalogue: AgencyCatalogue, central: Central, app: Any
):
    _full, entry = _harvest_inventory(agency_catalogue, central)
    government = _government_user(app)
    # a restricted dataset the agency publishes directly at the centre stays members-only
    direct = call_action(
        "package_create",
        context={"user": central.sysadmin["name"]},
        **dataset_dict(name="direct-restricted", owner_org=central.org["id"], **RESTRICTED),
    )
    ids = _search_ids(app, government["token"])
    assert entry["id"] in ids and direct["id"] not in ids
    api_get(app, "package_show", token=government["token"], status=404, id=direct["id"])
    # the agency's own member sees both
    assert {entry["id"], direct["id"]} <= _search_ids(app, central.member["token"])

    # only editors and admins of an agency: a plain member no longer sees the inventory
    with changed_config(VIEWER_ROLE_OPTION, "editor"):
        assert entry["id"] not in _search_ids(app, government["token"])
        api_get(app, "package_show", token=government["token"], status=404, id=entry["id"])
        assert entry["id"] in _search_ids(app, central.member["token"])  # an editor of its own agency
    with changed_config(VIEWER_ROLE_OPTION, "none"):
        assert entry["id"] not in _search_ids(app, government["token"])
    assert entry["id"] in _search_ids(app, government["token"])
