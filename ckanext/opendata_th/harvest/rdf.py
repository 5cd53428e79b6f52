"""DCAT-AP sources (ckanext-dcat's RDF harvester): what DCAT-AP cannot carry.

Our profile's `parse_dataset` maps DCAT-AP back to the schema, but DCAT-AP
has no data type, objective or geographic coverage, which the metadata
standard requires.  The agency states them once in the source's config
(`"defaults": {"data_type": "statistical", "objective": ["agency_mission"],
"geo_coverage": "country"}`); a value the record itself carries wins.  The
dataset's formats are read from its distributions.
"""

from __future__ import annotations

import json
from typing import Any

from ckanext.opendata_th import vocab


def _defaults(config: str | None) -> dict[str, Any]:
    try:
        raw = json.loads(config or "{}")
    except ValueError:
        return {}
    defaults = raw.get("defaults") if isinstance(raw, dict) else None
    return defaults if isinstance(defaults, dict) else {}


def complete(dataset_dict: dict[str, Any], source_config: str | None) -> None:
    """Fills, in place, required fields DCAT-AP left empty (before the record is validated)."""
    for key, value in _defaults(source_config).items():
        if dataset_dict.get(key) in (None, "", []):
            dataset_dict[key] = value
    if not dataset_dict.get("data_format"):
        formats = vocab.get("data_format")
        codes = [formats.code_for(str(r.get("format") or "")) for r in dataset_dict.get("resources") or []]
        found = [code for code in formats.codes if code in codes]
        if found:
            dataset_dict["data_format"] = found
