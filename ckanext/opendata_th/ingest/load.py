"""COPY into a staging table, then swap it into the DataStore in one step.

The DataStore table of a resource is `public."<resource id>"` with `_id`
(serial primary key), `_full_text` (tsvector, GIN-indexed), the data
columns, the `zfulltext` trigger (fills `_full_text` for later upserts) and
the data dictionary as column comments (`' ' + {"_info": {...}}`); its row
count is cached in `_table_stats`.  `datastore_create` builds the same
thing with INSERTs of JSON records; here it is built in bulk (bulk.py):

1. `opendata_th_ingest."<resource id>"` is dropped (a leftover of a killed
   load) and created with its rows from the raw staging table by one
   CREATE TABLE AS (bulk.create_typed), then `_id`'s sequence, the primary
   key, the full-text index, the trigger and the comments are added, and
   that transaction commits.  The published table is untouched so far.
2. One transaction drops the published table (and its alias views), moves
   the staging table into `public`, recreates the aliases, grants the read
   role and refreshes the row count.  Readers see the old table until the
   commit and the new one after it.

A failure or a kill anywhere leaves the published table as it was; the
next run starts again at step 1.  All SQL is composed with psycopg2.sql.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import psycopg2
import psycopg2.extensions
import sqlalchemy as sa
from ckan import model
from ckan.lib.search import SearchIndexError
from psycopg2 import sql

from ckanext.opendata_th.ingest import status
from ckanext.opendata_th.lib import tablestats

STAGING_SCHEMA = status.SCHEMA

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Column:
    id: str
    pg_type: str
    info: dict[str, Any]  # the data dictionary: label, notes, type_override


def _ident(*names: str) -> sql.Composable:
    return sql.Identifier(*names)


def _comment(info: dict[str, Any]) -> str:
    # The DataStore reads column comments as ' ' + JSON (the space marks its
    # current schema version), with the dictionary under "_info".
    return " " + json.dumps({"_info": info}, ensure_ascii=False, separators=(",", ":"))


def stage(
    connection: psycopg2.extensions.connection,
    resource_id: str,
    columns: list[Column],
    create: Callable[[psycopg2.extensions.cursor, sql.Composable, sql.Composable], int],
) -> int:
    """Build the complete new table in the staging schema; returns its row count.

    `create(cursor, table, sequence)` creates the table with its rows and
    `_id` as a serial would (bulk.create_typed: one CREATE TABLE AS).
    """
    table = _ident(STAGING_SCHEMA, resource_id)
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        # The name PostgreSQL gives a serial's sequence, as CKAN's own tables have.
        count = create(cursor, table, _ident(STAGING_SCHEMA, f"{resource_id}__id_seq"))
        _check_types(cursor, resource_id, columns)
        # Index builds sort in memory instead of spilling to disk (the
        # session's default is 64 MB); PostgreSQL's memory, not the worker's.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        _finish(cursor, resource_id, columns)
        tablestats.flush_on_commit(cursor)  # the table keeps its oid and counters once swapped in
    return count


def _check_types(cursor: psycopg2.extensions.cursor, resource_id: str, columns: list[Column]) -> None:
    """The created table has exactly the planned columns and types (the data dictionary describes them)."""
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute"
        " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        (_ident(STAGING_SCHEMA, resource_id).as_string(cursor),),
    )
    found = [(name, pg_type) for name, pg_type in cursor.fetchall()]
    cursor.execute(
        "SELECT unnest(%s::text[]), format_type(unnest(%s::regtype[]), NULL)",
        (["_id", "_full_text", *(c.id for c in columns)], ["int4", "tsvector", *(c.pg_type for c in columns)]),
    )
    planned = [(name, pg_type) for name, pg_type in cursor.fetchall()]
    if found != planned:
        raise RuntimeError(f"staged table {resource_id} has columns {found}, planned {planned}")


def _finish(cursor: psycopg2.extensions.cursor, resource_id: str, columns: list[Column]) -> None:
    """Indexes, trigger and dictionary, built once on the full table (faster than during COPY)."""
    from ckanext.datastore.backend.postgres import _generate_index_name

    table = _ident(STAGING_SCHEMA, resource_id)
    cursor.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (_id)").format(table))
    # GIN, whatever the DataStore's default (GiST): our _full_text holds exact
    # words, GIN builds in bulk in a fraction of GiST's time and answers
    # word lookups exactly (GiST rechecks lossy signatures).
    method = "gin"
    cursor.execute(
        sql.SQL("CREATE INDEX {} ON {} USING {} (_full_text)").format(
            _ident(_generate_index_name(resource_id, "_full_text")), table, sql.SQL(method)
        )
    )
    cursor.execute("SELECT to_regproc('public.populate_full_text_trigger') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute(
            sql.SQL(
                "CREATE TRIGGER zfulltext BEFORE INSERT OR UPDATE ON {} "
                "FOR EACH ROW EXECUTE PROCEDURE public.populate_full_text_trigger()"
            ).format(table)
        )
    for column in columns:
        cursor.execute(
            sql.SQL("COMMENT ON COLUMN {}.{} IS %s").format(table, _ident(column.id)), (_comment(column.info),)
        )


def swap(
    connection: psycopg2.extensions.connection,
    resource_id: str,
    also: Callable[[psycopg2.extensions.cursor], None] | None = None,
) -> None:
    """Publish the staged table in place of the current one, in one transaction.

    `also(cursor)` runs in that transaction: what must become true exactly
    when the new table does (its PDPA state) commits with it or not at all.
    """
    read_role = sa.engine.make_url(tk.config["ckan.datastore.read_url"]).username
    public = _ident("public", resource_id)
    with connection, connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '120s'")
        cursor.execute(
            "SELECT name FROM _table_metadata WHERE alias_of = %s AND name <> alias_of",
            (resource_id,),
        )
        aliases = [row[0] for row in cursor.fetchall()]
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(public))
        cursor.execute(sql.SQL("ALTER TABLE {} SET SCHEMA public").format(_ident(STAGING_SCHEMA, resource_id)))
        for alias in aliases:
            cursor.execute(sql.SQL("CREATE VIEW {} AS SELECT * FROM {}").format(_ident("public", alias), public))
        if read_role:
            cursor.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(public, _ident(read_role)))
            for alias in aliases:
                cursor.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(_ident("public", alias), _ident(read_role)))
        cursor.execute("SELECT to_regproc('public.update_cached_table_row_count') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT public.update_cached_table_row_count(%s)", (resource_id,))
        if also is not None:
            also(cursor)


def existing_dictionary(connection: psycopg2.extensions.connection, resource_id: str) -> dict[str, dict[str, Any]]:
    """The data dictionary of the published table: {column id: info}, for overrides and edited labels."""
    with connection, connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.attname, d.description
               FROM pg_attribute a
               JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
               WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0""",
            (sql.Identifier("public", resource_id).as_string(connection),),
        )
        found: dict[str, dict[str, Any]] = {}
        for name, description in cursor.fetchall():
            try:
                info = json.loads(description).get("_info")
            except (TypeError, ValueError, AttributeError):
                continue
            if isinstance(info, dict):
                found[name] = info
        return found


