"""allow_harvest keeps GD Catalog's meaning: consent to list metadata, never data."""

from __future__ import annotations

from typing import Any

import pytest

from ckanext.opendata_th.governance import harvest_record, harvest_scope, is_published
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.governance.conftest import create_dataset, restricted_dataset
from tests.helpers import api_get, api_post


def _dataset(**fields: Any) -> dict[str, Any]:
    base = {"type": "dataset", "state": "active", "resources": [{"url": "http://x/a.csv"}], "num_resources": 1}
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "scope"),
    [
        ({"data_category": "public", "data_classification": "open", "private": False}, "full"),
        # a public, open dataset is always harvestable, whatever the flag says
        (
            {"data_category": "public", "data_classification": "open", "private": False, "allow_harvest": "false"},
            "full",
        ),
        ({"data_category": "personal", "data_classification": "secret", "private": True}, "none"),
        (
            {"data_category": "personal", "data_classification": "secret", "private": True, "allow_harvest": "true"},
            "metadata_only",
        ),
        (
            {"data_category": "ข้อมูลความมั่นคง", "data_classification": "ลับ", "private": True, "allow_harvest": True},
            "metadata_only",
        ),
        # an open dataset kept private (not yet published) needs consent too
        ({"data_category": "public", "data_classification": "open", "private": True}, "none"),
        (
            {"data_category": "public", "data_classification": "open", "private": True, "allow_harvest": "true"},
            "metadata_only",
        ),
        # a record that is public but not open (legacy data) is never harvested in full
        ({"data_category": "personal", "data_classification": "secret", "private": False}, "none"),
        (
            {"data_category": "public", "data_classification": "open", "private": False, "state": "deleted"},
            "none",
        ),
        ({"data_category": "public", "data_classification": "open", "private": False, "state": "draft"}, "none"),
    ],
)
def test_harvest_scope(fields, scope):
    assert harvest_scope(_dataset(**fields)) == scope


def test_metadata_only_record_has_no_resources():
    dataset = _dataset(data_category="personal", data_classification="secret", private=True, allow_harvest="true")
    record = harvest_record(dataset)
    assert record is not None
    assert "resources" not in record
    assert "num_resources" not in record
    assert record["data_classification"] == "secret"


def test_full_record_and_no_record():
    public = _dataset(data_category="public", data_classification="open", private=False)
    assert harvest_record(public) == public
    assert harvest_record(_dataset(data_category="personal", data_classification="secret", private=True)) is None


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestThroughTheApi:
    def test_a_public_open_dataset_is_saved_harvestable(self, app, agency):
        dataset = create_dataset(app, agency, name="open-data", allow_harvest=False)
        assert dataset["allow_harvest"] == "true"
        assert harvest_scope(dataset) == "full"

    def test_publishing_marks_the_dataset_harvestable(self, app, agency):
        dataset = create_dataset(app, agency, name="embargoed", private=True, allow_harvest=False)
        assert harvest_scope(dataset) == "none"
        published = api_post(app, "package_patch", agency.token("editor"), id=dataset["id"], private=False)["result"]
        assert published["allow_harvest"] == "true"

    def test_consent_on_a_restricted_dataset_lists_metadata_only(self, app, agency):
        dataset = restricted_dataset(app, agency, name="patients", allow_harvest=True)
        api_post(app, "resource_create", agency.token("editor"), package_id=dataset["id"], name="r", url="http://x/a")
        shown = api_get(app, "package_show", agency.token("sysadmin"), id=dataset["id"])["result"]
        assert harvest_scope(shown) == "metadata_only"
        assert "resources" not in (harvest_record(shown) or {})

    def test_without_consent_a_restricted_dataset_is_not_harvested(self, app, agency):
        dataset = restricted_dataset(app, agency, name="patients")
        assert harvest_scope(dataset) == "none"


def test_dataset_dict_is_open_and_public():
    assert harvest_scope(_dataset(**dataset_dict())) == "full"


@pytest.mark.parametrize(
    ("fields", "published"),
    [
        ({"data_category": "public", "data_classification": "open", "private": False}, True),
        ({"data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย", "private": "False"}, True),
        ({"data_category": "public", "data_classification": "open", "private": True}, False),
        ({"data_category": "personal", "data_classification": "secret", "private": False}, False),
        ({"data_category": "public", "data_classification": "open", "private": False, "state": "draft"}, False),
        ({"type": "harvest", "private": False}, True),  # not described by the standard
    ],
)
def test_is_published(fields, published):
    assert is_published(_dataset(**fields)) is published
