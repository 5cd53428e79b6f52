"""Who may see an entry of the national inventory of government data.

The central catalogue harvests a non-public dataset whose agency consented
(`allow_harvest`) as a metadata-only inventory entry: no resources, no link
to the data, private to the agency.  Besides the agency's members and
sysadmins, the inventory is for signed-in government users: by default
anyone with a capacity in at least one agency (organization), or only those
with a stronger capacity (`ckanext.opendata_th.inventory.viewer_role`).
Anonymous visitors and registered users outside every agency never see an
entry, and DCAT never carries one (it shows published datasets only).

Only a dataset that is an inventory entry in fact (harvested, consented,
restricted, without data) is opened this way: a restricted dataset an
agency publishes directly, with its data, stays members-only.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.opendata_th.governance import access, rules

VIEWER_ROLE_OPTION = "ckanext.opendata_th.inventory.viewer_role"
# The permission label of an inventory entry, and of every user allowed to see the inventory.
LABEL = "inventory"
# The weakest capacity each setting accepts, and the stronger ones with it.
_CAPACITIES: dict[str, tuple[str, ...]] = {
    "member": ("member", "editor", "admin"),
    "editor": ("editor", "admin"),
    "admin": ("admin",),
    "none": (),  # the inventory is for the agency itself and sysadmins only
}


def viewer_capacities() -> tuple[str, ...]:
    """Capacities that make a user a government user; an unknown setting opens nothing (fails closed)."""
    return _CAPACITIES.get(str(tk.config.get(VIEWER_ROLE_OPTION) or "member").strip().lower(), ())


def _harvested(package_id: str) -> bool:
    """Whether a harvest source currently holds the dataset (ckanext-harvest's tables)."""
    if not p.plugin_loaded("harvest"):  # an agency catalogue has no harvest tables
        return False
    from ckanext.harvest.model import HarvestObject

    row = (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.package_id == package_id, HarvestObject.current.is_(True))
        .first()
    )
    return row is not None


def is_inventory_entry(package: model.Package) -> bool:
    """A harvested, consented, restricted dataset that holds no data and no link to it."""
    if package.state != model.State.ACTIVE or not access.is_restricted(package):
        return False
    extras = package.extras or {}
    if not rules.as_bool(extras.get(rules.ALLOW_HARVEST)) or package.url or package.resources:
        return False
    return _harvested(package.id)


def is_government_user(user: str | model.User | None) -> bool:
    """Signed in, with a viewer capacity in at least one active organization (agency)."""
    user_obj = model.User.get(user) if isinstance(user, str) else user
    capacities = viewer_capacities()
    if user_obj is None or not capacities or user_obj.state != model.State.ACTIVE:
        return False
    row = (
        model.Session.query(model.Member.id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(model.Member.table_name == "user", model.Member.table_id == user_obj.id)
        .filter(model.Member.state == model.State.ACTIVE, model.Member.capacity.in_(capacities))
        .filter(model.Group.is_organization.is_(True), model.Group.state == model.State.ACTIVE)
        .first()
    )
    return row is not None


def may_see_entry(user_name: str | None, package: model.Package) -> bool:
    """Whether `user_name` may read `package` as an inventory entry (reading only, never writing)."""
    if not user_name or not is_inventory_entry(package):
        return False
    return authz.is_sysadmin(user_name) or is_government_user(user_name)


def dataset_labels(package: model.Package) -> list[str]:
    """The inventory label for an inventory entry, none for any other dataset."""
    return [LABEL] if is_inventory_entry(package) else []


def user_labels(user_obj: Any) -> list[str]:
    return [LABEL] if getattr(user_obj, "id", None) and is_government_user(user_obj) else []
