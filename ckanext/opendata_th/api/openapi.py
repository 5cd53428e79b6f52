"""OpenAPI 3.1 documents per resource, per dataset and for the whole catalogue.

The record schema is typed from the DataStore's data dictionary: column
types and formats, the Thai and English labels and descriptions, and real
example values (see `stats`).  Today's ranges and common values are
annotations (`x-minimum`, `x-maximum`, `x-common-values`), never
constraints: a row added tomorrow still validates against the document.  Documents are cached in Redis under the tables'
fingerprints, so they change as soon as a table does and are served from
the cache until then.  Access is checked before the cache is consulted.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

from ckanext.opendata_th.api import changes, errors, query, stats, urls
from ckanext.opendata_th.api.errors import not_found
from ckanext.opendata_th.api.records import HIDDEN

log = logging.getLogger(__name__)

OPENAPI_VERSION = "3.1.0"
CACHE_PREFIX = "odth:api:spec"
CACHE_SECONDS = 7 * 24 * 3600
Table = tuple[dict[str, Any], list[dict[str, Any]]]
SPEC_VERSION = "3"  # bump when the generator changes, so cached documents are rebuilt

_TYPES: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "int2": {"type": "integer"},
    "int4": {"type": "integer"},
    "int8": {"type": "integer"},
    "integer": {"type": "integer"},
    "bigint": {"type": "integer"},
    "numeric": {"type": "number"},
    "float4": {"type": "number"},
    "float8": {"type": "number"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string"},
    "time": {"type": "string"},
    "text": {"type": "string"},
}


def _json_type(pg_type: str) -> dict[str, Any]:
    if pg_type.startswith("_"):  # PostgreSQL arrays: _text, _int4...
        return {"type": "array", "items": _json_type(pg_type[1:])}
    return dict(_TYPES.get(pg_type, {}))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def labels(column: dict[str, Any]) -> tuple[str, str]:
    """The column's Thai and English label from the data dictionary (ingest writes both)."""
    info = column.get("info") or {}
    thai = info.get("label_th") or info.get("label") or column["id"]
    english = info.get("label_en") or info.get("label") or column["id"]
    return str(thai), str(english)


def _description(column: dict[str, Any]) -> str:
    info = column.get("info") or {}
    thai, english = labels(column)
    text = thai if thai == english else f"{thai} / {english}"
    notes = info.get("notes")
    return f"{text}. {notes}" if notes else text


