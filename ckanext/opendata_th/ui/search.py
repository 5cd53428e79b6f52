"""Facets of the public catalogue: what is indexed for them and how they read.

Chained after the HVD room's hooks in plugin.py.  "Has API" means that a
resource of the dataset is in the DataStore (its data can be queried through
the DataStore API); the ministry is the dataset's agency's `ministry`.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang
from flask import has_request_context

from ckanext.opendata_th import vocab

HAS_API = "has_api"
MINISTRY = "ministry"

# Facet field -> (title msgid, vocabulary whose labels name the items).
# Titles are translated when the search page asks for them, in its language.
FACETS: dict[str, tuple[str, str | None]] = {
    "data_type": ("Data type", "data_type"),
    "data_category": ("Data category", "data_category"),
    "groups": ("Groups", None),
    "organization": ("Agencies", None),
    MINISTRY: ("Ministry", "ministry"),
    "res_format": ("Formats", None),
    "license_id": ("Licenses", None),
    "high_value_dataset": ("High-value dataset", "yes_no"),
    "vocab_hvd_category": ("HVD category", "hvd_category"),
    HAS_API: ("Has API", "yes_no"),
    "tags": ("Tags", None),
}

# Flags are indexed as "true"/"false"; yes_no's codes are "true"/"false" too.
_FLAG_FACETS = ("high_value_dataset", HAS_API)


def has_api(resources: list[dict[str, Any]]) -> bool:
    return any(tk.asbool(resource.get("datastore_active")) for resource in resources)


def _ministry_of(owner_org: str | None) -> str | None:
    if not owner_org:
        return None
    agency = model.Group.get(owner_org)
    return agency.extras.get(MINISTRY) if agency is not None else None


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    # The resources are already flattened into res_* fields here; the
    # dataset dict CKAN stores in the index still has them whole.
    resources = json.loads(pkg_dict.get("data_dict") or "{}").get("resources") or []
    pkg_dict[HAS_API] = "true" if has_api(resources) else "false"
    ministry = _ministry_of(pkg_dict.get("owner_org"))
    if ministry:
        pkg_dict[MINISTRY] = ministry
    return pkg_dict


def dataset_facets(facets: OrderedDict[str, Any], package_type: str) -> OrderedDict[str, Any]:
    """The catalogue's facets in reading order; facets other rooms add come after."""
    ordered: OrderedDict[str, Any] = OrderedDict((name, tk._(title)) for name, (title, _vocab) in FACETS.items())
    for name, title in facets.items():
        ordered.setdefault(name, tk._(title) if isinstance(title, str) else title)
    return ordered


def item_label(facet: str, value: str, lang: str) -> str | None:
    """The label of a facet item from its vocabulary; None if it has none."""
    vocabulary = FACETS.get(facet, ("", None))[1]
    if vocabulary is None:
        return None
    if facet in _FLAG_FACETS:
        value = "true" if tk.asbool(value) else "false"
    terms = vocab.get(vocabulary)
    return terms.label_of(value, lang) if value in terms else None


def _lang() -> str:
    """The request's language; the site's default outside a request (CLI, jobs, scripts)."""
    return get_lang() if has_request_context() else str(tk.config.get("ckan.locale_default") or "en")


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Facet items named by their vocabulary labels in the reader's language, not codes."""
    lang = _lang()
    for facet, found in (search_results.get("search_facets") or {}).items():
        for item in found.get("items", []):
            label = item_label(facet, item["name"], lang)
            if label is not None:
                item["display_name"] = label
    return search_results
