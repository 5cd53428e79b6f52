"""The catalogue pages in a stable order: a crawler that follows hydra:next
while datasets are edited, added (and, with a cursor, deleted) sees every
dataset that was there when it started exactly once."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "3"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SITE = "http://test.ckan.net"


class Agency:
    def __init__(self) -> None:
        sysadmin = ckan_factories.SysadminWithToken()
        self.token: str = sysadmin["token"]
        self.org = ckan_factories.Organization(users=[{"name": sysadmin["name"], "capacity": "admin"}])

    def create(self, app: Any, name: str) -> dict[str, Any]:
        fields = dataset_dict(owner_org=self.org["id"], name=name, title=name)
        return api_post(app, "package_create", self.token, **fields)["result"]

    def touch(self, app: Any, dataset: dict[str, Any]) -> None:
        """An edit: the dataset becomes the most recently modified."""
        api_post(app, "package_patch", self.token, id=dataset["id"], notes="แก้ไขแล้ว")


def _page(app: Any, path: str) -> tuple[list[str], str | None]:
    """The dataset ids of one catalogue page, and the path of the next one."""
    response = app.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    ids = [str(ref).rsplit("/", 1)[-1] for ref in graph.subjects(RDF.type, DCAT_DATASET)]
    following = next(graph.objects(None, HYDRA.next), None)
    return ids, str(following).removeprefix(SITE) if following else None


def _crawl(app: Any, first: str, between_pages: Any) -> list[str]:
    """Follow hydra:next from `first`, calling `between_pages(n)` after page n."""
    seen, path, number = [], first, 0
    while path:
        ids, path = _page(app, path)
        seen += ids
        number += 1
        between_pages(number)
        assert number < 20, "hydra:next never ends"
    return seen


@pytest.fixture
def agency() -> Agency:
    return Agency()


def test_offset_pages_survive_edits_and_additions(app, agency):
    originals = [agency.create(app, f"dataset-{i}") for i in range(7)]

    def change(number: int) -> None:
        if number == 1:
            for dataset in originals:  # every one moves to the top of ckanext-dcat's order
                agency.touch(app, dataset)
            agency.create(app, "added-later-1")
            agency.create(app, "added-later-2")

    seen = _crawl(app, "/catalog.ttl?page=1", change)
    for dataset in originals:
        assert seen.count(dataset["id"]) == 1, dataset["name"]


def test_cursor_pages_survive_edits_additions_and_deletions(app, agency):
    originals = [agency.create(app, f"dataset-{i}") for i in range(7)]
    deleted: set[str] = set()
    first_page: list[str] = []

    def change(number: int) -> None:
        if number == 1:
            for dataset in originals:
                agency.touch(app, dataset)
            for i in range(3):
                agency.create(app, f"added-later-{i}")
            # Deleting a dataset already seen would shift every later offset page.
            gone = next(d for d in originals if d["id"] in first_page)
            api_post(app, "package_delete", agency.token, id=gone["id"])
            deleted.add(gone["id"])

    first_page += _page(app, "/catalog.ttl?cursor=*")[0]
    seen = _crawl(app, "/catalog.ttl?cursor=*", change)
    for dataset in originals:
        # The deleted one was seen on page 1; once, like every other.
        assert seen.count(dataset["id"]) == 1, dataset["name"]
    assert deleted <= set(seen)


def test_cursor_paging_links(app, agency):
    for i in range(4):
        agency.create(app, f"dataset-{i}")
    response = app.get("/catalog.ttl?cursor=*&q=dataset")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    (collection,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
    assert int(graph.value(collection, HYDRA.totalItems)) == 4
    next_url = urllib.parse.urlsplit(str(graph.value(collection, HYDRA.next)))
    params = dict(urllib.parse.parse_qsl(next_url.query))
    assert next_url.path == "/catalog.ttl" and params["q"] == "dataset"
    ids, following = _page(app, f"/catalog.ttl?{next_url.query}")
    assert len(ids) == 1 and following is None  # the last page has no hydra:next
    page = Graph().parse(data=app.get(f"/catalog.ttl?{next_url.query}").get_data(as_text=True), format="turtle")
    (total,) = page.objects(None, HYDRA.totalItems)
    assert int(total) == 4  # the whole catalogue, not what remains


def test_cursor_through_the_api(app, agency):
    for i in range(4):
        agency.create(app, f"dataset-{i}")
    result = api_post(app, "dcat_catalog_show", cursor="*", format="ttl")["result"]
    graph = Graph().parse(data=result, format="turtle")
    assert len(set(graph.subjects(RDF.type, DCAT_DATASET))) == 3
    assert next(graph.objects(None, HYDRA.next), None) is not None


def test_offset_pages_in_creation_order(app, agency):
    created = [agency.create(app, f"dataset-{i}")["id"] for i in range(5)]
    agency.touch(app, {"id": created[4]})
    first, _ = _page(app, "/catalog.ttl?page=1")
    assert set(first) == set(created[:3])
