"""Auth functions of the ingest room (registered via plugin.py's module lists).

The PDPA guard chains the DataStore's read auth: a table whose personal-data
columns a data officer has not yet reviewed is readable only by those who
may edit the resource (`pdpa.may_read_personal_data`, the rule its original
file follows too: originals.py).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.ingest import jobs, pdpa, status

__all__ = [
    "datastore_info",
    "datastore_search",
    "datastore_search_sql",
    "opendata_th_ingest_pdpa_decide",
    "opendata_th_ingest_run",
    "opendata_th_ingest_status",
]

PDPA_MESSAGE = (
    "ตารางนี้อาจมีข้อมูลส่วนบุคคล รอเจ้าหน้าที่ตรวจสอบ / "
    "This table may hold personal data and awaits a data officer's review (PDPA)"
)


def _personal_data_guard(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any] | None:
    if not jobs.pdpa_enabled():
        return None
    resource_id = data_dict.get("resource_id") or data_dict.get("id")
    if not resource_id:
        return None
    if not pdpa.held(status.get(str(resource_id))):
        return None
    if pdpa.may_read_personal_data(context.get("user"), str(resource_id)):
        return None
    return {"success": False, "msg": PDPA_MESSAGE}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    return _personal_data_guard(context, data_dict) or next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    return _personal_data_guard(context, data_dict) or next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """Every table the SQL reads passes the guard: one SELECT could otherwise read a held table."""
    # The DataStore passes the table names as a generator: read it once and
    # hand the list on, or the next check in the chain would see no tables.
    tables = list(context.get("table_names") or [])
    context["table_names"] = tables
    for table in tables:
        refusal = _personal_data_guard(context, {"resource_id": table})
        if refusal:
            return refusal
    return next_auth(context, data_dict)


@tk.auth_allow_anonymous_access
def opendata_th_ingest_status(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed(context, "resource_show", data_dict)


def opendata_th_ingest_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed(context, "resource_update", data_dict)


def opendata_th_ingest_pdpa_decide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _allowed(context, "resource_update", data_dict)


def _allowed(context: dict[str, Any], action: str, data_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        tk.check_access(action, context, {"id": data_dict.get("resource_id")})
    except tk.NotAuthorized:
        return {"success": False}
    except tk.ObjectNotFound:
        return {"success": False, "msg": "Resource not found"}
    return {"success": True}
