"""Solr goes away: pages answer a clear 503 page, API writes and searches a bilingual 503.

The test runs a Solr 9 node of its own (the jars and the ``ckan_test``
configuration ``bin/stack services`` uses, copied to a temporary solr home,
on a free port) and stops and restarts that process; the shared Solr other
tests use is never touched.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import ckan.lib.jobs as ckan_jobs
import pytest
import requests

from ckanext.opendata_th.ingest import jobs, load, status
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "with_test_worker", "clean_redis"),
]

ROOT = Path(__file__).resolve().parents[2]
SOLR_JARS = ROOT / ".local/cache/solr-jars-9.8.1"
CORE_CONF = ROOT / ".local/solr/ckan_test/conf"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnSolr:
    """A Solr node on a free port with one core, `ckan_test`, started and stopped by the test."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/solr/ckan_test"
        self.process: subprocess.Popen[bytes] | None = None
        shutil.copy(ROOT / "config/solr/solr.xml", home / "solr.xml")
        shutil.copytree(CORE_CONF, home / "ckan_test/conf")
        (home / "ckan_test/core.properties").write_text("name=ckan_test\n")

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.url}/select", params={"q": "*:*", "rows": 0}, timeout=2).ok
        except requests.RequestException:
            return False

    def start(self) -> None:
        java = shutil.which("java")
        assert java, "Java 17 is installed by bin/stack install"
        self.process = subprocess.Popen(
            [
                java,
                "-Xms64m",
                "-Xmx256m",
                f"-Dsolr.log.dir={self.home / 'logs'}",
                f"-Dsolr.install.dir={self.home}",
                "-Dlog4j2.formatMsgNoLookups=true",
                "-cp",
                f"{SOLR_JARS}/*",
                str(ROOT / "config/solr/SolrLauncher.java"),
                str(self.home),
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )
        deadline = time.monotonic() + 180
        while not self.ready():
            assert self.process.poll() is None, "own Solr exited while starting"
            assert time.monotonic() < deadline, "own Solr did not start within 180 s"
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(scope="module")
def own_solr(tmp_path_factory) -> Iterator[OwnSolr]:
    assert SOLR_JARS.is_dir() and CORE_CONF.is_dir(), "bin/stack install and services prepare Solr"
    solr = OwnSolr(tmp_path_factory.mktemp("solr-home"))
    solr.start()
    yield solr
    solr.stop()


@pytest.fixture
def solr(own_solr, ckan_config, monkeypatch) -> Iterator[OwnSolr]:
    """The app searches and indexes in the test's own Solr (CKAN reads `solr_url` per connection)."""
    if own_solr.process is None:
        own_solr.start()
    monkeypatch.setitem(ckan_config, "solr_url", own_solr.url)
    yield own_solr
    if own_solr.process is None:
        own_solr.start()


def _indexed(app, name: str) -> list[dict]:
    found = api_post(app, "package_search", fq=f"name:{name}")["result"]["results"]
    return list(found)


def test_a_load_that_ran_while_solr_was_away_completes_and_is_indexed_when_it_is_back(app, solr, agency, monkeypatch):
    token = agency.token("editor")
    dataset = api_post(app, "package_create", token, **dataset_dict(name="loaded-away", owner_org=agency.org["id"]))
    form = {
        "package_id": dataset["result"]["id"],
        "name": "ตาราง",
        "upload": (io.BytesIO("ปี,จำนวน\n2564,1\n2565,2\n".encode()), "a.csv"),
    }
    created = app.post("/api/3/action/resource_create", data=form, headers={"Authorization": token})
    assert created.status_code == 200, created.get_data(as_text=True)[:500]
    resource_id = created.json["result"]["id"]
    ckan_jobs.get_queue().empty()  # the load runs here, in this process, while Solr is away

    solr.stop()
    jobs.run_job(resource_id)

    row = status.get(resource_id)
    assert row is not None and (row["state"], row["phase"]) == (status.COMPLETE, "complete"), row
    shown = api_post(app, "resource_show", token, id=resource_id)["result"]
    assert shown["datastore_active"] is True  # the catalogue's database says so, search catches up
    rows = api_post(app, "datastore_search", token, resource_id=resource_id)["result"]
    assert rows["total"] == 2
    queued = ckan_jobs.get_queue().jobs
    assert [job.func_name for job in queued] == ["ckanext.opendata_th.ingest.load.patch_when_indexed"]

    # Still away: the retry waits and queues itself behind other jobs, it never fails the load.
    monkeypatch.setattr(load, "REINDEX_RETRY_SECONDS", 0)
    ckan_jobs.get_queue().empty()
    load.patch_when_indexed(resource_id, attempt=1)
    assert [job.args for job in ckan_jobs.get_queue().jobs] == [[resource_id, 2]]
    assert status.get(resource_id)["state"] == status.COMPLETE

    solr.start()
    assert _indexed(app, "loaded-away")[0]["resources"][0].get("datastore_active") is not True  # stale copy
    ckan_jobs.Worker(["default"]).work(burst=True)
    found = _indexed(app, "loaded-away")
    assert found[0]["resources"][0]["datastore_active"] is True
    assert status.get(resource_id)["state"] == status.COMPLETE


SEARCHING_PAGES = ["/", "/dataset/", "/organization/", "/organization/moph", "/dataset/on-view"]


def test_pages_answer_a_503_page_and_the_api_a_bilingual_503_while_solr_is_away(app, solr, agency):
    token = agency.token("editor")
    dataset = api_post(app, "package_create", token, **dataset_dict(name="on-view", owner_org=agency.org["id"]))

    solr.stop()

    for path in SEARCHING_PAGES:
        english = app.get(path)
        assert english.status_code == 503, (path, english.status_code)
        assert english.headers["Retry-After"]
        text = english.get_data(as_text=True)
        assert "search service is temporarily unavailable" in text and "ระบบค้นหา" not in text  # one language
        assert "Solr" not in text and "Traceback" not in text
        thai = app.get("/th" + path).get_data(as_text=True)
        assert "ระบบค้นหาไม่พร้อมให้บริการชั่วคราว" in thai and "search service" not in thai

    searched = app.get("/api/3/action/package_search", query_string={"q": "x"})
    assert searched.status_code == 503
    message = searched.json["error"]["message"]
    assert "ระบบค้นหา" in message and "search service" in message and "nothing was saved" not in message  # a read
    post_search = app.post("/api/3/action/package_search", json={"q": "x"})
    assert post_search.status_code == 503 and "nothing was saved" not in post_search.json["error"]["message"]

    headers = {"Authorization": token}
    refused = app.post(
        "/api/3/action/package_create",
        json=dataset_dict(name="while-away", owner_org=agency.org["id"]),
        headers=headers,
    )
    assert refused.status_code == 503, refused.get_data(as_text=True)[:500]
    error = refused.json["error"]
    assert error["__type"] == "Service Unavailable"
    assert "จึงยังไม่ได้บันทึกสิ่งใด" in error["message"] and "nothing was saved" in error["message"]
    assert "Solr" not in refused.get_data(as_text=True) and "127.0.0.1" not in refused.get_data(as_text=True)
    form = {"package_id": dataset["result"]["id"], "name": "ตาราง", "url": "https://example.org/a.csv"}
    refused_resource = app.post("/api/3/action/resource_create", json=form, headers=headers)
    assert refused_resource.status_code == 503

    # nothing half-written (package_show reads the database, not Solr)
    api_post(app, "package_show", token, status=404, id="while-away")
    assert api_post(app, "package_show", token, id="on-view")["result"]["resources"] == []
