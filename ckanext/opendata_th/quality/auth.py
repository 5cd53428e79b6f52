"""Who may read a dataset's quality score, and who may have it scored again."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["opendata_th_quality_score", "opendata_th_quality_show"]


@tk.auth_allow_anonymous_access
def opendata_th_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset may read its score."""
    return authz.is_authorized("package_show", context, {"id": data_dict.get("id")})


def opendata_th_quality_score(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may edit the dataset may have it scored again (link checks cost requests)."""
    return authz.is_authorized("package_update", context, {"id": data_dict.get("id")})
