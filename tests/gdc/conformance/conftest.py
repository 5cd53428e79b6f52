"""The harvest tests' central catalogue and GD Catalog-shaped source, reused as they are."""

from tests.harvest.conftest import central, clean_db  # noqa: F401
from tests.harvest.test_gdc_source import gd_catalog  # noqa: F401
