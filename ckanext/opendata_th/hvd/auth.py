"""Who may flag datasets as high-value, and who may read their compliance.

Declaring a dataset high-value commits the government to publish it openly,
through an API and on time, so it is not every editor's call: sysadmins
(CKAN lets them through before these functions run) and the users with the
configured role.  The role is a capacity in the dataset's agency
(`ckanext.opendata_th.hvd.flag_role`, default `editor`: GD Catalog lets an
agency declare its own HVDs, and its workbooks, imported by editors, carry
the flag; a site tightens it to `admin`) or, when
`ckanext.opendata_th.hvd.flag_organization` names one, membership with that
capacity in a coordinating organization (e.g. the national HVD office),
which may then flag any agency's datasets.
"""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["opendata_th_hvd_compliance", "opendata_th_hvd_flag", "opendata_th_hvd_report"]

ROLE_CONFIG = "ckanext.opendata_th.hvd.flag_role"
ORGANIZATION_CONFIG = "ckanext.opendata_th.hvd.flag_organization"

# Capacities from the strongest down: a role admits itself and every stronger one.
_CAPACITIES = ("admin", "editor", "member")


def _capacities(role: str) -> tuple[str, ...]:
    if role not in _CAPACITIES:
        return ("admin",)
    return _CAPACITIES[: _CAPACITIES.index(role) + 1]


def _has_role(user: str, organization: str | None, role: str) -> bool:
    if not organization:
        return False
    return authz.users_role_for_group_or_org(organization, user) in _capacities(role)


def opendata_th_hvd_flag(context: Context, data_dict: DataDict) -> AuthResult:
    """Set or change `high_value_dataset`, `hvd_category` or `applicable_legislation`.

    data_dict: `owner_org` (the dataset's agency, id or name).
    """
    user = context.get("user")
    role = tk.config.get(ROLE_CONFIG) or "editor"
    if user and (
        _has_role(user, data_dict.get("owner_org"), role) or _has_role(user, tk.config.get(ORGANIZATION_CONFIG), role)
    ):
        return {"success": True}
    return {
        "success": False,
        "msg": bilingual("Only sysadmins and agency %(role)ss may mark a dataset as high-value", role=role),
    }


@tk.auth_allow_anonymous_access
def opendata_th_hvd_compliance(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset may read its compliance."""
    return authz.is_authorized("package_show", context, {"id": data_dict.get("id")})


@tk.auth_allow_anonymous_access
def opendata_th_hvd_report(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: the report lists only the datasets the caller's search returns."""
    return {"success": True}
