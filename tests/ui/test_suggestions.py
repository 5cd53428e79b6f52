"""Suggestions as you type, in Thai: CKAN's own dataset-name and tag
autocomplete endpoints (the home page's input reads them) match Thai text
inside titles and tags, and never suggest a private dataset."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _titles(app: Any, incomplete: str) -> list[str]:
    response = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": incomplete})
    return [item["title"] for item in response.json["ResultSet"]["Result"]]


def test_dataset_names_are_suggested_from_part_of_a_thai_title(app: Any, catalogue: dict[str, Any]) -> None:
    assert _titles(app, "ผู้สูง") == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]
    assert _titles(app, "สถานี") == ["ตำแหน่งสถานีตรวจอากาศ"]


def test_a_private_dataset_is_never_suggested(app: Any, catalogue: dict[str, Any]) -> None:
    assert "แผนลับผู้สูงอายุ" not in _titles(app, "แผนลับ")


def test_tags_are_suggested_in_thai(app: Any, catalogue: dict[str, Any]) -> None:
    response = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": "ผู้สูง"})
    assert [item["Name"] for item in response.json["ResultSet"]["Result"]] == ["ผู้สูงอายุ"]


def _tags(app: Any, incomplete: str, token: str | None = None) -> list[str]:
    headers = {"Authorization": token} if token else {}
    response = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": incomplete}, headers=headers)
    return [item["Name"] for item in response.json["ResultSet"]["Result"]]


@pytest.fixture
def hidden_tags(app: Any, catalogue: dict[str, Any]) -> dict[str, Any]:
    """A tag only a private dataset carries, and one only a deleted dataset carries."""
    token = catalogue["token"]
    api_post(
        app,
        "package_patch",
        token,
        id=catalogue["secret"]["id"],
        tags=[{"name": "ลับเฉพาะภายใน"}, {"name": "ประชากร"}],
    )
    gone = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(name="gone", owner_org=catalogue["agencies"][0]["id"], tags=[{"name": "ลับเฉพาะลบแล้ว"}]),
    )["result"]
    api_post(app, "package_delete", token, id=gone["id"])
    return catalogue


def test_a_tag_of_a_private_or_deleted_dataset_is_never_suggested_to_anonymous_users(
    app: Any, hidden_tags: dict[str, Any]
) -> None:
    assert _tags(app, "ลับเฉพาะ") == []
    assert _tags(app, "ประชา") == ["ประชากร"]


def test_a_tag_of_a_private_dataset_is_not_suggested_to_an_outsider(app: Any, hidden_tags: dict[str, Any]) -> None:
    outsider = factories.UserWithToken()
    assert _tags(app, "ลับเฉพาะ", outsider["token"]) == []
    assert _tags(app, "ผู้สูง", outsider["token"]) == ["ผู้สูงอายุ"]


def test_a_member_of_the_agency_is_suggested_its_private_tag(app: Any, hidden_tags: dict[str, Any]) -> None:
    assert _tags(app, "ลับเฉพาะ", hidden_tags["token"]) == ["ลับเฉพาะภายใน"]


def test_tag_list_and_tag_search_hide_tags_of_private_datasets(app: Any, hidden_tags: dict[str, Any]) -> None:
    assert "ลับเฉพาะภายใน" not in api_post(app, "tag_list")["result"]
    assert "ผู้สูงอายุ" in api_post(app, "tag_list")["result"]
    found = api_post(app, "tag_search", query="ลับเฉพาะ")["result"]
    assert found == {"count": 0, "results": []}
    assert api_post(app, "tag_search", query="ผู้สูง")["result"]["count"] == 1
