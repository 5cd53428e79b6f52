"""Template helpers of the API room (HELPER_MODULES)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.api import urls

__all__ = ["opendata_th_api_docs_url", "opendata_th_api_has_tables", "opendata_th_api_usage"]


def opendata_th_api_has_tables(dataset: dict[str, Any]) -> bool:
    return any(r.get("datastore_active") for r in dataset.get("resources") or [])


def opendata_th_api_docs_url(dataset: dict[str, Any]) -> str:
    return urls.docs_path(dataset)


def opendata_th_api_usage(dataset: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's API usage for its page, or None when the user may not see it."""
    try:
        found: dict[str, Any] = tk.get_action("opendata_th_api_usage")({}, {"id": dataset["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return found
