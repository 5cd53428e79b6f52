"""Auth: a harvested dataset is read-only centrally, except its curation fields.

The agency's catalogue is where a harvested dataset is edited; the next run
would overwrite a central edit anyway.  Central curators may change only
`CURATION_FIELDS` (and add the dataset to groups, which is group auth).
The harvester itself writes with `ignore_auth`.  Sysadmins are bound too
(for package_update by the chained action, see actions.py).
The harvest status is for sysadmins and the members of the source's agency.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthFunction, AuthResult, Context, DataDict
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.opendata_th.harvest import records
from ckanext.opendata_th.lib.i18n import bilingual

__all__ = [
    "harvest_object_list",
    "harvest_object_show",
    "opendata_th_harvest_status",
    "package_delete",
    "package_update",
    "resource_create",
    "resource_delete",
    "resource_update",
]

# Fields the central catalogue curates on a harvested dataset; the harvester keeps them on update.
CURATION_FIELDS = frozenset({"groups"})
# Keys that identify the dataset or are bookkeeping, not content.
_IGNORED = frozenset(
    {"id", "name", "metadata_modified", "metadata_created", "revision_id", "state", "__extras", "save", "_ckan_phase"}
)


def read_only_error() -> str:
    return bilingual(
        "This dataset is harvested from an agency catalogue and is read-only here; edit it at its source. "
        "Only these fields may be changed centrally: %(fields)s",
        fields=", ".join(sorted(CURATION_FIELDS)),
    )


def _norm(value: Any) -> Any:
    if value in (None, "", [], {}):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return sorted(json.dumps(_norm(item), sort_keys=True, ensure_ascii=False) for item in value)
    if isinstance(value, dict):
        if "name" in value and set(value) <= {"name", "id", "display_name", "state", "vocabulary_id"}:
            return value["name"]  # tags as sent or as shown
        return {key: _norm(item) for key, item in value.items() if key not in ("id", "package_id", "position")}
    return str(value).strip().lower() if str(value).strip().lower() in ("true", "false") else str(value).strip()


def changed_fields(data_dict: DataDict, stored: dict[str, Any]) -> set[str]:
    """Keys of `data_dict` whose value differs from the stored dataset's (loosely: as a form would send it)."""
    return {
        key
        for key, value in data_dict.items()
        if key not in _IGNORED and not key.startswith("_") and _norm(value) != _norm(stored.get(key))
    }


def _harvested(data_dict: DataDict) -> model.Package | None:
    ref = data_dict.get("id") or data_dict.get("name")
    package = model.Package.get(ref) if ref else None
    return package if package is not None and records.is_harvested(package.id) else None


def _edits_harvested(data_dict: DataDict) -> bool:
    """Whether `data_dict` would change more than curation fields of a harvested dataset."""
    package = _harvested(data_dict)
    if package is None:
        return False
    stored = tk.get_action("package_show")({"ignore_auth": True, "use_cache": False}, {"id": package.id})
    return bool(changed_fields(data_dict, stored) - CURATION_FIELDS)


def refuse_central_edit(data_dict: DataDict) -> None:
    """NotAuthorized for an edit of a harvested dataset beyond its curation fields."""
    if _edits_harvested(data_dict):
        raise tk.NotAuthorized(read_only_error())


@tk.chained_auth_function
@tk.auth_sysadmins_check
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if _edits_harvested(data_dict):
        return {"success": False, "msg": read_only_error()}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def package_delete(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if _harvested(data_dict) is not None:
        return {"success": False, "msg": read_only_error()}
    return next_auth(context, data_dict)


def _resource_package(data_dict: DataDict) -> model.Package | None:
    package_id = data_dict.get("package_id")
    if not package_id and data_dict.get("id"):
        resource = model.Resource.get(data_dict["id"])
        package_id = resource.package_id if resource is not None else None
    package = model.Package.get(package_id) if package_id else None
    return package if package is not None and records.is_harvested(package.id) else None


def _resource_guard(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if _resource_package(data_dict) is not None:
        return {"success": False, "msg": read_only_error()}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def resource_create(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _resource_guard(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def resource_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _resource_guard(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def resource_delete(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _resource_guard(next_auth, context, data_dict)


def _agency_member(source_id: str | None, user: str | None) -> bool:
    """Whether `user` is a member of the agency that owns the harvest source."""
    package = model.Package.get(source_id) if source_id else None
    return bool(
        package is not None
        and package.owner_org
        and user
        and authz.has_user_permission_for_group_or_org(package.owner_org, user, "read")
    )


def opendata_th_harvest_status(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins (let through by CKAN) and members of the source's agency."""
    source = HarvestSource.get(str(data_dict.get("id") or ""))
    if _agency_member(source.id if source is not None else None, context.get("user")):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the source's agency and sysadmins may see its harvest status")}


def _object_source_id(data_dict: DataDict) -> str | None:
    """The harvest source of the object asked for, by object id or by the dataset it made."""
    if data_dict.get("id"):
        obj = HarvestObject.get(str(data_dict["id"]))
        return str(obj.harvest_source_id) if obj is not None else None
    package = model.Package.get(str(data_dict.get("dataset_id") or "")) if data_dict.get("dataset_id") else None
    if package is None:
        return None
    obj = model.Session.query(HarvestObject).filter(HarvestObject.package_id == package.id).first()
    return str(obj.harvest_source_id) if obj is not None else None


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def harvest_object_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """ckanext-harvest shows a harvest object to everybody; it holds the agency's record as received.

    That record may be a metadata-only inventory entry, so it is for the
    source's agency and sysadmins only, like the harvest status.
    """
    if not _agency_member(_object_source_id(data_dict), context.get("user")):
        return {"success": False, "msg": bilingual("Only the source's agency and sysadmins may see harvested records")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_object_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Every object id of every source: sysadmins only (CKAN lets them through before this)."""
    return {"success": False, "msg": bilingual("Only sysadmins may list harvested records")}
