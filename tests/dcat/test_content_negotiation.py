"""Content negotiation (`ckanext.dcat.enable_content_negotiation`): a dataset's
page answers RDF to a client that asks for it, and only for datasets the
public may harvest; anything else is a 404, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.conftest import PLUGINS
from tests.helpers import api_post
from tests.hvd import catalogue

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")


@pytest.fixture
def built(app: Any) -> catalogue.Catalogue:
    return catalogue.build(app)


@pytest.mark.parametrize("key", ["id", "name"])
def test_turtle_for_a_public_dataset(app, built, key):
    dataset = built["statistics"]
    response = app.get(f"/dataset/{dataset[key]}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    (subject,) = graph.subjects(RDF.type, DCAT_DATASET)
    assert str(subject).endswith(dataset["id"])


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
def test_other_rdf_serialisations(app, built, accept, rdf_format):
    response = app.get(f"/dataset/{built['statistics']['name']}", headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdf_format)
    assert set(graph.subjects(RDF.type, DCAT_DATASET))


def test_browsers_still_get_the_html_page(app, built):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = app.get(f"/dataset/{built['statistics']['name']}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "agency_member", "sysadmin"])
@pytest.mark.parametrize("key", ["private", "restricted"])
def test_private_and_restricted_datasets_are_404(app, built, who, key):
    headers: dict[str, str] = {"Accept": "text/turtle"}
    if who == "agency_member":
        member = ckan_factories.UserWithToken()
        api_post(
            app,
            "organization_member_create",
            built.token,
            id=built.agency["id"],
            username=member["name"],
            role="editor",
        )
        headers["Authorization"] = member["token"]
    elif who == "sysadmin":
        headers["Authorization"] = built.token
    for ref in (built[key]["id"], built[key]["name"]):
        response = app.get(f"/dataset/{ref}", headers=headers)
        assert response.status_code == 404
        body = response.get_data(as_text=True)
        assert built[key]["title"] not in body and "dcat:Dataset" not in body


def test_unknown_dataset_is_404(app, built):
    assert app.get("/dataset/no-such-dataset", headers={"Accept": "text/turtle"}).status_code == 404


def test_catalogue_at_the_root(app, built):
    """`/` with an RDF Accept header is the catalogue: public datasets only."""
    response = app.get("/", headers={"Accept": "text/turtle", "Authorization": built.token})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    graph = Graph().parse(data=body, format="turtle")
    assert len(set(graph.subjects(RDF.type, DCAT_DATASET))) == 5
    for key in ("private", "restricted"):
        assert built[key]["id"] not in body
