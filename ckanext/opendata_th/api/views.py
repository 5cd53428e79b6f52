"""The API room's blueprint: REST endpoints, OpenAPI documents, the docs page.

HTTP behaviour shared by every API response lives in the hooks below:
quotas before the view, then CORS, conditional requests (ETag and
Last-Modified with 304), gzip and the rate-limit headers after it.  Errors
raised as `ApiError` become the one JSON error format.
"""

from __future__ import annotations

import datetime
import gzip
import json
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckan.lib import signals
from flask import Blueprint, Response, g, request
from flask.blueprints import BlueprintSetupState

from ckanext.opendata_th.api import (
    changes,
    errors,
    fast,
    openapi,
    query,
    ratelimit,
    records,
    stats,
    tables,
    urls,
    usage,
)
from ckanext.opendata_th.api.errors import ApiError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GZIP_MIN_BYTES = 1024
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, X-Total-Count, "
        "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After"
    ),
    "Access-Control-Max-Age": "600",
}


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False, default=str), status=status, content_type=errors.JSON_TYPE)


def _last_modified(resource_id: str) -> datetime.datetime | None:
    """When the table's data last changed (see `changes`), not its metadata; read after an action checked access."""
    fingerprint = stats.fingerprint(resource_id)
    return changes.version(resource_id, fingerprint)[1] if fingerprint else None


