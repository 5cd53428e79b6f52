"""The original file of a resource under the PDPA guard: as closed as its table.

CKAN serves a resource's file (an upload, or a redirect to its link) at
``/dataset/<id>/resource/<rid>/download[/<filename>]`` (endpoint
``resource.download`` and its per-type copies) after asking
``resource_show`` only, so the guard on the DataStore table alone left the
file with the full citizen ids open to everyone.  Here the download views
are wrapped (no copy of CKAN's view):

- while the table is held (a data officer has not decided), only those who
  may read personal data (`pdpa.may_read_personal_data`: the agency's
  officers and sysadmins) get the file; everyone else gets 403 with the
  reason in their language.  Not 404: the resource itself is public, its
  page says the table awaits review, and the same answer comes from the
  DataStore (a dataset the reader may not see at all answers 404 before
  this, by governance's existence rule);
- once the officer masked or dropped a column, everyone else is sent to the
  masked table, a CSV of the DataStore table (``/datastore/dump``, whose
  cells are formula-neutralised, api/dump.py); the original file stays with
  the agency.

A link resource is closed the same way (no redirect to the original), but
its URL is public metadata that this guard cannot recall.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import Flask

from ckanext.opendata_th.ingest import jobs, pdpa, status

HELD_MESSAGE = (
    "This file may hold personal data and awaits a data officer's review (PDPA). "
    "Until then it is available to the agency's data officers only."
)
DOWNLOAD_ENDPOINT = "resource.download"


def _user_name() -> str | None:
    return str(current_user.name) if current_user and current_user.is_authenticated else None


def _visible(resource_id: str, user_name: str | None) -> bool:
    """May the reader see the resource at all? If not, CKAN's own view answers (like an unknown id)."""
    try:
        tk.check_access("resource_show", {"user": user_name or ""}, {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def guarded_download(resource_id: str) -> Any | None:
    """The answer instead of the original file, or None to serve it."""
    if not jobs.pdpa_enabled():
        return None
    row = status.get(resource_id)
    if not (pdpa.held(row) or pdpa.original_is_masked(row)):
        return None
    user_name = _user_name()
    if not _visible(resource_id, user_name) or pdpa.may_read_personal_data(user_name, resource_id):
        return None
    if pdpa.held(row):
        return tk.abort(403, tk._(HELD_MESSAGE))
    return tk.redirect_to(tk.url_for("datastore.dump", resource_id=resource_id, bom="true"))


def _wrap(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def download(*args: Any, **kwargs: Any) -> Any:
        resource_id = kwargs.get("resource_id")
        answer = guarded_download(str(resource_id)) if resource_id else None
        return answer if answer is not None else view(*args, **kwargs)

    download.odth_pdpa_guarded = True  # type: ignore[attr-defined]
    return download


def install(app: Flask) -> None:
    """Wrap every resource download view (``resource.download``, ``<type>_resource.download``)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.endswith(DOWNLOAD_ENDPOINT) and not getattr(view, "odth_pdpa_guarded", False):
            app.view_functions[endpoint] = _wrap(view)
