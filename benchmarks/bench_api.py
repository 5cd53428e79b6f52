# ruff: noqa: S603  (ckan and gunicorn run as child processes with fixed arguments)
"""API benchmark: CKAN's datastore_search vs our records endpoint, same server, same run.

    .venv/bin/python benchmarks/bench_api.py [--rows 1000000] [--seconds 8] [--workers 4] [--slot 2]

Runs CKAN under gunicorn (several worker processes, the production shape)
against the databases of test slot <slot> (see bin/ckan.sh test_env; run it
when that slot's tests are not running), loads a table of <rows> rows with
an indexed integer column `code` (1,000 distinct values, so a filter
matches ~rows/1000 rows) by COPY into a table made by datastore_create,
then measures requests/s and p50/p99 latency at 1, 8 and 32 concurrent
clients for

  (a) GET /api/3/action/datastore_search?resource_id=..&filters={"code": N}&limit=100
  (b) GET /api/opendata/v1/resources/<id>/records?code=N&limit=100

and the OpenAPI document of the table, cold (cache emptied: statistics
over every row) and cached, over HTTP and in process (Flask test client,
and the fast path's parts: access decision, fingerprint, Redis).  Rate limits are off for the run.  Timings are
printed as JSON; they are never test assertions.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import psycopg2
import redis
import requests
from psycopg2 import sql

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".local", "bench")
VENV_BIN = os.path.dirname(sys.executable)
PLUGINS = "opendata_th activity datastore dcat structured_data scheming_datasets scheming_organizations"
PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "นครราชสีมา", "ภูเก็ต", "สงขลา", "อุดรธานี", "ชลบุรี"]
LEVELS = (1, 8, 32)


def slot_env(slot: str) -> dict[str, str]:
    suffix = f"_{slot}" if slot else ""
    db = "postgresql://{role}:pass@127.0.0.1:5432/{name}"
    return {
        "CKAN_SQLALCHEMY_URL": db.format(role="ckan_default", name=f"ckan_test{suffix}"),
        "CKAN_DATASTORE_WRITE_URL": db.format(role="datastore_write", name=f"datastore_test{suffix}"),
        "CKAN_DATASTORE_READ_URL": db.format(role="datastore_read", name=f"datastore_test{suffix}"),
        "CKAN_SOLR_URL": "http://127.0.0.1:8983/solr/ckan_test",
        "CKAN_SITE_ID": f"test.ckan.net{suffix}",
        "CKAN_REDIS_URL": f"redis://127.0.0.1:6379/{2 + int(slot or 0)}",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_config(port: int) -> str:
    """test.ini with the plugins loaded, the server's URL and no rate limit."""
    with open(os.path.join(ROOT, "test.ini"), encoding="utf-8") as source:
        text = source.read().replace("%(here)s", ROOT)
    text = text.replace("ckan.plugins =\n", f"ckan.plugins = {PLUGINS}\n")
    text = text.replace("ckan.site_url = http://test.ckan.net", f"ckan.site_url = http://127.0.0.1:{port}")
    text = text.replace("testing = true", "testing = false\nckanext.opendata_th.api.rate_limit.enabled = false")
    path = os.path.join(BENCH, "api.ini")
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    with open(os.path.join(BENCH, "api_wsgi.py"), "w", encoding="utf-8") as out:
        out.write(
            "from ckan.cli import CKANConfigLoader\n"
            "from ckan.config.middleware import make_app\n"
            f"application = make_app(CKANConfigLoader({path!r}).get_config())\n"
        )
    return path


def ckan(ini: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [os.path.join(VENV_BIN, "ckan"), "-c", ini, *args], capture_output=True, text=True, env=env, check=False
    )
    return done.stdout + done.stderr


def sysadmin_token(ini: str, env: dict[str, str]) -> str:
    ckan(ini, env, "user", "add", "benchadmin", "email=bench@example.org", "password=bench-password-1")
    ckan(ini, env, "sysadmin", "add", "benchadmin")
    out = ckan(ini, env, "user", "token", "add", "benchadmin", "bench")
    return [line.strip() for line in out.splitlines() if line.strip()][-1]


