"""Auth functions (AUTH_MODULES) for the schema's actions."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["opendata_th_dataset_recommendations"]


@tk.auth_allow_anonymous_access
def opendata_th_dataset_recommendations(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset may read its recommendations."""
    return authz.is_authorized("package_show", context, {"id": data_dict.get("id")})
