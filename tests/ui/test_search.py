"""Facets of the public catalogue: data type, category, agency, ministry,
format, licence, high-value and "has API", named by their labels."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PLUGINS
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _names(result: dict[str, Any]) -> set[str]:
    return {dataset["name"] for dataset in result["result"]["results"]}


def test_a_dataset_with_datastore_data_has_an_api(app, catalogue):
    with_api = api_get(app, "package_search", fq="has_api:true")
    without = api_get(app, "package_search", fq="has_api:false")
    assert _names(with_api) == {"elderly"}
    assert _names(without) == {"stations", "attractions"}


def test_datasets_are_found_by_their_agencys_ministry(app, catalogue):
    assert _names(api_get(app, "package_search", fq="ministry:mdes")) == {"elderly", "stations"}
    assert _names(api_get(app, "package_search", fq="ministry:mots")) == {"attractions"}


def test_facets_come_in_reading_order_with_their_titles(app, catalogue):
    page = app.get("/dataset/").get_data(as_text=True)
    titles = [
        "Data type",
        "Data category",
        "Agencies",
        "Ministry",
        "Formats",
        "Licenses",
        "High-value dataset",
        "Has API",
    ]
    positions = [page.find(f"{title}") for title in titles]
    assert all(position > 0 for position in positions), dict(zip(titles, positions, strict=True))
    assert positions == sorted(positions)


def test_facet_items_show_vocabulary_labels_in_the_readers_language(app, catalogue):
    facets = ["data_type", "ministry", "has_api", "high_value_dataset"]
    english = api_get(app, "package_search", **{"facet.field": str(facets).replace("'", '"')})["result"]
    labels = {
        facet: {item["name"]: item["display_name"] for item in english["search_facets"][facet]["items"]}
        for facet in facets
    }
    assert labels["data_type"]["gis"] == "Geospatial (GIS) data"
    assert labels["ministry"]["mots"] == "Ministry of Tourism and Sports"
    assert labels["has_api"] == {"true": "Yes", "false": "No"}

    thai = app.get("/th/dataset/").get_data(as_text=True)
    assert "ข้อมูลภูมิสารสนเทศเชิงพื้นที่" in thai  # gis, in Thai
    assert "กระทรวงการท่องเที่ยวและกีฬา" in thai


def test_filtering_by_a_facet_narrows_the_results(app, catalogue):
    page = app.get("/dataset/", query_string={"has_api": "true"}).get_data(as_text=True)
    assert "จำนวนผู้สูงอายุจำแนกตามจังหวัด" in page
    assert "ตำแหน่งสถานีตรวจอากาศ" not in page


def test_a_private_dataset_is_in_no_facet_count_for_the_public(app, catalogue):
    result = api_get(app, "package_search", q="ผู้สูงอายุ", **{"facet.field": '["organization"]'})["result"]
    assert _names({"result": result}) == {"elderly"}
    counts = {item["name"]: item["count"] for item in result["search_facets"]["organization"]["items"]}
    assert counts == {"nso": 1}


def test_facets_are_labelled_outside_a_request_too(catalogue):
    # package_search runs from the CLI, background jobs and organization_show
    # (which searches the agency's datasets); no request, the site's language.
    import ckan.plugins.toolkit as tk

    result = tk.get_action("package_search")({"ignore_auth": True}, {"facet.field": '["data_type"]'})
    labels = {item["name"]: item["display_name"] for item in result["search_facets"]["data_type"]["items"]}
    assert labels["gis"] == "Geospatial (GIS) data"
