# ruff: noqa: S603  (ckan and this script run as child processes with fixed arguments; a CLI prints)
"""Harvest benchmark: an agency catalogue into an empty central catalogue, then 1% changed.

    TEST_SLOT=4 .venv/bin/python benchmarks/bench_harvest.py --datasets 1000 [--changed 0.01]

Uses test slot N's databases (ckan_test_N for the central catalogue,
ckan_agency_N for the agency: run `TEST_SLOT=N bin/stack test tests/harvest`
once first so they exist) and Solr site ids of their own; both are wiped.
The agency runs as `ckan run` on a free port with this extension; it is
seeded through its API.  The central catalogue runs as a second `ckan run`
(to create the harvest source through the API); each harvest run is
`ckan harvester run-test` (gather, fetch, import in one process, as the
consumers do it) in a child process, so its wall time and peak memory (max
RSS from wait4) are that run's own.  Timings are never assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
CKAN = ROOT / ".venv" / "bin" / "ckan"
PLUGINS = "opendata_th activity datastore dcat structured_data scheming_datasets scheming_organizations"
CENTRAL_PLUGINS = (
    PLUGINS.replace("opendata_th ", "opendata_th opendata_th_harvest ", 1) + " harvest opendata_th_ckan_harvester"
)
sys.path.insert(0, str(ROOT))

from tests.factories import dataset_dict  # noqa: E402


def _env(slot: str, database: str, site_id: str, port: int) -> dict[str, str]:
    password = os.environ.get("ODTH_DB_PASSWORD", "pass")
    pg, solr, redis = (
        os.environ.get(k, d) for k, d in (("PG_PORT", "5432"), ("SOLR_PORT", "8983"), ("REDIS_PORT", "6379"))
    )
    env = dict(os.environ)
    env.update(
        CKAN_SQLALCHEMY_URL=f"postgresql://ckan_default:{password}@127.0.0.1:{pg}/{database}_{slot}",
        CKAN_DATASTORE_WRITE_URL=f"postgresql://datastore_write:{password}@127.0.0.1:{pg}/datastore_test_{slot}",
        CKAN_DATASTORE_READ_URL=f"postgresql://datastore_read:{password}@127.0.0.1:{pg}/datastore_test_{slot}",
        CKAN_SOLR_URL=f"http://127.0.0.1:{solr}/solr/ckan_test",
        CKAN_SITE_ID=site_id,
        CKAN_SITE_URL=f"http://127.0.0.1:{port}",
        CKAN_REDIS_URL=f"redis://127.0.0.1:{redis}/{2 + int(slot)}",
    )
    return env


def _ini(directory: Path, name: str, plugins: str) -> Path:
    text = (ROOT / "test.ini").read_text(encoding="utf-8")
    text = re.sub(r"^ckan\.plugins =.*$", f"ckan.plugins = {plugins}", text, flags=re.M)
    text = text.replace("%(here)s", str(ROOT)).replace("testing = true", "testing = false")
    path = directory / f"{name}.ini"
    path.write_text(text, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Instance:
    def __init__(self, directory: Path, name: str, plugins: str, database: str, slot: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _env(slot, database, f"bench.{name}.{slot}", self.port)
        self.ini = _ini(directory, name, plugins)
        self.log = directory / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""

    def ckan(self, *args: str) -> str:
        done = subprocess.run(
            [str(CKAN), "-c", str(self.ini), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"ckan {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def reset(self, *plugins: str) -> None:
        self.ckan("db", "clean", "--yes")
        self.ckan("db", "init")
        for plugin in plugins:
            self.ckan("db", "upgrade", "-p", plugin)
        self.ckan("search-index", "clear")
        self.ckan("user", "add", "bench", "email=bench@example.go.th", "password=bench-password-1")
        self.ckan("sysadmin", "add", "bench")
        self.token = self.ckan("user", "token", "add", "bench", "bench").strip().splitlines()[-1].strip()

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(CKAN), "-c", str(self.ini), "run", "-H", "127.0.0.1", "-p", str(self.port), "--disable-reloader"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        for _ in range(240):
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=2).ok:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError(f"{self.url} did not start; see {self.log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def call(self, action: str, **data: Any) -> Any:
        body = requests.post(
            f"{self.url}/api/3/action/{action}", json=data, headers={"Authorization": self.token}, timeout=120
        ).json()
        if not body.get("success"):
            raise RuntimeError(f"{action}: {body.get('error')}")
        return body["result"]


def _timed_harvest(central: Instance, source_id: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `harvester run-test` child process."""
    started = time.monotonic()
    log = central.log.with_name("run-test.log")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CKAN), "-c", str(central.ini), "harvester", "run-test", source_id],
            env=central.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    if status:
        raise RuntimeError(f"harvester run-test exited with status {status}: {log.read_text()[-2000:]}")
    elapsed = time.monotonic() - started
    central.call("harvest_jobs_run", source_id=source_id)  # marks the job finished, as the cron does
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()
    slot = os.environ.get("TEST_SLOT", "4")
    directory = ROOT / ".local" / "bench" / "harvest"
    directory.mkdir(parents=True, exist_ok=True)
    agency = Instance(directory, "agency", PLUGINS, "ckan_agency", slot)
    central = Instance(directory, "central", CENTRAL_PLUGINS, "ckan_test", slot)
    agency.reset("activity")
    central.reset("activity", "harvest")
    agency.start()
    central.start()
    try:
        org = agency.call("organization_create", name="bench-agency", title="หน่วยงานทดสอบ")
        started = time.monotonic()
        ids = []
        for number in range(args.datasets):
            data = dataset_dict(owner_org=org["id"], name=f"bench-{number:06d}", title=f"ชุดข้อมูลทดสอบ {number}")
            data["resources"] = [{"name": "ข้อมูล", "url": f"http://agency.example.go.th/{number}.csv", "format": "CSV"}]
            ids.append(agency.call("package_create", **data)["id"])
        seeded = time.monotonic() - started
        central_org = central.call("organization_create", name="bench-agency", title="หน่วยงานทดสอบ")
        source = central.call(
            "harvest_source_create",
            name=f"bench-{uuid.uuid4().hex[:6]}",
            url=agency.url,
            title="bench",
            source_type="opendata_th_ckan",
            owner_org=central_org["id"],
            config=json.dumps({"api_token": agency.token}),
        )
        full_seconds, full_rss = _timed_harvest(central, source["id"])
        held = central.call("package_search", q="*:*", rows=0, include_private=True)["count"]
        changed = ids[: max(1, int(args.datasets * args.changed))]
        for dataset_id in changed:
            agency.call("package_patch", id=dataset_id, notes="ปรับปรุงคำอธิบาย")
        try:
            incremental_seconds, incremental_rss = _timed_harvest(central, source["id"])
            status: Any = central.call("opendata_th_harvest_status", id=source["id"])["last_run"]["counts"]
        except RuntimeError as error:  # reported, not hidden: see benchmarks/README.md
            incremental_seconds, incremental_rss, status = 0.0, 0.0, f"failed: {str(error)[-300:]}"
        print(
            json.dumps(
                {
                    "datasets": args.datasets,
                    "seed_seconds": round(seeded, 1),
                    "full": {
                        "seconds": round(full_seconds, 1),
                        "datasets_per_minute": round(held / full_seconds * 60),
                        "peak_rss_mib": round(full_rss),
                        "central_datasets": held,
                    },
                    "incremental": {
                        "changed": len(changed),
                        "seconds": round(incremental_seconds, 1),
                        "peak_rss_mib": round(incremental_rss),
                        "counts": status,
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    finally:
        agency.stop()
        central.stop()


if __name__ == "__main__":
    main()
