# ruff: noqa: S603  (psql and this script run as child processes with fixed arguments)
"""Load benchmark: raw COPY via psql vs. our loader (vs. ckanext-xloader 2.6.0, see README).

    .venv/bin/python benchmarks/bench_ingest.py --rows 1000000 [--ini test.ini]

Generates a Thai CSV (text, integer with thousands separators, numeric,
B.E. date and postal-code columns; ~100 bytes a row) under .local/bench/,
then measures, each in its own process so peak memory (max RSS) is that
process's own:

  (a) psql `\\copy` into a plain all-text table (the physical limit);
  (c) our loader: detect -> infer over every row -> COPY into staging ->
      primary key, full-text index, dictionary -> swap; a typed,
      Thai-searchable DataStore table.

It uses the DataStore database of the ini (with bin/stack's TEST_SLOT
environment when run via `bin/stack`-style env vars) and drops its tables
afterwards.  Never run from the test suite: timings are not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XLOADER_VENV = os.path.join(ROOT, ".local", "xloader-venv")
PROVINCES = [
    "กรุงเทพมหานคร",
    "เชียงใหม่",
    "ขอนแก่น",
    "นครราชสีมา",
    "ภูเก็ต",
    "สงขลา",
    "อุดรธานี",
    "ชลบุรี",
    "พิษณุโลก",
    "นครศรีธรรมราช",
    "อุบลราชธานี",
    "เชียงราย",
    "ลำปาง",
    "สุราษฎร์ธานี",
    "ระยอง",
]
ITEMS = ["เบี้ยยังชีพผู้สูงอายุ", "ค่ารักษาพยาบาล", "ทุนการศึกษา", "ค่าสาธารณูปโภค", "งบลงทุนครุภัณฑ์", "เงินอุดหนุนท้องถิ่น"]
THAI_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


def generate(path: str, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("ลำดับ,จังหวัด,รายการ,จำนวนผู้รับ (คน),งบประมาณ (บาท),วันที่อนุมัติ,รหัสไปรษณีย์\r\n")
        for i in range(1, rows + 1):
            province = PROVINCES[i % len(PROVINCES)]
            item = f"{ITEMS[rng.randrange(len(ITEMS))]} หมู่ที่ {rng.randrange(1, 20)}"
            count = f"{rng.randrange(1, 2_000_000):,}"
            amount = f"{rng.randrange(0, 10**9) / 100:.2f}"
            if i % 2:
                date = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(2550, 2568)}"
            else:
                date = f"{rng.randrange(1, 29)} {THAI_MONTHS[rng.randrange(12)]} {rng.randrange(2550, 2568)}"
            postal = f"{rng.randrange(10000, 99999):05d}"
            out.write(f'{i},{province},{item},"{count}",{amount},{date},{postal}\r\n')


def _dsn() -> dict[str, str]:
    import sqlalchemy as sa
    from ckan.cli import load_config

    config = load_config(os.environ.get("CKAN_INI", os.path.join(ROOT, "test.ini")))
    url = sa.engine.make_url(os.environ.get("CKAN_DATASTORE_WRITE_URL") or config["ckan.datastore.write_url"])
    return {
        "host": url.host or "",
        "port": str(url.port or 5432),
        "db": url.database or "",
        "user": url.username or "",
        "password": url.password or "",
    }


def _psql_base() -> tuple[list[str], dict[str, str]]:
    dsn = _dsn()
    env = {**os.environ, "PGPASSWORD": dsn["password"]}
    base = [
        "psql",
        "-h",
        dsn["host"],
        "-p",
        dsn["port"],
        "-U",
        dsn["user"],
        "-d",
        dsn["db"],
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
    ]
    return base, env


def _psql(command: str) -> None:
    base, env = _psql_base()
    subprocess.run([*base, "-c", command], env=env, check=True)


def raw_copy(path: str) -> dict[str, float]:
    dsn = _dsn()
    table = f"bench_raw_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PGPASSWORD": dsn["password"]}
    base = [
        "psql",
        "-h",
        dsn["host"],
        "-p",
        dsn["port"],
        "-U",
        dsn["user"],
        "-d",
        dsn["db"],
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
    ]
    columns = ", ".join(f"c{i} text" for i in range(7))
    subprocess.run([*base, "-c", f"CREATE TABLE {table} ({columns})"], env=env, check=True)
    started = time.monotonic()
    subprocess.run([*base, "-c", f"\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)"], env=env, check=True)
    elapsed = time.monotonic() - started
    subprocess.run([*base, "-c", f"DROP TABLE {table}"], env=env, check=True)
    return {"seconds": elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def ours_child(path: str) -> None:
    """Runs in its own process: our pipeline on a local file, without the CKAN web app."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(os.environ.get("CKAN_INI", os.path.join(ROOT, "test.ini"))))
    with app._wsgi_app.test_request_context():
        from psycopg2 import sql

        from ckanext.opendata_th.ingest import jobs, load, readers, status

        resource_id = str(uuid.uuid4())
        raw = f"raw_0_{resource_id}"
        connection = status.connect()
        rss_at_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # CKAN app and plugins loaded
        started = time.monotonic()
        limits = jobs.limits()
        (sheet,) = readers.open_sheets(path, readers.sniff_format(path, "csv"), limits)
        analysis = jobs._analyse(sheet, limits, connection, raw, resource_id)
        assert analysis is not None
        analysed = time.monotonic()
        rss_after_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        jobs._load_one(connection, resource_id, sheet, analysis, progress_of=resource_id)
        loaded = time.monotonic()
        load.swap(connection, resource_id)
        elapsed = time.monotonic() - started
        jobs._drop_raw(connection, [raw])
        with connection, connection.cursor() as cursor:
            table = sql.Identifier(resource_id)
            query = sql.SQL("SELECT count(*) FROM {} WHERE _full_text @@ plainto_tsquery('simple', %s)")
            cursor.execute(query.format(table), ("ผู้สูงอายุ",))
            hits = cursor.fetchone()[0]
            cursor.execute(
                sql.SQL(
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
                ),
                (table.as_string(connection),),
            )
            types = [row[0] for row in cursor.fetchall()]
            cursor.execute(sql.SQL("DROP TABLE {}").format(table))
            cursor.execute("DELETE FROM opendata_th_ingest._status WHERE resource_id = %s", (resource_id,))
        connection.close()
        print(
            json.dumps(
                {
                    "seconds": elapsed,
                    "read_and_type_seconds": analysed - started,
                    "convert_index_seconds": loaded - analysed,
                    "swap_seconds": elapsed - (loaded - started),
                    "rows": analysis.rows,
                    "types": types,
                    "fts_hits_ผู้สูงอายุ": hits,
                    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "rss_at_start_mb": rss_at_start,
                    "peak_rss_while_reading_mb": rss_after_read,
                },
                ensure_ascii=False,
            )
        )


