"""The category -> classification rule and what counts as open, as the standard states them."""

from __future__ import annotations

import itertools

import pytest

from ckanext.opendata_th.governance import rules

# The standard's table (issue 3, GD Catalog's data_classification form snippet),
# written out here rather than read from the vocabulary under test.
ALLOWED = {
    "public": {"open"},
    "internal": {"internal"},
    "personal": {"internal", "confidential", "secret"},
    "security": {"confidential", "secret", "top_secret"},
    "official_secret": {"confidential", "secret", "top_secret"},
}
CLASSIFICATIONS = ("open", "internal", "confidential", "secret", "top_secret")


@pytest.mark.parametrize(("category", "classification"), itertools.product(ALLOWED, CLASSIFICATIONS))
def test_classification_allowed_for_category_follows_the_standard(category, classification):
    error = rules.classification_error(category, classification)
    assert (error is None) == (classification in ALLOWED[category])


@pytest.mark.parametrize(("category", "classification"), itertools.product(ALLOWED, CLASSIFICATIONS))
def test_only_public_and_open_is_open(category, classification):
    assert rules.is_open(category, classification) == (category == "public" and classification == "open")


@pytest.mark.parametrize(
    ("category", "classification", "allowed"),
    [
        ("ข้อมูลส่วนบุคคล", "ลับ", True),  # GD Catalog display values
        ("ส่วนบุคคล", "ลับมาก", True),  # the short names of GD Catalog's form
        ("Personal data", "Top secret", False),  # English labels
        ("ข้อมูลสาธารณะ", "ลับ", False),
        ("ข้อมูลความมั่นคง", "ลับที่สุด", True),
        ("  ข้อมูลใช้ภายใน ", "registered", True),  # surrounding space; the MFEC variant's code
    ],
)
def test_display_strings_are_normalised_before_deciding(category, classification, allowed):
    assert (rules.classification_error(category, classification) is None) == allowed


@pytest.mark.parametrize(
    ("category", "classification", "expected"),
    [
        ("ข้อมูลสาธารณะ", "เปิดเผย", True),
        ("สาธารณะ", "public", True),  # MFEC's disclosure code for เปิดเผย
        ("public", "internal", False),
        ("public", None, False),
        (None, "open", False),
        ("", "", False),
        ("public", "opened", False),  # unknown values fail closed
        ("publicx", "open", False),
    ],
)
def test_open_needs_both_values_known_and_public(category, classification, expected):
    assert rules.is_open(category, classification) is expected


def test_unknown_values_are_left_to_the_schema():
    assert rules.classification_error("publicx", "ลับ") is None
    assert rules.classification_error("public", None) is None


def test_the_error_names_the_values_in_both_languages():
    error = rules.classification_error("public", "ลับ")
    assert error is not None
    assert "ลับ (Confidential)" in error
    assert "ข้อมูลสาธารณะ (Public data)" in error
    assert "เปิดเผย (Open)" in error


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("True", True), ("1", True), (False, False), ("", False), ("on", False)],
)
def test_flags_are_read_as_ckan_reads_them(value, expected):
    assert rules.as_bool(value) is expected


def test_only_the_dataset_type_and_classified_records_are_governed():
    assert rules.is_governed("dataset", {})
    assert rules.is_governed(None, {})
    assert not rules.is_governed("harvest", {})
    assert rules.is_governed("harvest", {"data_classification": "secret"})


def test_schema_validator_reports_the_mismatch_next_to_the_field():
    from ckanext.opendata_th.governance.validators import opendata_th_classification_for_category

    key = ("data_classification",)
    data = {("data_category",): "ข้อมูลสาธารณะ", key: "ลับ"}
    errors: dict = {key: []}
    opendata_th_classification_for_category(key, data, errors, {})
    assert len(errors[key]) == 1

    errors = {key: []}
    opendata_th_classification_for_category(key, {("data_category",): "personal", key: "ลับ"}, errors, {})
    assert errors[key] == []