def _page_url(resource_id: str, cursor: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"] + [("cursor", cursor)]
    return f"{urls.site()}{urls.records_path(resource_id)}?{urlencode(args)}"


def records_view(resource_id: str) -> Response:
    parsed = query.parse(request.args)
    page = records.search(resource_id, parsed)
    next_url = _page_url(resource_id, page["next_cursor"]) if page["next_cursor"] else None
    usage.count(resource_id, parsed.format if parsed.format != "json" else "records")
    if parsed.format == "json":
        response = _json(
            {
                "resource_id": resource_id,
                "total": page["total"],
                "limit": parsed.limit,
                "next": next_url,
                "cursor": page["next_cursor"],
                "fields": [{"id": f["id"], "type": f["type"]} for f in page["fields"]],
                "records": page["records"],
            }
        )
    else:
        names = [{"id": f["id"], "type": f["type"]} for f in page["fields"]]
        if parsed.format == "csv":
            response = Response(records.to_csv(names, page["records"]), content_type="text/csv; charset=utf-8")
        else:
            response = Response(records.to_xlsx(names, page["records"]), content_type=XLSX_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{resource_id}.{parsed.format}"'
        response.headers["X-Total-Count"] = str(page["total"])
        if next_url:
            response.headers["Link"] = f'<{next_url}>; rel="next"'
    g.odth_last_modified = _last_modified(resource_id)
    return response


def record_view(resource_id: str, record_id: str) -> Response:
    if not record_id.isdigit() or not 0 < int(record_id) < 2**63:
        raise errors.bad_request("The record id must be a positive whole number")
    record = records.one(resource_id, int(record_id))
    usage.count(resource_id, "record")
    g.odth_last_modified = _last_modified(resource_id)
    return _json(record)


def schema_view(resource_id: str) -> Response:
    fields = records.schema(resource_id)
    usage.count(resource_id, "schema")
    g.odth_last_modified = _last_modified(resource_id)
    return _json({"resource_id": resource_id, "fields": fields})


def _document_response(text: bytes, cached: bool) -> Response:
    response = Response(text, content_type=errors.JSON_TYPE)
    response.headers["X-Cache"] = "HIT" if cached else "MISS"
    return response


def resource_openapi(resource_id: str) -> Response:
    tables.check_readable(resource_id)
    usage.count(resource_id, "openapi")
    text, cached, _changed = openapi.resource_document(resource_id, lambda: tables.readable_resource(resource_id))
    # No Last-Modified: the document also changes with the metadata (names, titles); the ETag covers both.
    return _document_response(text, cached)


def dataset_openapi(id: str) -> Response:
    dataset, readable = tables.readable_tables(id)
    return _document_response(*openapi.dataset_document(dataset, readable))


def catalogue_openapi() -> Response:
    return _document_response(*openapi.catalogue_document(tables.catalogue_generation(), tables.public_tables))


def docs_page(id: str) -> str:
    try:
        dataset, readable = tables.readable_tables(id)
    except ApiError as error:
        return tk.abort(error.status, errors.messages(error.msgid, **error.params)["en"])
    return tk.render("api/docs.html", {"pkg": dataset, "tables": tables.docs_entries(readable)})


# Hooks -------------------------------------------------------------------


def _is_api() -> bool:
    return request.path.startswith(urls.PREFIX + "/") or request.path.endswith("/openapi.json")


def before() -> Response | None:
    if not _is_api() or request.method == "OPTIONS":
        return None
    verdict = ratelimit.hit()
    g.odth_rate_limit = verdict
    if verdict is not None and not verdict.allowed:
        return errors.response(errors.rate_limited(verdict.reset))
    return None


def _gzip(response: Response) -> None:
    if (
        response.status_code != 200
        or "gzip" not in request.headers.get("Accept-Encoding", "")
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
    ):
        return
    data = response.get_data()
    if len(data) < GZIP_MIN_BYTES:
        return
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"


def after(response: Response) -> Response:
    if not _is_api():
        return response
    response.headers.update(CORS_HEADERS)
    response.vary.update(("Authorization", "Accept-Encoding"))
    verdict = g.get("odth_rate_limit")
    if verdict is not None:
        response.headers.update(verdict.headers())
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        # The fast path answers what anyone may read, without identifying the user (see `fast`).
        authenticated = not g.get("odth_public") and bool(tk.current_user and tk.current_user.is_authenticated)
        response.headers["Cache-Control"] = "private, no-cache" if authenticated else "public, no-cache"
        response.add_etag(weak=True)
        if g.get("odth_last_modified"):
            response.last_modified = g.odth_last_modified
        response.make_conditional(request)
        _gzip(response)
    return response


def handle_api_error(error: ApiError) -> Response:
    return errors.response(error)


def _count_download(sender: Any, **_kwargs: Any) -> None:
    usage.count(str(sender), "download")


def _count_dump(response: Response) -> Response:
    """A DataStore dump served in full counts; a refused, missing or failed one does not.

    Counting after the answer keeps made-up ids from creating counters.
    """
    if request.endpoint == "datastore.dump" and request.view_args and response.status_code == 200:
        usage.count(str(request.view_args.get("resource_id")), "download")
    return response


def _serve_public_documents_first(state: BlueprintSetupState) -> None:
    """Put `fast.cached_public_document` before CKAN's own before_request (user identification).

    Registered here rather than with `before_app_request`, which would
    append it after CKAN's; the blueprint's `after` hook still runs for it.
    """
    state.app.before_request_funcs.setdefault(None, []).insert(0, fast.cached_public_document)


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("opendata_th_api", __name__)
    base = urls.PREFIX + "/resources/<resource_id>"
    blueprint.add_url_rule(f"{base}/records", view_func=records_view)
    blueprint.add_url_rule(f"{base}/records/<record_id>", view_func=record_view)
    blueprint.add_url_rule(f"{base}/schema", view_func=schema_view)
    blueprint.add_url_rule(f"{base}/openapi.json", view_func=resource_openapi)
    blueprint.add_url_rule(urls.PREFIX + "/openapi.json", view_func=catalogue_openapi)
    blueprint.add_url_rule("/dataset/<id>/openapi.json", view_func=dataset_openapi)
    blueprint.add_url_rule("/dataset/<id>/api", view_func=docs_page)
    blueprint.before_request(before)
    blueprint.after_request(after)
    blueprint.register_error_handler(ApiError, handle_api_error)
    blueprint.after_app_request(_count_dump)
    blueprint.record_once(_serve_public_documents_first)
    signals.resource_download.connect(_count_download)
    return blueprint
