# ruff: noqa: S603, S607  (ckan, bash and this script run as child processes with fixed arguments; a CLI prints)
"""Harvest benchmark: an agency catalogue into an empty central catalogue, then 1% changed.

    TEST_SLOT=6 .venv/bin/python benchmarks/bench_harvest.py --datasets 1000 [--changed 0.01] [--fetch-consumers 1]

Databases of its own, created on first use (as bin/ckan.sh creates the test
databases): ckan_bench_agency_<N>_<slot> holds the agency's N datasets and is
KEPT between runs (seeding is skipped when it already holds N), and
ckan_bench_central_<N>_<slot> is wiped for every run.  Both use the Solr
test core under site ids of their own and the slot's DataStore test database
(`TEST_SLOT=<slot> bin/stack test ...` creates it).

Seeding (not part of the figures) runs inside a CKAN process with the
agency's config: package_create in-process with the commit and Solr indexing
deferred, a database commit every 200 datasets, then one index rebuild.

Each harvest runs through the real Redis queues, as `make up` runs them: a
`ckan harvester gather-consumer` and `fetch-consumer` (fresh processes for
each run, so their peak RSS, VmHWM from /proc, is that run's own) consume a
job made with harvest_job_create; the central catalogue's `ckan run` serves
the API calls; the job's records are polled in the database until none is
waiting, and `harvest_jobs_run` (the cron's call) then marks it Finished.  The time of a run is from the gather's start
(harvest_job.gather_started) to its last record's import
(harvest_object.import_finished), so neither the consumers' start-up nor
the polling interval counts.  Timings are printed and written to the README,
never asserted.
"""

from __future__ import annotations

import argparse
import datetime
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
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
CKAN = ROOT / ".venv" / "bin" / "ckan"
sys.path.insert(0, str(ROOT))

from tests.conftest import PLUGINS  # noqa: E402
from tests.factories import dataset_dict  # noqa: E402

# opendata_th_harvest right after opendata_th, as in the ini: its templates come before scheming's
CENTRAL_PLUGINS = (
    PLUGINS.replace("opendata_th ", "opendata_th opendata_th_harvest ", 1) + " harvest opendata_th_ckan_harvester"
)
ORG = "bench-agency"
BATCH = 200  # datasets per database commit while seeding


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_database(name: str) -> None:
    """Create the database with bin/ckan.sh's own helper (the postgres superuser, local socket)."""
    script = 'source bin/lib.sh && source bin/ckan.sh && ensure_database "$1" ckan_default || true'
    subprocess.run(["bash", "-c", script, "bash", name], cwd=ROOT, check=True, capture_output=True)


def _ini(directory: Path, name: str, plugins: str) -> Path:
    text = (ROOT / "test.ini").read_text(encoding="utf-8")
    text = re.sub(r"^ckan\.plugins =.*$", f"ckan.plugins = {plugins}", text, flags=re.M)
    text = text.replace("%(here)s", str(ROOT)).replace("testing = true", "testing = false")
    # ckanext-harvest 1.6.3 gives its Redis client no socket timeout, so redis-py 8 (CKAN's pin) applies its
    # default and an idle consumer's BLPOP dies with TimeoutError after about a minute.  Without
    # ckan.harvest.mq.hostname the queues use ckan.redis.url, whose socket_timeout the env sets (see _env).
    text = re.sub(r"^ckan\.harvest\.mq\.(hostname|port|redis_db) =.*\n", "", text, flags=re.M)
    text = text.replace("level = WARN", "level = INFO", 1)  # the consumers' progress lines in their logs
    path = directory / f"{name}.ini"
    path.write_text(text, encoding="utf-8")
    return path


