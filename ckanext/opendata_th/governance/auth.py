"""Chained auth functions: members-only access to datasets that are not open.

package_show is the gate for reading: resource_show, resource_view_show
and resource_view_list, the resource download view, the file download
route (files owned by a dataset or resource), datastore_search,
datastore_info, datastore_search_sql and the DataStore dump all ask it.
package_update is the gate for writing (resource and DataStore writes ask
it too); an outside collaborator could otherwise read the dataset back
from the update's answer.  Sysadmins pass, as everywhere in CKAN.
A harvested inventory entry (metadata only) is also shown to government
users (`inventory`), by package_show only.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.logic.auth import get_package_object
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.opendata_th.governance import access, inventory, publishing, rules

__all__ = ["bulk_update_public", "package_show", "package_update"]


def _members_only(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    package = get_package_object(context, data_dict)
    if not access.may_read(context.get("user"), package):
        return {"success": False, "msg": rules.members_only_error()}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access  # the chain keeps only its own flags; package_show is open to anonymous users
def package_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    # An inventory entry is private to its agency in CKAN's eyes; government users read it by
    # governance's rule, so CKAN's own (members-only) check is not asked for them.
    if inventory.may_see_entry(context.get("user"), get_package_object(context, data_dict)):
        return {"success": True}
    return _members_only(next_auth, context, data_dict)


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _members_only(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check  # the rule binds sysadmins too; CKAN's own check lets them through
def bulk_update_public(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Refuse the whole batch when it holds a dataset that is not open.

    An authorisation refusal (not a validation error) because the
    organization bulk page handles only NotAuthorized; a partly applied
    batch would leave the agency guessing what was published.  CKAN's own
    check (may this user manage the agency's datasets?) is asked first, so
    the names of the blocked datasets go only to those who may see them.
    """
    allowed = next_auth(context, data_dict)
    if not allowed.get("success"):
        return allowed
    blocked = publishing.blocked_from_public(list(data_dict.get("datasets") or []), data_dict.get("org_id"))
    if blocked:
        return {"success": False, "msg": rules.bulk_public_error(blocked)}
    return allowed
