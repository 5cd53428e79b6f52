""" "Most used" on the home page: every public dataset ranked by its data's API calls and downloads."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan.lib.redis import connect_to_redis

from ckanext.opendata_th.api import usage
from ckanext.opendata_th.ui import popular
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def _use(resource_id: str, times: int, kind: str = "records") -> None:
    for _ in range(times):
        usage.count(resource_id, kind)


def _with_resource(app: Any, token: str, name: str, **fields: Any) -> dict[str, Any]:
    resource = {"name": name, "url": f"http://example.com/{name}.csv", "format": "CSV"}
    return api_post(app, "package_create", token, **dataset_dict(name=name, resources=[resource], **fields))["result"]


def _popular(app: Any) -> list[str]:
    page = BeautifulSoup(app.get("/th/").get_data(as_text=True), "html.parser")
    section = page.select_one(".opendata-th-home-popular")
    return [link["href"].rsplit("/", 1)[-1] for link in section.select("li > a")] if section else []


def test_most_used_ranks_every_public_dataset_by_calls_and_downloads(app, catalogue):
    token = catalogue["token"]
    # The oldest dataset is the most used: ranking does not start from the recently updated.
    _use(catalogue["elderly"]["resources"][0]["id"], 3, "download")
    _use(catalogue["elderly"]["resources"][0]["id"], 3, "records")
    newer = [_with_resource(app, token, f"newer-{number}") for number in range(6)]
    _use(newer[0]["resources"][0]["id"], 2)
    _use(newer[3]["resources"][0]["id"], 2, "csv")  # a tie: the more recently updated first
    _use(newer[5]["resources"][0]["id"], 4, "openapi")
    assert _popular(app) == ["elderly", "newer-5", "newer-3", "newer-0"]


def test_private_classified_and_deleted_data_never_rank(app, catalogue):
    token, nso = catalogue["token"], catalogue["agencies"][0]
    _use(catalogue["elderly"]["resources"][0]["id"], 1)
    hidden = _with_resource(
        app,
        token,
        "register",
        owner_org=nso["id"],
        data_category="personal",
        data_classification="confidential",
        private=True,
    )
    _use(hidden["resources"][0]["id"], 100)
    dropped = _with_resource(app, token, "dropped")
    _use(dropped["resources"][0]["id"], 50)
    api_post(app, "resource_delete", token, id=dropped["resources"][0]["id"])
    assert _popular(app) == ["elderly"]
    html = app.get("/th/").get_data(as_text=True)
    assert "register" not in html.split('class="opendata-th-home-popular"')[-1]


def test_a_dataset_sums_the_use_of_its_resources(app, catalogue):
    token = catalogue["token"]
    two = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(
            name="two-files",
            resources=[
                {"name": "a", "url": "http://example.com/a.csv", "format": "CSV"},
                {"name": "b", "url": "http://example.com/b.csv", "format": "CSV"},
            ],
        ),
    )["result"]
    _use(catalogue["elderly"]["resources"][0]["id"], 3)
    _use(two["resources"][0]["id"], 2)
    _use(two["resources"][1]["id"], 2)
    assert popular.dataset_totals(popular.resource_totals()) == {two["id"]: 4, catalogue["elderly"]["id"]: 3}
    assert _popular(app) == ["two-files", "elderly"]


def test_only_as_many_datasets_as_the_list_shows(app, catalogue):
    token = catalogue["token"]
    for number in range(7):
        dataset = _with_resource(app, token, f"used-{number}")
        _use(dataset["resources"][0]["id"], number + 1)
    assert _popular(app) == ["used-6", "used-5", "used-4", "used-3", "used-2"]


def test_counters_from_before_the_ranking_still_rank(app, catalogue):
    resource_id = catalogue["elderly"]["resources"][0]["id"]
    # counted by a version that kept no ranking: the hash alone
    connect_to_redis().hincrby(f"{usage.KEY_PREFIX}:{resource_id}", "records", 5)
    assert usage.ranking() == {resource_id: 5}
    usage.count(resource_id, "csv")
    assert usage.ranking() == {resource_id: 6}
    assert _popular(app) == ["elderly"]
