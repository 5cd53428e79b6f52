"""HVDs in search: what is indexed, and the facets that find them.

`high_value_dataset` is indexed as "true"/"false" however it was stored,
and the categories go to `vocab_hvd_category`, one of CKAN's multi-valued
string fields, so a dataset in two categories counts in both facets.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ckanext.opendata_th.hvd import flags

CATEGORY_INDEX = "vocab_hvd_category"


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict[flags.FLAG] = "true" if flags.is_hvd(pkg_dict) else "false"
    pkg_dict[CATEGORY_INDEX] = flags.category_codes(pkg_dict)
    # The raw values (JSON lists) would land in a single-valued field; the
    # normalised copies above are what search uses.
    pkg_dict.pop(flags.CATEGORY, None)
    pkg_dict.pop(flags.LEGISLATION, None)
    return pkg_dict


def dataset_facets(facets: OrderedDict[str, Any], package_type: str) -> OrderedDict[str, Any]:
    """Add the HVD flag and category facets (titles translated by CKAN's _ in the template)."""
    facets[flags.FLAG] = "High-value dataset"
    facets[CATEGORY_INDEX] = "HVD category"
    return facets