def ours(path: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", path], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def xloader(path: str) -> dict[str, object]:
    """(b) in xloader's own virtualenv (benchmarks/setup_xloader.sh makes it)."""
    python = os.path.join(XLOADER_VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([os.path.join(ROOT, "benchmarks", "setup_xloader.sh")], check=True)
    script = os.path.join(ROOT, "benchmarks", "bench_ingest_xloader.py")
    output = subprocess.run([python, script, path], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    _psql(f'DROP TABLE IF EXISTS "{uuid.UUID(str(result["resource_id"]))}" CASCADE')
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--skip-xloader", action="store_true")
    args = parser.parse_args()
    if args.child:
        ours_child(args.child)
        return
    directory = os.path.join(ROOT, ".local", "bench")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"thai_{args.rows}.csv")
    if not os.path.exists(path):
        generate(path, args.rows)
    size_mb = os.path.getsize(path) / 2**20
    print(f"file: {path} ({args.rows:,} rows, {size_mb:.1f} MB); load average {os.getloadavg()[0]:.2f}", flush=True)
    results: dict[str, dict[str, object]] = {}
    if not args.skip_raw:
        results["(a) raw COPY (psql)"] = raw_copy(path)
    if not args.skip_xloader:
        results["(b) xloader 2.6.0"] = xloader(path)
    results["(c) ours"] = ours(path)
    for name, result in results.items():
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        rss = float(result["peak_rss_mb"])  # type: ignore[arg-type]
        print(f"{name:20} {seconds:8.1f} s {args.rows / seconds:10,.0f} rows/s  peak RSS {rss:6.0f} MB")
    ours_seconds = float(results["(c) ours"]["seconds"])  # type: ignore[arg-type]
    for name, result in results.items():
        if name != "(c) ours":
            print(f"ours vs {name}: {float(result['seconds']) / ours_seconds:.2f}x faster")  # type: ignore[arg-type]
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
