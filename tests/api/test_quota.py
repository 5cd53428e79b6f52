"""Per-client quotas in Redis (429 in the error format) and per-resource usage counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from ckan.tests import factories as ckan_factories

from ckanext.opendata_th.api import ratelimit
from tests.conftest import PLUGINS
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "3")
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "5")
def test_anonymous_by_ip_and_tokens_by_token(app, table, sysadmin):
    remaining = []
    for _ in range(3):
        response = app.get(table.records_url)
        assert response.status_code == 200
        assert response.headers["RateLimit-Limit"] == "3"
        remaining.append(response.headers["RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    refused = app.get(table.records_url)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    error = refused.json["error"]
    assert error["code"] == "rate_limited" and "ลองใหม่" in error["message"]["th"] and error["message"]["en"]
    assert refused.headers["Access-Control-Allow-Origin"] == "*"  # browsers can read the 429

    # a token has its own, larger quota
    with_token = app.get(table.records_url, headers={"Authorization": sysadmin["token"]})
    assert with_token.status_code == 200 and with_token.headers["RateLimit-Limit"] == "5"


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "3")
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "5")
def test_token_quota_is_per_user_and_only_for_tokens_ckan_knows(app, table):
    user = ckan_factories.User()
    first, second = (ckan_factories.APIToken(user=user["name"])["token"] for _ in range(2))
    for token in (first, second, first, second, first):
        assert app.get(table.records_url, headers={"Authorization": token}).status_code == 200
    # a second token of the same user draws on the same quota
    assert app.get(table.records_url, headers={"Authorization": second}).status_code == 429

    revoked = ckan_factories.APIToken(user=ckan_factories.User()["name"])["token"]
    revoke = app.post("/api/3/action/api_token_revoke", json={"token": revoked}, headers={"Authorization": revoked})
    assert revoke.status_code == 200, revoke.get_data(as_text=True)
    counted_as_anonymous = app.get(table.records_url, headers={"Authorization": revoked})
    assert counted_as_anonymous.headers.get("RateLimit-Limit") == "3"


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "1")
def test_forwarded_for_counts_only_behind_trusted_proxies(app, table):
    def status(forwarded: str) -> int:
        return app.get(table.records_url, headers={"X-Forwarded-For": forwarded}).status_code

    # no trusted proxy: a client cannot buy a fresh quota by writing the header
    assert [status("10.0.0.1"), status("10.0.0.2")] == [200, 429]


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "1")
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.trusted_proxies", "1")
def test_behind_one_proxy_each_visitor_has_a_quota(app, table):
    def status(forwarded: str) -> int:
        return app.get(table.records_url, headers={"X-Forwarded-For": forwarded}).status_code

    # the proxy appends the real address; what the client wrote to its left is ignored
    assert [status("1.1.1.1, 10.0.0.1"), status("2.2.2.2, 10.0.0.1"), status("10.0.0.2")] == [200, 429, 200]


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "100")
def test_a_sysadmin_sets_one_token_its_own_limit(app, table, sysadmin):
    user = ckan_factories.UserWithToken()

    def set_limit(caller: str, status: int = 200, **data):
        response = app.post("/api/3/action/opendata_th_api_token_limit", json=data, headers={"Authorization": caller})
        assert response.status_code == status, response.get_data(as_text=True)
        return response.json

    set_limit(user["token"], status=403, token=user["token"], limit=1000)
    set_to = set_limit(sysadmin["token"], token=user["token"], limit=1)["result"]
    assert set_to["limit"] == 1 and user["token"] not in str(set_to)

    headers = {"Authorization": user["token"]}
    assert app.get(table.records_url, headers=headers).headers["RateLimit-Limit"] == "1"
    assert app.get(table.records_url, headers=headers).status_code == 429
    set_limit(sysadmin["token"], status=409, token="not-a-token", limit=1)
    set_limit(sysadmin["token"], token=user["token"], limit="")
    assert app.get(table.records_url, headers=headers).headers["RateLimit-Limit"] == "100"


@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.anonymous", "10")
def test_the_count_is_atomic_across_concurrent_clients(app):
    """24 requests at once from one IP (as several workers would see them): exactly 10 pass."""

    def one(_index: int) -> bool:
        with app.flask_app.test_request_context(
            "/api/opendata/v1/openapi.json", environ_base={"REMOTE_ADDR": "10.1.2.3"}
        ):
            verdict = ratelimit.hit()
            assert verdict is not None
            return verdict.allowed

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(one, range(24)))
    assert allowed.count(True) == 10


def test_usage_is_counted_per_resource_and_shown(app, table, sysadmin):
    for _ in range(3):
        app.get(table.records_url)
    app.get(table.records_url, query_string={"format": "csv"})
    app.get(f"{table.records_url}/1")
    app.get(f"/api/opendata/v1/resources/{table.resource_id}/schema")
    app.get(f"/api/opendata/v1/resources/{table.resource_id}/openapi.json")
    assert app.get(f"/datastore/dump/{table.resource_id}").status_code == 200
    assert app.get("/datastore/dump/no-such-resource").status_code == 404

    found = api_get(app, "opendata_th_api_usage", id="elderly")["result"]
    counts = found["resources"][0]
    assert counts["id"] == table.resource_id
    assert (counts["records"], counts["csv"], counts["record"], counts["schema"], counts["openapi"]) == (3, 1, 1, 1, 1)
    assert counts["download"] == 1 and found["total"] == counts["total"] == 8

    assert "8" in app.get("/dataset/elderly").get_data(as_text=True).split('class="api-usage"')[1][:200]

    agency = api_get(app, "opendata_th_api_usage", sysadmin["token"], organization_id="dop")["result"]
    assert agency["total"] == 8 and agency["datasets"][0]["name"] == "elderly"
    api_get(app, "opendata_th_api_usage", status=403, organization_id="dop")
    outsider = ckan_factories.UserWithToken()
    api_get(app, "opendata_th_api_usage", outsider["token"], status=403, organization_id="dop")


def test_refused_and_made_up_downloads_are_not_counted(app, restricted, sysadmin):
    assert app.get(f"/datastore/dump/{restricted.resource_id}").status_code in (403, 404)
    app.get("/datastore/dump/made-up-id")
    assert api_get(app, "opendata_th_api_usage", sysadmin["token"], id="elderly-names")["result"]["total"] == 0
    assert not ratelimit.connect_to_redis().keys("odth:api:usage:made-up-id")


def test_usage_of_a_restricted_dataset_is_for_its_agency(app, restricted, sysadmin):
    api_get(app, "opendata_th_api_usage", status=403, id="elderly-names")
    assert api_get(app, "opendata_th_api_usage", sysadmin["token"], id="elderly-names")["result"]["total"] == 0
