"""Reading the HVD fields of a dataset dict (as package_show returns it).

The dict may come straight from package_show (lists) or from an index or a
form (JSON strings, "true"/"on"); every reader here accepts both, so callers
never parse the fields themselves.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic.validators import boolean_validator

from ckanext.opendata_th.hvd import categories
from ckanext.opendata_th.schema.values import split_values

FLAG = "high_value_dataset"
CATEGORY = "hvd_category"
LEGISLATION = "applicable_legislation"

LEGISLATION_CONFIG = "ckanext.opendata_th.hvd.default_legislation"
EU_HVD_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


def as_list(value: Any) -> list[str]:
    """A multiple value as a list of non-empty strings (list, JSON list or one string).

    A plain string of URLs (as a form sends legislation) splits on whitespace.
    """
    if value is None:
        return []
    if isinstance(value, str) and value.strip().startswith("http"):
        return value.split()
    if not isinstance(value, str | list | tuple):
        return [str(value)]
    return [str(item) for item in split_values(value) if item]


def as_bool(value: Any) -> bool:
    """A flag as CKAN's boolean_validator reads it ("true", "yes", "on", True...)."""
    return bool(boolean_validator(value, {}))


def is_hvd(dataset: dict[str, Any]) -> bool:
    return as_bool(dataset.get(FLAG))


def category_codes(dataset: dict[str, Any]) -> list[str]:
    """The dataset's category codes that the site knows, in list order."""
    given = {categories.code_for(value) for value in as_list(dataset.get(CATEGORY))}
    return [category.code for category in categories.all_categories() if category.code in given]


def default_legislation() -> list[str]:
    return as_list(tk.config.get(LEGISLATION_CONFIG) or EU_HVD_REGULATION)


def legislation(dataset: dict[str, Any]) -> list[str]:
    """The dataset's applicable legislation; the site default for an HVD that names none.

    A non-HVD dataset keeps only what it states: the HVD regulation applies
    to HVDs alone.
    """
    given = as_list(dataset.get(LEGISLATION))
    if given or not is_hvd(dataset):
        return given
    return default_legislation()
