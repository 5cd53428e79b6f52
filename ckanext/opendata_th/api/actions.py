"""Actions of the API room (ACTION_MODULES): usage figures, per-token quotas, change stamps.

The chained DataStore writes only stamp when a table changed (see
`changes`); the writes themselves are CKAN's, unchanged.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.api import changes, ratelimit, usage
from ckanext.opendata_th.governance import existence

__all__ = [
    "datastore_delete",
    "datastore_run_triggers",
    "datastore_upsert",
    "opendata_th_api_token_limit",
    "opendata_th_api_usage",
]


def _stamped(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    # After the write succeeded: a refused or failed write changed nothing.
    if data_dict.get("resource_id"):
        changes.mark_written(str(data_dict["resource_id"]))
    return result


# A refused write on a hidden table answers as for an unknown one (governance.existence).
_HIDING_TABLE = existence.hiding(existence.resource_named("resource_id"), existence.plain_not_found)


@tk.chained_action
@_HIDING_TABLE
def datastore_upsert(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _stamped(next_action, context, data_dict)


@tk.chained_action
@_HIDING_TABLE
def datastore_delete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Also reached by `datastore_records_delete`, which calls it."""
    return _stamped(next_action, context, data_dict)


@tk.chained_action
def datastore_run_triggers(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _stamped(next_action, context, data_dict)


def _dataset_usage(context: Context, dataset: dict[str, Any]) -> dict[str, Any]:
    resource_ids = [r["id"] for r in dataset.get("resources") or []]
    by_resource = usage.counts(resource_ids)
    return {
        "id": dataset["id"],
        "name": dataset["name"],
        "total": sum(found["total"] for found in by_resource.values()),
        "resources": [{"id": rid, **by_resource[rid]} for rid in resource_ids],
    }


@tk.side_effect_free
def opendata_th_api_usage(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """API calls and downloads per resource of a dataset, or per dataset of an agency.

    :param id: a dataset's id or name, or
    :param organization_id: an agency's id or name (its members see all its datasets)
    :returns: ``{id, name, total, resources: [{id, records, record, schema, openapi, csv, xlsx, download, total}]}``
        for a dataset; ``{organization, total, datasets: [...]}`` for an agency
    """
    tk.check_access("opendata_th_api_usage", context, data_dict)
    if data_dict.get("organization_id"):
        organization = tk.get_action("organization_show")(
            dict(context), {"id": data_dict["organization_id"], "include_datasets": False}
        )
        found = tk.get_action("package_search")(
            dict(context),
            {"fq": f'owner_org:"{organization["id"]}"', "rows": 1000, "include_private": True},
        )
        datasets = [_dataset_usage(context, dataset) for dataset in found["results"]]
        return {
            "organization": organization["name"],
            "total": sum(d["total"] for d in datasets),
            "datasets": sorted(datasets, key=lambda d: -d["total"]),
        }
    dataset = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    return _dataset_usage(context, dataset)


def _limited_user(data_dict: DataDict) -> model.User:
    """The user whose quota is set: named, or the owner of a token CKAN issued and has not revoked."""
    if data_dict.get("user"):
        user = model.User.get(str(data_dict["user"]))
        if user is None:
            raise tk.ValidationError({"user": [tk._("No such user")]})
        return user
    jti = data_dict.get("token_id") or ratelimit.token_id(data_dict.get("token"))
    token = model.ApiToken.get(str(jti)) if jti else None
    user = model.User.get(token.user_id) if token is not None else None
    if user is None:
        raise tk.ValidationError({"token": [tk._("A valid API token or token id is required")]})
    return user


def opendata_th_api_token_limit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Give a user their own quota per window (sysadmins), for every token they hold or will mint.

    Stored by user, not by token: a limit set through one token binds the
    tokens its user mints afterwards too (see `ratelimit`).

    :param user: the user's name or id, or
    :param token: one of the user's tokens (only its user is stored, not the secret), or
    :param token_id: the id of one of the user's tokens
    :param limit: requests per window; empty to return to the site's default
    """
    tk.check_access("opendata_th_api_token_limit", context, data_dict)
    user = _limited_user(data_dict)
    raw = data_dict.get("limit")
    if raw in (None, ""):
        ratelimit.set_user_limit(user.id, None)
        return {"user": user.name, "limit": None}
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("The limit must be a whole number")]}) from None
    if limit < 0:
        raise tk.ValidationError({"limit": [tk._("The limit must be a whole number")]})
    ratelimit.set_user_limit(user.id, limit)
    return {"user": user.name, "limit": limit}
