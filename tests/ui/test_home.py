"""The home page: live figures, featured high-value datasets, recently
updated datasets, search with suggestions, and nothing private."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _figures(page: BeautifulSoup) -> dict[str, int]:
    return {
        item["class"][0].removeprefix("opendata-th-figure-"): int(item.select_one(".opendata-th-figure-count").text)
        for item in page.select(".opendata-th-figures li")
    }


def test_home_page_shows_live_figures_of_public_datasets(app, catalogue):
    page = BeautifulSoup(app.get("/").get_data(as_text=True), "html.parser")
    # Three public datasets from three agencies; the private one is not counted.
    assert _figures(page) == {"datasets": 3, "agencies": 3, "hvd": 1, "api": 1}


def test_figures_follow_the_catalogue(app, catalogue):
    from tests.factories import dataset_dict
    from tests.helpers import api_post

    api_post(app, "package_create", catalogue["token"], **dataset_dict(name="another", high_value_dataset="true"))
    page = BeautifulSoup(app.get("/").get_data(as_text=True), "html.parser")
    assert _figures(page)["datasets"] == 4 and _figures(page)["hvd"] == 2


def test_home_page_lists_featured_and_recent_datasets_but_no_private_one(app, catalogue):
    html = app.get("/").get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    featured = page.select_one(".opendata-th-home-featured")
    assert featured is not None and "จำนวนผู้สูงอายุจำแนกตามจังหวัด" in featured.text
    recent = page.select_one(".opendata-th-home-recent")
    assert recent is not None and "แหล่งท่องเที่ยว" in recent.text
    assert "แผนลับผู้สูงอายุ" not in html and "secret-plan" not in html


def test_home_page_in_thai(app, catalogue):
    page = BeautifulSoup(app.get("/th/").get_data(as_text=True), "html.parser")
    assert page.html["lang"] == "th"
    labels = [label.text for label in page.select(".opendata-th-figure-label")]
    assert labels == ["ชุดข้อมูล", "หน่วยงานที่เผยแพร่", "ชุดข้อมูลที่มีคุณค่าสูง", "ชุดข้อมูลที่มี API"]


def test_home_search_suggests_as_you_type(app, catalogue):
    page = BeautifulSoup(app.get("/").get_data(as_text=True), "html.parser")
    field = page.select_one("#field-home-search")
    assert field is not None and field["data-module"] == "opendata-th-suggest"
    assert page.select_one(f"datalist#{field['list']}") is not None
    assert field.get("aria-label")


def test_most_used_lists_the_datasets_whose_data_is_used_most(app, catalogue):
    from ckanext.opendata_th.api import usage

    page = BeautifulSoup(app.get("/").get_data(as_text=True), "html.parser")
    assert page.select_one(".opendata-th-home-popular") is None  # nothing used yet
    for _ in range(3):
        usage.count(catalogue["elderly"]["resources"][0]["id"], "download")
    page = BeautifulSoup(app.get("/").get_data(as_text=True), "html.parser")
    popular = page.select_one(".opendata-th-home-popular")
    assert popular is not None
    assert [link.text for link in popular.select("li > a")] == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]
