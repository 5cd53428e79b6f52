"""A real worker process, SIGKILLed in the middle of a load.

`ckan jobs worker --burst` runs in a child process with this extension
(the same databases, Solr site and Redis queue as the tests), loading a
file linked by URL from a local HTTP server (the tests' upload storage is
in memory, so another process could not read an upload).  The
worker and its forked work horse are killed while the rows are being
read, as the OOM killer or a lost machine would, with no chance to clean
up.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import ckan.lib.jobs as ckan_jobs
import ckan.plugins.toolkit as tk
import psycopg2
import pytest

from ckanext.opendata_th.ingest import status
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the test's own server
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

ROOT = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).with_name("ckan")
BIG_ROWS = 60_000
# Before the swap: what the job may be doing when it is killed.
MID_LOAD = ("reading", "analysing", "typing", "loading")


def _citizen_id(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def _personal_csv(rows: int) -> bytes:
    lines = [f"ผู้รับ {i},{_citizen_id(f'11017{i:07d}')},08{i % 10}-234-5678,{i}" for i in range(rows)]
    return ("ชื่อ,เลขประจำตัวประชาชน,โทรศัพท์,จำนวน\n" + "\n".join(lines) + "\n").encode()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on loopback: (directory, base URL)."""
    directory = tmp_path / "files"
    directory.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield directory, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _worker_ini(directory: Path) -> Path:
    """test.ini with this extension's plugins (the tests load them per test; a process needs them in its ini)."""
    text = (ROOT / "test.ini").read_text(encoding="utf-8")
    text = re.sub(r"^ckan\.plugins =.*$", f"ckan.plugins = {PLUGINS}", text, flags=re.M)
    # The worker fetches the file from this test's loopback server: allow-listed here only (lib/fetch.py).
    text = text.replace("[app:main]\n", "[app:main]\nckanext.opendata_th.fetch.allowed_hosts = 127.0.0.1\n", 1)
    ini = directory / "worker.ini"
    ini.write_text(text.replace("%(here)s", str(ROOT)), encoding="utf-8")
    return ini


def _tables(url: str, resource_id: str) -> list[tuple[str, str]]:
    """(schema, table) of the tables and views whose name holds the resource id that the role of `url` can read."""
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'v') AND strpos(c.relname, %s) > 0
                 AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
               ORDER BY 1, 2""",
            (resource_id,),
        )
        return [(schema, name) for schema, name in cursor.fetchall()]


def _readable_tables(resource_id: str) -> list[tuple[str, str]]:
    return _tables(tk.config["ckan.datastore.read_url"], resource_id)


def _kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its work horses (RQ puts each horse in a process group of its own)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    for pid in [*map(int, children), worker.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(10)


def _kill_worker_mid_load(ini: Path, log: Path, resource_id: str) -> str:
    """Start a burst worker, SIGKILL its process group once the load is under way; returns the phase it died in."""
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(CKAN), "-c", str(ini), "jobs", "worker", "--burst"],
            env=os.environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = status.get(resource_id) or {}
            phase = row.get("phase")
            if phase in MID_LOAD and (phase != "reading" or row.get("rows_done")):
                _kill(worker)
                return str(phase)
            assert worker.poll() is None, f"the worker ended before it was killed: {log.read_text()[-3000:]}"
            time.sleep(0.02)
        raise AssertionError(f"the load never got under way: {status.get(resource_id)} {log.read_text()[-3000:]}")
    finally:
        if worker.poll() is None:
            _kill(worker)


def test_a_worker_killed_mid_load_leaves_the_held_table_and_a_retry_completes(
    app, sysadmin_with_token, files, tmp_path
):
    token = sysadmin_with_token["token"]
    directory, base = files
    (directory / "small.csv").write_bytes(_personal_csv(5))
    (directory / "big.csv").write_bytes(_personal_csv(BIG_ROWS))
    agency = api_post(app, "organization_create", token, name="dopa", title="กรมการปกครอง")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="recipients", owner_org=agency["id"]))
    small = {"name": "ผู้รับ", "url": f"{base}/small.csv", "format": "CSV"}
    resource = api_post(app, "resource_create", token, package_id=dataset["result"]["id"], **small)["result"]
    ckan_jobs.Worker(["default"]).work(burst=True)
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_PENDING  # citizen ids and phones: held

    # A new, bigger file, and the officer's decision to drop the personal
    # columns: one forced load of the new file, run by the worker we kill.
    api_post(app, "resource_patch", token, id=resource["id"], url=f"{base}/big.csv")
    ckan_jobs.get_queue().empty()
    api_post(app, "opendata_th_ingest_pdpa_decide", token, resource_id=resource["id"], decision="drop")
    phase = _kill_worker_mid_load(_worker_ini(tmp_path), tmp_path / "worker.log", resource["id"])

    # The old table, whole and queryable (by the officer: it is still held).
    old = api_get(app, "datastore_search", token, resource_id=resource["id"], sort="_id")["result"]
    assert old["total"] == 5
    assert [r["ชื่อ"] for r in old["records"]] == [f"ผู้รับ {i}" for i in range(5)]
    assert {f["id"] for f in old["fields"]} == {"_id", "ชื่อ", "เลขประจำตัวประชาชน", "โทรศัพท์", "จำนวน"}
    # The PDPA hold is not lowered by a load that never reached its swap.
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_PENDING
    api_get(app, "datastore_search", None, status=403, resource_id=resource["id"])
    api_get(app, "datastore_info", None, status=403, id=resource["id"])
    # Nothing half-written is visible: the role datastore_search reads with
    # sees one table of this resource, the published one.
    assert _readable_tables(resource["id"]) == [("public", resource["id"])]
    # The status says the load was interrupted, in Thai and English.
    shown = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert (shown["state"], shown["phase"]) == ("error", "interrupted"), phase
    assert shown["error"]["message_en"] == status.INTERRUPTED
    assert "ถูกขัดจังหวะ" in shown["error"]["message"]
    assert shown["error"]["message"].endswith(" / " + status.INTERRUPTED)

    # A retry completes: the new file, personal columns dropped, open to all.
    api_post(app, "opendata_th_ingest_run", token, resource_id=resource["id"])
    ckan_jobs.Worker(["default"]).work(burst=True)
    assert status.get(resource["id"])["state"] == status.COMPLETE
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_RESOLVED
    new = api_get(app, "datastore_search", None, resource_id=resource["id"], sort="_id", limit=2)["result"]
    assert new["total"] == BIG_ROWS
    assert {f["id"] for f in new["fields"]} == {"_id", "จำนวน"}  # the names sit next to citizen ids: personal too
    assert [r["จำนวน"] for r in new["records"]] == [0, 1]
    shown = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert (shown["state"], shown["error"]) == ("complete", None)
