"""The cached OpenAPI document of a table anyone may read, served before CKAN's request setup.

Most of a cached document's time went to CKAN's per-request setup
(identifying the user, which for a token is a database lookup) and to the
auth chain run as that user.  A resource's document is the same for every
reader, so when anonymous users may read the table, whoever asks may have
it: this path asks the access question as the anonymous user (CKAN's
`datastore_info` auth: package_show with governance's members-only rule,
and the ingest PDPA guard; nothing is re-decided here), keeps the answer
under a key made of every input of that decision (`public_decision`), and
answers from the cache.  Anything else (a table only some users may read, a document not
cached yet, any other URL) falls through to the ordinary view, which
identifies the user and decides as usual.

The quota and usage count still apply; CORS, ETag/304 and gzip are added
by the blueprint's `after` hook as for every API response.
"""

from __future__ import annotations

import logging
import re
import time

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from flask import Response, g, request
from redis.exceptions import RedisError

from ckanext.opendata_th.api import changes, errors, openapi, ratelimit, stats, urls, usage
from ckanext.opendata_th.ingest import status as ingest_status

_DOCUMENT = re.compile(rf"^{re.escape(urls.PREFIX)}/resources/(?P<resource_id>[^/]+)/openapi\.json$")
ANONYMOUS: dict[str, object] = {"user": "", "ignore_auth": False}
DECISION_PREFIX = "odth:api:public:"
DECISION_SECONDS = 24 * 3600

log = logging.getLogger(__name__)


def public_readable(resource_id: str) -> bool:
    """Whether the anonymous user may read the table, as CKAN's auth chain answers."""
    try:
        tk.check_access("datastore_info", dict(ANONYMOUS), {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return False  # the view answers these with its own error
    return True


def _pdpa_state(resource_id: str) -> str:
    """The ingest room's PDPA state of the table: an input of the decision's cache key, never the decision."""
    row = ingest_status.get(resource_id)
    return str(row.get("pdpa_state") or "") if row else ""


def public_decision(resource: model.Resource, dataset: model.Package, version: str) -> bool:
    """`public_readable`, cached under every input it depends on, so any change asks CKAN's auth again.

    The key holds the dataset's and resource's metadata dates, privacy and
    state (governance's classification is metadata), the table's version
    and the PDPA state; the answer itself always comes from the auth chain.
    """
    key = DECISION_PREFIX + stats.combined(
        [
            resource.id,
            version,
            str(dataset.metadata_modified),
            str(resource.metadata_modified),
            str(dataset.private),
            str(dataset.state),
            str(resource.state),
            _pdpa_state(resource.id),
        ]
    )
    try:
        redis = connect_to_redis()
        found = redis.get(key)
        if found is not None:
            return bool(found == b"1")
        readable = public_readable(resource.id)
        redis.set(key, "1" if readable else "0", ex=DECISION_SECONDS)
    except RedisError:
        # No cache while Redis is away: the ordinary view decides (and serves) the request.
        log.warning("Public decision cache unavailable (Redis)", exc_info=True)
        return False
    return readable


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
    if resource is None or dataset is None:
        return None
    fingerprint = stats.fingerprint(resource_id)
    if fingerprint is None:
        return None
    version, _changed = changes.version(resource_id, fingerprint)
    if not public_decision(resource, dataset, version):
        return None
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
