"""A remote dataset dict -> the dict the central catalogue saves.

Agency catalogues running this extension send codes; GD Catalog instances
send Thai display strings ("ข้อมูลสาธารณะ", "ปี").  Both go through the
gdc room's cell reader (`gdc.values`), the one place display values become
codes, so a harvested record and an imported spreadsheet row agree.  Only
fields the central schema knows are kept: remote ids, organizations,
groups, extras and bookkeeping never cross over.
"""

from __future__ import annotations

import json
from typing import Any

from ckanext.opendata_th.gdc import compat, template, values
from ckanext.opendata_th.governance import publishing

# The central catalogue decides these itself (agency = the source's, privacy
# from governance, names unique centrally).
_CENTRAL_FIELDS = frozenset({"owner_org", "name", "id"})
_RESOURCE_DROP = frozenset({"id", "package_id", "url_type", "position", "datastore_active", "created"})


def _as_list(value: Any) -> list[str]:
    """A multiple-choice value as GD Catalog may send it: a list, JSON text or "a, b"."""
    if isinstance(value, list):
        return [str(item) for item in value if item not in (None, "")]
    text = str(value or "").strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        if isinstance(loaded, list):
            return [str(item) for item in loaded if item not in (None, "")]
    return values.split_list(text)


def _to_codes(field: dict[str, Any], value: Any, companion: bool) -> dict[str, Any]:
    """The keys a remote value sets, codes in place of display strings (unchanged when already codes)."""
    field_kind = values.kind(field)
    if field_kind is values.Kind.MULTI:
        return values.read(field, ", ".join(_as_list(value)), companion)
    if field_kind in (values.Kind.CHOICE, values.Kind.DATE):
        try:
            return values.read(field, value, companion)
        except values.CellError:
            return {field["field_name"]: value}  # the central schema reports it for this record
    return {field["field_name"]: value}


def _mapped_fields(remote: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    names = {field["field_name"] for field in fields}
    data: dict[str, Any] = {}
    for field in fields:
        name = field["field_name"]
        if name in _CENTRAL_FIELDS or name not in remote or (name.endswith("_other") and name[:-6] in names):
            continue
        companion = f"{name}_other" in names
        mapped = _to_codes(field, remote[name], companion)
        # A companion is only set when the remote value was unknown; otherwise the remote's own text stays.
        if companion and not mapped.get(f"{name}_other"):
            mapped.pop(f"{name}_other", None)
            if remote.get(f"{name}_other"):
                mapped[f"{name}_other"] = remote[f"{name}_other"]
        data.update(mapped)
    return data


def _resource(remote: dict[str, Any]) -> dict[str, Any]:
    names = {field["field_name"] for field in template.resource_fields()} | {"url", "name", "format"}
    names.add(compat.MIGRATION_NOTE)
    resource = {key: value for key, value in remote.items() if key in names and key not in _RESOURCE_DROP}
    resource.update(_mapped_fields(remote, template.resource_fields()))
    return resource


def _kept_extras(remote: dict[str, Any]) -> list[dict[str, Any]]:
    """The extras that carry the record's own metadata: unmapped 1.x keys and a defaulted classification."""
    kept = compat.legacy_keys() | {publishing.DEFAULTED_CLASSIFICATION}
    return [extra for extra in remote.get("extras") or [] if isinstance(extra, dict) and extra.get("key") in kept]


def central_dict(remote: dict[str, Any]) -> dict[str, Any]:
    """What the central catalogue saves from a remote dataset (before agency and privacy).

    The record is first read as GD Catalog stores it (`gdc.compat`) and its
    classification defaulted as a package_create here would, so the harvest
    scope is decided on what will be saved.
    """
    remote = compat.normalised(remote)
    data = _mapped_fields(remote, template.dataset_fields())
    data["type"] = "dataset"
    data = publishing.with_default_classification(dict(data, extras=_kept_extras(remote)), None)
    if not data["extras"]:
        data.pop("extras")
    tags = remote.get("tags")
    if isinstance(tags, list):
        data["tags"] = [{"name": tag["name"] if isinstance(tag, dict) else str(tag)} for tag in tags if tag]
    data.pop("tag_string", None)
    if "resources" in remote:
        data["resources"] = [_resource(resource) for resource in remote.get("resources") or []]
    if "private" in remote:
        data.setdefault("private", remote["private"])  # a defaulted classification may have made it private
    if "state" in remote:
        data["state"] = remote["state"]
    return data
