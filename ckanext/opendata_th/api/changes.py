"""When a table's data last changed: the API's `Last-Modified` and part of its cache keys.

Two cheap sources, both in Redis, one round trip:

- `seen`: the first time this room saw the table's fingerprint (see
  `stats.fingerprints`).  A re-load swaps in a new table, new rows move the
  highest `_id` and a dictionary edit changes the column comments, so every
  way data reaches the table (ingest's COPY and swap, the DataStore
  actions, even SQL run by hand) moves it.  It is never earlier than the
  change, at worst a little later (when nobody asked in between).
- `written`: stamped by the chained `datastore_upsert`, `datastore_delete`
  and `datastore_records_delete` (see `actions`) when they succeed.  An
  update or delete changes only PostgreSQL's statistics counters; CKAN's
  DataStore writes and ingest's loads publish those before their COMMIT
  returns (`lib.tablestats`), and the stamp gives the change its time.
  A write by hand in SQL shows once its session publishes its counters.

The resource's metadata dates are not used: a `datastore_upsert` does not
touch them, and a metadata edit does not change the data.
"""

from __future__ import annotations

import datetime
import logging
import time

from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

SEEN_PREFIX = "odth:api:seen"
WRITTEN_PREFIX = "odth:api:written"
ANY_WRITTEN = "odth:api:written_any"  # counts every stamped write: the catalogue document's key
KEEP_SECONDS = 90 * 24 * 3600  # a fingerprint nobody asked for in 90 days is seen anew


def _now_ms() -> int:
    return int(time.time() * 1000)


def mark_written(resource_id: str) -> None:
    """Record that the table's rows were just written through a DataStore action."""
    try:
        pipe = connect_to_redis().pipeline(transaction=False)
        pipe.set(f"{WRITTEN_PREFIX}:{resource_id}", _now_ms(), ex=KEEP_SECONDS)
        pipe.incr(ANY_WRITTEN)
        pipe.execute()
    except RedisError:
        # The write itself succeeded; the fingerprint still moves, a little later.
        log.warning("Change stamp lost for %s", resource_id, exc_info=True)


def version(resource_id: str, fingerprint: str) -> tuple[str, datetime.datetime]:
    """The table's version (fingerprint and write stamp, for cache keys and ETags) and its last change."""
    seen_key = f"{SEEN_PREFIX}:{resource_id}:{fingerprint}"
    try:
        pipe = connect_to_redis().pipeline(transaction=False)
        pipe.set(seen_key, _now_ms(), nx=True, ex=KEEP_SECONDS)  # the first worker to see it wins
        pipe.get(seen_key)
        pipe.get(f"{WRITTEN_PREFIX}:{resource_id}")
        _created, seen, written = pipe.execute()
    except RedisError:
        # Redis is away: the fingerprint alone still moves with the data; "changed now" never
        # answers a stale 304.
        log.warning("Change stamps unavailable for %s (Redis)", resource_id, exc_info=True)
        seen, written = _now_ms(), 0
    stamp = max(int(seen or 0), int(written or 0))
    changed = datetime.datetime.fromtimestamp(stamp / 1000, tz=datetime.UTC)
    return f"{fingerprint}:{int(written or 0)}", changed


def writes() -> int:
    """How many stamped writes the site has seen (any table)."""
    try:
        return int(connect_to_redis().get(ANY_WRITTEN) or 0)
    except RedisError:
        log.warning("Write count unavailable (Redis)", exc_info=True)
        return 0


def written_stamps(resource_ids: list[str]) -> list[str]:
    """The write stamps of several tables (for the dataset document's key), "" where none."""
    if not resource_ids:
        return []
    try:
        found = connect_to_redis().mget([f"{WRITTEN_PREFIX}:{rid}" for rid in resource_ids])
    except RedisError:
        log.warning("Write stamps unavailable (Redis)", exc_info=True)
        return ["" for _ in resource_ids]
    return [(value.decode() if isinstance(value, bytes) else str(value)) if value else "" for value in found]
