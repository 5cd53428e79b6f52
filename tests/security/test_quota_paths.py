"""The quota covers every path to a table's rows, and a new token of the same user does not reset it.

``datastore_search`` and ``datastore_search_sql`` through CKAN's action API
(GET and POST, ``/api/action`` and ``/api/3/action``) and ``/datastore/dump``
read the same rows as the records API: they draw on the same counter.  A
token's quota belongs to its user, and so does a limit a sysadmin sets.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from tests.api.conftest import Table, make_table
from tests.conftest import PLUGINS
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


@pytest.fixture
def sysadmin(app: Any) -> dict[str, Any]:
    user: dict[str, Any] = ckan_factories.SysadminWithToken()
    return user


@pytest.fixture
def table(app: Any, sysadmin: dict[str, Any]) -> Table:
    org = api_post(app, "organization_create", sysadmin["token"], name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    return make_table(app, sysadmin["token"], org, "elderly")


def _paths(table: Table) -> dict[str, Any]:
    rid = table.resource_id
    sql = f'SELECT * FROM "{rid}"'  # noqa: S608  (a resource id from the API, the action's input is SQL)
    return {
        "datastore_search GET": lambda app, h: app.get(f"/api/3/action/datastore_search?resource_id={rid}", headers=h),
        "datastore_search POST": lambda app, h: app.post(
            "/api/action/datastore_search", json={"resource_id": rid}, headers=h
        ),
        "datastore_search_sql": lambda app, h: app.get(
            "/api/3/action/datastore_search_sql", query_string={"sql": sql}, headers=h
        ),
        "dump": lambda app, h: app.get(f"/datastore/dump/{rid}", headers=h),
        "records": lambda app, h: app.get(table.records_url, headers=h),
    }


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "2")
@pytest.mark.parametrize("path", ["datastore_search GET", "datastore_search POST", "datastore_search_sql", "dump"])
def test_each_datastore_read_path_counts_against_the_quota(app, table, path):
    call = _paths(table)[path]
    first, second = call(app, {}), call(app, {})
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["RateLimit-Limit"] == "2" and second.headers["RateLimit-Remaining"] == "0"

    refused = call(app, {})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    body = refused.json
    message = body["error"]["message"]
    if path == "dump":  # the records API's error format
        assert body["error"]["code"] == "rate_limited" and "ลองใหม่" in message["th"]
    else:  # CKAN's own action API shape, both languages
        assert body["success"] is False and body["error"]["__type"] == "Rate Limit Exceeded"
        assert "ลองใหม่" in message and "Too many requests" in message
    assert "จังหวัด" not in refused.get_data(as_text=True)  # no rows over the limit


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "4")
def test_every_path_draws_on_one_counter(app, table):
    paths = _paths(table)
    statuses = [
        paths[name](app, {}).status_code for name in ("records", "datastore_search GET", "dump", "datastore_search_sql")
    ]
    assert statuses == [200, 200, 200, 200]
    assert all(paths[name](app, {}).status_code == 429 for name in paths)


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "1")
def test_other_actions_are_not_counted(app, table):
    for _ in range(3):
        assert app.get("/api/3/action/package_show?id=elderly").status_code == 200
    assert _paths(table)["datastore_search GET"](app, {}).status_code == 200


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "3")
def test_a_new_token_of_the_same_user_does_not_reset_the_quota(app, table):
    user = ckan_factories.User()
    first = ckan_factories.APIToken(user=user["name"])["token"]
    search = _paths(table)["datastore_search GET"]
    assert [search(app, {"Authorization": first}).status_code for _ in range(3)] == [200, 200, 200]

    minted = api_post(app, "api_token_create", first, user=user["name"], name="another")["result"]["token"]
    refused = search(app, {"Authorization": minted})
    assert refused.status_code == 429
    assert _paths(table)["dump"](app, {"Authorization": minted}).status_code == 429


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "100")
def test_a_limit_set_through_one_token_binds_the_users_new_tokens(app, table, sysadmin):
    user = ckan_factories.User()
    first = ckan_factories.APIToken(user=user["name"])["token"]
    answered = app.post(
        "/api/3/action/opendata_th_api_token_limit",
        json={"token": first, "limit": 2},
        headers={"Authorization": sysadmin["token"]},
    )
    set_to = answered.json["result"]
    assert set_to == {"user": user["name"], "limit": 2}

    minted = ckan_factories.APIToken(user=user["name"])["token"]  # after the limit was set
    search = _paths(table)["datastore_search GET"]
    answer = search(app, {"Authorization": minted})
    assert answer.status_code == 200 and answer.headers["RateLimit-Limit"] == "2"
    assert search(app, {"Authorization": first}).status_code == 200
    assert search(app, {"Authorization": minted}).status_code == 429

    # by name too, and back to the site's default
    api_post(app, "opendata_th_api_token_limit", sysadmin["token"], user=user["name"], limit="")
    assert search(app, {"Authorization": minted}).headers["RateLimit-Limit"] == "100"
    error = api_post(app, "opendata_th_api_token_limit", sysadmin["token"], status=409, user="nobody-here", limit=1)
    assert "user" in error["error"]
