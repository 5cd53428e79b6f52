"""Chained actions: the classification rules on every way a dataset is saved.

package_patch, package_revise, resource_create/update/delete, the dataset
form and the organization bulk actions all end in package_update, so the
two chains below see every save; package_owner_org_update is the one write
that bypasses them.  Each chain keeps CKAN's own auth function, so no new
auth function is needed.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.governance import access, publishing, rules

__all__ = ["package_create", "package_owner_org_update", "package_update"]


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return next_action(context, publishing.checked_dataset(data_dict, None))


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    existing = publishing.existing_package(data_dict)
    if existing is None:  # let CKAN answer NotFound in its own words
        return next_action(context, data_dict)
    return next_action(context, publishing.checked_dataset(data_dict, existing))


@tk.chained_action
def package_owner_org_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuse to orphan a restricted dataset, and re-index after a move.

    Without an agency nobody but sysadmins could read the dataset, and CKAN
    itself does not re-index here, so Solr would keep the old agency's
    permission label and show the dataset to the wrong members.
    """
    package = model.Package.get(data_dict.get("id", ""))
    if package is not None and not data_dict.get("organization_id") and access.is_restricted(package):
        raise tk.ValidationError({"owner_org": [rules.agency_required_error()]})
    result = next_action(context, data_dict)
    if package is not None and not context.get("defer_commit"):
        search.rebuild(package.id)
    return result
