# ruff: noqa: S608  (fixed benchmark identifiers)
"""(b) of bench_ingest.py: ckanext-xloader 2.6.0 loading one CSV, in its own virtualenv.

    .local/xloader-venv/bin/python benchmarks/bench_ingest_xloader.py FILE.csv

Run by bench_ingest.py (never imports ckanext.opendata_th: xloader lives in
.local/xloader-venv, see setup_xloader.sh).  CKAN is configured with only
the `datastore` plugin against the databases named by the CKAN_* variables
of a test slot.  It creates a dataset and resource (datastore_create needs
one), then does what xloader's job does for a CSV:

  load_csv               -> detect, re-encode to a temporary CSV (tabulator),
                            datastore_create (all text), COPY, _full_text
                            (to_tsvector over all columns): the all-text,
                            searchable table
  calculate_record_count -> ANALYZE
  create_column_indexes  -> datastore indexes, full-text trigger back on

and prints one JSON line: seconds to the all-text table, seconds to the
end, rows, a count of `q=ผู้สูงอายุ` hits and the process's peak RSS.
The dataset it made stays in the slot's CKAN test database (the tests'
clean_db empties it); bench_ingest.py drops the DataStore table.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import tempfile
import time
import uuid

INI = """[app:main]
use = egg:ckan
SECRET_KEY = bench-xloader-not-secret
sqlalchemy.url = {sqlalchemy}
ckan.datastore.write_url = {write}
ckan.datastore.read_url = {read}
ckan.redis.url = {redis}
ckan.site_id = {site_id}
ckan.site_url = http://bench.example
ckan.plugins = datastore
ckan.storage_path = {storage}
ckan.auth.create_unowned_dataset = true
ckanext.xloader.unidecode_headers = true

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)s [%(name)s] %(message)s
"""


def main(path: str) -> None:
    storage = tempfile.mkdtemp(prefix="xloader-bench-")
    ini = os.path.join(storage, "xloader.ini")
    with open(ini, "w", encoding="utf-8") as out:
        out.write(
            INI.format(
                sqlalchemy=os.environ["CKAN_SQLALCHEMY_URL"],
                write=os.environ["CKAN_DATASTORE_WRITE_URL"],
                read=os.environ["CKAN_DATASTORE_READ_URL"],
                redis=os.environ.get("CKAN_REDIS_URL", "redis://127.0.0.1:6379/15"),
                site_id=os.environ.get("CKAN_SITE_ID", "bench"),
                storage=storage,
            )
        )
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        import sqlalchemy as sa
        from ckanext.xloader import loader

        log = logging.getLogger("xloader-bench")
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"ignore_auth": True, "user": user["name"]}
        name = f"xloader-bench-{uuid.uuid4().hex[:8]}"
        dataset = tk.get_action("package_create")(
            dict(context),
            {"name": name, "resources": [{"url": "http://bench.example/thai.csv", "format": "CSV"}]},
        )
        resource_id = dataset["resources"][0]["id"]
        started = time.monotonic()
        fields = loader.load_csv(path, resource_id, mimetype="text/csv", logger=log)
        all_text = time.monotonic() - started
        engine = sa.create_engine(os.environ["CKAN_DATASTORE_WRITE_URL"])
        with engine.connect() as connection:
            table = '"' + resource_id + '"'
            rows = connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            hits = connection.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE _full_text @@ plainto_tsquery(:q)"),
                {"q": "ผู้สูงอายุ"},
            ).scalar()
        engine.dispose()
        loader.calculate_record_count(resource_id, log)
        loader.create_column_indexes(fields, resource_id, log)
        elapsed = time.monotonic() - started
        print(
            json.dumps(
                {
                    "seconds": all_text,
                    "seconds_with_indexes": elapsed,
                    "rows": rows,
                    "columns": [f["id"] for f in fields],
                    "fts_hits_ผู้สูงอายุ": hits,
                    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "resource_id": resource_id,
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
        # create_column_indexes leaves its connection idle in a transaction
        # when called outside xloader's job (the job's process ends there),
        # so any clean-up in this process would wait on it forever: exit now,
        # bench_ingest.py drops the table.
        os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
