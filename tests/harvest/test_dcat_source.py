"""A DCAT-AP file: ckanext-dcat's RDF harvester reads the agency's /catalog.ttl with our profile."""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model

from tests.harvest.conftest import CENTRAL_PLUGINS, AgencyCatalogue, Central, central_show

pytestmark = [pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS), pytest.mark.usefixtures("with_plugins")]


def test_dcat_ap_file_is_harvested_with_our_profile(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, _token = agency_catalogue.new_agency()
    remote = agency_catalogue.dataset(
        org, title="ปริมาณน้ำฝนรายเดือน", resources=[{"url": "http://agency.example.go.th/rain.csv", "name": "ฝน"}]
    )
    agency_catalogue.dataset(org, data_category="internal", data_classification="internal", private=True)
    # what DCAT-AP cannot carry, stated once by the agency for its source
    defaults = {
        "data_type": "statistical",
        "objective": ["agency_mission"],
        "geo_coverage": "country",
        "unit_of_measure": "คน",
    }
    source = central.source(
        f"{agency_catalogue.url}/catalog.ttl", source_type="dcat_rdf", rdf_format="text/turtle", defaults=defaults
    )

    status = central.harvest(source["id"])["last_run"]

    assert status["gather_errors"] == [] and status["record_errors"] == [], status
    harvested = model.Session.query(model.Package).filter_by(type="dataset", state="active").all()
    titles = {package.title for package in harvested}
    assert "ปริมาณน้ำฝนรายเดือน" in titles  # the public, open dataset
    assert len(harvested) == len(titles)  # the restricted one is not in the DCAT output, so not here
    local = central_show(next(p.id for p in harvested if p.title == remote["title"]))
    assert (local["data_category"], local["data_classification"], local["data_type"]) == (
        "public",
        "open",
        "statistical",
    )
    assert local["owner_org"] == central.org["id"] and local["private"] is False
    assert [r["url"] for r in local["resources"]] == ["http://agency.example.go.th/rain.csv"]
