"""DataStore writes publish their row counters before they return, so table fingerprints settle at once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan.tests import factories as ckan_factories
from ckanext.datastore.backend.postgres import get_read_engine

from ckanext.opendata_th.api import stats
from ckanext.opendata_th.lib import tablestats
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def _counters(resource_id: str) -> tuple[int, int, int]:
    """Inserted, updated and deleted rows, as another session (the API's) sees them now."""
    with get_read_engine().connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT pg_stat_get_tuples_inserted(c.oid), pg_stat_get_tuples_updated(c.oid),"
                " pg_stat_get_tuples_deleted(c.oid) FROM pg_class c"
                " WHERE c.relnamespace = 'public'::regnamespace AND c.relname = :name"
            ),
            {"name": resource_id},
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


def test_each_datastore_write_is_counted_when_its_action_returns(app):
    token = ckan_factories.SysadminWithToken()["token"]
    org = ckan_factories.Organization()
    dataset = api_post(app, "package_create", token, **dataset_dict(name="counted", owner_org=org["id"]))["result"]
    resource_id = api_post(
        app,
        "datastore_create",
        token,
        resource={"package_id": dataset["id"], "name": "ตาราง", "format": "CSV"},
        fields=[{"id": "จำนวน", "type": "int4"}],
        records=[{"จำนวน": n} for n in range(5)],
        force=True,
    )["result"]["resource_id"]
    assert _counters(resource_id) == (5, 0, 0)
    settled = stats.fingerprint(resource_id)

    # Writes within a second of each other: PostgreSQL alone would hold these counters back for seconds.
    api_post(
        app, "datastore_upsert", token, resource_id=resource_id, method="insert", records=[{"จำนวน": 9}], force=True
    )
    api_post(
        app,
        "datastore_upsert",
        token,
        resource_id=resource_id,
        method="update",
        records=[{"_id": 1, "จำนวน": 10}],
        force=True,
    )
    api_post(app, "datastore_delete", token, resource_id=resource_id, filters={"จำนวน": 2}, force=True)
    assert _counters(resource_id) == (6, 1, 1)
    assert stats.fingerprint(resource_id) != settled


class _OlderServer:
    """A psycopg2 connection's version, as PostgreSQL 14 reports it (no such server runs here)."""

    server_version = 140011


class _Cursor:
    connection = _OlderServer()

    def __init__(self) -> None:
        self.executed: list[str] = []

    def execute(self, statement: str) -> None:
        self.executed.append(statement)


def test_nothing_is_asked_of_a_postgresql_without_the_function():
    cursor = _Cursor()
    tablestats.flush_on_commit(cursor)
    assert cursor.executed == []
