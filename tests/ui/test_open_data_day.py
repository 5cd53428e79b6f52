"""The Open Data Day page: curated featured datasets in order, every HVD by category, public ones only."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from ckanext.opendata_th import vocab
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

FEATURED = "attractions no-such-dataset secret-plan elderly attractions stations"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.ckan_config("ckanext.opendata_th.ui.featured_datasets", FEATURED),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def odd_catalogue(app: Any, catalogue: dict[str, Any]) -> dict[str, Any]:
    """The ui catalogue plus a public HVD in two categories, an HVD without category and a private HVD."""
    token, tmd = catalogue["token"], catalogue["agencies"][1]
    for name, title, extra in (
        ("rain", "ปริมาณน้ำฝนรายวัน", {"hvd_category": ["meteorological", "earth_observation"]}),
        ("roads", "โครงข่ายถนน", {}),
        ("hidden-hvd", "ข้อมูลลับคุณค่าสูง", {"hvd_category": ["meteorological"], "private": True}),
    ):
        api_post(
            app,
            "package_create",
            token,
            **dataset_dict(name=name, title=title, owner_org=tmd["id"], high_value_dataset="true", **extra),
        )
    return catalogue


def _page(app: Any, url: str) -> BeautifulSoup:
    response = app.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _titles(section: Any) -> list[str]:
    return [link.text.strip() for link in section.select(".opendata-th-odd-title")]


def test_featured_datasets_keep_the_curated_order_and_only_public_ones_show(app, odd_catalogue):
    page = _page(app, "/th/open-data-day")
    # Unknown and private names are left out, a repeated name shows once.
    assert _titles(page.select_one(".opendata-th-odd-featured")) == [
        "แหล่งท่องเที่ยว",
        "จำนวนผู้สูงอายุจำแนกตามจังหวัด",
        "ตำแหน่งสถานีตรวจอากาศ",
    ]
    html = str(page)
    for hidden in ("แผนลับผู้สูงอายุ", "secret-plan", "ข้อมูลลับคุณค่าสูง", "hidden-hvd"):
        assert hidden not in html


def test_high_value_datasets_are_grouped_by_category_with_vocabulary_labels_in_thai(app, odd_catalogue):
    page = _page(app, "/th/open-data-day")
    assert page.html["lang"] == "th"
    assert page.select_one("h1").text.strip() == "วันข้อมูลเปิดสากล"
    categories = vocab.get("hvd_category")
    groups = {
        group.select_one("h3").contents[0].strip(): _titles(group)
        for group in page.select(".opendata-th-odd-hvd .opendata-th-odd-category")
    }
    assert groups == {
        categories.label_of("earth_observation", "th"): ["ปริมาณน้ำฝนรายวัน"],
        categories.label_of("meteorological", "th"): ["ปริมาณน้ำฝนรายวัน"],
        categories.label_of("statistics", "th"): ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"],
        "ชุดข้อมูลที่มีคุณค่าสูงอื่นๆ": ["โครงข่ายถนน"],
    }
    # Categories in the vocabulary's order, the uncategorised last.
    order = [group["class"][1] for group in page.select(".opendata-th-odd-category")]
    assert order == [
        "opendata-th-odd-category-earth_observation",
        "opendata-th-odd-category-meteorological",
        "opendata-th-odd-category-statistics",
        "opendata-th-odd-category-uncategorised",
    ]


def test_dates_are_buddhist_era_in_thai_and_common_era_in_english(app, odd_catalogue):
    import datetime

    year = datetime.date.today().year
    thai = _page(app, "/th/open-data-day").select_one(".opendata-th-odd-date").text
    assert thai.endswith(str(year + 543))
    english = _page(app, "/en/open-data-day")
    assert english.select_one(".opendata-th-odd-date").text.endswith(str(year))
    assert english.html["lang"] == "en"
    assert english.select_one("h1").text.strip() == "International Open Data Day"
    groups = [group.select_one("h3").contents[0].strip() for group in english.select(".opendata-th-odd-category")]
    assert groups[:2] == [
        vocab.get("hvd_category").label_of("earth_observation", "en"),
        vocab.get("hvd_category").label_of("meteorological", "en"),
    ]


def test_the_page_is_linked_from_the_home_page_and_the_main_navigation(app, catalogue):
    page = _page(app, "/th/")
    assert page.select_one(".opendata-th-home-odd a")["href"].endswith("/open-data-day")
    nav = [link for link in page.select("nav a, .masthead a") if link.get("href", "").endswith("/open-data-day")]
    assert any(link.text.strip() == "วันข้อมูลเปิดสากล" for link in nav)
    english = _page(app, "/en/dataset/")
    assert any(link.text.strip() == "Open Data Day" for link in english.select("a[href$='/open-data-day']"))


def test_without_a_curated_list_the_page_says_so(app, catalogue, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.ui.featured_datasets", "")
    page = _page(app, "/th/open-data-day")
    assert page.select_one(".opendata-th-odd-featured .empty").text.strip() == "ยังไม่มีชุดข้อมูลแนะนำ"
    assert _titles(page.select_one(".opendata-th-odd-hvd")) == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]
