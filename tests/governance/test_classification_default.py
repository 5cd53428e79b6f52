"""A record without a classification (GD Catalog 2.1 has none) gets the default
the standard allows (issue 14): open for public data, which stays public; the
lowest level of its category otherwise, and private.  The default is recorded
on the dataset (for its history and the quality report)."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import helpers

from ckanext.opendata_th.governance import publishing
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.governance.conftest import Agency
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _without_classification(agency: Agency, **overrides: Any) -> dict[str, Any]:
    data = dataset_dict(owner_org=agency.org["id"], **overrides)
    data.pop("data_classification")
    return data


def _note(dataset: dict[str, Any]) -> str | None:
    extras = {extra["key"]: extra["value"] for extra in dataset.get("extras", [])}
    return extras.get(publishing.DEFAULTED_CLASSIFICATION)


def _show(name: str) -> dict[str, Any]:
    return helpers.call_action("package_show", id=name)


@pytest.mark.parametrize("category", ["public", "ข้อมูลสาธารณะ", "สาธารณะ"])
def test_public_data_without_classification_is_open_and_stays_public(app, agency, category):
    data = _without_classification(agency, name="open-by-default", data_category=category)

    api_post(app, "package_create", agency.token("editor"), **data)

    shown = _show("open-by-default")
    assert (shown["data_category"], shown["data_classification"], shown["private"]) == ("public", "open", False)
    note = _note(shown)
    assert note is not None
    assert "ไม่ได้ระบุระดับชั้นข้อมูล" in note and "was not given" in note and "เปิดเผย (Open)" in note


@pytest.mark.parametrize(
    ("category", "lowest"),
    [
        ("internal", "internal"),
        ("personal", "internal"),
        ("security", "confidential"),
        ("official_secret", "confidential"),
    ],
)
def test_other_categories_get_their_lowest_level_and_stay_private(app, agency, category, lowest):
    data = _without_classification(agency, name="closed-by-default", data_category=category, private=False)

    api_post(app, "package_create", agency.token("editor"), **data)

    shown = _show("closed-by-default")
    assert (shown["data_classification"], shown["private"]) == (lowest, True)
    assert _note(shown) is not None


def test_the_default_is_in_the_datasets_activity(app, agency):
    api_post(app, "package_create", agency.token("editor"), **_without_classification(agency, name="history"))

    activities = helpers.call_action("package_activity_list", id="history", include_hidden_activity=True)

    snapshot = activities[0]["data"]["package"]
    assert snapshot["data_classification"] == "open"
    assert "was not given" in (_note(snapshot) or "")


def test_an_update_without_classification_keeps_the_stored_level(app, agency):
    data = dataset_dict(
        name="secret-stays",
        owner_org=agency.org["id"],
        data_category="security",
        data_classification="secret",
        private=True,
    )
    api_post(app, "package_create", agency.token("editor"), **data)
    data.pop("data_classification")

    api_post(app, "package_update", agency.token("editor"), id="secret-stays", **data)

    shown = _show("secret-stays")
    assert (shown["data_classification"], shown["private"]) == ("secret", True)
    assert _note(shown) is None


def test_choosing_another_level_removes_the_default_note(app, agency):
    data = _without_classification(agency, name="chosen-later", data_category="personal", private=True)
    api_post(app, "package_create", agency.token("editor"), **data)
    assert _note(_show("chosen-later")) is not None

    api_post(app, "package_patch", agency.token("editor"), id="chosen-later", data_classification="confidential")

    shown = _show("chosen-later")
    assert shown["data_classification"] == "confidential"
    assert _note(shown) is None


def test_a_given_classification_is_never_replaced(app, agency):
    data = dataset_dict(
        name="given", owner_org=agency.org["id"], data_category="personal", data_classification="secret", private=True
    )

    api_post(app, "package_create", agency.token("editor"), **data)

    shown = _show("given")
    assert shown["data_classification"] == "secret"
    assert _note(shown) is None
