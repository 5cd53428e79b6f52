"""What the central catalogue may take from a dataset (GD Catalog's `allow_harvest`).

A public, open dataset is always harvested in full.  For any other dataset
`allow_harvest` is the agency's consent to list its metadata, and never its
resources or data, in the central inventory of government data
(บัญชีข้อมูลภาครัฐ).  Harvesters and exporters call these functions with a
`package_show` dict; they never read `allow_harvest` themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

from ckanext.opendata_th.governance import publishing, rules

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


def harvest_record(dataset: dict[str, Any], scope: HarvestScope | None = None) -> dict[str, Any] | None:
    """The part of a dataset the central catalogue may receive, or None for nothing.

    `scope` is the scope already decided for it (`remote_decision`); by default `harvest_scope`.
    """
    scope = scope or harvest_scope(dataset)
    if scope == "full":
        return dataset
    if scope == "metadata_only":
        return {key: value for key, value in dataset.items() if key not in _DATA_FIELDS}
    return None


# Why a remote record is not taken in full (`RemoteDecision.reason`).
Reason = Literal["deleted", "classified", "no_consent", "private"]


@dataclasses.dataclass(frozen=True)
class RemoteDecision:
    """What the central catalogue takes of an agency's record, and why not more.

    `classification` is the level decided on (a code, or None when unknown);
    `classification_defaulted` says the record carried none and the level is
    the default its category gives (GD Catalog 2.1 has no classification).
    """

    scope: HarvestScope
    reason: Reason | None
    category: str | None
    classification: str | None
    classification_defaulted: bool
    public_at_source: bool

    @property
    def made_private(self) -> bool:
        """Public at the source, private (metadata only) here."""
        return self.public_at_source and self.scope == "metadata_only"


def _defaulted_here(dataset: Mapping[str, Any]) -> bool:
    """Whether the record's classification is the default governance gave it (`publishing`'s note)."""
    return any(
        isinstance(extra, Mapping) and extra.get("key") == publishing.DEFAULTED_CLASSIFICATION
        for extra in dataset.get("extras") or []
    )


def remote_decision(dataset: Mapping[str, Any], public_at_source: bool | None = None) -> RemoteDecision:
    """The harvest scope of an agency's record (as `harvest.mapping` gives it), with its reason.

    Unlike `harvest_scope` (stored datasets), a record with no classification
    is judged by the level its category defaults to
    (`publishing.with_default_classification`), so a public GD Catalog 2.1
    record stays public here and is never skipped for lacking a field.
    `public_at_source` is the record's own privacy, when the mapped dict's
    may already be the default's.
    """
    given = dataset.get(rules.CLASSIFICATION)
    if given in (None, ""):
        dataset = publishing.with_default_classification(dict(dataset), None)
    defaulted = _defaulted_here(dataset)
    category = rules.category_code(dataset.get(rules.CATEGORY))
    classification = rules.classification_code(dataset.get(rules.CLASSIFICATION))
    if public_at_source is None:
        public_at_source = not rules.as_bool(dataset.get("private"))
    scope = harvest_scope(dataset)
    reason: Reason | None = None
    if dataset.get("state", "active") != "active":
        reason = "deleted"
    elif scope == "none" and classification in CLASSIFIED:
        reason = "classified"
    elif scope == "none":
        governed = rules.is_governed(dataset.get("type"), dataset)
        reason = "no_consent" if governed and not rules.is_open(category, classification) else "private"
    return RemoteDecision(scope, reason, category, classification, defaulted, public_at_source)
