"""DCAT output shows only what the public may see (ACTION_MODULES).

ckanext-dcat's actions read datasets with the caller's context, so a
signed-in agency member would get private and restricted datasets in
/catalog.ttl.  These chained actions run them as an anonymous user: search
then applies governance's permission labels and excludes private datasets,
and package_show applies governance's read rules.  A dataset is published
only if governance's `harvest_scope` says it may be harvested in full
(public and open).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.governance import harvest_scope

__all__ = ["dcat_catalog_search", "dcat_catalog_show", "dcat_dataset_show"]


def public_context(context: Context) -> Context:
    """The context of an anonymous visitor (keeping the session)."""
    return {"user": "", "auth_user_obj": None, "session": context.get("session")}


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_dataset_show", context, data_dict)  # the caller's own right, audited
    public = public_context(context)
    try:
        dataset = tk.get_action("package_show")(dict(public), {"id": tk.get_or_bust(data_dict, "id")})
    except tk.NotAuthorized:
        raise tk.ObjectNotFound() from None  # as if it did not exist: its id says nothing
    if harvest_scope(dataset) != "full":
        raise tk.ObjectNotFound()
    return next_action(public, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_catalog_show", context, data_dict)
    return next_action(public_context(context), data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_catalog_search", context, data_dict)
    return next_action(public_context(context), data_dict)
