"""What the OpenAPI documents say about a table's columns, read from the table itself.

Runs only after the caller's access was checked by a CKAN action (see
`openapi`), on the DataStore's read-only connection, with identifiers
composed by psycopg2's `sql.Identifier` (never string formatting).

`fingerprints` change whenever a table does: a re-load swaps in a new
table (new oid), new rows move the highest `_id`, updates and deletes move
the statistics counters, and a data-dictionary edit changes the column
comments.  The documents are cached under it.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
from typing import Any

import psycopg2.errors
from ckanext.datastore.backend.postgres import get_read_engine
from psycopg2 import sql

from ckanext.opendata_th.ingest import pdpa

COMMON_MAX = 20  # a text column with at most this many distinct values has them documented
RANGE_TYPES = ("int", "int2", "int4", "int8", "integer", "bigint", "numeric", "float4", "float8", "date", "timestamp")

_FINGERPRINT = """
SELECT c.relname,
       md5(concat_ws('|', c.oid, c.relfilenode,
           COALESCE(s.n_tup_ins, 0), COALESCE(s.n_tup_upd, 0), COALESCE(s.n_tup_del, 0),
           (SELECT string_agg(a.attname || ':' || COALESCE(col_description(c.oid, a.attnum), ''), ',' ORDER BY a.attnum)
              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)))
  FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = ANY(%s)
"""


def _run(query: Any, params: Any = None) -> list[tuple[Any, ...]]:
    connection = get_read_engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        connection.rollback()
        return rows
    finally:
        connection.close()


def fingerprints(resource_ids: list[str]) -> dict[str, str]:
    """`{resource id: fingerprint}` for the tables that exist."""
    if not resource_ids:
        return {}
    found = {name: digest for name, digest in _run(_FINGERPRINT, (list(resource_ids),))}
    if not found:
        return found
    # A session writing by hand publishes its statistics counters late (see
    # lib.tablestats); the highest _id (an index lookup) moves at once when rows are added.
    parts = [sql.SQL("SELECT %s, max(_id) FROM {}").format(sql.Identifier(name)) for name in found]
    for name, highest in _run(sql.SQL(" UNION ALL ").join(parts), list(found)):
        found[name] = f"{found[name]}:{highest}"
    return found


_ONE_FINGERPRINT = """
SELECT md5(concat_ws('|', c.oid, c.relfilenode,
           pg_stat_get_tuples_inserted(c.oid), pg_stat_get_tuples_updated(c.oid), pg_stat_get_tuples_deleted(c.oid),
           (SELECT string_agg(a.attname || ':' || COALESCE(col_description(c.oid, a.attnum), ''), ',' ORDER BY a.attnum)
              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)))
       || ':' || COALESCE((SELECT max(_id) FROM {table}), 0)
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = %s
"""


def fingerprint(resource_id: str) -> str | None:
    """One table's fingerprint in one statement (the request path of every endpoint), or None.

    The same inputs as `fingerprints`, read through the statistics functions
    rather than the `pg_stat_user_tables` view, which joins every table's
    counters.
    """
    table = sql.Identifier(resource_id)
    statement = sql.SQL(_ONE_FINGERPRINT).format(table=table)
    connection = get_read_engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            try:
                cursor.execute(statement, (resource_id,))
                row = cursor.fetchone()
            except psycopg2.errors.UndefinedTable:  # no table (yet): max(_id) cannot be read
                row = None
        connection.rollback()
    finally:
        connection.close()
    return str(row[0]) if row and row[0] else None


_ALL_FINGERPRINT = """
SELECT md5(concat_ws('|',
         (SELECT string_agg(concat_ws(':', c.oid, c.relfilenode, pg_stat_get_tuples_inserted(c.oid),
                                      pg_stat_get_tuples_updated(c.oid), pg_stat_get_tuples_deleted(c.oid)),
                            ',' ORDER BY c.oid)
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'),
         (SELECT string_agg(concat_ws(':', d.objoid, d.objsubid, d.description), ',' ORDER BY d.objoid, d.objsubid)
            FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r')))
"""


def all_tables_fingerprint() -> str:
    """One fingerprint of every DataStore table: moves when any table is made, swapped, written or described.

    Catalogue-wide and index-free (no max(_id) per table), so rows added
    by SQL outside the DataStore actions show once PostgreSQL's statistics
    counters have them; the actions' writes are stamped at once (`changes`).
    """
    return str(_run(_ALL_FINGERPRINT)[0][0])


def combined(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def plain(value: Any) -> Any:
    """A database value as JSON (dates as ISO text, decimals as numbers)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _looks_personal(field: dict[str, Any], texts: list[str]) -> bool:
    info = field.get("info") or {}
    headers = [field["id"], str(info.get("label") or ""), str(info.get("label_en") or "")]
    return any(pdpa.header_kind(h) for h in headers if h) or any(pdpa.kind_of(text) for text in texts)


def columns(resource_id: str, fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per column: `example`, and `minimum`/`maximum` (numbers, dates) or `common` (few distinct texts).

    These describe the table as it is today; the documents give them as
    examples and annotations, never as constraints a new row could break.
    A column whose header or values look personal (the PDPA rule) lists no values.
    """
    table = sql.Identifier(resource_id)
    found: dict[str, dict[str, Any]] = {f["id"]: {} for f in fields}
    ranged = [f["id"] for f in fields if f["type"] in RANGE_TYPES and f["id"] != "_id"]
    if ranged:
        parts = [sql.SQL("min({0}), max({0})").format(sql.Identifier(name)) for name in ranged]
        row = _run(sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(parts), table))[0]
        for index, name in enumerate(ranged):
            low, high = plain(row[2 * index]), plain(row[2 * index + 1])
            if low is not None:
                found[name].update(minimum=low, maximum=high, example=low)
    for f in fields:
        name = f["id"]
        if f["type"] != "text":
            continue
        values = _run(
            sql.SQL("SELECT DISTINCT {0} FROM {1} WHERE {0} IS NOT NULL AND {0} <> '' LIMIT %s").format(
                sql.Identifier(name), table
            ),
            (COMMON_MAX + 1,),
        )
        texts = sorted(str(v[0]) for v in values)
        if _looks_personal(f, texts):
            continue
        if texts:
            found[name]["example"] = texts[0]
        if 0 < len(texts) <= COMMON_MAX:
            found[name]["common"] = texts
    for f in fields:
        name = f["id"]
        if name == "_id" or "example" in found[name] or f["type"] == "text":
            continue
        rows = _run(sql.SQL("SELECT {0} FROM {1} WHERE {0} IS NOT NULL LIMIT 1").format(sql.Identifier(name), table))
        if rows:
            found[name]["example"] = plain(rows[0][0])
    return found
