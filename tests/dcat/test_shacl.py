"""The catalogue's RDF, fetched over HTTP, against the official DCAT-AP 3.0.1
and DCAT-AP HVD 3.0.0 SHACL shapes: zero violations, nothing whitelisted."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.conftest import PLUGINS
from tests.dcat import shacl
from tests.hvd import catalogue

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT = "http://www.w3.org/ns/dcat#"


def fetch(app: Any, path: str) -> Graph:
    response = app.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


@pytest.fixture
def built(app: Any) -> catalogue.Catalogue:
    return catalogue.build(app)


def test_catalogue_meets_dcat_ap_3(app, built):
    graph = fetch(app, "/catalog.ttl")
    datasets = set(graph.subjects(RDF.type, URIRef(DCAT + "Dataset")))
    assert len(datasets) == 5  # every public dataset, none of the private or restricted ones
    assert set(graph.subjects(RDF.type, URIRef(DCAT + "DataService")))
    shacl.assert_no_violations(graph, shacl.DCAT_AP)


@pytest.mark.parametrize("key", ["statistics", "geospatial", "mobility"])
def test_each_hvd_meets_dcat_ap_and_hvd(app, built, key):
    graph = fetch(app, f"/dataset/{built[key]['name']}.ttl")
    shacl.assert_no_violations(graph, shacl.DCAT_AP)
    shacl.assert_no_violations(graph, shacl.HVD)


def test_non_hvd_dataset_meets_dcat_ap(app, built):
    for key in ("plain", "other"):
        shacl.assert_no_violations(fetch(app, f"/dataset/{built[key]['name']}.ttl"), shacl.DCAT_AP)
