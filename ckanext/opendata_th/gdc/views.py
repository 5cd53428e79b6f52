"""Pages: upload a workbook and watch its import; download exports.

    /organization/<id>/gdc-import               upload form (GET) and upload (POST)
    /organization/<id>/gdc-import/<import_id>   progress and report
    /organization/<id>/gdc-export.xlsx          the agency's datasets as a workbook
    /ckan-admin/gdc-export.xlsx                 the whole catalogue (sysadmins)

The views only translate between HTTP and the actions; the actions decide
who may do what.  The upload form carries CKAN's CSRF token like every form.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.opendata_th.gdc import actions

blueprint = Blueprint("opendata_th_gdc", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _organization(org_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(_context(), {"id": org_id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Agency not found"))


def _page(template: str, org: dict[str, Any], **extra: Any) -> str:
    return tk.render(template, {"group_dict": org, "group_type": "organization", **extra})


def import_form(id: str) -> Any:
    org = _organization(id)
    try:
        tk.check_access("opendata_th_gdc_import", _context(), {"owner_org": org["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only agency staff may do this"))
    if tk.request.method != "POST":
        return _page("gdc/import.html", org, errors={})
    data = {"owner_org": org["id"], "upload": tk.request.files.get("upload")}
    try:
        result = tk.get_action("opendata_th_gdc_import")(_context(), data)
    except tk.ValidationError as error:
        return _page("gdc/import.html", org, errors=error.error_dict)
    return tk.redirect_to("opendata_th_gdc.import_status", id=org["name"], import_id=result["id"])


def import_status(id: str, import_id: str) -> Any:
    org = _organization(id)
    try:
        info = tk.get_action("opendata_th_gdc_import_status")(_context(), {"id": import_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("No such import, or it has expired"))
    if info["org_id"] != org["id"]:
        return tk.abort(404, tk._("No such import, or it has expired"))
    return _page("gdc/status.html", org, info=info)


def _download(owner_org: str | None) -> Any:
    try:
        result = actions.export_workbook(_context(), owner_org)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only agency staff may do this"))
    except tk.ValidationError:
        return tk.abort(404, tk._("Agency not found"))
    return Response(
        result["content"],
        mimetype=result["mimetype"],
        headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"', "Cache-Control": "no-store"},
    )


def org_export(id: str) -> Any:
    return _download(_organization(id)["id"])


def catalogue_export() -> Any:
    return _download(None)


blueprint.add_url_rule("/organization/<id>/gdc-import", view_func=import_form, methods=["GET", "POST"])
blueprint.add_url_rule("/organization/<id>/gdc-import/<import_id>", view_func=import_status)
blueprint.add_url_rule("/organization/<id>/gdc-export.xlsx", view_func=org_export)
blueprint.add_url_rule("/ckan-admin/gdc-export.xlsx", view_func=catalogue_export)