class Instance:
    """One CKAN site: its database, ini, env, and (once started) its `ckan run` web process."""

    def __init__(self, directory: Path, name: str, plugins: str, database: str, slot: str) -> None:
        self.name = name
        self.directory = directory
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        password = os.environ.get("ODTH_DB_PASSWORD", "pass")
        pg, solr, redis = (
            os.environ.get(k, d) for k, d in (("PG_PORT", "5432"), ("SOLR_PORT", "8983"), ("REDIS_PORT", "6379"))
        )
        self.database_url = f"postgresql://ckan_default:{password}@127.0.0.1:{pg}/{database}"
        self.env = dict(os.environ)
        self.env.update(
            CKAN_SQLALCHEMY_URL=self.database_url,
            CKAN_DATASTORE_WRITE_URL=f"postgresql://datastore_write:{password}@127.0.0.1:{pg}/datastore_test_{slot}",
            CKAN_DATASTORE_READ_URL=f"postgresql://datastore_read:{password}@127.0.0.1:{pg}/datastore_test_{slot}",
            CKAN_SOLR_URL=f"http://127.0.0.1:{solr}/solr/ckan_test",
            CKAN_SITE_ID=f"bench.{name}.{slot}",  # also names its Redis harvest queues
            CKAN_SITE_URL=self.url,
            CKAN_REDIS_URL=f"redis://127.0.0.1:{redis}/{2 + int(slot)}?socket_timeout=86400",
        )
        _ensure_database(database)
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

    def spawn(self, log_name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.directory / log_name).open("ab") as out:
            return subprocess.Popen(
                [str(CKAN), "-c", str(self.ini), *args], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def reset(self, *plugins: str) -> None:
        self.ckan("db", "clean", "--yes")
        self.ckan("db", "init")
        for plugin in plugins:
            self.ckan("db", "upgrade", "-p", plugin)
        self.ckan("search-index", "clear")

    def sysadmin_token(self) -> None:
        """A sysadmin `bench` (created if missing) and a fresh API token for this run."""
        if not re.search(r"^name=bench$", self.ckan("user", "list"), flags=re.M):
            self.ckan("user", "add", "bench", "email=bench@example.go.th", "password=bench-password-1")
            self.ckan("sysadmin", "add", "bench")
        self.token = self.ckan("user", "token", "add", "bench", "bench").strip().splitlines()[-1].strip()

    def start(self) -> None:
        self.process = self.spawn(
            f"{self.name}.log", "run", "-H", "127.0.0.1", "-p", str(self.port), "--disable-reloader", "--threaded"
        )
        for _ in range(240):
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.url} did not start; see {self.log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def call(self, action: str, **data: Any) -> Any:
        body = requests.post(
            f"{self.url}/api/3/action/{action}", json=data, headers={"Authorization": self.token}, timeout=300
        ).json()
        if not body.get("success"):
            raise RuntimeError(f"{action}: {body.get('error')}")
        return body["result"]


# --- seeding: runs in a child process with the agency's config ------------------------------------


def seed_organization(ini: str) -> None:
    """The agency's organization, made once before the workers start (they would race to make it)."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        if model.Group.get(ORG) is None:
            user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
            tk.get_action("organization_create")({"user": user}, {"name": ORG, "title": "หน่วยงานทดสอบ"})


def seed(ini: str, count: int, worker: int, workers: int) -> None:
    """Worker `worker` of `workers`: create its share of the datasets the agency lacks, in-process
    (run the workers again after a crash: they resume)."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        org = model.Group.get(ORG)
        assert org is not None, "the parent creates the organization first"
        names = model.Session.query(model.Package.name).filter_by(owner_org=org.id)
        have = {name for (name,) in names}
        todo = [number for number in range(worker, count, workers) if f"bench-{number:06d}" not in have]
        started = time.monotonic()
        for done, number in enumerate(todo, start=1):
            data = dataset_dict(owner_org=org.id, name=f"bench-{number:06d}", title=f"ชุดข้อมูลทดสอบ {number}")
            data["resources"] = [{"name": "ข้อมูล", "url": f"http://agency.example.go.th/{number}.csv", "format": "CSV"}]
            # Deferred: no commit and no Solr update per dataset; one commit per batch, indexing afterwards.
            context = {"user": user, "ignore_auth": True, "defer_commit": True, "return_id_only": True}
            tk.get_action("package_create")(context, data)
            if done % BATCH == 0:
                model.repo.commit()
                print(
                    f"worker {worker}: created {done}/{len(todo)} ({done / _since(started) * 60:.0f} /min)", flush=True
                )
        model.repo.commit()
        print(json.dumps({"worker": worker, "created": len(todo), "seconds": _since(started)}), flush=True)


def index(ini: str, worker: int, workers: int) -> None:
    """Worker `worker` of `workers`: index its share of the agency's datasets Solr does not hold yet."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib import search

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        started = time.monotonic()
        ids = sorted(id_ for (id_,) in model.Session.query(model.Package.id).filter_by(state="active"))
        indexed = set(search.query_for(model.Package).get_all_entity_ids(max_results=len(ids) + 1))
        # Shared out by id, not by position: the workers read Solr at different moments.
        mine = [id_ for id_ in ids if id_ not in indexed and int(id_[:8], 16) % workers == worker]
        search.rebuild(package_ids=mine, defer_commit=True)
        search.commit()
        print(json.dumps({"worker": worker, "indexed": len(mine), "seconds": _since(started)}), flush=True)


def _since(started: float) -> float:
    return round(time.monotonic() - started, 1)


def _indexed(instance: Instance) -> int:
    """Datasets of this site in Solr (sysadmin view, private included)."""
    return int(instance.call("package_search", q="*:*", rows=0, include_private=True)["count"])


def _prepare_agency(agency: Instance, count: int, workers: int) -> dict[str, Any]:
    """The kept agency database: initialised once, seeded up to `count`, its index complete."""
    started = time.monotonic()
    agency.ckan("db", "init")  # a no-op on an initialised database
    agency.ckan("db", "upgrade", "-p", "activity")
    agency.sysadmin_token()
    with (agency.directory / "seed.log").open("ab") as out:
        command = [sys.executable, __file__, "seed", "--ini", str(agency.ini), "--count", str(count)]
        subprocess.run([*command, "--org-only"], env=agency.env, stdout=out, stderr=subprocess.STDOUT, check=True)
        children = [
            subprocess.Popen(
                [*command, "--worker", str(worker), "--workers", str(workers)],
                env=agency.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            for worker in range(workers)
        ]
        failed = [child.args for child in children if child.wait()]
        if failed:
            raise RuntimeError(f"seeding failed; see {agency.directory / 'seed.log'}")
        # Indexing only once every worker has committed: a worker's share is taken from what is missing then.
        children = [
            subprocess.Popen(
                [*command, "--worker", str(worker), "--workers", str(workers), "--index"],
                env=agency.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            for worker in range(workers)
        ]
        failed = [child.args for child in children if child.wait()]
    if failed:
        raise RuntimeError(f"indexing failed; see {agency.directory / 'seed.log'}")
    return {"seconds": _since(started), "workers": workers}


# --- harvesting through the queues ---------------------------------------------------------------


def _vm_hwm_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    kib = re.search(r"^VmHWM:\s+(\d+) kB", status, flags=re.M)
    return int(kib.group(1)) / 1024 if kib else 0.0


def _job_times(engine: sa.Engine, job_id: str) -> tuple[float, float, int]:
    """Seconds from the job's creation to its gather, and from the gather's start to the last
    record's import (or to the gather's end when no record was due); the job's object count."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT j.created, j.gather_started, coalesce(max(o.import_finished), j.gather_finished), count(o.id)"
                " FROM harvest_job j LEFT JOIN harvest_object o ON o.harvest_job_id = j.id"
                " WHERE j.id = :id GROUP BY j.id"
            ),
            {"id": job_id},
        ).one()
    created, started, finished, objects = row
    return (started - created).total_seconds(), (finished - started).total_seconds(), int(objects)


