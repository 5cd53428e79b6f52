"""The data preview once a resource's data is in the DataStore.

The ingest job marks a loaded resource with `resource_patch(datastore_active=
True)`; CKAN then calls IResourceController.after_resource_update, where
plugin.py hands the resource here (the ingest room knows nothing of views).
CKAN creates the DataStore-backed default views (`ckan.views.default_views`,
e.g. `datatables_view`) only when a loader asks for them, as xloader and
DataPusher do after a load; we ask here.  The view reads its rows through
`datastore_search` as the reader, so governance's members-only rule and the
PDPA hold apply to the preview unchanged.

The same patch re-indexes the dataset (package_update), so the "has API"
facet follows a load without any hook; see README, "The public catalogue".
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


def _site_context() -> dict[str, Any]:
    # Views serve every reader; who may read the rows is
    # decided when they are read (datastore_search), not when the view exists.
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def ensure_views(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """Create the DataStore default views the resource does not have yet."""
    created: list[dict[str, Any]] = tk.get_action("resource_create_default_resource_views")(
        _site_context(), {"resource": resource, "create_datastore_views": True}
    )
    return created


def on_resource_updated(resource: dict[str, Any]) -> None:
    """IResourceController.after_resource_update: a resource with DataStore data gets its preview."""
    if not resource.get("id") or not tk.asbool(resource.get("datastore_active")):
        return
    try:
        ensure_views(resource)
    except (tk.ObjectNotFound, tk.ValidationError):
        # A resource deleted or a dataset made invalid meanwhile: nothing to show.
        log.warning("no preview for resource %s", resource.get("id"), exc_info=True)
