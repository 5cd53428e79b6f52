"""The job worker recovers by itself: Redis stopped, the worker SIGKILLed mid-load.

A real ``ckan jobs worker`` runs under the supervisor
(ckanext/opendata_th/ingest/supervise.py, as bin/ckan.sh starts it) against
a redis-server of this test's own on a free port, which the tests stop and
start again empty, as a Redis without persistence comes back.  The shared
Redis other tests use is never touched.  The supervisor runs
``opendata-th ingest recover`` (ingest/recovery.py) at every start.
Loads fetch their file from a loopback HTTP server (tests/ingest/test_killed_worker.py).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
import pytest
import redis
import rq
import rq.suspension

from ckanext.opendata_th.ingest import recovery, status
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post
from tests.ingest import test_killed_worker as killed_worker
from tests.ingest.test_killed_worker import CKAN, MID_LOAD, _worker_ini

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the test's own server
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

BIG_ROWS = 60_000
files = killed_worker.files  # the loopback HTTP server fixture


def _table(rows: int) -> bytes:
    lines = [f"{i},{i * 3},จังหวัด {i % 77}" for i in range(rows)]
    return ("ลำดับ,จำนวน,จังหวัด\n" + "\n".join(lines) + "\n").encode()


def _until(what: str, check: Callable[[], Any], seconds: float, log: Path | None = None) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"{what} within {seconds}s\n{tail}")


class OwnRedis:
    """A redis-server on a port of its own that a test may stop and start again."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "redis-server is installed by bin/stack install"
        self.process = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        _until("own redis-server answers", self.answers, 10)

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def connection(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


@pytest.fixture
def own_redis(tmp_path: Path, ckan_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    monkeypatch.setitem(ckan_config, "ckan.redis.url", server.url)
    monkeypatch.setattr(ckan_redis, "_connection_pool", None)  # CKAN keeps one pool per process
    monkeypatch.setattr(ckan_jobs, "_queues", {})  # and its queues, each with its connection
    yield server
    server.stop()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _is_worker(pid: int) -> bool:
    try:
        return b"jobs\0worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class Supervised:
    """The supervisor and the worker it keeps running, as bin/ckan.sh starts them."""

    def __init__(self, tmp_path: Path, redis_url: str) -> None:
        ini = _worker_ini(tmp_path)
        self.log = tmp_path / "supervise.log"
        command = [str(CKAN), "-c", str(ini)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "ckanext.opendata_th.ingest.supervise",
                    "--name=test-worker",
                    "--min-delay=0.5",
                    "--max-delay=2",
                    "--stop-timeout=5",
                    f"--hook={shlex.join([*command, 'opendata-th', 'ingest', 'recover'])}",
                    "--",
                    *command,
                    "jobs",
                    "worker",
                ],
                env={**os.environ, "CKAN_REDIS_URL": redis_url},  # the environment overrides the ini
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def worker(self) -> int | None:
        workers = [pid for pid in _children(self.process.pid) if _is_worker(pid) and _alive(pid)]
        return workers[0] if workers else None

    def horses(self, worker: int) -> list[int]:
        return [pid for pid in _children(worker) if _alive(pid)]

    def stop(self) -> list[int]:
        """Stop as `make down` does (SIGTERM); the processes left behind (none, we hope)."""
        family = [self.process.pid, *_children(self.process.pid)]
        family += [pid for parent in family[1:] for pid in _children(parent)]
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        time.sleep(0.2)
        return [pid for pid in family[1:] if _alive(pid)]


@pytest.fixture
def supervised(tmp_path: Path, own_redis: OwnRedis) -> Iterator[Callable[[], Supervised]]:
    started: list[Supervised] = []

    def start() -> Supervised:
        started.append(Supervised(tmp_path, own_redis.url))
        return started[-1]

    yield start
    for supervisor in started:
        left = supervisor.stop()
        assert not left, f"processes outlived their supervisor: {left}"


def _registered(connection: redis.Redis) -> bool:
    return bool(rq.Worker.all(connection=connection))


def _resource(app: Any, token: str, url: str) -> dict[str, Any]:
    agency = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="provinces", owner_org=agency["id"]))
    data = {"package_id": dataset["result"]["id"], "name": "ตาราง", "url": url, "format": "CSV"}
    return api_post(app, "resource_create", token, **data)["result"]


