"""Resource page actions: re-run a load, decide on personal data (POST forms with CSRF)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.opendata_th.lib.i18n import bilingual

blueprint = Blueprint("opendata_th_ingest", __name__)


def _resource_page(package_id: str, resource_id: str) -> Any:
    return tk.redirect_to("resource.read", id=package_id, resource_id=resource_id)


@blueprint.route("/dataset/<package_id>/resource/<resource_id>/ingest", methods=["POST"])
def run(package_id: str, resource_id: str) -> Any:
    try:
        tk.get_action("opendata_th_ingest_run")({}, {"resource_id": resource_id})
    except tk.NotAuthorized:
        return tk.abort(403, bilingual("Not authorized to load this resource"))
    except tk.ObjectNotFound:
        return tk.abort(404, bilingual("Resource not found"))
    tk.h.flash_success(bilingual("The load into the DataStore has been queued"))
    return _resource_page(package_id, resource_id)


@blueprint.route("/dataset/<package_id>/resource/<resource_id>/ingest/pdpa", methods=["POST"])
def pdpa(package_id: str, resource_id: str) -> Any:
    form = tk.request.form
    data = {"resource_id": resource_id, "decision": form.get("decision"), "columns": form.getlist("columns")}
    try:
        tk.get_action("opendata_th_ingest_pdpa_decide")({}, data)
    except tk.NotAuthorized:
        return tk.abort(403, bilingual("Not authorized to load this resource"))
    except tk.ValidationError as error:
        tk.h.flash_error(str(error.error_summary))
    return _resource_page(package_id, resource_id)


def get_blueprint() -> Blueprint:
    return blueprint
