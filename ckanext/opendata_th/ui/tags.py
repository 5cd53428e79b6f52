"""Tag suggestions only from datasets the caller can read.

CKAN's tag actions (tag_autocomplete behind /api/2/util/tag/autocomplete,
tag_list, tag_search) read the tag tables directly, without any privacy or
state filter, so they would reveal the tags of private, classified and
deleted datasets.  These chained actions keep CKAN's matching and then drop
every free tag that no dataset readable by the caller carries; the readable
set is a Solr tags facet of a package_search run as the caller, so the
permission labels of governance/ decide what counts, not this module.
Vocabulary tags (vocabulary_id given) are left to CKAN: the catalogue's
choice lists live in vocab/*.yaml, not in CKAN vocabularies.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

__all__ = ["tag_autocomplete", "tag_list", "tag_search"]


def readable_tags(context: Context) -> set[str]:
    """Names of the free tags of every active dataset the caller may read."""
    search_context: Context = {"user": context.get("user", ""), "auth_user_obj": context.get("auth_user_obj")}
    result = tk.get_action("package_search")(
        search_context,
        {"q": "*:*", "rows": 0, "facet.field": ["tags"], "facet.limit": -1, "include_private": True},
    )
    return set(result.get("facets", {}).get("tags", {}))


def _int(value: Any, default: int | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _unpaged(data_dict: DataDict) -> tuple[DataDict, int, int | None]:
    """The request without offset/limit (paging applies after filtering), its offset and limit."""
    unpaged = {key: value for key, value in data_dict.items() if key not in ("offset", "limit")}
    return unpaged, _int(data_dict.get("offset"), 0) or 0, _int(data_dict.get("limit"), None)


def _page(items: list[Any], offset: int, limit: int | None) -> list[Any]:
    return items[offset : offset + limit] if limit is not None else items[offset:]


def _name(item: Any) -> str:
    return str(item["name"]) if isinstance(item, dict) else str(item)


@tk.chained_action
def tag_autocomplete(original_action: Action, context: Context, data_dict: DataDict) -> list[str]:
    if data_dict.get("vocabulary_id"):
        return original_action(context, data_dict)
    unpaged, offset, limit = _unpaged(data_dict)
    names = original_action(context, unpaged)
    allowed = readable_tags(context) if names else set()
    return _page([name for name in names if name in allowed], offset, limit)


@tk.chained_action
def tag_list(original_action: Action, context: Context, data_dict: DataDict) -> list[Any]:
    if data_dict.get("vocabulary_id"):
        return original_action(context, data_dict)
    tags = original_action(context, data_dict)
    allowed = readable_tags(context) if tags else set()
    return [tag for tag in tags if _name(tag) in allowed]


@tk.chained_action
def tag_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    if data_dict.get("vocabulary_id"):
        return original_action(context, data_dict)
    unpaged, offset, limit = _unpaged(data_dict)
    found = original_action(context, unpaged)
    allowed = readable_tags(context) if found["results"] else set()
    results = [tag for tag in found["results"] if _name(tag) in allowed]
    return {"count": len(results), "results": _page(results, offset, limit)}
