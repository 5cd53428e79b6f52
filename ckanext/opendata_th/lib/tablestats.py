"""Row counters that other sessions see as soon as a write commits.

The API's table fingerprint (`api.stats`) includes PostgreSQL's per-table
counters of inserted, updated and deleted rows, so that even SQL run by hand
changes a table's ETag and Last-Modified.  Since PostgreSQL 15 a backend
keeps those counters to itself until it has been idle for a while (up to
ten seconds after a recent flush), so a fingerprint read just after a write
moved a second time seconds later: a spurious change of Last-Modified and
ETag, and a needless cache miss.  `pg_stat_force_next_flush()` asked for in
the writing transaction makes the backend publish its counters before the
COMMIT returns.  Writes by hand still show, a little later.  Before
PostgreSQL 15 counters were sent to the statistics collector at once and
the function does not exist, so nothing is asked there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

FLUSH_ON_COMMIT = "SELECT pg_stat_force_next_flush()"
FIRST_VERSION = 150000  # PostgreSQL's server_version_num that has it


def flush_on_commit(cursor: Any) -> None:
    """Run inside a writing transaction (a psycopg2 cursor): its counters are published when it commits."""
    if cursor.connection.server_version >= FIRST_VERSION:
        cursor.execute(FLUSH_ON_COMMIT)


def _before_commit(connection: Connection) -> None:
    cursor = connection.connection.cursor()
    try:
        flush_on_commit(cursor)
    finally:
        cursor.close()


def publish_counters_on_commit(engine: Engine) -> None:
    """Every transaction `engine` commits (CKAN's DataStore writes) publishes its counters at once."""
    if not event.contains(engine, "commit", _before_commit):
        event.listen(engine, "commit", _before_commit)
