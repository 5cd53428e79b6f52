"""gdc/versions.yaml, GD Catalog's own rules, against this catalogue's schema and vocabularies."""

from __future__ import annotations

import importlib.resources
from typing import Any

import pytest
import yaml

from ckanext.opendata_th import vocab
from tests.gdc.conformance import records


def _schema_fields() -> dict[str, dict[str, Any]]:
    text = (importlib.resources.files("ckanext.opendata_th.schema") / "dataset.yaml").read_text("utf-8")
    schema = yaml.safe_load(text)
    return {field["field_name"]: field for field in schema["dataset_fields"] + schema["resource_fields"]}


def _ours(name: str) -> str:
    return str(records.SPEC["renamed"].get(name, name))


@pytest.mark.parametrize("version", records.VERSIONS)
def test_every_value_gd_catalog_offers_maps_to_a_code_of_its_field(version):
    fields = _schema_fields()
    lists = {**records.SPEC["lists"], **records.SPEC["versions"][version]["lists"]}
    unmapped = {}
    for name, values in lists.items():
        field = fields[_ours(name)]
        if not field.get("vocabulary"):
            continue
        terms = vocab.get(field["vocabulary"])
        missing = [value for value in values if terms.code_for(value) is None]
        if missing:
            unmapped[name] = missing
        if "อื่นๆ" in values:
            assert terms.code_for("อื่นๆ") == vocab.OTHER, name
    assert not unmapped
    # the one list kept inline in the schema: GD Catalog's harvest consent
    assert [name for name in lists if not fields[_ours(name)].get("vocabulary")] == ["allow_harvest"]


@pytest.mark.parametrize("version", records.VERSIONS)
def test_every_field_gd_catalog_requires_or_types_is_a_field_here(version):
    fields = _schema_fields()
    rules = records.SPEC["versions"][version]
    named = [*rules["required"], *rules["server_required"], *rules["checked_lists"], *rules["resource_required"]]
    named += [*records.SPEC["data_types"], *records.SPEC["resource_data_types"]]
    assert [name for name in named if _ours(name) not in fields and name != "tag_string"] == []
    assert set(rules["server_required"]) - {"name"} <= set(rules["required"])


def test_generated_records_cover_every_type_version_and_completeness():
    cases = records.generated()
    assert len(cases) == len(records.DATA_TYPES) * len(records.VERSIONS) * len(records.LEVELS)
    terms = vocab.get("data_type")
    for case in cases:
        version = case.key.split("-")[1]
        required = records.SPEC["versions"][version]["required"]
        present = {"tag_string" if key == "tags" else key for key, value in case.record.items() if value}
        assert set(required) <= present, case.key
        assert terms.code_for(case.record["data_type"]) == case.data_type
        if case.key.endswith("minimal"):
            assert present - set(required) <= {"id", "name", "type", "state", "metadata_modified"}, case.key
    assert records.real(), "no real record in ../shared/corpora/gdc_records"
