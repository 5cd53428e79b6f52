"""Suggestions as you type, in Thai: CKAN's own dataset-name and tag
autocomplete endpoints (the home page's input reads them) match Thai text
inside titles and tags, and never suggest a private dataset."""

from __future__ import annotations

import pytest

from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _titles(app, incomplete: str) -> list[str]:
    response = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": incomplete})
    return [item["title"] for item in response.json["ResultSet"]["Result"]]


def test_dataset_names_are_suggested_from_part_of_a_thai_title(app, catalogue):
    assert _titles(app, "ผู้สูง") == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]
    assert _titles(app, "สถานี") == ["ตำแหน่งสถานีตรวจอากาศ"]


def test_a_private_dataset_is_never_suggested(app, catalogue):
    assert "แผนลับผู้สูงอายุ" not in _titles(app, "แผนลับ")


def test_tags_are_suggested_in_thai(app, catalogue):
    response = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": "ผู้สูง"})
    assert [item["Name"] for item in response.json["ResultSet"]["Result"]] == ["ผู้สูงอายุ"]
