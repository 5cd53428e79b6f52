"""Activity streams follow the dataset's classification now, not the one it had then.

CKAN filters activities by the permission labels stored with each one when
it was recorded, so the snapshots taken while a dataset was public stay
public after it becomes personal or confidential: its old titles, notes
and resource names would remain readable in the site-wide, user, agency
and dashboard streams.  `visible_page` runs the stream action and keeps
only the activities about datasets that exist for the caller today
(`existence.may_see`); activities about users, groups and agencies are
kept as CKAN decided.

Paging stays sane: when something was left out, the stream is read again
from its start in batches until the page is full, so `offset` and `limit`
count the activities the caller may see and a short page means the end.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.governance import existence

# How many batches of `ckan.activity_list_limit_max` activities one call reads at most
# before answering with what it found (a stream of thousands of hidden activities).
MAX_BATCHES = 50


def _is_about_a_dataset(activity: dict[str, Any]) -> bool:
    return str(activity.get("activity_type") or "").endswith("package")


def visible(user_name: str | None, activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities the user may see, in their order; a purged dataset's are for sysadmins only."""
    if authz.is_sysadmin(user_name):
        return activities
    about = {str(a.get("object_id")) for a in activities if _is_about_a_dataset(a)}
    stored = (
        {p.id for p in model.Session.query(model.Package.id).filter(model.Package.id.in_(about))} if about else set()
    )
    shown = existence.visible_ids(user_name, stored)
    return [a for a in activities if not _is_about_a_dataset(a) or str(a.get("object_id")) in shown]


def _limit(data_dict: DataDict) -> int:
    """The page size CKAN's schema gives the request (already validated by the first call)."""
    default = tk.asint(tk.config.get("ckan.activity_list_limit") or 31)
    maximum = tk.asint(tk.config.get("ckan.activity_list_limit_max") or 100)
    return min(tk.asint(data_dict.get("limit") or default), maximum)


def _ascending(data_dict: DataDict) -> bool:
    """CKAN reads `after`-only pages oldest first (and returns them newest first)."""
    return bool(data_dict.get("after")) and not data_dict.get("before")


def visible_page(next_action: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """One page of a stream action's activities, of those the caller may see."""
    user_name = context.get("user")
    first: list[dict[str, Any]] = next_action(dict(context), dict(data_dict))
    shown = visible(user_name, first)
    if len(shown) == len(first):
        return shown
    offset, limit = tk.asint(data_dict.get("offset") or 0), _limit(data_dict)
    batch = tk.asint(tk.config.get("ckan.activity_list_limit_max") or 100)
    ascending = _ascending(data_dict)
    found: list[dict[str, Any]] = []
    for number in range(MAX_BATCHES):
        raw: list[dict[str, Any]] = next_action(dict(context), {**data_dict, "offset": number * batch, "limit": batch})
        in_order = list(reversed(raw)) if ascending else raw
        found.extend(visible(user_name, in_order))
        if len(raw) < batch or len(found) >= offset + limit:
            break
    page = found[offset : offset + limit]
    return list(reversed(page)) if ascending else page
