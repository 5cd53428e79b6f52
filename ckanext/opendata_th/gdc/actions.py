"""Actions: start a GD Catalog import, follow it, export a workbook."""

from __future__ import annotations

import base64
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.opendata_th.gdc import exporter, importer, reader, status
from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["opendata_th_gdc_export", "opendata_th_gdc_import", "opendata_th_gdc_import_status"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # GD Catalog workbooks are metadata only: a few MB at most


def agency(ref: Any, key: str = "owner_org") -> dict[str, Any]:
    group = model.Group.get(str(ref or ""))
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({key: [bilingual("No such agency")]})
    return {"id": group.id, "name": group.name}


def _upload_content(upload: Any) -> tuple[bytes, str]:
    """The uploaded file's bytes and name (a multipart file or, from Python, bytes)."""
    if isinstance(upload, bytes):
        return upload, "upload.xlsx"
    if not hasattr(upload, "read"):
        raise tk.ValidationError({"upload": [bilingual("Attach the GD Catalog workbook (.xlsx)")]})
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise tk.ValidationError({"upload": [bilingual("The file is larger than 20 MB")]})
    return content, str(getattr(upload, "filename", "") or "upload.xlsx")


def opendata_th_gdc_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a GD Catalog workbook into an agency, in the background.

    :param owner_org: the agency (id or name) the datasets belong to
    :param upload: the workbook (.xlsx), as a multipart file upload
    :returns: ``{"id": ..., "state": "queued"}``; follow it with
        ``opendata_th_gdc_import_status``
    """
    tk.check_access("opendata_th_gdc_import", context, data_dict)
    org = agency(data_dict.get("owner_org"))
    content, filename = _upload_content(data_dict.get("upload"))
    try:
        import_id = importer.start(content, filename, org, str(context.get("user")))
    except reader.WorkbookError as error:
        raise tk.ValidationError({"upload": [str(error)]}) from error
    return {"id": import_id, "state": "queued"}


@tk.side_effect_free
def opendata_th_gdc_import_status(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An import's state, progress (``done`` of ``total``) and per-row report.

    :param id: the import id returned by ``opendata_th_gdc_import``
    :param rows: whether to include the report rows (default true)
    """
    tk.check_access("opendata_th_gdc_import_status", context, data_dict)
    with_rows = tk.asbool(data_dict.get("rows", True))
    info = status.get(str(data_dict.get("id") or ""), with_rows=with_rows)
    if info is None:
        raise tk.ObjectNotFound(bilingual("No such import, or it has expired"))
    return info


def export_workbook(context: Context, owner_org: Any = None) -> dict[str, Any]:
    """The workbook bytes, file name and dataset count, after the auth check."""
    data_dict = {"owner_org": owner_org} if owner_org else {}
    tk.check_access("opendata_th_gdc_export", context, data_dict)
    org = agency(owner_org) if owner_org else None
    content, count = exporter.build(exporter.datasets(dict(context), org["id"] if org else None))
    return {
        "filename": exporter.filename(org["name"] if org else None),
        "mimetype": exporter.MIMETYPE,
        "count": count,
        "content": content,
    }


@tk.side_effect_free
def opendata_th_gdc_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The catalogue (or one agency) as a GD Catalog workbook.

    Contains only the datasets the caller may see.  Over HTTP, the download
    URLs ``/organization/<id>/gdc-export.xlsx`` and
    ``/ckan-admin/gdc-export.xlsx`` serve the file itself.

    :param owner_org: the agency (id or name); omit for the whole catalogue
    :returns: ``filename``, ``mimetype``, ``count`` and ``content`` (base64)
    """
    result = export_workbook(context, data_dict.get("owner_org"))
    result["content"] = base64.b64encode(result["content"]).decode("ascii")
    return result
