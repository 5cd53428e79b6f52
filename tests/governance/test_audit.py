"""Public datasets that are not open, left from before the rules, are found and withdrawn."""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.lib import search
from click.testing import CliRunner

from ckanext.opendata_th.governance.cli import governance
from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, create_dataset, restricted_dataset
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _legacy_leak(app: Any, agency: Agency) -> None:
    """A personal-data dataset published by a site without the rules (written past the actions)."""
    dataset = restricted_dataset(app, agency, name="patients")
    package = model.Package.get(dataset["id"])
    package.private = False
    model.Session.commit()
    search.rebuild(package.id)


def test_check_lists_public_datasets_that_are_not_open_and_fails(app, agency):
    _legacy_leak(app, agency)
    create_dataset(app, agency, name="open-data")

    result = CliRunner().invoke(governance, ["check"])

    assert result.exit_code == 1
    assert "patients\tpersonal\tconfidential" in result.output
    assert "open-data" not in result.output
    assert model.Package.get("patients").private is False


def test_check_fix_makes_them_private(app, agency):
    _legacy_leak(app, agency)

    result = CliRunner().invoke(governance, ["check", "--fix"])

    assert result.exit_code == 0, result.output
    assert model.Package.get("patients").private is True
    assert api_get(app, "package_list")["result"] == []
    assert CliRunner().invoke(governance, ["check"]).exit_code == 0


def test_check_passes_on_a_clean_catalogue(app, agency):
    restricted_dataset(app, agency, name="patients")
    create_dataset(app, agency, name="open-data")
    result = CliRunner().invoke(governance, ["check"])
    assert result.exit_code == 0
    assert "No public dataset" in result.output
