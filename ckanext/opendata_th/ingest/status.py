"""Load status, sheet links and PDPA decisions, one row per resource.

Kept in the DataStore database, in the schema `opendata_th_ingest` that the
DataStore's read role cannot see (messages may quote cell values), and
written on connections of their own with autocommit, so progress is
visible while the load's own transaction is still open and survives a
load that is rolled back or killed.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras
import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_write_engine
from psycopg2 import sql

SCHEMA = "opendata_th_ingest"
TABLE = "_status"

PENDING, RUNNING, COMPLETE, ERROR = "pending", "running", "complete", "error"
PDPA_NONE, PDPA_PENDING, PDPA_CONFIRMED, PDPA_RESOLVED = "none", "pending", "confirmed", "resolved"

COLUMNS = (
    "resource_id",
    "state",
    "phase",
    "rows_done",
    "rows_total",
    "job_id",
    "queued_at",
    "started_at",
    "finished_at",
    "error",
    "fingerprint",
    "file_hash",
    "sheet_of",
    "sheet",
    "sheets",
    "notes",
    "pii_columns",
    "pdpa_state",
    "pdpa_actions",
    "recovered_job",
)
# Every phase a load goes through, with its label (a msgid; ingest.po has the Thai).
PHASES = {
    "queued": "Queued",
    "fetching": "Fetching the file",
    "reading": "Reading the rows",
    "analysing": "Detecting the column types",
    "typing": "Converting the values",
    "loading": "Writing the table",
    "swapping": "Publishing the table",
    "complete": "Complete",
    "unchanged": "Unchanged since the last load",
    "failed": "Failed",
    "interrupted": "Interrupted",
}
# The error a load shows when its worker died without a word (see `checked`).
INTERRUPTED = (
    "The load was interrupted before it finished (its worker stopped); "
    "the table published before it is unchanged. Run the load again."
)
# Advisory lock namespace (first key) of the lock a running load holds.
LOCK_NAMESPACE = 5_20_05
# While reading, rows_total is estimated from the bytes read (jobs.estimate_rows).
ESTIMATED_PHASES = frozenset({"reading"})

_JSON = frozenset({"error", "sheets", "notes", "pii_columns", "pdpa_actions"})

_DDL = sql.SQL(
    """
    CREATE SCHEMA IF NOT EXISTS {schema};
    REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;
    CREATE TABLE IF NOT EXISTS {schema}.{table} (
        resource_id text PRIMARY KEY,
        state text NOT NULL DEFAULT 'pending',
        phase text,
        rows_done bigint NOT NULL DEFAULT 0,
        rows_total bigint,
        job_id text,
        queued_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        error jsonb,
        fingerprint text,
        file_hash text,
        sheet_of text,
        sheet text,
        sheets jsonb,
        notes jsonb,
        pii_columns jsonb,
        pdpa_state text NOT NULL DEFAULT 'none',
        pdpa_actions jsonb,
        recovered_job text
    );
    -- the job a recovery queued (ingest/recovery.py), for tables made before it
    ALTER TABLE {schema}.{table} ADD COLUMN IF NOT EXISTS recovered_job text;
    """
).format(schema=sql.Identifier(SCHEMA), table=sql.Identifier(TABLE))

_ready: set[str] = set()


def connect() -> psycopg2.extensions.connection:
    """A psycopg2 connection to the DataStore database as its write user."""
    url = sa.engine.make_url(tk.config["ckan.datastore.write_url"])
    return psycopg2.connect(
        host=url.host,
        port=url.port,
        dbname=url.database,
        user=url.username,
        password=url.password,
        application_name="opendata_th-ingest",
    )


@contextlib.contextmanager
def _cursor() -> Iterator[psycopg2.extensions.cursor]:
    connection = connect()
    try:
        connection.autocommit = True
        _ensure_schema(connection)
        with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
            yield cursor
    finally:
        connection.close()


def _ensure_schema(connection: psycopg2.extensions.connection) -> None:
    key = connection.dsn
    if key in _ready:
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute(_DDL)
        except psycopg2.errors.UniqueViolation:  # two workers creating it at once
            cursor.execute(_DDL)
    _ready.add(key)


def _value(column: str, value: Any) -> Any:
    return psycopg2.extras.Json(value) if column in _JSON and value is not None else value


def get(resource_id: str) -> dict[str, Any] | None:
    """The resource's status row.

    Read on the DataStore's pooled write connection: the PDPA guard asks
    for it on every DataStore read, and a new connection (a PostgreSQL
    backend fork) per request cost more than the query it served.  Writes
    keep their own autocommit connections (see the module's docstring).
    """
    statement = sql.SQL("SELECT * FROM {}.{} WHERE resource_id = %s").format(
        sql.Identifier(SCHEMA), sql.Identifier(TABLE)
    )
    connection = get_write_engine().raw_connection()
    try:
        with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
            try:
                cursor.execute(statement, (resource_id,))
                row = cursor.fetchone()
            except psycopg2.errors.UndefinedTable:  # no load has run on this site yet
                row = None
        connection.rollback()
    finally:
        connection.close()  # back to the pool
    return _decoded(dict(row)) if row else None


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    # SQLAlchemy's psycopg2 dialect makes its pooled connections return json
    # and jsonb as text (its own types decode them), so decode them here.
    for column in _JSON:
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    return row


def update(resource_id: str, **values: Any) -> None:
    """Insert or update the resource's row with `values` (column names of COLUMNS)."""
    with _cursor() as cursor:
        update_in(cursor, resource_id, **values)


def update_in(cursor: psycopg2.extensions.cursor, resource_id: str, **values: Any) -> None:
    """`update` inside the caller's transaction, so it commits (or not) with the caller's work."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown status columns {sorted(unknown)}")
    names = ["resource_id", *values]
    statement = sql.SQL(
        "INSERT INTO {schema}.{table} ({columns}) VALUES ({params}) ON CONFLICT (resource_id) DO UPDATE SET {sets}"
    ).format(
        schema=sql.Identifier(SCHEMA),
        table=sql.Identifier(TABLE),
        columns=sql.SQL(", ").join(map(sql.Identifier, names)),
        params=sql.SQL(", ").join(sql.Placeholder() * len(names)),
        sets=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n)) for n in values)
        if values
        else sql.SQL("resource_id = EXCLUDED.resource_id"),
    )
    cursor.execute(statement, [resource_id, *(_value(k, v) for k, v in values.items())])


@contextlib.contextmanager
def load_lock(resource_id: str) -> Iterator[None]:
    """Held by the job loading `resource_id` for the whole load, on a connection of its own.

    PostgreSQL releases it when that connection dies with its process
    (SIGKILL, the OOM killer), which no code in the dying process can
    report: "running" without the lock means the load was interrupted
    (`checked`).  It also makes a second load of the same resource wait
    for the first instead of sharing its staging tables.
    """
    connection = connect()
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_NAMESPACE, resource_id))
        yield
    finally:
        connection.close()


def load_alive(resource_id: str) -> bool:
    """Whether a job holds `resource_id`'s load lock now (in this database)."""
    with _cursor() as cursor:
        cursor.execute(
            """SELECT EXISTS (
                   SELECT 1 FROM pg_locks
                   WHERE locktype = 'advisory' AND granted AND objsubid = 2
                     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                     AND classid = %s AND objid = hashtext(%s)::oid
               ) AS alive""",
            (LOCK_NAMESPACE, resource_id),
        )
        row = cursor.fetchone()
    return bool(row and row["alive"])


def checked(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """The row as it really is: a "running" load whose job holds no lock was interrupted.

    Only the view changes; the stored row stays as the dead job left it
    (a new job may be starting, and only a job writes the status).
    """
    if not row or row.get("state") != RUNNING:
        return row
    # A sheet's table is loaded by its workbook's job, under the workbook's lock.
    if load_alive(row.get("sheet_of") or row["resource_id"]):
        return row
    # A load that ended between our read of the row and the lock lookup
    # released its lock after writing its final state: read the row again,
    # so only a row still "running" without a lock counts as interrupted.
    fresh = get(row["resource_id"])
    if not fresh or fresh.get("state") != RUNNING:
        return fresh
    error = {**job_error(INTERRUPTED, {}), "interrupted": True}
    return {**fresh, "state": ERROR, "phase": "interrupted", "error": error}


def job_error(msgid: str, params: dict[str, Any]) -> dict[str, Any]:
    """A job's error as stored: the msgid and its params, so each reader gets it in their language.

    The worker has no request (no language, no translations loaded), so it
    cannot write the Thai; `error_view` renders both languages when the
    status is read.  `message_en` is kept for scripts reading the table.
    """
    clean = {key: _plain(value) for key, value in params.items()}
    error: dict[str, Any] = {"msgid": msgid, "params": clean, "message_en": _format(msgid, msgid, clean)}
    error.update({key: clean.get(key) for key in ("row", "column", "value")})
    return error


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _format(template: str, msgid: str, params: dict[str, Any]) -> str:
    filled = {key: ("" if value is None else value) for key, value in params.items()}
    for text in (template, msgid):  # a translation that lost a parameter falls back to English
        try:
            return text % filled if "%(" in text else text
        except (KeyError, ValueError, TypeError):
            continue
    return msgid


def error_view(error: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored error as the API and the page show it, with its message in both languages.

    `message` is "ไทย / English" (the API's convention), `message_th` and
    `message_en` each language, `message_local` the request's language (the
    resource page).  The params are left out: they may quote a cell value,
    which the action shows to the resource's editors only (`value`).
    Errors stored before msgids were kept (only `message`) are shown as they are.
    """
    if not error or not error.get("msgid"):
        return error
    msgid, params = error["msgid"], error.get("params") or {}
    english = _format(msgid, msgid, params)
    thai = _format(_translated(msgid, "th"), msgid, params)
    view = {key: value for key, value in error.items() if key != "params"}
    view.update(
        message=english if thai == english else f"{thai} / {english}",
        message_th=thai,
        message_en=english,
        message_local=_format(_translated(msgid, None), msgid, params),
    )
    return view


def _translated(msgid: str, locale: str | None) -> str:
    """`msgid` in `locale`, or in the request's language for None; the msgid itself without an app context."""
    from flask_babel import force_locale, gettext

    try:
        if locale is None:
            return str(gettext(msgid))
        with force_locale(locale):
            return str(gettext(msgid))
    except RuntimeError:  # no application context (scripts)
        return msgid


def unfinished() -> list[dict[str, Any]]:
    """Rows of the loads that say they are queued or running (a workbook's sheets go with the workbook)."""
    with _cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT * FROM {}.{} WHERE state IN (%s, %s) AND sheet_of IS NULL AND job_id IS NOT NULL"
                " ORDER BY queued_at NULLS FIRST"
            ).format(sql.Identifier(SCHEMA), sql.Identifier(TABLE)),
            (PENDING, RUNNING),
        )
        return [dict(row) for row in cursor.fetchall()]


def children(parent_id: str) -> list[dict[str, Any]]:
    """Status rows of the resources that hold the other sheets of `parent_id`'s workbook."""
    with _cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT * FROM {}.{} WHERE sheet_of = %s ORDER BY sheet").format(
                sql.Identifier(SCHEMA), sql.Identifier(TABLE)
            ),
            (parent_id,),
        )
        return [dict(row) for row in cursor.fetchall()]


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def public_view(row: dict[str, Any] | None) -> dict[str, Any]:
    """The status as the API and the resource page show it."""
    if row is None:
        return {"state": "none"}
    view: dict[str, Any] = {
        key: row.get(key) for key in COLUMNS if key not in ("fingerprint", "pdpa_actions", "recovered_job")
    }
    for key in ("queued_at", "started_at", "finished_at"):
        moment = view.get(key)
        if isinstance(moment, datetime.datetime):
            view[key] = moment.isoformat()
    started, finished = row.get("started_at"), row.get("finished_at")
    if started and finished and finished >= started:
        view["duration_seconds"] = round((finished - started).total_seconds(), 3)
    view["pdpa_actions"] = row.get("pdpa_actions") or {}
    view["error"] = error_view(row.get("error"))
    view.update(_progress(row))
    return json.loads(json.dumps(view, default=str))


def _progress(row: dict[str, Any]) -> dict[str, Any]:
    """Percent done, and whether rows_total is only an estimate (while reading)."""
    done, total = row.get("rows_done") or 0, row.get("rows_total")
    estimated = row.get("phase") in ESTIMATED_PHASES and total is not None
    if not total:
        return {"percent": None, "rows_total_estimated": estimated}
    # An estimate may fall short of the rows read: never shown as done.
    percent = min(100 * done // total, 99 if estimated else 100)
    return {"percent": percent, "rows_total_estimated": estimated}
