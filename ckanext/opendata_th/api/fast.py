"""The cached OpenAPI document of a table anyone may read, served before CKAN's request setup.

Most of a cached document's time went to CKAN's per-request setup
(identifying the user, which for a token is a database lookup) and to the
auth chain run as that user.  A resource's document is the same for every
reader, so when anonymous users may read the table, whoever asks may have
it: this path asks the access question as the anonymous user (CKAN's
`datastore_info` auth: package_show with governance's members-only rule,
and the ingest PDPA guard; nothing is re-decided here) and answers from the
cache.  Anything else (a table only some users may read, a document not
cached yet, any other URL) falls through to the ordinary view, which
identifies the user and decides as usual.

The quota and usage count still apply; CORS, ETag/304 and gzip are added
by the blueprint's `after` hook as for every API response.
"""

from __future__ import annotations

import re
import time

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Response, g, request

from ckanext.opendata_th.api import changes, errors, openapi, ratelimit, stats, urls, usage

_DOCUMENT = re.compile(rf"^{re.escape(urls.PREFIX)}/resources/(?P<resource_id>[^/]+)/openapi\.json$")
ANONYMOUS: dict[str, object] = {"user": "", "ignore_auth": False}


def public_readable(resource_id: str) -> bool:
    """Whether the anonymous user may read the table, as CKAN's auth chain answers."""
    try:
        tk.check_access("datastore_info", dict(ANONYMOUS), {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return False  # the view answers these with its own error
    return True


def cached_public_document() -> Response | None:
    """A before_request function of the whole app, run first; None lets the request go on."""
    if request.method not in ("GET", "HEAD"):
        return None
    match = _DOCUMENT.match(request.path)
    if match is None:
        return None
    resource_id = match["resource_id"]
    resource = model.Resource.get(resource_id)
    dataset = resource.package if resource is not None else None
    if resource is None or dataset is None or not public_readable(resource_id):
        return None
    fingerprint = stats.fingerprint(resource_id)
    if fingerprint is None:
        return None
    version, _changed = changes.version(resource_id, fingerprint)
    text = openapi.cached_only(openapi.resource_key(resource, dataset, version))
    if text is None:
        return None
    # CKAN's after_request reads the start time its own before_request sets.
    setattr(g, "__timer", time.time())
    g.odth_public = True
    verdict = ratelimit.hit()
    g.odth_rate_limit = verdict
    if verdict is not None and not verdict.allowed:
        return errors.response(errors.rate_limited(verdict.reset))
    usage.count(resource_id, "openapi")
    response = Response(text, content_type=errors.JSON_TYPE)
    response.headers["X-Cache"] = "HIT"
    return response