def table_exists(connection: psycopg2.extensions.connection, resource_id: str) -> bool:
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL", (sql.Identifier("public", resource_id).as_string(connection),)
        )
        return bool(cursor.fetchone()[0])


def drop_staging(connection: psycopg2.extensions.connection, resource_id: str) -> None:
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(_ident(STAGING_SCHEMA, resource_id)))


# --- datastore_active and the search index ------------------------------------------

REINDEX_RETRY_SECONDS = 15
REINDEX_MAX_ATTEMPTS = 24 * 3600 // REINDEX_RETRY_SECONDS  # a day of Solr outage


def _patch_active(resource_id: str) -> None:
    """CKAN's own path: the flag, the dataset re-indexed, the resource hooks (preview views) run."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"ignore_auth": True, "user": site_user["name"]}
    tk.get_action("resource_patch")(context, {"id": resource_id, "datastore_active": True})


def mark_active(resource_id: str) -> None:
    """Set the resource's `datastore_active`; a search index that is away does not fail the load.

    CKAN's `resource_patch` indexes the dataset before it commits, so with
    Solr away it raises and saves nothing, although the table is already
    published.  Then the flag is written to the resource directly (the
    catalogue's database is the truth; search is a copy of it) and the
    patch is queued again (`patch_when_indexed`) to run once Solr answers.
    """
    try:
        _patch_active(resource_id)
        return
    except SearchIndexError:
        model.Session.rollback()
        log.warning("Search index unavailable: %s is active, its dataset is indexed later", resource_id)
    resource = model.Resource.get(resource_id)
    if resource is None:
        return
    resource.extras = {**(resource.extras or {}), "datastore_active": True}
    model.repo.commit()
    _enqueue_patch(resource_id, attempt=1)


def _enqueue_patch(resource_id: str, attempt: int) -> None:
    tk.enqueue_job(
        patch_when_indexed,
        [resource_id, attempt],
        title=f"opendata_th index {resource_id}",
        queue=tk.config.get("ckanext.opendata_th.ingest.queue") or "default",
    )


def patch_when_indexed(resource_id: str, attempt: int = 1) -> None:
    """Job: `datastore_active` through CKAN again, now with the index; while Solr is away, wait and retry.

    The worker runs no scheduler (RQ's delayed retries need one), so the
    wait is a pause here and the retry goes to the back of the queue: loads
    queued meanwhile still run.  Safe to run twice (the patch changes nothing
    the second time).
    """
    try:
        _patch_active(resource_id)
        return
    except SearchIndexError:
        model.Session.rollback()
        if attempt >= REINDEX_MAX_ATTEMPTS:
            log.error("Gave up indexing the dataset of %s after %s attempts", resource_id, attempt)
            return
        log.warning("Search index still unavailable; indexing the dataset of %s later", resource_id)
    except tk.ObjectNotFound:
        return  # deleted meanwhile
    time.sleep(REINDEX_RETRY_SECONDS)
    _enqueue_patch(resource_id, attempt + 1)
