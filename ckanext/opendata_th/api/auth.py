"""Auth functions of the API room (AUTH_MODULES).

Usage figures of a dataset are shown on its page, so whoever may read the
dataset may read them (package_show, which carries governance's rule); an
agency's summary is for its members.  Per-token quotas are a site setting:
sysadmins only.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

__all__ = ["opendata_th_api_token_limit", "opendata_th_api_usage"]


@tk.auth_allow_anonymous_access
def opendata_th_api_usage(context: Context, data_dict: DataDict) -> AuthResult:
    if data_dict.get("organization_id"):
        user = context.get("user")
        allowed = bool(user) and authz.has_user_permission_for_group_or_org(data_dict["organization_id"], user, "read")
        return {"success": allowed}
    try:
        tk.check_access("package_show", dict(context), {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


def opendata_th_api_token_limit(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": False}  # sysadmins pass before this is asked
