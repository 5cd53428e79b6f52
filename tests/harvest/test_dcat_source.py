"""A DCAT-AP file: ckanext-dcat's RDF harvester reads the agency's /catalog.ttl with our profile."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ckan import model
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestObject
from rdflib import Graph, Namespace, URIRef

from tests.harvest.conftest import CENTRAL_PLUGINS, AgencyCatalogue, Central, central_show
from tests.harvest.test_harvester import _source_fields
from tests.harvest.test_inventory import _government_user
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the agency catalogue's host
    pytest.mark.usefixtures("with_plugins"),
]


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
    # this agency's datasets only: the agency catalogue holds those of earlier tests too
    source = central.source(
        f"{agency_catalogue.url}/catalog.ttl?fq=organization:{org}",
        source_type="dcat_rdf",
        rdf_format="text/turtle",
        defaults=defaults,
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


NON_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC")
DCT = Namespace("http://purl.org/dc/terms/")


@contextlib.contextmanager
def _served(body: bytes) -> Iterator[str]:
    """The DCAT-AP file on a real HTTP server on loopback (the harvester fetches it as from any agency)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl"
    finally:
        server.shutdown()
        server.server_close()


def _with_a_restricted_dataset(catalogue_ttl: str, title: str) -> bytes:
    """The agency's real DCAT-AP output with one dataset (and its distributions) marked NON_PUBLIC."""
    graph = Graph()
    graph.parse(data=catalogue_ttl, format="turtle")
    dataset = next(s for s, _p, o in graph.triples((None, DCT.title, None)) if str(o) == title)
    graph.remove((dataset, DCT.accessRights, None))
    graph.add((dataset, DCT.accessRights, NON_PUBLIC))
    return graph.serialize(format="turtle").encode("utf-8")


def _stored_records() -> str:
    """Every record the harvest tables keep, as readable text (the JSON escapes Thai)."""
    contents = [json.loads(o.content) for o in model.Session.query(HarvestObject) if o.content]
    return json.dumps(contents, ensure_ascii=False)


def test_dcat_records_are_scoped_by_governance(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, _token = agency_catalogue.new_agency()
    secret_url = "http://agency.example.go.th/internal-staff.csv"
    agency_catalogue.dataset(
        org, title="สถิติการท่องเที่ยว", resources=[{"url": "http://agency.example.go.th/tourism.csv", "name": "ท่องเที่ยว"}]
    )
    agency_catalogue.dataset(org, title="ทะเบียนบุคลากรภายใน", resources=[{"url": secret_url, "name": "บุคลากร"}])
    response = requests.get(f"{agency_catalogue.url}/catalog.ttl?fq=organization:{org}", timeout=60)
    catalogue_ttl = response.content.decode("utf-8")  # text/turtle is UTF-8; requests would guess Latin-1
    body = _with_a_restricted_dataset(catalogue_ttl, "ทะเบียนบุคลากรภายใน")
    defaults = {
        "data_type": "statistical",
        "objective": ["agency_mission"],
        "geo_coverage": "country",
        "unit_of_measure": "คน",
    }

    with _served(body) as url:
        # no classification or consent for non-public records: the restricted one is not harvested at all,
        # and a `defaults` that says "open" cannot publish it
        source = central.source(
            url,
            source_type="dcat_rdf",
            rdf_format="text/turtle",
            defaults={**defaults, "data_category": "public", "data_classification": "open"},
        )
        status = central.harvest(source["id"])["last_run"]
        assert status["gather_errors"] == [] and status["record_errors"] == [], status
        titles = {p.title for p in model.Session.query(model.Package).filter_by(type="dataset", state="active")}
        assert titles == {"สถิติการท่องเที่ยว"}
        stored = _stored_records()
        assert "ทะเบียนบุคลากรภายใน" not in stored and secret_url not in stored

        # the agency consents and states the classification: an inventory entry without distributions
        inventory = {"data_category": "internal", "data_classification": "internal", "allow_harvest": True}
        call_action(
            "harvest_source_update",
            context={"user": central.sysadmin["name"]},
            **{
                **_source_fields(source),
                "config": json.dumps({"rdf_format": "text/turtle", "defaults": defaults, "non_public": inventory}),
            },
        )
        status = central.harvest(source["id"])["last_run"]
        assert status["gather_errors"] == [] and status["record_errors"] == [], status

    entry = model.Session.query(model.Package).filter_by(title="ทะเบียนบุคลากรภายใน", state="active").one()
    shown = central_show(entry.id)
    assert shown["private"] is True and shown["resources"] == [] and not shown.get("url")
    assert (shown["data_category"], shown["data_classification"]) == ("internal", "internal")
    stored = _stored_records()
    assert "ทะเบียนบุคลากรภายใน" in stored and secret_url not in stored
    assert entry.id not in {
        d["id"] for d in api_get(app, "package_search", q="*:*", include_private=True)["result"]["results"]
    }
    government = _government_user(app)
    assert entry.id in {
        d["id"]
        for d in api_get(app, "package_search", token=government["token"], q="*:*", include_private=True)["result"][
            "results"
        ]
    }
