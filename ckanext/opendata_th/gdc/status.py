"""Import jobs' state, uploaded file and per-row report, kept in Redis.

Why Redis and not a file under `ckan.storage_path`: the web app and the job
workers must already share Redis (it is the job queue), but need not share a
disk, so the uploaded workbook and the progress the page polls travel the
same way as the job.  Every key expires (`TTL`), so nothing has to clean up
old imports, and the state survives web and worker restarts as long as the
queue does.  The summary is a hash updated in place and the report a list
appended to row by row, so progress costs one small write per row however
large the report grows.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

TTL = 7 * 24 * 3600  # seconds an import's state, file and report are kept
_COUNTERS = ("total", "done", "created", "updated", "rejected")


def _key(import_id: str, part: str = "") -> str:
    site = tk.config.get("ckan.site_id") or "default"
    return f"{site}:opendata_th:gdc:import:{import_id}" + (f":{part}" if part else "")


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def create(import_id: str, info: dict[str, str], content: bytes) -> None:
    """Record a new import (state `queued`) and keep its workbook until it has run."""
    redis = connect_to_redis()
    fields = {**info, "id": import_id, "state": "queued", "created_at": now(), "error": ""}
    fields.update(dict.fromkeys(_COUNTERS, "0"))
    with redis.pipeline() as pipe:
        pipe.hset(_key(import_id), mapping=fields)
        pipe.expire(_key(import_id), TTL)
        pipe.set(_key(import_id, "file"), content, ex=TTL)
        pipe.execute()


def exists(import_id: str) -> bool:
    return bool(connect_to_redis().exists(_key(import_id)))


def file_content(import_id: str) -> bytes | None:
    content = connect_to_redis().get(_key(import_id, "file"))
    return bytes(content) if content is not None else None


def drop_file(import_id: str) -> None:
    connect_to_redis().delete(_key(import_id, "file"))


def update(import_id: str, **fields: Any) -> None:
    connect_to_redis().hset(_key(import_id), mapping={k: str(v) for k, v in fields.items()})


def add_row(import_id: str, row: dict[str, Any], outcome: str) -> None:
    """Append a report row and count it, atomically, so progress never lags the report."""
    redis = connect_to_redis()
    with redis.pipeline() as pipe:
        pipe.rpush(_key(import_id, "rows"), json.dumps(row, ensure_ascii=False))
        pipe.expire(_key(import_id, "rows"), TTL)
        pipe.hincrby(_key(import_id), "done", 1)
        pipe.hincrby(_key(import_id), outcome, 1)
        pipe.execute()


def reset_report(import_id: str) -> None:
    """Start the report afresh: a re-run job reports its own rows only."""
    redis = connect_to_redis()
    with redis.pipeline() as pipe:
        pipe.delete(_key(import_id, "rows"))
        pipe.hset(_key(import_id), mapping=dict.fromkeys(_COUNTERS[1:], "0"))
        pipe.execute()


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def get(import_id: str, with_rows: bool = True) -> dict[str, Any] | None:
    """The import's state, counters and (optionally) report rows; None if unknown or expired."""
    redis = connect_to_redis()
    raw = redis.hgetall(_key(import_id))
    if not raw:
        return None
    info: dict[str, Any] = {_text(k): _text(v) for k, v in raw.items()}
    for counter in _COUNTERS:
        info[counter] = int(info.get(counter) or 0)
    info["warnings"] = json.loads(info.get("warnings") or "[]")
    if with_rows:
        rows = redis.lrange(_key(import_id, "rows"), 0, -1)
        info["rows"] = [json.loads(_text(row)) for row in rows]
    return info
