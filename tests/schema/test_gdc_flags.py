"""GD Catalog's Yes/No flags are read in every spelling live records carry (issue 14)."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.opendata_th.schema import values
from tests.conftest import PLUGINS
from tests.factories import dataset_dict

SPELLINGS = [
    ("1", "true"),
    ("0", "false"),
    (1, "true"),
    (0, "false"),
    ("True", "true"),
    ("False", "false"),
    ("true", "true"),
    ("false", "false"),
    ("TRUE", "true"),
    (True, "true"),
    (False, "false"),
    ("ใช่", "true"),
    ("ไม่ใช่", "false"),
]


@pytest.mark.parametrize(("given", "code"), SPELLINGS)
def test_every_gd_catalog_flag_spelling_reads_as_a_code(given, code):
    assert values.to_code("yes_no", given) == code


@pytest.mark.parametrize("given", ["", None])
def test_an_empty_flag_is_not_given(given):
    assert values.to_code("yes_no", given) is None


def test_an_unknown_flag_is_still_not_a_code():
    assert values.to_code("yes_no", "maybe") is None


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize(("given", "code"), [("1", "true"), ("0", "false"), (True, "true"), ("ไม่ใช่", "false")])
def test_package_create_stores_a_numeric_flag_as_its_code(given, code, sysadmin):
    created = helpers.call_action(
        "package_create",
        {"user": sysadmin["name"]},
        **dataset_dict(name=f"flag-{code}", high_value_dataset=given),
    )

    assert created["high_value_dataset"] == code
    assert helpers.call_action("package_show", id=created["id"])["high_value_dataset"] == code
