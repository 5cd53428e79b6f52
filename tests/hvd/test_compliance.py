"""Each HVD compliance rule passes and fails, with its reason (pure, no database)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ckanext.opendata_th.hvd import compliance

NOW = datetime.datetime(2025, 6, 1, 12, 0)


def _dataset(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "x",
        "name": "x",
        "high_value_dataset": "true",
        "data_category": "public",
        "data_classification": "open",
        "private": False,
        "license_id": "cc-by",
        "update_frequency_unit": "month",
        "update_frequency_interval": "1",
        "last_updated_date": "2025-05-20",
        "maintainer": "กลุ่มงานสถิติ",
        "maintainer_email": "stat@example.go.th",
        "hvd_category": ["statistics"],
        "resources": [{"format": "CSV", "url": "http://x/a.csv", "datastore_active": True}],
    }
    data.update(overrides)
    return data


def _result(rule: str, **overrides: Any) -> compliance.RuleResult:
    return compliance.CHECKS[rule](_dataset(**overrides), NOW)


def test_a_complete_hvd_passes_every_rule():
    report = compliance.report(_dataset(), NOW)
    assert report["compliant"], report
    assert [rule["rule"] for rule in report["rules"]] == list(compliance.RULES)


@pytest.mark.parametrize(
    ("rule", "overrides", "reason"),
    [
        ("public", {"private": True}, "must be public"),
        ("public", {"data_classification": "confidential"}, "must be public"),
        ("open_licence", {"license_id": "notspecified"}, "not an open licence"),
        ("open_licence", {"license_id": ""}, "not an open licence"),
        ("machine_readable", {"resources": [{"format": "PDF", "url": "http://x/a.pdf"}]}, "machine-readable"),
        ("api", {"resources": [{"format": "CSV", "url": "http://x/a.csv"}]}, "no API"),
        ("bulk_download", {"resources": [{"format": "HTML", "url": "http://x/page"}]}, "download"),
        ("update_frequency", {"update_frequency_unit": "unknown"}, "not declared"),
        ("update_frequency", {"last_updated_date": "2025-01-01"}, "Overdue"),
        ("contact_point", {"maintainer_email": ""}, "contact person"),
        ("category", {"hvd_category": []}, "No HVD category"),
    ],
)
def test_each_rule_fails_with_its_reason(rule, overrides, reason):
    result = _result(rule, **overrides)
    assert not result.passed
    assert reason in result.reason


def test_update_frequency_interval_and_grace():
    # Every 6 months: updated 5 months ago is on time.
    assert _result("update_frequency", update_frequency_interval="6", last_updated_date="2025-01-01").passed
    # Never updated after collection: declared, never overdue.
    assert _result("update_frequency", update_frequency_unit="never", last_updated_date="2000-01-01").passed


def test_a_datastore_table_is_a_bulk_download_and_deleted_resources_do_not_count():
    assert _result("bulk_download", resources=[{"format": "", "url": "", "datastore_active": True}]).passed
    deleted = [{"format": "CSV", "url": "http://x/a.csv", "datastore_active": True, "state": "deleted"}]
    assert not _result("api", resources=deleted).passed


def test_categories_given_as_labels_or_uris_count():
    assert _result("category", hvd_category='["http://data.europa.eu/bna/c_b79e35eb"]').passed
    assert _result("category", hvd_category=["Mobility"]).passed
