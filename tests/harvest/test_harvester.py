"""End to end across two live instances: what the agency publishes, the central catalogue reflects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan import model

from tests.harvest.conftest import CENTRAL_PLUGINS, AgencyCatalogue, Central, central_show
from tests.helpers import api_get

pytestmark = [pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS), pytest.mark.usefixtures("with_plugins")]

RESTRICTED = {"data_category": "internal", "data_classification": "internal", "private": True}


def _by_guid(source_id: str) -> dict[str, model.Package]:
    from ckanext.harvest.model import HarvestObject

    rows = (
        model.Session.query(HarvestObject.guid, model.Package)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True))
    )
    return {guid: package for guid, package in rows}


def test_first_run_takes_what_governance_allows(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, token = agency_catalogue.new_agency()
    open_ds = agency_catalogue.dataset(org, resources=[{"url": "http://agency.example.go.th/a.csv", "name": "a"}])
    consented = agency_catalogue.dataset(
        org, **RESTRICTED, allow_harvest="true", url="http://agency.example.go.th/secret"
    )
    agency_catalogue.dataset(org, **RESTRICTED, allow_harvest="false")
    source = central.source(agency_catalogue.url, api_token=token, organization=org)

    status = central.harvest(source["id"])

    assert status["last_run"]["counts"]["created"] == 2, json.dumps(status["last_run"], ensure_ascii=False)
    assert status["last_run"]["counts"]["failed"] == 0, status
    held = _by_guid(source["id"])
    assert set(held) == {open_ds["id"], consented["id"]}
    full = central_show(held[open_ds["id"]].id)
    assert full["private"] is False and [r["url"] for r in full["resources"]] == ["http://agency.example.go.th/a.csv"]
    assert full["owner_org"] == central.org["id"]
    inventory = central_show(held[consented["id"]].id)
    assert inventory["private"] is True
    assert inventory["resources"] == [] and not inventory.get("url")
    # the inventory entry is nobody's business outside the agency: not anonymous search, API or DCAT
    anonymous = api_get(app, "package_search", q="*:*", include_private=True)["result"]
    assert [d["name"] for d in anonymous["results"]] == [full["name"]]
    api_get(app, "package_show", status=403, id=inventory["name"])
    catalogue = app.get("/catalog.ttl").get_data(as_text=True)
    assert full["name"] in catalogue and inventory["name"] not in catalogue
    # the agency's member at the centre sees it
    member = api_get(app, "package_show", token=central.member["token"], id=inventory["name"])["result"]
    assert member["resources"] == []
