"""GD Catalog records as they are: the normalisation every way in applies once.

A record that GD Catalog 2.1 or 2.2.4 accepts must be accepted here, so
before validation a dataset dict goes through small phases that only
reshape what GD Catalog itself stores, never what it means:

1. 1.x keys still found in live records (`legacy_keys.yaml`) move to their
   2.x fields when the meaning is the same and the record does not give
   those fields; otherwise they stay extras.
2. Empty strings (and None) in GD Catalog fields mean "not given"
   (`data_collect: ""`, `first_year_of_data: ""`).
3. A resource uploaded to another catalogue (`url_type: upload` with that
   catalogue's absolute URL) has no file here: it keeps the original URL as
   an ordinary link, with a note saying so, never a link to a missing file.

Yes/No flags need no phase: every spelling GD Catalog stores ("1"/"0",
"True"/"False", "ใช่"/"ไม่ใช่", booleans) is a value of `vocab/yes_no.yaml`.
The classification default is governance's decision
(`governance.publishing.with_default_classification`), not a reshaping.

`normalised` is applied by governance's chained package_create and
package_update (so by the API, the form, the spreadsheet import and
resource changes) and by the harvest mapping before it decides a scope.
Applying it twice changes nothing.
"""

from __future__ import annotations

import functools
import importlib.resources
import urllib.parse
from typing import Any

import yaml

from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["MIGRATION_NOTE", "legacy_keys", "normalised"]

# The resource key holding the note on a migrated upload (a resource extra).
MIGRATION_NOTE = "gdc_migration_note"


@functools.cache
def _legacy_spec() -> dict[str, dict[str, Any]]:
    text = (importlib.resources.files(__package__) / "legacy_keys.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["keys"])


def legacy_keys() -> frozenset[str]:
    """The GD Catalog 1.x keys this catalogue knows (kept as extras when not mapped)."""
    return frozenset(_legacy_spec())


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- phase 1: 1.x keys ------------------------------------------------------------


def _mapped_legacy(key: str, value: Any) -> dict[str, Any] | None:
    """The 2.x fields a 1.x key's value sets, or None when it has no 2.x equivalent."""
    spec = _legacy_spec()[key]
    fields = spec.get("fields") or []
    if not fields:
        return None
    if "values" not in spec:
        return {fields[0]: value}
    mapped = spec["values"].get(str(value).strip())
    return dict(mapped) if mapped else None


def _with_legacy_keys(data: dict[str, Any]) -> dict[str, Any]:
    """1.x keys (top level or in `extras`) moved to their 2.x fields, or kept as extras."""
    extras: list[dict[str, Any]] = []
    legacy: dict[str, Any] = {}
    for extra in data.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") in _legacy_spec():
            legacy[extra["key"]] = extra.get("value")
        else:
            extras.append(extra)
    for key in _legacy_spec():
        if key in data:
            legacy.setdefault(key, data[key])
    if not legacy:
        return data
    result = {key: value for key, value in data.items() if key not in legacy}
    for key, value in legacy.items():
        if _is_empty(value):
            continue  # an empty 1.x key gives nothing
        mapped = _mapped_legacy(key, value)
        if mapped is not None and all(_is_empty(result.get(field)) for field in mapped):
            result.update(mapped)
        else:
            extras.append({"key": key, "value": value})
    if extras or "extras" in data:  # an update without `extras` must not clear the stored ones
        result["extras"] = extras
    return result


# --- phase 2: empty strings -------------------------------------------------------


def _gdc_fields(kind: str) -> frozenset[str]:
    """The schema's fields that CKAN stores as extras: GD Catalog's own metadata.

    CKAN's own columns (title, author, url...) are left alone: on
    package_update an absent column keeps its old value, so dropping their
    "" would stop a client from clearing them.
    """
    from ckan import model

    from ckanext.opendata_th.gdc import template

    if kind == "dataset":
        fields, columns = template.dataset_fields(), model.package_table.c.keys()
    else:
        fields, columns = template.resource_fields(), model.resource_table.c.keys()
    return frozenset(field["field_name"] for field in fields) - frozenset(columns)


def _without_empty(data: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """`data` without the GD Catalog fields it gives as "" or None ("not given")."""
    return {key: value for key, value in data.items() if key not in fields or not _is_empty(value)}


# --- phase 3: uploads from another catalogue --------------------------------------


def _is_elsewhere(url: Any, site_url: str) -> bool:
    """Whether `url` is absolute http(s) on another host than this catalogue's."""
    parts = urllib.parse.urlsplit(str(url or "").strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    here = urllib.parse.urlsplit(site_url).hostname
    return parts.hostname.lower() != (here or "").lower()


def _migration_note() -> str:
    return bilingual(
        "This file was uploaded to the catalogue the record came from; the link points to it there "
        "because its copy is not stored here."
    )


def _with_migrated_upload(resource: dict[str, Any], site_url: str) -> dict[str, Any]:
    """An upload whose file is on another catalogue as a link to it, with a note.

    A file uploaded here has a relative name (while it is being uploaded) or
    this site's own download URL, so it is never touched.
    """
    if resource.get("url_type") != "upload" or not _is_elsewhere(resource.get("url"), site_url):
        return resource
    return dict(resource, url_type="", **{MIGRATION_NOTE: _migration_note()})


def _site_url() -> str:
    import ckan.plugins.toolkit as tk

    return str(tk.config.get("ckan.site_url") or "")


# --- all phases -------------------------------------------------------------------


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """`data` as this catalogue reads a GD Catalog record (a new dict; `data` is unchanged)."""
    result = _without_empty(_with_legacy_keys(data), _gdc_fields("dataset"))
    resources = data.get("resources")
    if isinstance(resources, list):
        site_url, resource_fields = _site_url(), _gdc_fields("resource")
        result["resources"] = [
            _with_migrated_upload(_without_empty(resource, resource_fields), site_url)
            if isinstance(resource, dict)
            else resource
            for resource in resources
        ]
    return result
