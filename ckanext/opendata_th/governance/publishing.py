"""What may be saved: the write side of the classification rules.

`checked_dataset` runs before package_create and package_update (and so
before package_patch, package_revise, resource changes, the dataset form
and bulk make-public, which all end in package_update).  It rejects a
classification the category does not allow and a non-open dataset that
would end up public, and marks every public dataset harvestable.  It never
makes a dataset public: publishing is the data officer's explicit act.

Before the checks the record is read as GD Catalog stores it
(`gdc.compat.normalised`), and a missing classification gets its default
(`with_default_classification`): GD Catalog 2.1 has no classification at all.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_th import vocab
from ckanext.opendata_th.gdc import compat
from ckanext.opendata_th.governance import access, rules
from ckanext.opendata_th.lib.i18n import bilingual

# The extra that records a defaulted classification, for the dataset's
# history and the quality report: its value says which level and why.
DEFAULTED_CLASSIFICATION = "data_classification_defaulted"


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


def lowest_classification(category: Any) -> str | None:
    """The least restrictive level the category allows (open for public data); None if unknown."""
    allowed = rules.allowed_classifications(category)
    if not allowed:
        return None
    order = vocab.get(rules.CLASSIFICATION).codes
    return min(allowed, key=order.index)


def _stored_classification(existing: model.Package | None, category: Any) -> str | None:
    """The stored classification when the category still allows it.

    A client that does not know the field (GD Catalog 2.1, an old form)
    must not lower a dataset's level by leaving it out of an update.
    """
    if existing is None:
        return None
    stored = rules.classification_code((existing.extras or {}).get(rules.CLASSIFICATION))
    return stored if stored in rules.allowed_classifications(category) else None


def _defaulted_note(category: str, classification: str) -> str:
    return bilingual(
        'The data classification was not given; it was set to "%(classification)s", '
        'the lowest level data category "%(category)s" allows.',
        classification=rules.display(rules.CLASSIFICATION, classification),
        category=rules.display(rules.CATEGORY, category),
    )


def _without_defaulted_note(extras: Any) -> list[Any]:
    return [
        extra
        for extra in extras or []
        if not (isinstance(extra, dict) and extra.get("key") == DEFAULTED_CLASSIFICATION)
    ]


def _without_stale_default(data_dict: dict[str, Any], existing: model.Package | None) -> dict[str, Any]:
    """Once someone sets a level other than the stored (defaulted) one, the default note goes."""
    if existing is None or not data_dict.get("extras"):
        return data_dict
    stored = rules.classification_code((existing.extras or {}).get(rules.CLASSIFICATION))
    if rules.classification_code(data_dict.get(rules.CLASSIFICATION)) == stored:
        return data_dict
    return dict(data_dict, extras=_without_defaulted_note(data_dict["extras"]))


def with_default_classification(data_dict: dict[str, Any], existing: model.Package | None) -> dict[str, Any]:
    """`data_dict` with its missing classification filled in.

    Public data may only be open, so it is open and may stay public.  Any
    other category gets the lowest level it allows and the dataset is made
    private (never public on a guess).  The default is recorded in the
    extra DEFAULTED_CLASSIFICATION, which the dataset's activity snapshot
    carries.  A missing or unknown category is left to the schema's error.
    """
    dataset_type = data_dict.get("type") or (existing.type if existing is not None else None)
    if not rules.is_governed(dataset_type, data_dict):
        return data_dict
    if data_dict.get(rules.CLASSIFICATION) not in (None, ""):
        return _without_stale_default(data_dict, existing)
    category = rules.category_code(data_dict.get(rules.CATEGORY))
    if category is None:
        return data_dict
    stored = _stored_classification(existing, category)
    if stored is not None:
        return dict(data_dict, **{rules.CLASSIFICATION: stored})
    level = lowest_classification(category)
    if level is None:
        return data_dict
    extras = _without_defaulted_note(data_dict.get("extras"))
    extras.append({"key": DEFAULTED_CLASSIFICATION, "value": _defaulted_note(category, level)})
    defaulted = dict(data_dict, extras=extras, **{rules.CLASSIFICATION: level})
    if not rules.is_open(category, level):
        defaulted["private"] = True
    return defaulted


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
    data_dict = with_default_classification(compat.normalised(data_dict), existing)
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
