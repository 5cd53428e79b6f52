"""The HVD checklist of a dataset page reads in the page's language: dates
in B.E. on Thai pages (C.E. on English ones), categories by their label."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.locale_default", "th"),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _rules(app: Any, path: str) -> dict[str, str]:
    page = BeautifulSoup(app.get(path).get_data(as_text=True), "html.parser")
    checklist = page.select_one(".opendata-th-hvd-checklist")
    assert checklist is not None
    return {str(item["data-rule"]): item.get_text(" ", strip=True) for item in checklist.select("li.hvd-rule")}


def test_a_thai_page_shows_buddhist_era_dates_and_thai_category_labels(app: Any, catalogue: dict[str, Any]) -> None:
    rules = _rules(app, "/dataset/elderly")
    assert "15 มี.ค. 2567" in rules["update_frequency"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", rules["update_frequency"])
    assert "ข้อมูลสถิติ" in rules["category"] and "statistics" not in rules["category"]


def test_an_english_page_shows_common_era_dates_and_english_category_labels(
    app: Any, catalogue: dict[str, Any]
) -> None:
    rules = _rules(app, "/en/dataset/elderly")
    assert "15 Mar 2024" in rules["update_frequency"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", rules["update_frequency"])
    assert "Statistics" in rules["category"] and "statistics" not in rules["category"]