def _mid_load(resource_id: str, job_id: str | None = None) -> bool:
    row = status.get(resource_id) or {}
    if job_id is not None and row.get("job_id") != job_id:
        return False
    phase = row.get("phase")
    return (
        row.get("state") == status.RUNNING and phase in MID_LOAD and (phase != "reading" or bool(row.get("rows_done")))
    )


def _kill_worker_mid_load(supervisor: Supervised, resource_id: str, job_id: str | None = None) -> None:
    """SIGKILL the worker (not its horse) once the load is under way; the horse must go with it."""
    _until("the load got under way", lambda: _mid_load(resource_id, job_id), 120, supervisor.log)
    worker = supervisor.worker()
    assert worker is not None
    horses = supervisor.horses(worker)
    assert horses, "RQ runs the job in a forked work horse"
    os.kill(worker, signal.SIGKILL)
    _until("the work horse died with its worker", lambda: not any(map(_alive, horses)), 10, supervisor.log)


def _done(resource_id: str) -> dict[str, Any] | None:
    row = status.get(resource_id) or {}
    return row if row.get("state") in (status.COMPLETE, status.ERROR) else None


def test_the_worker_comes_back_after_redis_does_and_the_queued_load_completes(
    app, sysadmin_with_token, files, own_redis, supervised
):
    directory, base = files
    (directory / "table.csv").write_bytes(_table(50))
    supervisor = supervised()
    _until("the worker registered in Redis", lambda: _registered(own_redis.connection()), 60, supervisor.log)
    first = supervisor.worker()
    assert first is not None
    # Paused, so the load waits in Redis's queue when Redis goes away.
    rq.suspension.suspend(own_redis.connection())
    resource = _resource(app, sysadmin_with_token["token"], f"{base}/table.csv")
    queued = status.get(resource["id"])
    assert (queued["state"], queued["phase"]) == (status.PENDING, "queued")
    # A load whose resource is deleted meanwhile is not resumed: it would only fail, ahead of the live one.
    gone = api_post(
        app,
        "resource_create",
        sysadmin_with_token["token"],
        package_id=resource["package_id"],
        name="ตารางที่ลบ",
        url=f"{base}/table.csv",
        format="CSV",
    )["result"]
    api_post(app, "resource_delete", sysadmin_with_token["token"], id=gone["id"])
    gone_job = status.get(gone["id"])["job_id"]

    own_redis.stop()
    _until("the worker exited without Redis", lambda: not _alive(first), 60, supervisor.log)
    time.sleep(2)  # a restart or two against the missing Redis
    assert status.get(resource["id"])["state"] == status.PENDING  # the job is gone with Redis's memory
    own_redis.start()  # empty, as a Redis without persistence comes back

    row = _until("the queued load completed", lambda: _done(resource["id"]), 120, supervisor.log)
    assert row["state"] == status.COMPLETE, row
    # Queued again once, by the recovery, under a new job id.
    assert row["job_id"] != queued["job_id"]
    assert row["recovered_job"] == row["job_id"]
    assert status.get(gone["id"])["job_id"] == gone_job and not status.get(gone["id"]).get("recovered_job")
    found = api_get(app, "datastore_search", None, resource_id=resource["id"], sort="_id", limit=1)["result"]
    assert found["total"] == 50
    assert found["records"][0]["จังหวัด"] == "จังหวัด 0"
    worker = supervisor.worker()
    assert worker is not None and worker != first
    assert "exited with" in supervisor.log.read_text() and "restarting in" in supervisor.log.read_text()