def record_schema(columns: list[dict[str, Any]], column_stats: dict[str, dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {"_id": {"type": "integer", "minimum": 1, "description": "Row id (stable)"}}
    for column in columns:
        if column["id"] in ("_id", *HIDDEN):
            continue
        schema = _json_type(column.get("type") or "text")
        found = column_stats.get(column["id"], {})
        if "minimum" in found:
            schema["x-minimum"], schema["x-maximum"] = found["minimum"], found["maximum"]
        if "common" in found:
            schema["x-common-values"] = found["common"]
        schema = _nullable(schema)
        thai, english = labels(column)
        schema.update(title=english, description=_description(column), **{"x-label-th": thai, "x-label-en": english})
        if "example" in found:
            schema["examples"] = [found["example"]]
        properties[column["id"]] = schema
    return {"type": "object", "properties": properties, "required": ["_id"]}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _param(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, **extra}


def _filter_params(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for column in columns:
        name = column["id"]
        if name in HIDDEN:
            continue
        base = _json_type(column.get("type") or "text")
        if base.get("type") == "array":
            continue  # arrays are not filtered by value
        labelled = labels(column)
        accepts = _ACCEPTS.get(str(base.get("format") or base.get("type")))
        key = f"{name}[eq]" if name in query.RESERVED else name
        params.append(_param(key, _operator("eq", labelled, accepts), base))
        params.append(
            _param(
                f"{name}[in]",
                _operator("in", labelled, accepts),
                {"type": "array", "items": base},
                style="form",
                explode=True,
            )
        )
        if column.get("type") in stats.RANGE_TYPES:
            for op in query.RANGE_OPS:
                params.append(_param(f"{name}[{op}]", _operator(op, labelled, accepts), base))
    return params


_OPERATORS = {
    "eq": "%(column)s: equals (repeat for any of)",
    "in": "%(column)s: any of the values",
    "gt": "%(column)s: greater than",
    "gte": "%(column)s: greater than or equal to",
    "lt": "%(column)s: less than",
    "lte": "%(column)s: less than or equal to",
}
# What a filter value may look like beyond the JSON type (see `filters`).
_ACCEPTS = {
    "date": "Dates in B.E. or C.E.: 2024-03-15, 2567-03-15, 15/03/2567, 15 มี.ค. 2567",
    "integer": "Thai or Arabic digits, with or without thousands separators: 1,234 or ๑,๒๓๔",
    "number": "Thai or Arabic digits, with or without thousands separators: 1,234.5 or ๑,๒๓๔.๕",
}


def _operator(op: str, labelled: tuple[str, str], accepts: str | None) -> str:
    """The parameter's description in Thai and in English, each with the column's label in that language."""
    thai_label, english_label = labelled
    thai = errors.messages(_OPERATORS[op], column=thai_label)["th"]
    english = _OPERATORS[op] % {"column": english_label}
    if accepts:
        thai += ". " + errors.messages(accepts)["th"]
        english += ". " + accepts
    return english if thai == english else f"{thai} / {english}"


def _common_params() -> list[dict[str, Any]]:
    return [
        _param("q", "Full-text search, Thai-aware / ค้นหาข้อความ (ตัดคำภาษาไทย)", {"type": "string"}),
        _param("sort", "Columns to sort by, comma-separated; '-' for descending", {"type": "string"}),
        _param("fields", "Columns to return, comma-separated", {"type": "string"}),
        _param("limit", "Records per page", {"type": "integer", "minimum": 1, "maximum": query.max_limit()}),
        _param("cursor", "The cursor from the previous page's next link", {"type": "string"}),
        _param("format", "Output format", {"type": "string", "enum": list(query.FORMATS)}),
    ]


def _list_schema(record_ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["records", "total", "limit", "next"],
        "properties": {
            "resource_id": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"},
            "next": {"type": ["string", "null"], "description": "URL of the next page, null on the last"},
            "cursor": {"type": ["string", "null"]},
            "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
            "records": {"type": "array", "items": {"$ref": record_ref}},
        },
    }


def _resource_paths(resource: dict[str, Any], columns: list[dict[str, Any]], ref: str) -> dict[str, Any]:
    rid = resource["id"]
    name = resource.get("name") or rid
    base = urls.records_path(rid)
    tag = [name]
    return {
        base: {
            "get": {
                "operationId": f"records_{rid.replace('-', '_')}",
                "summary": f"Records of {name} / ระเบียนของ {name}",
                "tags": tag,
                "parameters": _common_params() + _filter_params(columns),
                "responses": {
                    "200": {
                        "description": "One page of records",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/RecordList_{ref}"}},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "contentEncoding": "binary"}
                            },
                        },
                    },
                    "304": {"description": "Not modified since the ETag or date given"},
                    "400": _error_response("The query is not valid"),
                    "403": _error_response("Not allowed to read this data"),
                    "404": _error_response("No such resource or table"),
                    "429": _error_response("Too many requests; see Retry-After"),
                },
            }
        },
        f"{base}/{{record_id}}": {
            "get": {
                "operationId": f"record_{rid.replace('-', '_')}",
                "summary": f"One record of {name} by _id",
                "tags": tag,
                "parameters": [
                    {"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
                ],
                "responses": {
                    "200": {
                        "description": "The record",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Record_{ref}"}}},
                    },
                    "304": {"description": "Not modified"},
                    "400": _error_response("The id is not valid"),
                    "403": _error_response("Not allowed to read this data"),
                    "404": _error_response("No such record"),
                    "429": _error_response("Too many requests"),
                },
            }
        },
        urls.schema_path(rid): {
            "get": {
                "operationId": f"schema_{rid.replace('-', '_')}",
                "summary": f"Columns of {name} with their types and labels",
                "tags": tag,
                "responses": {
                    "200": {
                        "description": "The columns",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Schema"}}},
                    },
                    "304": {"description": "Not modified"},
                    "403": _error_response("Not allowed to read this data"),
                    "404": _error_response("No such resource or table"),
                    "429": _error_response("Too many requests"),
                },
            }
        },
    }


def _shared_components() -> dict[str, Any]:
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {
                            "type": "object",
                            "required": ["th", "en"],
                            "properties": {"th": {"type": "string"}, "en": {"type": "string"}},
                        },
                    },
                }
            },
        },
        "Field": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string"},
                "label": {"type": "string"},
                "notes": {"type": "string"},
                "info": {"type": "object"},
            },
        },
        "Schema": {
            "type": "object",
            "required": ["resource_id", "fields"],
            "properties": {
                "resource_id": {"type": "string"},
                "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
            },
        },
    }


