"""Redis or Solr away: a clear 503 instead of a 500, and no write left half-done.

- Pages: an error that reaches Flask while Solr or Redis is unreachable
  (CKAN's search views raise or abort 500 when Solr is down) answers the
  503 page ``outage.html`` in the reader's language, with Retry-After.  An
  error while both answer is not an outage and goes to CKAN's own handler.
- The action API catches every exception itself and answers 500 (or 409
  "Search Error"); when the search index is the cause, the answer becomes
  503 in CKAN's error shape with the message in Thai and English.
- A resource write queues its DataStore load in Redis *after* CKAN has
  committed the resource; with Redis away the resource would exist with no
  load queued.  So those writes are refused (503) before anything is
  written while Redis does not answer.

Read paths degrade in their own rooms (no quota counting, no caches while
Redis is away: api/ratelimit, usage, changes, fast, openapi).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import pysolr
from ckan.lib.redis import connect_to_redis
from ckan.lib.search import SearchError, SearchIndexError, SolrConnectionError
from ckan.lib.search.common import make_connection
from flask import Flask, Response, request
from redis.exceptions import RedisError
from werkzeug.exceptions import InternalServerError

from ckanext.opendata_th.api import errors

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
PING_SECONDS = 5
SOLR_AWAY = "The search service is temporarily unavailable. Please try again in a minute"
SOLR_AWAY_WRITE = "The search service is temporarily unavailable, so nothing was saved. Please try again in a minute"
REDIS_AWAY = "The job queue is temporarily unavailable. Please try again in a minute"
REDIS_AWAY_WRITE = "The job queue is temporarily unavailable, so nothing was saved. Please try again in a minute"
OUTAGE_TYPE = "Service Unavailable"

# Writes whose after-commit hook queues a DataStore load (ingest) in Redis.
QUEUEING_ACTIONS = frozenset({"resource_create", "resource_update", "resource_patch"})
QUEUEING_ENDPOINTS = frozenset({"resource.new", "resource.edit", "dataset_resource.new", "dataset_resource.edit"})
READ_ACTION_SUFFIXES = ("_show", "_list", "_search", "_autocomplete", "_info")
# CKAN's action API answers search-index failures with these error types.
SEARCH_ERROR_TYPES = frozenset({"Search Index Error", "Search Connection Error", "Search Error"})
OUTAGE_EXCEPTIONS: tuple[type[Exception], ...] = (
    SolrConnectionError,
    SearchError,
    SearchIndexError,
    pysolr.SolrError,
    RedisError,
)


def redis_available() -> bool:
    try:
        return bool(connect_to_redis().ping())
    except RedisError:
        return False


def solr_available() -> bool:
    connection = make_connection()
    connection.timeout = PING_SECONDS  # a hung Solr must not hold the error page for solr_timeout
    try:
        connection.search(q="*:*", rows=0)
    except (pysolr.SolrError, OSError):
        return False
    return True


def _is_write() -> bool:
    """Whether the request asks for a change (an action API read may be a POST too)."""
    action = _action_name()
    if action is not None:
        return not action.endswith(READ_ACTION_SUFFIXES)
    return request.method not in ("GET", "HEAD", "OPTIONS")


def away_message() -> str | None:
    """The outage message when Solr or Redis does not answer, else None (a write says nothing was saved)."""
    write = _is_write()
    if not solr_available():
        return SOLR_AWAY_WRITE if write else SOLR_AWAY
    if not redis_available():
        return REDIS_AWAY_WRITE if write else REDIS_AWAY
    return None


def _action_name() -> str | None:
    if request.endpoint != "api.action":
        return None
    name = (request.view_args or {}).get("logic_function")
    return str(name) if name else None


def api_unavailable(msgid: str) -> Response:
    return errors.action_error(503, OUTAGE_TYPE, msgid, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def refuse_queueing_write_without_redis() -> Response | None:
    """before_request: a resource write while Redis is away is refused before CKAN writes anything."""
    if request.method != "POST":
        return None
    action = _action_name()
    if action not in QUEUEING_ACTIONS and request.endpoint not in QUEUEING_ENDPOINTS:
        return None
    if redis_available():
        return None
    log.warning("Refused %s: Redis is unavailable, its load could not be queued", action or request.endpoint)
    if action is not None:
        return api_unavailable(REDIS_AWAY_WRITE)
    return page(REDIS_AWAY_WRITE)


def _error_type(response: Response) -> str | None:
    if not response.content_type.startswith("application/json"):
        return None
    try:
        found = json.loads(response.get_data()).get("error", {}).get("__type")
    except (ValueError, AttributeError):
        return None
    return str(found) if found else None


def search_errors_as_503(response: Response) -> Response:
    """after_request: the action API's 500/409 for an unreachable search index becomes a bilingual 503."""
    if _action_name() is None or response.status_code not in (409, 500):
        return response
    error_type = _error_type(response)
    if error_type in SEARCH_ERROR_TYPES and not solr_available():
        return api_unavailable(SOLR_AWAY_WRITE if _is_write() else SOLR_AWAY)
    if response.status_code == 500 and not redis_available():
        return api_unavailable(REDIS_AWAY_WRITE if _is_write() else REDIS_AWAY)
    return response


def page(msgid: str) -> Response:
    """The 503 page in the reader's language (the request's locale)."""
    text = tk.render("outage.html", {"message": tk._(msgid)})
    return Response(text, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, mimetype="text/html")


def _outage_or(fallback: Callable[[Exception], Any]) -> Callable[[Exception], Any]:
    def handle(error: Exception) -> Any:
        message = away_message()
        if message is None:
            return fallback(error)
        log.warning("Answered 503 during an outage: %s", message, exc_info=error)
        if request.path.startswith("/api/"):
            return api_unavailable(message)
        return page(message)

    return handle


def _ckan_handler(app: Flask) -> Callable[[Exception], Any]:
    """CKAN's own 500 handler (registered before IMiddleware runs), or a plain re-raise."""
    handlers = app.error_handler_spec.get(None, {}).get(500, {})
    found = handlers.get(InternalServerError)
    if found is not None:
        return found

    def reraise(error: Exception) -> Any:
        raise error

    return reraise


def install(app: Flask) -> None:
    fallback = _ckan_handler(app)
    handle = _outage_or(fallback)
    app.register_error_handler(500, handle)
    for exception in OUTAGE_EXCEPTIONS:
        app.register_error_handler(exception, handle)
    app.before_request(refuse_queueing_write_without_redis)
    app.after_request(search_errors_as_503)
