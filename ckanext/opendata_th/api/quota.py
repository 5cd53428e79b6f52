"""Quotas on every path to the DataStore's rows, not only the records API.

The records API and the OpenAPI documents count in views.py and fast.py.
The same rows are read by ``datastore_search`` and ``datastore_search_sql``
through CKAN's action API (``/api/action/...``, ``/api/3/action/...``, GET
or POST) and by ``/datastore/dump`` (dump.py); each request there draws on
the same counter of the same client (`ratelimit.client`: the user behind a
token, so a new token does not reset it; an anonymous client by its IP).
Over the limit the action API answers 429 in CKAN's own error shape, with
Retry-After and the RateLimit headers.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from ckanext.opendata_th.api import errors, ratelimit
from ckanext.opendata_th.guard import outages

COUNTED_ACTIONS = frozenset({"datastore_search", "datastore_search_sql"})
ACTION_ENDPOINT = "api.action"


def _counted_action() -> bool:
    return request.endpoint == ACTION_ENDPOINT and (request.view_args or {}).get("logic_function") in COUNTED_ACTIONS


def refused(verdict: ratelimit.Verdict | None) -> bool:
    return verdict is not None and not verdict.allowed


def count_action() -> Response | None:
    """A before_request function of the app: count a DataStore read through the action API."""
    if request.method == "OPTIONS" or not _counted_action():
        return None
    verdict = ratelimit.hit()
    g.odth_rate_limit = verdict
    if verdict is not None and refused(verdict):
        return errors.action_error(
            429, "Rate Limit Exceeded", errors.RATE_LIMITED, verdict.headers(), seconds=verdict.reset
        )
    return None


def add_headers(response: Response) -> Response:
    """The quota's headers on every answer it counted (the records API adds its own in views.py)."""
    verdict = g.get("odth_rate_limit")
    if verdict is not None and (_counted_action() or request.endpoint == "datastore.dump"):
        response.headers.update(verdict.headers())
    return response


def install(app: Flask) -> None:
    app.before_request(count_action)
    app.after_request(add_headers)
    # Quotas and the action API's answers during a Redis or Solr outage are wired together here,
    # so plugin.py's IMiddleware needs no second call.
    outages.install(app)
