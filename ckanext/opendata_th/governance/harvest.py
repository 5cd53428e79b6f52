"""What the central catalogue may take from a dataset (GD Catalog's `allow_harvest`).

A public, open dataset is always harvested in full.  For any other dataset
`allow_harvest` is the agency's consent to list its metadata, and never its
resources or data, in the central inventory of government data
(บัญชีข้อมูลภาครัฐ).  Harvesters and exporters call these functions with a
`package_show` dict; they never read `allow_harvest` themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ckanext.opendata_th.governance import rules

HarvestScope = Literal["full", "metadata_only", "none"]

# Dataset fields that describe or point to data rather than describe the
# dataset; a metadata-only record leaves them out (`url` is the dataset's
# link to where its data is: "no links to the data").
_DATA_FIELDS = ("resources", "num_resources", "url")

# Classified information (ข้อมูลลับ under the Official Information Act's security rules): not merely
# internal.  Not even its metadata may be kept by a catalogue that is not its agency's.
CLASSIFIED = frozenset({"confidential", "secret", "top_secret"})


def is_published(dataset: Mapping[str, Any]) -> bool:
    """Active, public and open: what anyone may see, download and receive (DCAT, HVD, harvest).

    A public record that is not open (legacy data) is not published.
    """
    if dataset.get("state", "active") != "active" or rules.as_bool(dataset.get("private")):
        return False
    if not rules.is_governed(dataset.get("type"), dataset):
        return True
    return rules.is_open(dataset.get(rules.CATEGORY), dataset.get(rules.CLASSIFICATION))


def harvest_scope(dataset: Mapping[str, Any]) -> HarvestScope:
    """ "full", "metadata_only" or "none" for a dataset dict (as package_show returns it)."""
    if dataset.get("state", "active") != "active":
        return "none"
    if is_published(dataset):
        return "full"
    governed = rules.is_governed(dataset.get("type"), dataset)
    return "metadata_only" if governed and rules.as_bool(dataset.get(rules.ALLOW_HARVEST)) else "none"


def is_classified(dataset: Mapping[str, Any]) -> bool:
    """Whether the dataset's classification is confidential, secret or top secret (any spelling)."""
    return rules.classification_code(dataset.get(rules.CLASSIFICATION)) in CLASSIFIED


def harvest_record(dataset: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a dataset the central catalogue may receive, or None for nothing."""
    scope = harvest_scope(dataset)
    if scope == "full":
        return dataset
    if scope == "metadata_only":
        return {key: value for key, value in dataset.items() if key not in _DATA_FIELDS}
    return None
