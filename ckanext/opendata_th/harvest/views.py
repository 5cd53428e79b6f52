"""The harvest status page of a source: /harvest/<id>/status.

It renders the `opendata_th_harvest_status` action (sysadmins and the
source's agency only; everyone else gets 403, an unknown source 404) inside
ckanext-harvest's source pages, whose tabs link to it.  The source is shown
through harvest_source_show, whose answer has the agency's token masked.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.opendata_th.lib.i18n import bilingual

SOURCE_TYPE = "harvest"  # ckanext-harvest's dataset type: its source page tabs read it from `g`


def status_page(id: str) -> Any:
    context: dict[str, Any] = {"user": tk.current_user.name if tk.current_user else ""}
    try:
        source = tk.get_action("harvest_source_show")(dict(context), {"id": id})
        status = tk.get_action("opendata_th_harvest_status")(dict(context), {"id": source["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, bilingual("Harvest source not found"))
    except tk.NotAuthorized:
        return tk.abort(403, bilingual("Only the source's agency and sysadmins may see its harvest status"))
    tk.g.dataset_type = SOURCE_TYPE
    return tk.render("source/opendata_th_status.html", {"harvest_source": source, "status": status})


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("opendata_th_harvest", __name__)
    blueprint.add_url_rule("/harvest/<id>/status", view_func=status_page, endpoint="status")
    return blueprint
