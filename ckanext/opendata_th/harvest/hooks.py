"""IPackageController work for harvest sources: the token masked where a source is shown or indexed."""

from __future__ import annotations

import json
from typing import Any

from ckanext.opendata_th.harvest import sourceconfig

HARVEST_TYPE = "harvest"


def _mask_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Masks in place: ckanext-harvest's show schema also copies config keys to the top level."""
    if data.get("type") != HARVEST_TYPE:
        return data
    if data.get("config"):
        data["config"] = sourceconfig.masked(data["config"])
    for key in sourceconfig.TOKEN_KEYS:
        if data.get(key):
            data[key] = sourceconfig.MASK
    return data


def after_dataset_show(data_dict: dict[str, Any]) -> dict[str, Any]:
    return _mask_dict(data_dict)


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The index (and so package_search) never holds a source's token."""
    if pkg_dict.get("dataset_type", pkg_dict.get("type")) != HARVEST_TYPE:
        return pkg_dict
    for key in ("data_dict", "validated_data_dict"):
        if isinstance(pkg_dict.get(key), str):
            pkg_dict[key] = json.dumps(_mask_dict(json.loads(pkg_dict[key])))
    if pkg_dict.get("config"):
        pkg_dict["config"] = sourceconfig.masked(pkg_dict["config"])
    for key in sourceconfig.TOKEN_KEYS:
        pkg_dict.pop(key, None)
        pkg_dict.pop(f"extras_{key}", None)
    return pkg_dict
