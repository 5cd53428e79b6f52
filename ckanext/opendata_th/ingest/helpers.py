"""Template helpers of the ingest room (registered via plugin.HELPER_MODULES)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["opendata_th_ingest_status", "opendata_th_ingest_supported"]


def opendata_th_ingest_status(resource_id: str) -> dict[str, Any] | None:
    """The load status the current user may see, or None if there is none to show."""
    try:
        view: dict[str, Any] = tk.get_action("opendata_th_ingest_status")({}, {"resource_id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return view


def opendata_th_ingest_supported(resource: dict[str, Any]) -> bool:
    from ckanext.opendata_th.ingest.jobs import resource_format

    return resource_format(resource) is not None
