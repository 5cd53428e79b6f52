"""Redis goes away: read paths serve, resource writes are refused cleanly, quotas survive a restart.

A redis-server of the test's own, on a free port, is stopped (and, for the
persistence test, restarted with the flags bin/services.sh uses) in the
middle of the test; the shared Redis other tests use is never touched.
"""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
import pytest
import redis
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories

from ckanext.opendata_th.api import ratelimit, usage
from tests.api.conftest import make_table
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

# bin/services.sh start_redis: no snapshots, an append-only file flushed every second.
PERSISTENT = ["--save", "", "--appendonly", "yes", "--appendfsync", "everysec"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnRedis:
    """A redis-server on a free port, data in `directory`, started and stopped by the test."""

    def __init__(self, directory: Path, flags: list[str]) -> None:
        self.directory = directory
        self.flags = flags
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "redis-server is installed by bin/stack install"
        command = [server, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory), *self.flags]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "own redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown save, only what the server had already written survives."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _own_redis(tmp_path, ckan_config, monkeypatch, flags: list[str]) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path, flags)
    server.start()
    monkeypatch.setitem(ckan_config, "ckan.redis.url", server.url)
    monkeypatch.setattr(ckan_redis, "_connection_pool", None)  # CKAN keeps one pool per process
    monkeypatch.setattr(ckan_jobs, "_queues", {})  # and its job queues keep their connection
    yield server
    server.kill()


@pytest.fixture
def own_redis(tmp_path, ckan_config, monkeypatch) -> Iterator[OwnRedis]:
    yield from _own_redis(tmp_path, ckan_config, monkeypatch, ["--save", ""])


@pytest.fixture
def persistent_redis(tmp_path, ckan_config, monkeypatch) -> Iterator[OwnRedis]:
    yield from _own_redis(tmp_path, ckan_config, monkeypatch, PERSISTENT)


def test_usage_reads_answer_empty_while_redis_is_away(own_redis):
    usage.count("res-outage", "records")
    assert usage.ranking() == {"res-outage": 1}

    own_redis.kill()

    usage.count("res-outage", "records")  # skipped with a log line, never raised
    assert usage.ranking() == {}
    assert usage.counts(["res-outage"])["res-outage"]["total"] == 0


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.enabled", "true")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_records_api_openapi_and_dataset_page_serve_while_redis_is_away(app, own_redis, agency):
    table = make_table(app, agency.token("sysadmin"), agency.org, "elderly")
    document_url = f"/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    assert app.get(document_url).status_code == 200  # cached in Redis, so the fast path would answer next
    assert "RateLimit-Limit" in app.get(table.records_url).headers

    own_redis.kill()

    records = app.get(table.records_url)
    assert records.status_code == 200, records.get_data(as_text=True)[:500]
    assert records.json["total"] == 30 and len(records.json["records"]) == 30
    assert "RateLimit-Limit" not in records.headers  # no quota counted while Redis is away
    document = app.get(document_url)
    assert document.status_code == 200 and document.json["openapi"].startswith("3.1")
    assert document.headers.get("X-Cache") != "HIT"
    page = app.get("/dataset/elderly")
    assert page.status_code == 200 and "ผู้สูงอายุรายจังหวัด" in page.get_data(as_text=True)
    for path in ("/", "/dataset/", f"/dataset/elderly/resource/{table.resource_id}"):
        assert app.get(path).status_code == 200, path


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_resource_create_is_refused_before_anything_is_written_while_redis_is_away(app, own_redis, agency):
    token = agency.token("editor")
    dataset = api_post(app, "package_create", token, **dataset_dict(name="queue-down", owner_org=agency.org["id"]))
    dataset_id = dataset["result"]["id"]

    own_redis.kill()

    refused = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset_id, "name": "ตาราง", "upload": (io.BytesIO("ปี,จำนวน\n2564,1\n".encode()), "a.csv")},
        headers={"Authorization": token},
    )
    assert refused.status_code == 503, refused.get_data(as_text=True)[:500]
    assert refused.headers["Retry-After"]
    error = refused.json["error"]
    assert error["__type"] == "Service Unavailable"
    assert "ยังไม่ได้บันทึก" in error["message"] and "nothing was saved" in error["message"]  # Thai / English
    assert "Redis" not in refused.get_data(as_text=True)  # no internal names

    # the same through the web form, in the reader's language
    form_page = app.get("/th/dataset/queue-down/resource/new", headers={"Authorization": token})
    assert form_page.status_code == 200
    page = BeautifulSoup(form_page.get_data(as_text=True), "html.parser")
    field = page.select_one('meta[name="csrf_field_name"]')["content"]
    csrf = page.select_one(f'meta[name="{field}"]')["content"]
    posted = app.post(
        "/th/dataset/queue-down/resource/new",
        data={field: csrf, "name": "ตาราง", "url": "https://example.org/a.csv", "save": "go-metadata"},
        headers={"Authorization": token},
    )
    assert posted.status_code == 503, posted.get_data(as_text=True)[:500]
    text = posted.get_data(as_text=True)
    assert "ระบบคิวงานไม่พร้อมให้บริการชั่วคราว จึงยังไม่ได้บันทึกสิ่งใด" in text and "job queue" not in text

    shown = api_post(app, "package_show", token, id=dataset_id)["result"]
    assert shown["resources"] == []  # nothing half-written: no resource without its queued load


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.enabled", "true")
@pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.token", "100")
def test_a_users_own_limit_and_the_usage_counters_survive_a_redis_restart(app, clean_db, persistent_redis):
    user = ckan_factories.User()
    token = ckan_factories.APIToken(user=user["name"])["token"]
    ratelimit.set_user_limit(user["id"], 7)
    usage.count("res-kept", "records")
    usage.count("res-kept", "csv")
    with app.flask_app.test_request_context("/api/opendata/v1/x", headers={"Authorization": token}):
        first = ratelimit.hit()
    assert first is not None and (first.limit, first.remaining) == (7, 6)

    persistent_redis.kill()  # SIGKILL, no shutdown save: only the append-only file brings them back
    persistent_redis.start()
    ckan_redis._connection_pool = None  # the fixture's monkeypatch restores the shared pool afterwards

    assert usage.counts(["res-kept"])["res-kept"] == {
        **dict.fromkeys(usage.KINDS, 0),
        "records": 1,
        "csv": 1,
        "total": 2,
    }
    assert usage.ranking() == {"res-kept": 2}
    second_token = ckan_factories.APIToken(user=user["name"])["token"]
    with app.flask_app.test_request_context("/api/opendata/v1/x", headers={"Authorization": second_token}):
        second = ratelimit.hit()
    assert second is not None and (second.limit, second.remaining) == (7, 5)  # the same limit, the same counter
