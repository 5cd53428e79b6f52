"""What may be saved: the write side of the classification rules.

`checked_dataset` runs before package_create and package_update (and so
before package_patch, package_revise, resource changes, the dataset form
and bulk make-public, which all end in package_update).  It rejects a
classification the category does not allow and a non-open dataset that
would end up public, and marks every public dataset harvestable.  It never
changes `private` itself: publishing is the data officer's explicit act.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_th.governance import access, rules


def _final_private(data_dict: dict[str, Any], existing: model.Package | None) -> bool:
    """`private` after the save, read exactly as CKAN's schema will read it.

    CKAN keeps the stored value when the key is absent or None
    (`ignore_missing`) and otherwise applies `boolean_validator`, for which
    anything but a few true spellings (even "" or "on") means public.
    """
    value = data_dict.get("private")
    if value is None:
        return bool(existing.private) if existing is not None else False
    return rules.as_bool(value)


def governance_errors(data_dict: dict[str, Any], existing: model.Package | None) -> dict[str, list[str]]:
    """Bilingual errors by field for a dataset about to be saved (empty when it may be)."""
    dataset_type = data_dict.get("type") or (existing.type if existing is not None else None)
    if not rules.is_governed(dataset_type, data_dict):
        return {}
    # Absent fields count as absent: scheming replaces all extras on update.
    category = data_dict.get(rules.CATEGORY)
    classification = data_dict.get(rules.CLASSIFICATION)
    errors: dict[str, list[str]] = {}
    mismatch = rules.classification_error(category, classification)
    if mismatch:
        errors[rules.CLASSIFICATION] = [mismatch]
    if not _final_private(data_dict, existing) and not rules.is_open(category, classification):
        errors["private"] = [rules.public_error(category, classification)]
    return errors


def checked_dataset(data_dict: dict[str, Any], existing: model.Package | None) -> dict[str, Any]:
    """`data_dict` ready to save, or ValidationError with bilingual messages.

    A public, open dataset is always harvestable, as in GD Catalog: its
    allow_harvest is forced to true.
    """
    errors = governance_errors(data_dict, existing)
    if errors:
        raise tk.ValidationError(errors)
    dataset_type = data_dict.get("type") or (existing.type if existing is not None else None)
    if rules.is_governed(dataset_type, data_dict) and not _final_private(data_dict, existing):
        return dict(data_dict, **{rules.ALLOW_HARVEST: True})
    return data_dict


def existing_package(data_dict: dict[str, Any]) -> model.Package | None:
    """The stored dataset package_update will change (looked up as CKAN does)."""
    name_or_id = data_dict.get("id") or data_dict.get("name")
    return model.Package.get(name_or_id) if name_or_id else None


def blocked_from_public(dataset_ids: list[str], org_id: str | None) -> list[str]:
    """Names of the datasets a bulk make-public would publish although they are not open.

    Matches the datasets as CKAN's bulk update does: by id, within the organization.
    """
    if not dataset_ids:
        return []
    packages = (
        model.Session.query(model.Package)
        .filter(model.Package.id.in_(dataset_ids))
        .filter(model.Package.owner_org == org_id)
    )
    return sorted(package.name for package in packages if access.is_restricted(package))
