"""API calls and downloads per resource: one Redis HINCRBY on the request path.

A hash per resource (`odth:api:usage:<resource id>`) holds one counter per
kind of call; reading sums them per resource and per dataset.  Counting
never fails a request: a Redis hiccup loses a count, not an answer.
"""

from __future__ import annotations

import logging
from typing import Any

from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KEY_PREFIX = "odth:api:usage"
KINDS = ("records", "record", "schema", "openapi", "csv", "xlsx", "download")


def _key(resource_id: str) -> str:
    return f"{KEY_PREFIX}:{resource_id}"


def count(resource_id: str, kind: str) -> None:
    try:
        connect_to_redis().hincrby(_key(resource_id), kind, 1)
    except RedisError:
        log.warning("API usage count lost for %s", resource_id, exc_info=True)


def counts(resource_ids: list[str]) -> dict[str, dict[str, int]]:
    """`{resource id: {kind: n, ..., "total": n}}` for each id."""
    redis = connect_to_redis()
    pipe = redis.pipeline(transaction=False)
    for resource_id in resource_ids:
        pipe.hgetall(_key(resource_id))
    found: dict[str, dict[str, int]] = {}
    for resource_id, raw in zip(resource_ids, pipe.execute(), strict=True):
        by_kind: dict[str, Any] = {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}
        found[resource_id] = {**{kind: by_kind.get(kind, 0) for kind in KINDS}, "total": sum(by_kind.values())}
    return found
