"""The DataStore's alias lookup, read while its connection is still held.

The upstream fault (CKAN 2.12,
``ckanext/datastore/backend/postgres.py``,
``DatastorePostgresqlBackend.resource_id_from_alias``): the method runs its
query in ``with engine.connect() as conn:`` and calls ``fetchone()`` on the
result after the block has returned the connection to the pool.  Alone,
the rows are still there; under concurrency another request has taken the
connection and its cursor is closed, so `datastore_search`,
`datastore_info`, the dump and every records API call answer 500
(``psycopg2.InterfaceError: cursor already closed``, 3-8% of calls at 50
clients).  Every DataStore path goes through this one method, so it is
replaced here by the same parameterised query whose row is read inside the
block; nothing else of the backend changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckanext.datastore.backend.postgres import DatastorePostgresqlBackend

_ALIAS = sa.text('SELECT alias_of FROM "_table_metadata" WHERE name = :id')


def resource_id_from_alias(backend: DatastorePostgresqlBackend, alias: str) -> tuple[bool, str | None]:
    """Whether a table or alias named `alias` exists, and the table an alias points to (None for a table)."""
    with backend._get_read_engine().connect() as connection:
        row = connection.execute(_ALIAS, {"id": alias}).first()
    return row is not None, (row[0] if row is not None else None)


def install() -> None:
    """Replace the method on CKAN's backend class (idempotent; the active backend is an instance of it)."""
    DatastorePostgresqlBackend.resource_id_from_alias = resource_id_from_alias
