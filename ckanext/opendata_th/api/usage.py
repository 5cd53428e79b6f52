"""API calls and downloads per resource: one Redis round trip on the request path.

A hash per resource (`odth:api:usage:<resource id>`) holds one counter per
kind of call; reading sums them per resource and per dataset.  A sorted
set (`RANKING`: resource id -> all its calls) is kept in the same round
trip, so whoever ranks resources by use (the home page's "Most used")
reads one key instead of scanning Redis for the hashes.  Counting never
fails a request: a Redis hiccup loses a count, not an answer.
"""

from __future__ import annotations

import logging
from typing import Any

from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KEY_PREFIX = "odth:api:usage"
RANKING = "odth:api:usage_ranking"
_RANKING_BUILT = "odth:api:usage_ranking_built"  # the hashes were ranked once (see `_rebuild_ranking`)
KINDS = ("records", "record", "schema", "openapi", "csv", "xlsx", "download")


def _key(resource_id: str) -> str:
    return f"{KEY_PREFIX}:{resource_id}"


def count(resource_id: str, kind: str) -> None:
    try:
        pipe = connect_to_redis().pipeline(transaction=False)
        pipe.hincrby(_key(resource_id), kind, 1)
        pipe.zincrby(RANKING, 1, resource_id)
        pipe.execute()
    except RedisError:
        log.warning("API usage count lost for %s", resource_id, exc_info=True)


def ranking() -> dict[str, int]:
    """`{resource id: all its calls and downloads}` for every resource used at least once.

    Empty while Redis is away: the pages that rank by use still render.
    """
    try:
        redis = connect_to_redis()
        if not redis.exists(RANKING, _RANKING_BUILT):
            _rebuild_ranking()
        ranked = redis.zrange(RANKING, 0, -1, withscores=True)
    except RedisError:
        log.warning("API usage ranking unavailable (Redis)", exc_info=True)
        return {}
    return {(member.decode() if isinstance(member, bytes) else str(member)): int(score) for member, score in ranked}


def _rebuild_ranking() -> None:
    """The ranking from the hashes, once: counters written before the ranking existed still rank."""
    redis = connect_to_redis()
    prefix = f"{KEY_PREFIX}:"
    ids = [
        (key.decode() if isinstance(key, bytes) else str(key))[len(prefix) :]
        for key in redis.scan_iter(match=prefix + "*", count=1000)
    ]
    totals = {resource_id: found["total"] for resource_id, found in counts(ids).items() if found["total"] > 0}
    if totals:
        redis.zadd(RANKING, totals, gt=True)  # never lowers what a concurrent count just raised
    redis.set(_RANKING_BUILT, 1)


def counts(resource_ids: list[str]) -> dict[str, dict[str, int]]:
    """`{resource id: {kind: n, ..., "total": n}}` for each id; zeros while Redis is away."""
    pipe = connect_to_redis().pipeline(transaction=False)
    for resource_id in resource_ids:
        pipe.hgetall(_key(resource_id))
    try:
        stored = pipe.execute()
    except RedisError:
        log.warning("API usage counts unavailable (Redis)", exc_info=True)
        stored = [{} for _ in resource_ids]
    found: dict[str, dict[str, int]] = {}
    for resource_id, raw in zip(resource_ids, stored, strict=True):
        by_kind: dict[str, Any] = {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}
        found[resource_id] = {**{kind: by_kind.get(kind, 0) for kind in KINDS}, "total": sum(by_kind.values())}
    return found
