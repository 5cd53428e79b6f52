"""Shared test setup.

CKAN's pytest plugin unloads every plugin before the tests run; each test
module loads what it needs with the `with_plugins` fixture and the plugin
list below, which mirrors the production ini (config/ckan.ini.template).
"""

from __future__ import annotations

import pytest

PLUGINS = "opendata_th activity datastore dcat structured_data scheming_datasets scheming_organizations"
# The loaded plugins with database migrations of their own (opendata_th: quality scores).
MIGRATED_PLUGINS = ("activity", "opendata_th")


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db plus the migrations of the plugins we load (MIGRATED_PLUGINS)."""
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)