def start_server(ini: str, env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    log = open(os.path.join(BENCH, "gunicorn.log"), "wb")  # noqa: SIM115 (the server's log for its lifetime)
    server = subprocess.Popen(
        [
            os.path.join(VENV_BIN, "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            BENCH,
            "--timeout",
            "120",
            "api_wsgi:application",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(240):
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {BENCH}/gunicorn.log")
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in 120 s")


def call(base: str, token: str, action: str, **data: Any) -> Any:
    response = requests.post(f"{base}/api/3/action/{action}", json=data, headers={"Authorization": token}, timeout=600)
    if not response.ok:
        raise SystemExit(f"{action}: HTTP {response.status_code} {response.text[:500]}")
    return response.json()["result"]


def make_table(base: str, token: str, env: dict[str, str], rows: int) -> str:
    try:
        org = call(base, token, "organization_show", id="bench-agency")
    except SystemExit:
        org = call(base, token, "organization_create", name="bench-agency", title="หน่วยงานทดสอบสมรรถนะ")
    sys.path.insert(0, ROOT)
    from tests.factories import dataset_dict

    dataset = call(
        base, token, "package_create", **dataset_dict(name=f"bench-api-{int(time.time())}", owner_org=org["id"])
    )
    created = call(
        base,
        token,
        "datastore_create",
        resource={"package_id": dataset["id"], "name": "bench", "format": "CSV"},
        fields=[
            {"id": "code", "type": "int4", "info": {"label": "รหัส", "label_en": "Code"}},
            {"id": "province", "type": "text", "info": {"label": "จังหวัด", "label_en": "Province"}},
            {"id": "amount", "type": "numeric", "info": {"label": "จำนวนเงิน", "label_en": "Amount"}},
            {"id": "day", "type": "date", "info": {"label": "วันที่", "label_en": "Date"}},
        ],
        indexes="code",
        force=True,
    )
    resource_id: str = created["resource_id"]
    rng = random.Random(6)  # noqa: S311 (test data)
    buffer = io.StringIO()
    for _ in range(rows):
        buffer.write(
            f"{rng.randint(1, 1000)}\t{rng.choice(PROVINCES)}\t{rng.randint(0, 10**7) / 100}\t"
            f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
        )
    buffer.seek(0)
    with psycopg2.connect(env["CKAN_DATASTORE_WRITE_URL"]) as connection, connection.cursor() as cursor:
        copy = sql.SQL("COPY {} (code, province, amount, day) FROM STDIN").format(sql.Identifier(resource_id))
        cursor.copy_expert(copy.as_string(connection), buffer)
    with psycopg2.connect(env["CKAN_DATASTORE_WRITE_URL"]) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(resource_id)))
    return resource_id


def load(url_for: Any, clients: int, seconds: float) -> dict[str, float]:
    """`clients` threads calling `url_for(rng)` for `seconds`: requests/s, p50/p99 in ms, errors."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def run(index: int) -> None:
        session = requests.Session()
        rng = random.Random(index)  # noqa: S311
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = session.get(url_for(rng), timeout=60)
            latencies[index].append(time.perf_counter() - started)
            if response.status_code != 200:
                errors[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    every = sorted(t for per in latencies for t in per)
    return {
        "requests": len(every),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(1000 * every[len(every) // 2], 1),
        "p99_ms": round(1000 * every[min(len(every) - 1, int(len(every) * 0.99))], 1),
        "errors": sum(errors),
    }


def spec_timings(base: str, resource_id: str, env: dict[str, str]) -> dict[str, float]:
    url = f"{base}/api/opendata/v1/resources/{resource_id}/openapi.json"
    store = redis.Redis.from_url(env["CKAN_REDIS_URL"])
    cold = []
    for _ in range(3):
        for key in store.scan_iter("odth:api:spec:*"):
            store.delete(key)
        started = time.perf_counter()
        response = requests.get(url, timeout=600)
        cold.append(time.perf_counter() - started)
        assert response.headers.get("X-Cache") == "MISS", response.headers
    cached = []
    session = requests.Session()
    for _ in range(50):
        started = time.perf_counter()
        response = session.get(url, timeout=60)
        cached.append(time.perf_counter() - started)
        assert response.headers.get("X-Cache") == "HIT", response.headers
    return {
        "cold_ms_median": round(1000 * statistics.median(cold), 1),
        "cached_ms_median": round(1000 * statistics.median(cached), 1),
        "cached_ms_p99": round(1000 * sorted(cached)[-1], 1),
        "bytes": len(response.content),
    }


IN_PROCESS = """
import json, statistics, sys, time
from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app
app = make_app(CKANConfigLoader(sys.argv[1]).get_config())
flask_app = app._wsgi_app
client = flask_app.test_client()
from ckan import model
from ckanext.opendata_th.api import changes, fast, openapi, stats
rid = sys.argv[2]
url = f"/api/opendata/v1/resources/{rid}/openapi.json"
assert client.get(url).status_code == 200


def timed(fn, n=200):
    found = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        found.append(1000 * (time.perf_counter() - started))
    found.sort()
    return {"median_ms": round(statistics.median(found), 2), "p99_ms": round(found[int(n * 0.99) - 1], 2)}


result = {"request_cached_document": timed(lambda: client.get(url))}
with flask_app.test_request_context(url):
    result["access_decision_auth_chain"] = timed(lambda: (model.Session.remove(), fast.public_readable(rid)))
    resource = model.Resource.get(rid)
    version, _changed = changes.version(rid, stats.fingerprint(rid))
    result["access_decision_cached"] = timed(lambda: fast.public_decision(resource, resource.package, version))
    result["table_fingerprint"] = timed(lambda: stats.fingerprint(rid))
    result["version_redis"] = timed(lambda: changes.version(rid, "x"))
    result["fast_path_whole"] = timed(lambda: (model.Session.remove(), fast.cached_public_document()))
print(json.dumps(result))
"""


def in_process(ini: str, env: dict[str, str], resource_id: str) -> dict[str, Any]:
    """The cached document through the Flask test client (no HTTP, no gunicorn) and its parts, 200 calls each."""
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, ini, resource_id], capture_output=True, text=True, env=env, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"in-process timing failed: {done.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(lines[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--slot", default="2")
    args = parser.parse_args()
    os.makedirs(BENCH, exist_ok=True)
    env = {**os.environ, **slot_env(args.slot)}
    port = free_port()
    ini = write_config(port)
    ckan(ini, env, "db", "init")
    token = sysadmin_token(ini, env)
    server = start_server(ini, env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        resource_id = make_table(base, token, env, args.rows)
        setup_s = round(time.perf_counter() - started, 1)
        filters = {"datastore_search": None, "records": None}

        def datastore_search(rng: random.Random) -> str:
            filters = json.dumps({"code": rng.randint(1, 1000)})
            return f"{base}/api/3/action/datastore_search?resource_id={resource_id}&filters={filters}&limit=100"

        def records(rng: random.Random) -> str:
            return f"{base}/api/opendata/v1/resources/{resource_id}/records?code={rng.randint(1, 1000)}&limit=100"

        targets = {"datastore_search": datastore_search, "records": records}
        for name, url_for in targets.items():
            load(url_for, 4, 1.0)  # warm every worker
            filters[name] = {str(c): load(url_for, c, args.seconds) for c in LEVELS}  # type: ignore[assignment]
        result = {
            "rows": args.rows,
            "workers": args.workers,
            "seconds_per_level": args.seconds,
            "setup_seconds": setup_s,
            "filter": "code = N (btree index), limit 100, total counted",
            "throughput": filters,
            "openapi": spec_timings(base, resource_id, env),
            "openapi_in_process": in_process(ini, env, resource_id),
            "load_average": os.getloadavg(),
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
