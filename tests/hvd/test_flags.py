"""Flagging datasets as HVD over the API: who may, and what the fields accept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

HVD = {"high_value_dataset": "true", "hvd_category": ["statistics"]}


@pytest.fixture
def people(app: Any) -> dict[str, Any]:
    users = {who: ckan_factories.UserWithToken() for who in ("member", "editor", "admin")}
    users["sysadmin"] = ckan_factories.SysadminWithToken()
    users["agency"] = ckan_factories.Organization(
        users=[{"name": users[who]["name"], "capacity": who} for who in ("member", "editor", "admin")]
    )
    return users


def _create(app: Any, people: dict[str, Any], who: str, status: int = 200, **fields: Any) -> dict[str, Any]:
    fields.setdefault("name", "hvd-dataset")
    data = dataset_dict(owner_org=people["agency"]["id"], **fields)
    return api_post(app, "package_create", people[who]["token"], status=status, **data)


def test_editors_flag_by_default_as_in_gd_catalog(app, people):
    dataset = _create(app, people, "editor", **HVD)["result"]
    assert dataset["high_value_dataset"] == "true"
    assert dataset["hvd_category"] == ["statistics"]


@pytest.mark.ckan_config("ckanext.opendata_th.hvd.flag_role", "admin")
def test_with_role_admin_only_admins_and_sysadmins_flag(app, people):
    error = _create(app, people, "editor", status=409, **HVD)["error"]
    assert "high-value" in json.dumps(error, ensure_ascii=False)
    assert _create(app, people, "admin", name="by-admin", **HVD)["success"]
    assert _create(app, people, "sysadmin", name="by-sysadmin", **HVD)["success"]


@pytest.mark.ckan_config("ckanext.opendata_th.hvd.flag_role", "admin")
def test_an_editor_may_update_a_flagged_dataset_but_not_unflag_it(app, people):
    dataset = _create(app, people, "admin", **HVD)["result"]
    token = people["editor"]["token"]
    updated = api_post(app, "package_patch", token, id=dataset["id"], title="ชื่อใหม่")["result"]
    assert updated["high_value_dataset"] == "true" and updated["hvd_category"] == ["statistics"]
    api_post(app, "package_patch", token, status=409, id=dataset["id"], high_value_dataset="false")
    api_post(app, "package_patch", token, status=409, id=dataset["id"], hvd_category=["mobility"])


def test_categories_accept_labels_and_uris_and_reject_unknown_values(app, people):
    given = ["Mobility", "http://data.europa.eu/bna/c_ac64a52d", "ข้อมูลสถิติ"]
    dataset = _create(app, people, "sysadmin", high_value_dataset="true", hvd_category=given)["result"]
    assert dataset["hvd_category"] == ["geospatial", "statistics", "mobility"]
    error = _create(app, people, "sysadmin", name="bad", status=409, hvd_category=["tourism"])["error"]
    assert "hvd_category" in error


def test_legislation_takes_uris_only(app, people):
    eli = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
    dataset = _create(app, people, "sysadmin", applicable_legislation=eli, **HVD)["result"]
    assert dataset["applicable_legislation"] == [eli]
    error = _create(app, people, "sysadmin", name="bad", status=409, applicable_legislation="พ.ร.บ. ข้อมูล")["error"]
    assert "applicable_legislation" in error


def test_every_data_type_may_be_an_hvd(app, people):
    for data_type in ("record", "statistical", "gis", "multiple", "other"):
        dataset = _create(app, people, "sysadmin", name=f"hvd-{data_type}", data_type=data_type, **HVD)["result"]
        assert dataset["high_value_dataset"] == "true"


def test_national_categories_come_from_config(app, people, tmp_path, ckan_config, monkeypatch):
    national = tmp_path / "national.yaml"
    national.write_text(
        "terms:\n  - code: th_agriculture\n    label: {th: ข้อมูลเกษตร, en: Agriculture}\n    eu: statistics\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.hvd.national_categories", str(national))
    dataset = _create(app, people, "sysadmin", high_value_dataset="true", hvd_category=["Agriculture"])["result"]
    assert dataset["hvd_category"] == ["th_agriculture"]
    result = api_post(app, "opendata_th_hvd_compliance", None, id=dataset["id"])["result"]
    category = next(rule for rule in result["rules"] if rule["rule"] == "category")
    assert category["passed"], category  # mapped to the EU Statistics category
