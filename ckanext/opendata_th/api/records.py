"""Reading a resource's table through CKAN's own actions, so CKAN's auth applies.

`datastore_search` asks `package_show` (governance: members-only for data
that is not open) and the ingest PDPA guard before it answers; nothing here
reads the DataStore any other way, so no endpoint can hand out what the
action would refuse.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
import openpyxl
from openpyxl.cell import WriteOnlyCell

from ckanext.opendata_th.api import filters
from ckanext.opendata_th.api.errors import ApiError, bad_request, forbidden, not_found
from ckanext.opendata_th.api.query import Query
from ckanext.opendata_th.lib.spreadsheet import neutralise_formula

HIDDEN = ("_full_text",)
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def context() -> dict[str, Any]:
    user = tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else ""
    return {"user": user, "ignore_auth": False}


def call(action: str, data_dict: dict[str, Any]) -> Any:
    """Run a CKAN action as the requesting user; CKAN's errors become API errors."""
    try:
        return tk.get_action(action)(context(), data_dict)
    except tk.NotAuthorized:
        raise forbidden() from None
    except tk.ObjectNotFound:
        raise not_found() from None
    except tk.ValidationError as error:
        raise _invalid(error.error_dict) from None


# The request's own parameters; any other key of a DataStore error (``query``,
# ``info``) holds SQL, table ids or database hints, and is never repeated.
_PARAMETERS = {"filters": "filters", "sort": "sort", "fields": "fields", "q": "q", "limit": "limit", "offset": "cursor"}


def _invalid(error_dict: dict[str, Any]) -> ApiError:
    named = sorted({_PARAMETERS[key] for key in error_dict if key in _PARAMETERS})
    if named:
        return bad_request("The query is not valid: check %(parameters)s", parameters=", ".join(named))
    return bad_request("The query is not valid: check the filter values against the column types")


def resource(resource_id: str) -> dict[str, Any]:
    """The resource, if the user may read it and it has a DataStore table."""
    found: dict[str, Any] = call("resource_show", {"id": resource_id})
    if not found.get("datastore_active"):
        raise not_found()
    return found


def search(resource_id: str, query: Query) -> dict[str, Any]:
    """One page of records: `{records, fields, total, next_cursor}`."""
    if query.filters or query.sort or query.fields:
        columns = {"_id": "int8", **{column["id"]: str(column["type"]) for column in schema(resource_id)}}
        filters.check_names([name for name, _descending in query.sort] + list(query.fields or []), columns)
        query.filters = filters.typed(query.filters, columns)
    result = call("datastore_search", query.search_params(resource_id))
    records: list[dict[str, Any]] = list(result["records"])
    total = query.total if query.total is not None else int(result.get("total") or 0)
    cursor = query.next_cursor(records, total)
    if query.fields and "_id" not in query.fields:
        records = [{k: v for k, v in record.items() if k != "_id"} for record in records]
    fields = [f for f in result["fields"] if f["id"] not in HIDDEN and (not query.fields or f["id"] in query.fields)]
    return {"records": records, "fields": fields, "total": total, "next_cursor": cursor}


def one(resource_id: str, record_id: int) -> dict[str, Any]:
    result = call("datastore_search", {"resource_id": resource_id, "filters": {"_id": record_id}, "limit": 1})
    if not result["records"]:
        raise ApiError(404, "not_found", "No record with _id %(id)s", id=record_id)
    record: dict[str, Any] = result["records"][0]
    return record


def schema(resource_id: str) -> list[dict[str, Any]]:
    """The columns with their type and the data dictionary's labels and descriptions."""
    info = call("datastore_info", {"id": resource_id})
    return [
        {
            "id": column["id"],
            "type": column.get("type"),
            "label": (column.get("info") or {}).get("label") or "",
            "notes": (column.get("info") or {}).get("notes") or "",
            "info": column.get("info") or {},
        }
        for column in info["fields"]
        if column["id"] not in HIDDEN
    ]


def _cell(value: Any) -> Any:
    """A cell a spreadsheet shows as data: formulas neutralised, nested values as JSON."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def to_csv(fields: list[dict[str, Any]], records: list[dict[str, Any]]) -> bytes:
    names = [f["id"] for f in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in names])
    for record in records:
        writer.writerow(["" if record.get(name) is None else _cell(record.get(name)) for name in names])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 Thai


# Excel's own date formats, so a date column sorts and filters as dates in the sheet.
_XLSX_DATES = {"date": "yyyy-mm-dd", "timestamp": "yyyy-mm-dd hh:mm:ss"}


def _xlsx_cell(sheet: Any, value: Any, pg_type: str | None) -> Any:
    date_format = _XLSX_DATES.get(pg_type or "")
    if date_format and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return _ILLEGAL_XLSX.sub("", value)
        cell = WriteOnlyCell(sheet, value=moment.date() if pg_type == "date" else moment)
        cell.number_format = date_format
        return cell
    value = _cell(value)
    return _ILLEGAL_XLSX.sub("", value) if isinstance(value, str) else value


def to_xlsx(fields: list[dict[str, Any]], records: list[dict[str, Any]]) -> bytes:
    """The records as a workbook: dates and times as Excel dates, numbers as numbers, text as text."""
    names = [f["id"] for f in fields]
    types = [f.get("type") for f in fields]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append([neutralise_formula(name) for name in names])
    for record in records:
        sheet.append([_xlsx_cell(sheet, record.get(name), pg_type) for name, pg_type in zip(names, types, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
