"""Per-client quotas in Redis: a fixed window, counted atomically by one Lua script.

Anonymous clients are counted by IP address (behind the configured number
of trusted reverse proxies), token holders by their user, so a user who
mints more tokens gets no more quota; a token CKAN does not know (revoked,
forged) counts as anonymous.  The quota holds across every web worker and
server that shares the Redis (kept on disk: Redis runs with its append-only
file, so counters and limits survive a restart).  A site sets the default
limits; a sysadmin may give a user their own limit
(`opendata_th_api_token_limit`, given one of their tokens or their name),
stored by user too: a token minted afterwards has the same limit and the
same counter.

Counted paths: the records API and OpenAPI documents (views.py, fast.py),
``datastore_search``/``datastore_search_sql`` through the action API
(quota.py) and the DataStore dump (dump.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import api_token
from ckan.lib.redis import connect_to_redis
from flask import request
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KEY_PREFIX = "odth:api:rl"
USER_LIMITS = "odth:api:user_limits"

# INCR the window's counter, start its expiry on the first hit; answer the
# count and the seconds left.  One script, so two workers never both see a
# fresh window.
_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


@dataclass
class Verdict:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    allowed: bool

    def headers(self) -> dict[str, str]:
        found = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={window()}",
        }
        if not self.allowed:
            found["Retry-After"] = str(self.reset)
        return found


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.opendata_th.api.rate_limit.enabled"))


def window() -> int:
    return tk.asint(tk.config.get("ckanext.opendata_th.api.rate_limit.window"))


def token_id(raw: str | None) -> str | None:
    """The id (`jti`) of a valid-looking API token, or None."""
    if not raw:
        return None
    payload = api_token.decode(raw)
    if not payload or not payload.get("jti"):
        return None
    return str(payload["jti"])


def client_ip() -> str:
    """The client's address: X-Forwarded-For as written by our trusted proxies, else the peer.

    Only the entry the nearest trusted proxy appended counts; entries to its
    left were written by the client and can be anything.
    """
    hops = tk.asint(tk.config.get("ckanext.opendata_th.api.rate_limit.trusted_proxies"))
    if hops > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or "unknown"


def _known_token_user(jti: str | None) -> str | None:
    """The user of a token CKAN has issued and not revoked."""
    token = model.ApiToken.get(jti) if jti else None
    return str(token.user_id) if token is not None else None


def token_user(raw: str | None) -> str | None:
    """The id of the user a valid, unrevoked API token belongs to."""
    return _known_token_user(token_id(raw))


def client() -> tuple[str, int]:
    """The client's key and its limit for this window."""
    header = tk.config.get("apitoken_header_name") or "Authorization"
    user_id = token_user(request.headers.get(header))
    if user_id:
        own = connect_to_redis().hget(USER_LIMITS, user_id)
        default = tk.asint(tk.config.get("ckanext.opendata_th.api.rate_limit.token"))
        return f"user:{user_id}", int(own) if own is not None else default
    return f"ip:{client_ip()}", tk.asint(tk.config.get("ckanext.opendata_th.api.rate_limit.anonymous"))


def hit() -> Verdict | None:
    """Count one request of the current client; None when quotas are off or unlimited (0)."""
    if not enabled():
        return None
    try:
        key, limit = client()
        if limit <= 0:
            return None
        count, ttl = connect_to_redis().eval(_SCRIPT, 1, f"{KEY_PREFIX}:{key}", window())
    except RedisError:
        # Quotas protect the service; an outage of Redis must not take the data API down with it.
        log.warning("Rate limit not applied: Redis is unavailable", exc_info=True)
        return None
    count, ttl = int(count), int(ttl)
    return Verdict(limit=limit, remaining=max(limit - count, 0), reset=max(ttl, 0), allowed=count <= limit)


def set_user_limit(user_id: str, limit: int | None) -> None:
    """The user's own limit per window (every token of theirs); None returns them to the default."""
    redis = connect_to_redis()
    if limit is None:
        redis.hdel(USER_LIMITS, user_id)
    else:
        redis.hset(USER_LIMITS, user_id, limit)