def _job_done(engine: sa.Engine, job_id: str) -> bool:
    """The gather has ended and no record of the job is waiting, fetching or importing."""
    with engine.connect() as connection:
        gathered, pending = connection.execute(
            sa.text(
                "SELECT j.gather_finished, count(o.id) FROM harvest_job j"
                " LEFT JOIN harvest_object o ON o.harvest_job_id = j.id AND o.state IN ('WAITING', 'FETCH', 'IMPORT')"
                " WHERE j.id = :id GROUP BY j.id"
            ),
            {"id": job_id},
        ).one()
    return gathered is not None and int(pending) == 0


def _timed_harvest(central: Instance, source_id: str, fetch_consumers: int, label: str) -> dict[str, Any]:
    """One job through fresh gather and fetch consumers; its time, counts and the consumers' peak RSS."""
    central.ckan("harvester", "purge-queues")
    consumers = [central.spawn(f"{label}-gather.log", "harvester", "gather-consumer")]
    consumers += [
        central.spawn(f"{label}-fetch-{number}.log", "harvester", "fetch-consumer") for number in range(fetch_consumers)
    ]
    peak = dict.fromkeys((process.pid for process in consumers), 0.0)
    engine = sa.create_engine(central.database_url)
    try:
        time.sleep(5)  # the consumers load CKAN before they listen; a job sent earlier waits in Redis anyway
        job = central.call("harvest_job_create", source_id=source_id, run=True)
        while True:
            time.sleep(3)
            for process in consumers:
                if process.poll() is not None:
                    raise RuntimeError(f"a harvest consumer exited; see {central.directory}/{label}-*.log")
                peak[process.pid] = max(peak[process.pid], _vm_hwm_mib(process.pid))
            if _job_done(engine, job["id"]):
                break
        # The cron's call marks the job Finished.  Called once, at the end: every call also re-sends each
        # WAITING object not in the Redis queue (ckanext-harvest's resubmit_objects), so polling it while a
        # gather or fetch runs queues records twice.
        central.call("harvest_jobs_run", source_id=source_id)
        waited, seconds, objects = _job_times(engine, job["id"])
        counts = central.call("opendata_th_harvest_status", id=source_id)["last_run"]["counts"]
        processed = sum(int(value) for key, value in counts.items() if key != "unchanged" and str(value).isdigit())
        return {
            "seconds": round(seconds, 1),
            "queued_seconds": round(waited, 1),  # until a consumer took the job: not part of the run
            "harvest_objects": objects,
            "counts": counts,
            "datasets_per_minute": round(processed / seconds * 60) if seconds else None,
            "peak_rss_mib": {
                "gather": round(peak[consumers[0].pid]),
                "fetch": [round(peak[process.pid]) for process in consumers[1:]],
            },
            "load_average": [round(value, 2) for value in os.getloadavg()],
        }
    finally:
        engine.dispose()
        for process in consumers:
            process.terminate()
        for process in consumers:
            process.wait(timeout=60)


