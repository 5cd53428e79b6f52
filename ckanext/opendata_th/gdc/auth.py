"""Who may import and export GD Catalog workbooks.

Importing writes datasets into an agency, so it takes the right to create
datasets there (the agency's editors and admins); an import's status and
report are for the same people.  Exporting one agency is for its members,
and the whole catalogue for sysadmins (CKAN lets sysadmins through every
auth function before these run).  What an export contains is limited again
by the user's own permissions (see exporter.py).
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
from ckan.types import AuthResult, Context, DataDict

from ckanext.opendata_th.gdc import status
from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["opendata_th_gdc_export", "opendata_th_gdc_import", "opendata_th_gdc_import_status"]


def _org_permission(context: Context, org_ref: Any, permission: str) -> AuthResult:
    user = context.get("user")
    if not user or not org_ref:
        return {"success": False, "msg": bilingual("Only agency staff may do this")}
    if authz.has_user_permission_for_group_or_org(str(org_ref), user, permission):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only agency staff may do this")}


def opendata_th_gdc_import(context: Context, data_dict: DataDict) -> AuthResult:
    return _org_permission(context, data_dict.get("owner_org"), "create_dataset")


def opendata_th_gdc_import_status(context: Context, data_dict: DataDict) -> AuthResult:
    info = status.get(str(data_dict.get("id") or ""), with_rows=False)
    if info is None:
        # The same answer as for someone else's import: ids are not discoverable.
        return {"success": False, "msg": bilingual("Only agency staff may do this")}
    return _org_permission(context, info["org_id"], "create_dataset")


def opendata_th_gdc_export(context: Context, data_dict: DataDict) -> AuthResult:
    # Whole-catalogue exports are sysadmins' (who never reach this function).
    return _org_permission(context, data_dict.get("owner_org"), "read")
