"""Chained actions: the classification rules on every way a dataset is saved.

package_patch, package_revise, resource_create/update/delete, the dataset
form and the organization bulk actions all end in package_update, so the
two chains below see every save; package_owner_org_update is the one write
that bypasses them.  Each chain keeps CKAN's own auth function, so no new
auth function is needed.

The read chains below apply the existence rule (`existence`): a dataset the
caller may not see answers like an unknown id; activity streams show only
activities about datasets the caller may see today (`activity`); member
lists and tags name nothing of them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.governance import access, activity, existence, publishing, rules

__all__ = [
    "activity_data_show",
    "activity_diff",
    "activity_show",
    "dashboard_activity_list",
    "datastore_info",
    "group_activity_list",
    "member_list",
    "organization_activity_list",
    "package_activity_list",
    "package_create",
    "package_owner_org_update",
    "package_relationships_list",
    "package_show",
    "package_update",
    "recently_changed_packages_activity_list",
    "resource_show",
    "resource_view_list",
    "resource_view_show",
    "tag_show",
    "user_activity_list",
]


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


# Existence: what the caller may not see answers like an unknown id ----------------------


def _as_is(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return next_action(context, data_dict)


def _hiding(find: existence.Finder, unknown: existence.Unknown) -> Action:
    return tk.chained_action(tk.side_effect_free(existence.hiding(find, unknown)(_as_is)))


package_show = _hiding(existence.package_named(), existence.plain_not_found)
resource_show = _hiding(existence.resource_named("id"), existence.plain_not_found)
resource_view_list = _hiding(existence.resource_named("id"), existence.plain_not_found)
resource_view_show = _hiding(existence.view_named, existence.plain_not_found)
activity_show = _hiding(existence.activity_named, existence.plain_not_found)
activity_data_show = _hiding(existence.activity_named, existence.plain_not_found)
activity_diff = _hiding(existence.activity_named, existence.plain_not_found)
package_relationships_list = _hiding(
    existence.package_named(), existence.not_found("First package named in request was not found.")
)
datastore_info = _hiding(
    existence.resource_named("id", "resource_id"),
    existence.not_found('Resource/Alias "{0}" was not found.', key="id"),
)


@tk.chained_action
@tk.side_effect_free
@existence.hiding(existence.package_named(), existence.plain_not_found)
def package_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


# Activity streams: snapshots of datasets the caller may not see today are left out ---------


@tk.chained_action
@tk.side_effect_free
def recently_changed_packages_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def user_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dashboard_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def organization_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def group_activity_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return activity.visible_page(next_action, context, data_dict)


# Names: member lists and tags -------------------------------------------------------------


@tk.chained_action
@tk.side_effect_free
def member_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """An agency's or group's members, without the datasets the caller may not see."""
    members: list[tuple[str, str, str]] = next_action(context, data_dict)
    datasets = [table_id for table_id, table_name, _capacity in members if table_name == "package"]
    shown = existence.visible_ids(context.get("user"), datasets)
    return [member for member in members if member[1] != "package" or member[0] in shown]


@tk.chained_action
@tk.side_effect_free
def tag_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A tag carried only by datasets the caller may not see does not exist for them."""
    tag = model.Tag.get(str(data_dict.get("id") or ""), vocab_id_or_name=data_dict.get("vocabulary_id"))
    if tag is not None and existence.tag_is_hidden(context.get("user"), tag):
        raise tk.ObjectNotFound()
    found: dict[str, Any] = next_action(context, data_dict)
    if found.get("packages"):
        shown = existence.visible_ids(context.get("user"), [p["id"] for p in found["packages"]])
        found["packages"] = [p for p in found["packages"] if p["id"] in shown]
    return found
