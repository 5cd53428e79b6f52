"""Query-string -> `datastore_search` parameters, and the opaque paging cursor.

Syntax (documented in every generated OpenAPI document):

- `col=v` equality; repeating it (`col=a&col=b`) or `col[in]=a&col[in]=b`
  means "any of";
- `col[gt]`, `col[gte]`, `col[lt]`, `col[lte]` ranges (numbers, dates, text);
- `col[eq]=v` for a column named like a reserved parameter (`q`, `sort`...);
- `q` Thai-aware full text (the DataStore's `_full_text`, segmented by ingest);
- `sort=col,-other` (`-` descending), `fields=a,b`, `limit`, `cursor`, `format`.

Paging sorted by `_id` (the default) is keyset paging (`_id > last`), so
page 1000 costs what page 1 costs; any other sort pages by offset.  The
total is counted once, on the first page, and carried in the cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import MultiDict

from ckanext.opendata_th.api.errors import bad_request

RESERVED = ("q", "sort", "fields", "limit", "cursor", "format")
RANGE_OPS = ("gt", "gte", "lt", "lte")
OPS = ("eq", "in", *RANGE_OPS)
FORMATS = ("json", "csv", "xlsx")
DEFAULT_LIMIT = 100
_OPERATOR_KEY = re.compile(r"^(?P<column>.+)\[(?P<op>[a-z]+)\]$")


def max_limit() -> int:
    return tk.asint(tk.config.get("ckanext.opendata_th.api.max_limit"))


@dataclass
class Query:
    """One records request, ready for `datastore_search`."""

    filters: dict[str, Any] = field(default_factory=dict)
    q: str | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    fields: list[str] | None = None
    limit: int = DEFAULT_LIMIT
    after_id: int | None = None
    offset: int = 0
    total: int | None = None
    format: str = "json"

    @property
    def keyset(self) -> bool:
        """Paging by `_id` (ascending or descending) instead of by offset."""
        return not self.sort or (len(self.sort) == 1 and self.sort[0][0] == "_id")

    @property
    def descending(self) -> bool:
        return bool(self.sort) and self.sort[0][1]

    def search_params(self, resource_id: str) -> dict[str, Any]:
        filters = {column: dict(ops) if isinstance(ops, dict) else ops for column, ops in self.filters.items()}
        if self.keyset and self.after_id is not None:
            id_filter = filters.setdefault("_id", {})
            if not isinstance(id_filter, dict):  # `_id=5` or `_id=1&_id=2` next to a cursor
                id_filter = filters["_id"] = {"in": id_filter if isinstance(id_filter, list) else [id_filter]}
            id_filter["lt" if self.descending else "gt"] = self.after_id
        params: dict[str, Any] = {
            "resource_id": resource_id,
            "limit": self.limit,
            "sort": ", ".join(
                f"{quote(column)}{' desc' if desc else ''}" for column, desc in self.sort or [("_id", False)]
            ),
            "include_total": self.total is None,
        }
        if filters:
            params["filters"] = filters
        if self.q:
            params["q"] = self.q
        if self.fields:
            wanted = list(self.fields)
            if self.keyset and "_id" not in wanted:
                wanted.append("_id")  # the next cursor needs it; dropped again from the answer
            params["fields"] = wanted
        if not self.keyset and self.offset:
            params["offset"] = self.offset
        return params

    def next_cursor(self, records: list[dict[str, Any]], total: int) -> str | None:
        """The cursor of the next page, or None on the last one."""
        if len(records) < self.limit:
            return None
        if self.keyset:
            return encode_cursor({"k": records[-1]["_id"], "t": total})
        if self.offset + self.limit >= total:
            return None
        return encode_cursor({"o": self.offset + self.limit, "t": total})


def quote(column: str) -> str:
    """A column as a double-quoted identifier for `datastore_search`'s sort."""
    return '"' + column.replace('"', '""') + '"'


def encode_cursor(state: dict[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, int]:
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request("The cursor is not valid; use the next link of the previous page") from None
    if not isinstance(state, dict) or not all(isinstance(v, int) and v >= 0 for v in state.values()):
        raise bad_request("The cursor is not valid; use the next link of the previous page")
    return state


def _int_param(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request("%(name)s must be a whole number", name=name) from None
    if not low <= value <= high:
        raise bad_request("%(name)s must be between %(low)s and %(high)s", name=name, low=low, high=high)
    return value


def _names(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _add_filter(filters: dict[str, Any], column: str, op: str, values: list[str]) -> None:
    if op not in OPS:
        raise bad_request("Unknown filter operator %(op)s; use one of %(ops)s", op=op, ops=", ".join(OPS))
    if op in ("eq", "in"):
        existing = filters.get(column)
        if isinstance(existing, dict):  # ranges and equality on one column: all must hold
            existing["in"] = values
        else:
            filters[column] = values[0] if len(values) == 1 and op == "eq" else values
        return
    ops = filters.get(column)
    if not isinstance(ops, dict):
        ops = filters[column] = {} if ops is None else {"in": ops if isinstance(ops, list) else [ops]}
    ops[op] = values[-1]


def parse(args: MultiDict[str, str]) -> Query:
    """The request's query string as a `Query`; `ApiError` (400) for what cannot be understood."""
    # PostgreSQL text cannot hold NUL; without this check the DataStore fails with a 500.
    if any("\x00" in key or any("\x00" in value for value in args.getlist(key)) for key in args):
        raise bad_request("The query must not contain NUL characters")
    query = Query()
    query.format = args.get("format") or "json"
    if query.format not in FORMATS:
        raise bad_request("format must be one of %(formats)s", formats=", ".join(FORMATS))
    query.q = args.get("q") or None
    query.limit = _int_param(args, "limit", DEFAULT_LIMIT, 1, max_limit())
    query.fields = _names(args.get("fields")) or None
    query.sort = [(name.lstrip("-"), name.startswith("-")) for name in _names(args.get("sort"))]
    if any(not column for column, _desc in query.sort):
        raise bad_request("sort needs column names")
    for key in args:
        if key in RESERVED:
            continue
        values = args.getlist(key)
        match = _OPERATOR_KEY.match(key)
        column, op = (match["column"], match["op"]) if match else (key, "eq")
        _add_filter(query.filters, column, op, values)
    if args.get("cursor"):
        state = decode_cursor(args["cursor"])
        query.total = state.get("t")
        if "k" in state and query.keyset:
            query.after_id = state["k"]
        elif "o" in state and not query.keyset:
            query.offset = state["o"]
        else:
            raise bad_request("The cursor is not valid; use the next link of the previous page")
    return query