def test_a_worker_killed_mid_load_takes_its_horse_and_the_load_is_resumed_once(
    app, sysadmin_with_token, files, own_redis, supervised
):
    directory, base = files
    (directory / "big.csv").write_bytes(_table(BIG_ROWS))
    supervisor = supervised()
    resource = _resource(app, sysadmin_with_token["token"], f"{base}/big.csv")
    first_job = status.get(resource["id"])["job_id"]
    _kill_worker_mid_load(supervisor, resource["id"])

    row = _until("the resumed load completed", lambda: _done(resource["id"]), 180, supervisor.log)
    assert row["state"] == status.COMPLETE, row
    assert row["recovered_job"] == row["job_id"] != first_job
    shown = api_get(app, "opendata_th_ingest_status", sysadmin_with_token["token"], resource_id=resource["id"])
    assert (shown["result"]["state"], shown["result"]["error"]) == ("complete", None)
    found = api_get(app, "datastore_search", None, resource_id=resource["id"], sort="_id", limit=2)["result"]
    assert found["total"] == BIG_ROWS
    assert [r["จำนวน"] for r in found["records"]] == [0, 3]


def test_a_load_interrupted_twice_is_failed_with_a_clear_message(
    app, sysadmin_with_token, files, own_redis, supervised
):
    token = sysadmin_with_token["token"]
    directory, base = files
    (directory / "big.csv").write_bytes(_table(BIG_ROWS))
    supervisor = supervised()
    resource = _resource(app, token, f"{base}/big.csv")
    _kill_worker_mid_load(supervisor, resource["id"])
    resumed = _until(
        "the load was queued again",
        lambda: (status.get(resource["id"]) or {}).get("recovered_job"),
        120,
        supervisor.log,
    )
    _kill_worker_mid_load(supervisor, resource["id"], job_id=resumed)

    row = _until("the load was failed", lambda: _done(resource["id"]), 120, supervisor.log)
    assert (row["state"], row["phase"]) == (status.ERROR, "failed"), row
    shown = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert (shown["state"], shown["phase"]) == ("error", "failed")
    assert shown["error"]["message_en"] == recovery.INTERRUPTED_TWICE
    assert "ถูกขัดจังหวะอีกครั้ง" in shown["error"]["message"]
    assert shown["error"]["message"].endswith(" / " + recovery.INTERRUPTED_TWICE)
    # Not queued a third time, and the worker waits for other work.
    time.sleep(1)
    assert status.get(resource["id"])["job_id"] == resumed
    assert supervisor.worker() is not None
    # Nothing half-written is published.
    api_get(app, "datastore_search", token, status=404, resource_id=resource["id"])


def test_a_bare_worker_killed_mid_load_takes_its_horse_with_it(app, sysadmin_with_token, files, own_redis, tmp_path):
    """Without the supervisor too: the horse dies with its worker (PR_SET_PDEATHSIG, jobs.run_job)."""
    directory, base = files
    (directory / "big.csv").write_bytes(_table(BIG_ROWS))
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(CKAN), "-c", str(_worker_ini(tmp_path)), "jobs", "worker"],
            env={**os.environ, "CKAN_REDIS_URL": own_redis.url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    children: list[int] = []
    try:
        resource = _resource(app, sysadmin_with_token["token"], f"{base}/big.csv")
        _until("the load got under way", lambda: _mid_load(resource["id"]), 120, log)
        children = [pid for pid in _children(worker.pid) if _alive(pid)]
        # The horse leads a process group of its own (RQ); the worker's other child is RQ's scheduler.
        horses = [pid for pid in children if os.getpgid(pid) == pid]
        assert len(horses) == 1
        worker.kill()
        worker.wait(10)
        _until("the work horse died with its worker", lambda: not _alive(horses[0]), 10, log)
        shown = api_get(app, "opendata_th_ingest_status", sysadmin_with_token["token"], resource_id=resource["id"])
        assert (shown["result"]["state"], shown["result"]["phase"]) == ("error", "interrupted")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        for pid in children:  # RQ's scheduler outlives a bare worker: no supervisor to end it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
