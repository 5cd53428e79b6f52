"""What the opendata_th profile publishes, and to whom."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from tests.conftest import PLUGINS
from tests.dcat.test_shacl import fetch
from tests.helpers import api_post
from tests.hvd import catalogue

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
STATISTICS = URIRef("http://data.europa.eu/bna/c_e1da4e07")
REGULATION = URIRef(catalogue.EU_REGULATION)


@pytest.fixture
def built(app: Any) -> catalogue.Catalogue:
    return catalogue.build(app)


def _dataset_ref(graph: Graph) -> URIRef:
    (ref,) = graph.subjects(RDF.type, DCAT.Dataset)
    return ref  # type: ignore[return-value]


def test_hvd_dataset_has_typed_categories_and_default_legislation(app, built):
    graph = fetch(app, f"/dataset/{built['statistics']['name']}.ttl")
    dataset = _dataset_ref(graph)
    assert set(graph.objects(dataset, DCATAP.hvdCategory)) == {STATISTICS}
    assert (STATISTICS, RDF.type, SKOS.Concept) in graph
    assert (STATISTICS, SKOS.inScheme, URIRef("http://data.europa.eu/bna/asd487ae75")) in graph
    assert (STATISTICS, SKOS.prefLabel, Literal("ข้อมูลสถิติ", lang="th")) in graph
    assert set(graph.objects(dataset, DCATAP.applicableLegislation)) == {REGULATION}
    assert (REGULATION, RDF.type, ELI.LegalResource) in graph
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert (distribution, DCATAP.applicableLegislation, REGULATION) in graph


def test_fields_map_to_vocabulary_uris_and_tagged_literals(app, built):
    graph = fetch(app, f"/dataset/{built['statistics']['name']}.ttl")
    dataset = _dataset_ref(graph)
    assert (dataset, DCT.title, Literal("จำนวนประชากร", lang="th")) in graph
    frequency = URIRef("http://publications.europa.eu/resource/authority/frequency/ANNUAL")
    assert (dataset, DCT.accrualPeriodicity, frequency) in graph
    assert set(graph.objects(dataset, DCT.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/THA"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }
    (period,) = graph.objects(dataset, DCT.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2017-01-01"  # 2560 B.E.
    (distribution,) = graph.objects(dataset, DCAT.distribution)
    assert set(graph.objects(distribution, DCT.license)) == {URIRef("http://www.opendefinition.org/licenses/cc-by")}
    assert (
        distribution,
        DCT["format"],
        URIRef("http://publications.europa.eu/resource/authority/file-type/CSV"),
    ) in graph
    publisher = graph.value(dataset, DCT.publisher)
    assert (publisher, FOAF.name, Literal("สำนักงานสถิติแห่งชาติ", lang="th")) in graph


def test_datastore_resources_are_data_services(app, built):
    graph = fetch(app, f"/dataset/{built['geospatial']['name']}.ttl")
    services = set(graph.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1  # the CSV table; the shapefile has no DataStore table
    (service,) = services
    resource_id = built["geospatial"]["resources"][0]["id"]
    endpoint = f"http://test.ckan.net/api/opendata/v1/resources/{resource_id}/records"
    assert (service, DCAT.endpointURL, URIRef(endpoint)) in graph
    description = f"http://test.ckan.net/api/opendata/v1/resources/{resource_id}/openapi.json"
    assert (service, DCAT.endpointDescription, URIRef(description)) in graph
    assert (service, FOAF.page, URIRef("http://test.ckan.net/dataset/admin-boundaries/api")) in graph
    assert len(set(graph.objects(service, DCATAP.hvdCategory))) == 2
    assert len(set(graph.objects(service, DCATAP.applicableLegislation))) == 2
    assert graph.value(service, DCAT.contactPoint) is not None
    catalogue_graph = fetch(app, "/catalog.ttl")
    assert len(set(catalogue_graph.objects(None, DCAT.service))) == 4  # statistics, geospatial, mobility, plain


def test_non_hvd_gets_no_hvd_properties(app, built):
    graph = fetch(app, f"/dataset/{built['plain']['name']}.ttl")
    assert not set(graph.objects(None, DCATAP.hvdCategory))
    assert not set(graph.objects(None, DCATAP.applicableLegislation))


@pytest.mark.parametrize("who", ["anonymous", "agency_member", "sysadmin"])
def test_private_and_restricted_datasets_never_appear(app, built, who):
    headers = {}
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
        headers = {"Authorization": member["token"]}
    elif who == "sysadmin":
        headers = {"Authorization": built.token}
    for fmt in ("ttl", "rdf", "jsonld"):
        body = app.get(f"/catalog.{fmt}", headers=headers).get_data(as_text=True)
        for key in ("private", "restricted"):
            assert built[key]["id"] not in body and built[key]["name"] not in body
        assert built["statistics"]["id"] in body
    for key in ("private", "restricted"):
        assert app.get(f"/dataset/{built[key]['name']}.ttl", headers=headers).status_code == 404
