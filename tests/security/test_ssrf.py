"""Issue 13, leak 1: server-side request forgery across agencies.

An editor of agency B gave a resource the URL of an internal service (the
catalogue's own Solr) and the ingest worker loaded its answer, agency A's
confidential metadata, into a table B could read.  Every server-side fetch
now goes through lib/fetch.py: public addresses only, checked where the
socket connects and on every redirect, unless the deployment allow-lists a
host.  The internal service here is a real http.server on loopback that
records every request it receives.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ckan.lib.jobs as ckan_jobs
import ckan.plugins.toolkit as tk
import ckan.tests.factories as ckan_factories
import pytest
import yaml
from ckan.tests.helpers import call_action

from ckanext.opendata_th.ingest import status
from ckanext.opendata_th.lib import fetch
from tests.factories import dataset_dict
from tests.harvest import conftest as harvest
from tests.harvest.conftest import CENTRAL_PLUGINS, Central
from tests.helpers import api_get, api_post
from tests.lib.test_fetch import LocalServer

# The harvest tests' fixtures: the central catalogue (its harvest tables migrated) and its sysadmin.
clean_db = harvest.clean_db
central = harvest.central

ALLOW = fetch.ALLOWED_HOSTS_OPTION
DECLARATION = Path(fetch.__file__).parents[1] / "config_declaration.yaml"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config(ALLOW, ""),  # a real deployment's default: nothing but public addresses
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

SOLR_LIKE = "/solr/ckan/select?q=*:*&fl=title,notes&wt=csv"


@pytest.fixture
def local_server() -> Iterator[Callable[..., LocalServer]]:
    servers: list[LocalServer] = []

    def start(redirect_to: str | None = None) -> LocalServer:
        servers.append(LocalServer(redirect_to))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def agency_b_editor(app: Any) -> tuple[str, dict[str, Any]]:
    """An editor of agency B (an API token) and one of B's public datasets."""
    sysadmin = ckan_factories.SysadminWithToken()
    editor = ckan_factories.UserWithToken()
    for name in ("agency-a", "agency-b"):
        api_post(app, "organization_create", sysadmin["token"], name=name, title=name)
    api_post(
        app, "organization_member_create", sysadmin["token"], id="agency-b", username=editor["name"], role="editor"
    )
    dataset = api_post(app, "package_create", editor["token"], **dataset_dict(name="b-data", owner_org="agency-b"))
    return editor["token"], dataset["result"]


