"""To anyone who may not see a dataset, it does not exist.

A refusal ("only the agency's members may ...") tells an outsider that the
id is a real, classified dataset, and its names leak with it.  So whoever
may not see a dataset gets exactly the answer an unknown id gets: the same
404, the same message.  Those who may see it are its agency's members and
sysadmins (`access.may_read`) and, for a harvested inventory entry, the
government users the inventory is for (`inventory.may_see_entry`); they
keep the plain refusal where one applies (a government user may not edit
an entry), since they know the dataset exists.

The rule is applied where an action answers, not in the auth functions:
CKAN and other extensions ask `package_show`'s auth as a yes/no question
(`is_authorized_boolean`, `h.check_access`) and would break on a NotFound.
`hiding` wraps a chained read action: when the action refuses the caller,
it asks whether the caller may know of the object and, if not, raises the
action's own not-found error instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import ChainedAction, Context, DataDict

from ckanext.opendata_th.governance import access, inventory

# What a read action is about, found from its arguments (None when it names nothing stored).
Finder = Callable[[DataDict], model.Package | None]
# The error the action raises for an unknown id, from the same arguments.
Unknown = Callable[[DataDict], Exception]


def may_see(user_name: str | None, package: model.Package) -> bool:
    """Whether the dataset exists for this user: readable by them, or an inventory entry shown to them."""
    return access.may_read(user_name, package) or inventory.may_see_entry(user_name, package)


def is_hidden(user_name: str | None, package: model.Package | None) -> bool:
    return package is not None and not may_see(user_name, package)


def visible_ids(user_name: str | None, package_ids: Iterable[str]) -> set[str]:
    """The ids among `package_ids` of datasets that exist for the user (ids of other objects are kept)."""
    wanted = {str(package_id) for package_id in package_ids}
    if not wanted or authz.is_sysadmin(user_name):
        return wanted
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(wanted)).all()
    return wanted - {package.id for package in packages if not may_see(user_name, package)}


def tag_is_hidden(user_name: str | None, tag: model.Tag) -> bool:
    """Whether every active dataset carrying the tag is hidden from the user (a tag of none is not)."""
    carriers = (
        model.Session.query(model.Package)
        .join(model.PackageTag, model.PackageTag.package_id == model.Package.id)
        .filter(model.PackageTag.tag_id == tag.id, model.PackageTag.state == model.State.ACTIVE)
        .filter(model.Package.state == model.State.ACTIVE)
    )
    # Public datasets first: for nearly every tag the first one answers.
    carriers = carriers.order_by(model.Package.private, model.Package.id)
    start = 0
    while batch := carriers.offset(start).limit(100).all():
        if any(may_see(user_name, package) for package in batch):
            return False
        start += len(batch)
    return start > 0


# Finders -------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def package_named(key: str = "id") -> Finder:
    def find(data_dict: DataDict) -> model.Package | None:
        ref = _text(data_dict.get(key))
        return model.Package.get(ref) if ref else None

    return find


def _package_of_resource(resource_id: str | None) -> model.Package | None:
    resource = model.Resource.get(resource_id) if resource_id else None
    return model.Package.get(resource.package_id) if resource is not None and resource.package_id else None


def resource_named(*keys: str) -> Finder:
    """The dataset of the resource named by the first of `keys` present (DataStore reads say `resource_id`)."""

    def find(data_dict: DataDict) -> model.Package | None:
        return _package_of_resource(next((_text(data_dict.get(k)) for k in keys if data_dict.get(k)), None))

    return find


def view_named(data_dict: DataDict) -> model.Package | None:
    ref = _text(data_dict.get("id"))
    view = model.ResourceView.get(ref) if ref else None
    return _package_of_resource(view.resource_id) if view is not None else None


def activity_named(data_dict: DataDict) -> model.Package | None:
    """The dataset an activity is about (activities of other objects are not governed here)."""
    from ckanext.activity.model import Activity

    ref = _text(data_dict.get("id"))
    activity = Activity.get(ref) if ref else None
    if activity is None or not (activity.activity_type or "").endswith("package") or not activity.object_id:
        return None
    return model.Package.get(activity.object_id)


# Unknown-id errors, as CKAN words them -------------------------------------------


def plain_not_found(_data_dict: DataDict) -> Exception:
    return tk.ObjectNotFound()


def not_found(message: str, key: str = "id") -> Unknown:
    """CKAN's not-found error whose text names the id (`{0}`), formatted as CKAN formats it."""

    def error(data_dict: DataDict) -> Exception:
        return tk.ObjectNotFound(tk._(message.format(data_dict.get(key))))

    return error


def missing_resource(key: str = "resource_id") -> Unknown:
    """The validation error CKAN's `resource_id_exists` gives for an unknown resource id (a 409)."""

    def error(data_dict: DataDict) -> Exception:
        return tk.ValidationError({key: [tk._("Resource not found: %s") % data_dict.get(key)]})

    return error


# The wrapper -----------------------------------------------------------------------


def hiding(find: Finder, unknown: Unknown) -> Callable[[ChainedAction], ChainedAction]:
    """Make a chained read action answer "not found" to callers for whom its dataset does not exist.

    Only a refusal is turned into "not found": whoever may see the dataset
    gets the action's own answer, refusal included.
    """

    def decorate(chained: ChainedAction) -> ChainedAction:
        @functools.wraps(chained)
        def wrapped(next_action: Any, context: Context, data_dict: DataDict) -> Any:
            try:
                return chained(next_action, context, data_dict)
            except tk.NotAuthorized:
                if is_hidden(context.get("user"), find(data_dict or {})):
                    raise unknown(data_dict or {}) from None
                raise

        return wrapped

    return decorate


def _no_internal_tables(chained: ChainedAction) -> ChainedAction:
    """`datastore_search` on the DataStore's own tables (``_table_metadata``) answers "not found".

    CKAN lets anyone search the tables in ``ckan.datastore.public_table_search``
    with no auth call: ``_table_metadata`` lists every table by name, so it
    would hand out the resource ids of classified datasets (and, with CKAN's
    auth audit on, the call ends in a 500).  The message does not echo the name.
    """

    @functools.wraps(chained)
    def wrapped(next_action: Any, context: Context, data_dict: DataDict) -> Any:
        resource_id = (data_dict or {}).get("resource_id")
        if isinstance(resource_id, str) and resource_id in tk.config.get("ckan.datastore.public_table_search"):
            raise tk.ObjectNotFound(tk._("Resource was not found."))
        return chained(next_action, context, data_dict)

    return wrapped


def hiding_datastore_search(chained: ChainedAction) -> ChainedAction:
    """DataStore search is chained by the ingest room (Thai words); it applies this to its chain."""
    hidden = hiding(resource_named("resource_id"), not_found('Resource "{0}" was not found.', key="resource_id"))
    return _no_internal_tables(hidden(chained))