def _listing_seconds(agency: Instance) -> float:
    """The part of every run that grows with the source: the gather stage's listing of ids and dates.

    The harvester's own client, run here three times; the fastest is kept (the least disturbed by
    the other work on a shared machine).
    """
    from ckanext.opendata_th.harvest.remote import Remote
    from ckanext.opendata_th.harvest.sourceconfig import SourceConfig

    timings = []
    for _attempt in range(3):
        started = time.monotonic()
        Remote(agency.url, SourceConfig(token=agency.token)).modified_by_id()
        timings.append(time.monotonic() - started)
    return round(min(timings), 2)


def _change(agency: Instance, fraction: float, total: int) -> list[str]:
    """Patch `fraction` of the agency's datasets through its API (new notes each run)."""
    names = [f"bench-{number:06d}" for number in range(0, total, max(1, round(1 / fraction)))]
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for name in names:
        agency.call("package_patch", id=name, notes=f"ปรับปรุงคำอธิบาย {stamp}")
    return names


def run(count: int, changed: float, fetch_consumers: int, seed_workers: int, slot: str) -> dict[str, Any]:
    directory = ROOT / ".local" / "bench" / f"harvest-{count}"
    directory.mkdir(parents=True, exist_ok=True)
    agency = Instance(directory, f"agency{count}", PLUGINS, f"ckan_bench_agency_{count}_{slot}", slot)
    central = Instance(directory, f"central{count}", CENTRAL_PLUGINS, f"ckan_bench_central_{count}_{slot}", slot)
    result: dict[str, Any] = {"datasets": count, "fetch_consumers": fetch_consumers, "cpus": os.cpu_count()}
    result["seed"] = _prepare_agency(agency, count, seed_workers)
    central.reset("activity", "harvest")
    central.sysadmin_token()
    agency.start()
    central.start()
    try:
        result["agency_indexed"] = _indexed(agency)
        result["source_listing_seconds"] = _listing_seconds(agency)
        central_org = central.call("organization_create", name=ORG, title="หน่วยงานทดสอบ")
        source = central.call(
            "harvest_source_create",
            name=f"bench-{uuid.uuid4().hex[:6]}",
            url=agency.url,
            title="bench",
            source_type="opendata_th_ckan",
            owner_org=central_org["id"],
            frequency="MANUAL",
            config=json.dumps({"api_token": agency.token}),
        )
        print(f"{count}: full harvest starts", flush=True)
        result["full"] = _timed_harvest(central, source["id"], fetch_consumers, "full")
        result["full"]["central_datasets"] = _indexed(central)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        result["changed"] = len(_change(agency, changed, count))
        print(f"{count}: incremental harvest starts ({result['changed']} changed)", flush=True)
        result["incremental"] = _timed_harvest(central, source["id"], fetch_consumers, "incremental")
        full, incremental = result["full"]["seconds"], result["incremental"]["seconds"]
        result["incremental_over_full"] = round(incremental / full, 4) if full else None
        return result
    finally:
        agency.stop()
        central.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    seeding = sub.add_parser("seed", help="(internal) seed the agency in-process; run with its env")
    seeding.add_argument("--ini", required=True)
    seeding.add_argument("--count", type=int, required=True)
    seeding.add_argument("--worker", type=int, default=0)
    seeding.add_argument("--workers", type=int, default=1)
    seeding.add_argument("--org-only", action="store_true")
    seeding.add_argument("--index", action="store_true")
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--fetch-consumers", type=int, default=1)
    parser.add_argument("--seed-workers", type=int, default=2, help="processes seeding the agency (not timed)")
    parser.add_argument("--seed-only", action="store_true", help="prepare the agency database and stop")
    parser.add_argument("--listing-only", action="store_true", help="time the source listing alone (seeded agency)")
    args = parser.parse_args()
    if args.command == "seed":
        if args.org_only:
            seed_organization(args.ini)
        elif args.index:
            index(args.ini, args.worker, args.workers)
        else:
            seed(args.ini, args.count, args.worker, args.workers)
        return
    slot = os.environ.get("TEST_SLOT", "6")
    if args.seed_only or args.listing_only:
        directory = ROOT / ".local" / "bench" / f"harvest-{args.datasets}"
        directory.mkdir(parents=True, exist_ok=True)
        name, database = f"agency{args.datasets}", f"ckan_bench_agency_{args.datasets}_{slot}"
        agency = Instance(directory, name, PLUGINS, database, slot)
        print(json.dumps(_prepare_agency(agency, args.datasets, args.seed_workers)))
        if args.listing_only:
            agency.start()
            try:
                print(json.dumps({"indexed": _indexed(agency), "source_listing_seconds": _listing_seconds(agency)}))
            finally:
                agency.stop()
        return
    result = run(args.datasets, args.changed, args.fetch_consumers, args.seed_workers, slot)
    print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)


if __name__ == "__main__":
    main()
