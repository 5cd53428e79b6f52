"""Thai word segmentation keeps CKAN's query syntax and ranking working."""

from __future__ import annotations

import json

import pytest
from ckan.tests import helpers

from tests.conftest import PLUGINS
from tests.factories import dataset_dict

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def datasets(sysadmin, organization):
    def create(name, **fields):
        return helpers.call_action(
            "package_create",
            {"user": sysadmin["name"]},
            **dataset_dict(name=name, owner_org=organization["id"], **fields),
        )

    create("elderly", title="จำนวนผู้สูงอายุจำแนกตามจังหวัด", notes="ประชากรรายจังหวัด", tags=[{"name": "ประชากร"}])
    create("allowance", title="เบี้ยยังชีพรายเดือน", notes="ผู้รับเบี้ยยังชีพผู้สูงอายุทุกจังหวัด")
    create("banks", title="สาขาธนาคารพาณิชย์", notes="Commercial bank branches by province")
    return organization


def _names(**params):
    return [d["name"] for d in helpers.call_action("package_search", **params)["results"]]


def test_title_matches_rank_above_description_matches(datasets):
    assert _names(q="ผู้สูงอายุ") == ["elderly", "allowance"]


def test_quoted_phrases_fielded_queries_and_filters_still_work(datasets):
    assert _names(q='"เบี้ยยังชีพ"') == ["allowance"]
    assert _names(q="title:ผู้สูงอายุ") == ["elderly"]
    assert _names(q="ผู้สูงอายุ", fq="tags:ประชากร") == ["elderly"]
    assert _names(q="ผู้สูงอายุ", fq=f"organization:{datasets['name']}") == ["elderly", "allowance"]


def test_english_and_mixed_queries_still_work(datasets):
    assert _names(q="bank branches") == ["banks"]
    assert _names(q="commercial สาขา") == ["banks"]


def test_facets_count_thai_matches(datasets):
    result = helpers.call_action("package_search", q="ผู้สูงอายุ", **{"facet.field": json.dumps(["organization"])})
    assert result["search_facets"]["organization"]["items"][0]["count"] == 2


def test_a_word_inside_a_longer_word_does_not_match(datasets):
    assert "banks" not in _names(q="นา")