def _load(app: Any, token: str, dataset: dict[str, Any], url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Creates a CSV resource with `url`, runs the queued load; the resource and its ingest status."""
    resource = api_post(app, "resource_create", token, package_id=dataset["id"], name="r", url=url, format="CSV")
    ckan_jobs.Worker(["default"]).work(burst=True)
    shown = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["result"]["id"])["result"]
    return api_get(app, "resource_show", token, id=resource["result"]["id"])["result"], shown


def _assert_refused(app: Any, token: str, resource: dict[str, Any], shown: dict[str, Any]) -> None:
    assert shown["state"] == status.ERROR, shown
    assert shown["error"]["message_en"] == fetch.NOT_PUBLIC
    assert "127.0.0.1" not in shown["error"]["message"]  # the reader learns the rule, not what is inside
    assert resource["datastore_active"] is False
    api_get(app, "datastore_search", token, status=404, resource_id=resource["id"])  # no table was created


def test_an_agency_editor_cannot_make_the_worker_load_an_internal_service(app, agency_b_editor, local_server):
    token, dataset = agency_b_editor
    solr = local_server()

    resource, shown = _load(app, token, dataset, solr.url + SOLR_LIKE)

    _assert_refused(app, token, resource, shown)
    assert solr.seen == []  # nothing was fetched


def test_a_redirect_from_an_allowed_host_to_loopback_is_refused_at_the_redirect(
    app, ckan_config, monkeypatch, agency_b_editor, local_server
):
    token, dataset = agency_b_editor
    internal = local_server()
    allowed = local_server(redirect_to=internal.url + SOLR_LIKE)
    monkeypatch.setitem(ckan_config, ALLOW, f"127.0.0.1:{allowed.port}")  # the allowed host's port only

    resource, shown = _load(app, token, dataset, allowed.url + "/data.csv")

    _assert_refused(app, token, resource, shown)
    assert [path for path, _ in allowed.seen] == ["/data.csv"]
    assert internal.seen == []


def test_an_allow_listed_host_is_loaded(app, ckan_config, monkeypatch, agency_b_editor, local_server):
    token, dataset = agency_b_editor
    server = local_server()
    monkeypatch.setitem(ckan_config, ALLOW, f"127.0.0.1:{server.port}")

    resource, shown = _load(app, token, dataset, server.url + "/data.csv")

    assert shown["state"] == status.COMPLETE, shown
    assert resource["datastore_active"] is True
    assert api_get(app, "datastore_search", token, resource_id=resource["id"])["result"]["total"] == 1


def test_a_dns_answer_that_turns_to_loopback_after_the_check_is_refused(monkeypatch, local_server):
    server = local_server()
    answers = iter(["93.184.215.14", "127.0.0.1"])  # public when checked, loopback when connecting
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(fetch.FetchRefused):
        fetch.get(f"http://rebind.example:{server.port}/data.csv", timeout=5)
    assert server.seen == []


@pytest.fixture
def ipv6_server() -> Iterator[LocalServer]:
    class V6(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6

    server = LocalServer()
    v6 = V6(("::1", 0), server.server.RequestHandlerClass)
    threading.Thread(target=v6.serve_forever, daemon=True).start()
    server.url = f"http://[::1]:{v6.server_address[1]}"
    yield server
    v6.shutdown()
    v6.server_close()
    server.close()


def test_other_spellings_of_internal_addresses_are_refused(local_server, ipv6_server):
    v4 = local_server()
    urls = [
        ipv6_server.url + "/",
        f"http://0.0.0.0:{v4.port}/",
        f"http://2130706433:{v4.port}/",  # 127.0.0.1 as one number
        f"http://[::ffff:127.0.0.1]:{v4.port}/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    ]
    for url in urls:
        with pytest.raises(fetch.FetchRefused):
            fetch.get(url, timeout=2)
    assert v4.seen == [] and ipv6_server.seen == []


def test_a_harvest_source_on_loopback_is_refused_without_the_allow_list(central: Central, local_server):
    server = local_server()
    for source_type in ("opendata_th_ckan", "dcat_rdf"):
        with pytest.raises(tk.ValidationError) as refused:
            central.source(server.url + "/catalog.ttl", source_type=source_type)
        assert "is not a public internet address" in str(refused.value)
    assert server.seen == []


@pytest.mark.parametrize("source_type", ["opendata_th_ckan", "dcat_rdf"])
def test_a_harvest_source_whose_host_is_no_longer_allowed_fails_visibly_in_the_harvest_job(
    central: Central, ckan_config, monkeypatch, local_server, source_type
):
    server = local_server()
    monkeypatch.setitem(ckan_config, ALLOW, f"127.0.0.1:{server.port}")
    source = central.source(server.url + "/catalog.ttl", source_type=source_type)
    monkeypatch.setitem(ckan_config, ALLOW, "")  # the sysadmin took the host off the allow-list

    last_run = central.harvest(source["id"])["last_run"]

    assert last_run["source_error"] is True
    assert any("is not a public internet address" in error for error in last_run["gather_errors"]), last_run
    assert server.seen == []


def test_the_allow_list_is_empty_by_default():
    declaration = yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))
    options = {option["key"]: option for group in declaration["groups"] for option in group["options"]}
    assert options[ALLOW]["default"] == ""


def test_harvest_sources_created_by_a_sysadmin_obey_the_same_rule(central: Central):
    with pytest.raises(tk.ValidationError, match="public internet address"):
        call_action(
            "harvest_source_create",
            context={"user": central.sysadmin["name"]},
            url="http://169.254.169.254/latest/meta-data/",
            name="metadata",
            title="metadata",
            source_type="dcat_rdf",
            owner_org=central.org["id"],
        )
