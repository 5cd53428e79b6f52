"""The dataset page's metadata grouped the way readers look for it, with
labels instead of codes and Buddhist-era dates on Thai pages."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from ckanext.opendata_th.ui import metadata
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _groups(app: Any, url: str) -> dict[str, dict[str, str]]:
    page = BeautifulSoup(app.get(url).get_data(as_text=True), "html.parser")
    section = page.select_one(".opendata-th-metadata")
    assert section is not None
    groups = {}
    for heading in section.select("h3"):
        table = heading.find_next_sibling("table")
        rows = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in table.select("tr")}
        groups[heading.get_text(strip=True)] = rows
    return groups


def test_metadata_is_grouped_with_labels_not_codes(app, catalogue):
    groups = _groups(app, "/dataset/elderly")
    assert list(groups)[:4] == [
        "About this dataset",
        "Publisher and contact",
        "Time and place covered",
        "Access and use",
    ]
    assert groups["About this dataset"]["Data type"] == "Statistical data"
    assert groups["Access and use"]["Data category"] == "Public data"
    assert groups["Time and place covered"]["Geographic coverage"] == "Country"
    assert groups["High-value dataset"]["High-value dataset"] == "Yes"
    page = app.get("/dataset/elderly").get_data(as_text=True)
    assert ">statistical<" not in page and ">agency_mission<" not in page


def test_an_other_choice_shows_what_the_agency_wrote(app, catalogue):
    about = _groups(app, "/dataset/elderly")["About this dataset"]
    assert about["Data language"] == "Thai Other: ภาษาถิ่นใต้"


def test_fields_of_other_data_types_and_empty_fields_are_left_out(app, catalogue):
    rows = {label for group in _groups(app, "/dataset/elderly").values() for label in group}
    assert "Unit of data collection" not in rows  # record/multiple/other only
    assert "Other objective" not in rows and "URL" not in rows
    assert "Unit of measure" in rows  # statistical


def test_dates_are_buddhist_era_in_thai_and_common_era_in_english(app, catalogue):
    english = _groups(app, "/dataset/elderly")["Time and place covered"]
    thai = _groups(app, "/th/dataset/elderly")["ช่วงเวลาและพื้นที่ที่ครอบคลุม"]
    assert "15 Mar 2024" in english.values()
    assert "15 มี.ค. 2567" in thai.values()


def test_display_date_helper_keeps_what_is_no_date():
    assert metadata.display_date("2024-03-15", "th") == "15 มี.ค. 2567"
    assert metadata.display_date("2024-03-15", "en") == "15 Mar 2024"
    assert metadata.display_date("ไม่ทราบ", "th") == "ไม่ทราบ"
    assert metadata.display_date(None, "en") == ""
