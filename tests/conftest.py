"""Shared test setup.

CKAN's pytest plugin unloads every plugin before the tests run; each test
module loads what it needs with the `with_plugins` fixture and the plugin
list below, which mirrors the production ini (config/ckan.ini.template).
"""

from __future__ import annotations

import pytest

PLUGINS = "opendata_th activity datastore dcat structured_data scheming_datasets scheming_organizations"


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db plus the migrations of the plugins we load (activity)."""
    reset_db()
    migrate_db_for("activity")