def _document(
    title: str, description: str, entries: list[tuple[dict[str, Any], list[dict[str, Any]], dict]]
) -> dict[str, Any]:
    """One OpenAPI document over `entries` = [(resource, columns, column stats)]."""
    paths: dict[str, Any] = {}
    schemas = _shared_components()
    for resource, columns, column_stats in entries:
        ref = resource["id"].replace("-", "")
        schemas[f"Record_{ref}"] = record_schema(columns, column_stats)
        schemas[f"RecordList_{ref}"] = _list_schema(f"#/components/schemas/Record_{ref}")
        paths.update(_resource_paths(resource, columns, ref))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": SPEC_VERSION, "description": description},
        "servers": [{"url": tk.config["ckan.site_url"].rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiToken": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        },
        "security": [{}, {"apiToken": []}],
    }


def _cached(key: str, build: Any) -> tuple[bytes, bool]:
    """The document's JSON from the cache, or built and stored; and whether it was cached."""
    full_key = f"{CACHE_PREFIX}:{SPEC_VERSION}:{key}"
    try:
        found = connect_to_redis().get(full_key)
    except RedisError:
        log.warning("OpenAPI cache unavailable (Redis): building %s", key, exc_info=True)
        found = None
    if found is not None:
        return bytes(found), True
    text = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
    try:
        connect_to_redis().set(full_key, text, ex=CACHE_SECONDS)
    except RedisError:
        log.warning("OpenAPI document not cached (Redis): %s", key, exc_info=True)
    return text, False


def column_stats(resource_id: str, columns: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`stats.columns`, cached under the table's version (a full scan on a large table)."""
    fingerprint = stats.fingerprint(resource_id) or "none"
    version, _changed = changes.version(resource_id, fingerprint)
    text, _cached_hit = _cached(
        f"stats:{resource_id}:{version}",
        lambda: stats.columns(resource_id, [c for c in columns if c["id"] not in HIDDEN]),
    )
    found: dict[str, dict[str, Any]] = json.loads(text)
    return found


def _entry(
    resource: dict[str, Any], columns: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]], dict]:
    return resource, columns, column_stats(resource["id"], columns)


def _title(dataset: dict[str, Any]) -> str:
    return str(dataset.get("title_translated", {}).get("en") or dataset.get("title") or dataset["name"])


def resource_key(resource: model.Resource, dataset: model.Package, version: str) -> str:
    """The cache key of a resource's document: its table's version and its metadata (names, titles)."""
    modified = f"{dataset.metadata_modified}|{resource.metadata_modified}"
    return f"resource:{resource.id}:{stats.combined([version, modified])}"


def cached_only(key: str) -> bytes | None:
    """The cached document under `key`, without building it (the fast path)."""
    try:
        found = connect_to_redis().get(f"{CACHE_PREFIX}:{SPEC_VERSION}:{key}")
    except RedisError:
        log.warning("OpenAPI cache unavailable (Redis)", exc_info=True)
        return None
    return bytes(found) if found is not None else None


def resource_document(
    resource_id: str, readable: Callable[[], tuple[dict, dict, list]]
) -> tuple[bytes, bool, datetime.datetime]:
    """The document of one resource the caller may read, whether it was cached, and when the table changed.

    `readable()` gives (dataset, resource, columns) and runs only when the
    document is not cached (it calls three actions).
    """
    resource = model.Resource.get(resource_id)
    dataset = model.Package.get(resource.package_id) if resource else None
    if resource is None or dataset is None:
        raise not_found()
    fingerprint = stats.fingerprint(resource_id)
    if fingerprint is None:
        raise not_found()
    version, changed = changes.version(resource_id, fingerprint)

    def build() -> dict[str, Any]:
        dataset_dict, resource_dict, columns = readable()
        return _document(
            f"{resource_dict.get('name') or resource_id} — {_title(dataset_dict)}",
            f"API of one table of the dataset {dataset_dict.get('title')} ({urls.docs_url(dataset_dict)})",
            [_entry(resource_dict, columns)],
        )

    text, cached = _cached(resource_key(resource, dataset, version), build)
    return text, cached, changed


def dataset_document(
    dataset: dict[str, Any], tables: list[tuple[dict[str, Any], list[dict[str, Any]]]]
) -> tuple[bytes, bool]:
    """The document of a dataset's readable tables."""
    ids = [resource["id"] for resource, _columns in tables]
    found = stats.fingerprints(ids)
    stamps = dict(zip(ids, changes.written_stamps(ids), strict=True))
    parts = [dataset.get("metadata_modified") or ""] + [f"{rid}={found.get(rid, '')}:{stamps[rid]}" for rid in ids]
    return _cached(
        f"dataset:{dataset['id']}:{stats.combined(parts)}",
        lambda: _document(
            _title(dataset),
            f"{dataset.get('title')}: {dataset.get('notes') or ''}".strip(),
            [_entry(resource, columns) for resource, columns in tables],
        ),
    )


def catalogue_document(generation: str, public_tables: Callable[[], list[Table]]) -> tuple[bytes, bool]:
    """The document of every table anonymous users may read, cached under the catalogue's generation.

    `public_tables()` lists the catalogue (every dataset, page by page) and
    runs only when the generation moved.
    """
    portal = tk.config.get("ckanext.opendata_th.portal_name_en") or "Open data"
    return _cached(
        f"catalogue:{generation}",
        lambda: _document(
            f"{portal} — dataset APIs",
            "Every open table of the catalogue / ทุกตารางข้อมูลเปิดของบัญชีข้อมูล",
            [_entry(resource, columns) for resource, columns in public_tables()],
        ),
    )
