"""The /hvd pages: the HVD list with compliance per agency, and its downloads."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang
from flask import Blueprint, Response

from ckanext.opendata_th.hvd import report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _rows() -> list[dict[str, Any]]:
    tk.check_access("opendata_th_hvd_report", _context(), {})
    return report.build(_context(), lang=get_lang())


def index() -> str:
    rows = _rows()
    return tk.render(
        "hvd/index.html",
        {
            "agencies": report.by_agency(rows),
            "total": len(rows),
            "compliant": sum(1 for line in rows if line["compliant"]),
        },
    )


def _download(content: bytes, mimetype: str, extension: str) -> Response:
    filename = f"hvd-report-{datetime.date.today().isoformat()}.{extension}"
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def report_csv() -> Response:
    return _download(report.to_csv(_rows()), "text/csv; charset=utf-8", "csv")


def report_xlsx() -> Response:
    return _download(report.to_xlsx(_rows()), XLSX_TYPE, "xlsx")


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("opendata_th_hvd", __name__)
    blueprint.add_url_rule("/hvd", view_func=index)
    blueprint.add_url_rule("/hvd/report.csv", view_func=report_csv)
    blueprint.add_url_rule("/hvd/report.xlsx", view_func=report_xlsx)
    return blueprint
