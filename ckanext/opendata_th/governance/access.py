"""Who may read a dataset that is not open.

A dataset whose category is not public or whose classification is not open
is readable only by members of its agency (any capacity, including the
admins CKAN cascades from parent organizations) and by sysadmins.  The
decision is taken from the stored classification, not from the `private`
flag, so it holds even for a record that somehow became public (a legacy
import, a direct database edit): neither Solr (permission labels) nor the
auth functions (package_show, and through it resource_show, resource views,
downloads, files and every DataStore read) hand it to anyone else.
Collaborators and the dataset's creator get no access of their own.
"""

from __future__ import annotations

from typing import Any

from ckan import authz, model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.opendata_th.governance import rules


def is_restricted(package: model.Package) -> bool:
    """Whether a stored dataset falls under the members-only rule."""
    extras = package.extras or {}
    if not rules.is_governed(package.type, extras):
        return False
    return not rules.is_open(extras.get(rules.CATEGORY), extras.get(rules.CLASSIFICATION))


def is_agency_member(user_name: str | None, package: model.Package) -> bool:
    """Member (any capacity) of the dataset's organization, or a sysadmin."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    return authz.has_user_permission_for_group_or_org(package.owner_org, user_name, "read")


def may_read(user_name: str | None, package: model.Package) -> bool:
    """The governance half of read access: CKAN's own rules still apply after it."""
    return not is_restricted(package) or is_agency_member(user_name, package)


class PermissionLabels(DefaultPermissionLabels):
    """CKAN's labels, except that a restricted dataset carries only its agency's label.

    No `public`, `creator-` or `collaborator-` label: a non-open dataset is
    returned by search (and shown in activity streams) to agency members and
    sysadmins only.  A restricted dataset without an agency gets a label no
    user holds, so only sysadmins (who bypass labels) see it.  An inventory
    entry also carries the inventory label, which government users hold
    (see `inventory`).
    """

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        from ckanext.opendata_th.governance import inventory  # it reads is_restricted from here

        if not is_restricted(dataset_obj):
            return super().get_dataset_labels(dataset_obj)
        if dataset_obj.owner_org:
            return [f"member-{dataset_obj.owner_org}", *inventory.dataset_labels(dataset_obj)]
        return [f"restricted-{dataset_obj.id}"]

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        from ckanext.opendata_th.governance import inventory

        return super().get_user_dataset_labels(user_obj) + inventory.user_labels(user_obj)
