"""Copy-ready examples built from the table's own columns and values.

CKAN's "Data API" panel shows `q: "jones"`; ours filter on a real column
with a value that is in the table, so the first call a developer pastes
returns rows.  Literals are written by each language's own quoting (repr,
JSON, shlex), so Thai names and quotes in values stay valid code.
"""

from __future__ import annotations

import json
import shlex
import urllib.parse
from typing import Any

from ckanext.opendata_th.api import query, urls

LIMIT = 5
LANGUAGES = ("curl", "python", "ckanapi", "javascript", "r")


def pick_filter(columns: list[dict[str, Any]], column_stats: dict[str, dict[str, Any]]) -> tuple[str, Any] | None:
    """A column and a value to filter on: a low-cardinality text column if there is one."""
    candidates = [c["id"] for c in columns if c["id"] != "_id" and "example" in column_stats.get(c["id"], {})]
    with_enum = [name for name in candidates if "common" in column_stats[name]]
    for name in with_enum + candidates:
        if name not in query.RESERVED:
            return name, column_stats[name]["example"]
    return None


def build(
    resource_id: str, columns: list[dict[str, Any]], column_stats: dict[str, dict[str, Any]], base: str | None = None
) -> dict[str, str]:
    """`{language: code}` for one resource."""
    base = (base or urls.site()).rstrip("/")
    endpoint = base + urls.records_path(resource_id)
    chosen = pick_filter(columns, column_stats)
    params: dict[str, Any] = {chosen[0]: chosen[1]} if chosen else {}
    query_string = urllib.parse.urlencode({**params, "limit": LIMIT})
    filters_py = f"filters={params!r}, " if params else ""
    python_params = {**params, "limit": LIMIT}
    js_params = json.dumps({k: str(v) for k, v in python_params.items()}, ensure_ascii=False)
    r_url = json.dumps(f"{endpoint}?{query_string}", ensure_ascii=False)
    return {
        "curl": f"curl -sS --compressed {shlex.quote(f'{endpoint}?{query_string}')}",
        "python": (
            "import requests\n\n"
            "response = requests.get(\n"
            f"    {endpoint!r},\n"
            f"    params={python_params!r},\n"
            "    timeout=30,\n"
            ")\n"
            "response.raise_for_status()\n"
            "page = response.json()\n"
            'print(page["total"], "records")\n'
            'for record in page["records"]:\n'
            "    print(record)\n"
        ),
        "ckanapi": (
            "from ckanapi import RemoteCKAN\n\n"
            f"site = RemoteCKAN({base!r})\n"
            f"result = site.action.datastore_search(resource_id={resource_id!r}, {filters_py}limit={LIMIT})\n"
            'for record in result["records"]:\n'
            "    print(record)\n"
        ),
        "javascript": (
            f"const url = new URL({json.dumps(endpoint)});\n"
            f"url.search = new URLSearchParams({js_params});\n"
            "const response = await fetch(url);\n"
            "if (!response.ok) throw new Error((await response.json()).error.message.en);\n"
            "const page = await response.json();\n"
            "console.log(page.total, page.records);\n"
        ),
        "r": (f"library(jsonlite)\n\npage <- fromJSON({r_url})\nprint(page$total)\nprint(page$records)\n"),
    }
